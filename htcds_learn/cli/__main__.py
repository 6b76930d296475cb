"""``python -m htcds_learn.cli``: the same as the ``htcds-learn`` command."""

from . import main

raise SystemExit(main())
