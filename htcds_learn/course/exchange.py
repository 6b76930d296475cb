"""nbgrader's file exchange, bound to who really submitted (for the class hub).

A submission in the exchange is a folder named ``<trainee>+<assignment>+<time>``, and plain
nbgrader collects it under the name it carries; a trainee can put any name there
(``nbgrader submit --student=bo``, or by writing the folder by hand). On a hub where every
trainee has a Unix account of their own, the folder's owner says who made it. Here a
submission whose owner is not the trainee it names is not collected (nbgrader itself only
warns). ``deploy/jupyterhub/nbgrader_config.py`` switches it on.
"""

from __future__ import annotations

import os

from nbgrader.exchange.default.collect import ExchangeCollect


def owner(path: str) -> str | None:
    """The name of the account that owns ``path`` (None where accounts have no names)."""
    try:
        import pwd
    except ImportError:  # Windows: no owners to compare
        return None
    try:
        return pwd.getpwuid(os.stat(path).st_uid).pw_name
    except (KeyError, OSError):
        return "an unknown account"


class CollectOwnSubmissionsOnly(ExchangeCollect):
    """``nbgrader collect`` that refuses a submission made by another account than the one
    it names. The latest genuine submission of each trainee is the one collected."""

    def _forged(self, record: dict) -> bool:
        made_by = owner(os.path.join(self.inbound_path, record["filename"]))
        return made_by is not None and made_by != record["username"]

    def _sort_by_timestamp(self, records):
        genuine = [r for r in records if not self._forged(r)]
        forged = [r for r in records if self._forged(r)]
        for record in forged:
            self.log.warning(
                "Not collected: %s says it is from %s but was made by %s (someone "
                "submitting in another trainee's name?).", record["filename"],
                record["username"], owner(os.path.join(self.inbound_path, record["filename"])))
        return super()._sort_by_timestamp(genuine) + forged

    def copy_files(self):
        self.src_records = [r for r in self.src_records if not self._forged(r)]
        return super().copy_files()
