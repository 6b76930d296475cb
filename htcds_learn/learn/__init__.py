"""What the lessons touch: self-check widgets, explorers, plots, the progress record, lessons."""

from __future__ import annotations
