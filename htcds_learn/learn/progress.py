"""A trainee's own progress record: which self-checks they passed, in which lesson.

The record is a small JSON file in the trainee's home folder (``~/.htcds-learn/progress.json``,
or the folder named by ``HTCDS_LEARN_HOME``). It holds no case data. It is written atomically,
so a crash never leaves half a file, and a damaged file is set aside with a warning rather
than stopping the lesson.

>>> import tempfile, pathlib
>>> record = ProgressRecord(pathlib.Path(tempfile.mkdtemp()) / "progress.json")
>>> record.record_attempt("01-value-names", lesson="01", correct=True)
>>> record.summary()[["lesson", "passed", "attempted"]].to_dict("records")
[{'lesson': '01', 'passed': 1, 'attempted': 1}]
"""

from __future__ import annotations

import json
import os
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._util.files import write_json_atomically
from ..errors import ProgressFileError

if TYPE_CHECKING:
    import pandas as pd

FORMAT_VERSION = 1


def home() -> Path:
    """The folder for the trainee's own files (``HTCDS_LEARN_HOME`` or ``~/.htcds-learn``)."""
    return Path(os.environ.get("HTCDS_LEARN_HOME") or Path.home() / ".htcds-learn")


def default_path() -> Path:
    return home() / "progress.json"


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class ProgressRecord:
    """Read and update one trainee's progress file."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path else default_path()
        self.data = self._read()

    def _empty(self) -> dict[str, Any]:
        return {"format": FORMAT_VERSION, "checks": {}, "lessons": {}}

    def _read(self) -> dict[str, Any]:
        if not self.path.exists():
            return self._empty()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("checks"), dict):
                raise ValueError("not a progress record")
            data.setdefault("lessons", {})
            return data
        except (ValueError, UnicodeDecodeError) as error:
            backup = self.path.with_name(
                f"{self.path.name}.damaged-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
            )
            os.replace(self.path, backup)
            warnings.warn(
                f"Your progress file {self.path} was damaged ({error}). It was kept as "
                f"{backup.name} and a new record was started. Your lessons are not affected.",
                stacklevel=2,
            )
            return self._empty()

    def save(self) -> None:
        try:
            write_json_atomically(self.path, self.data)
        except OSError as error:
            raise ProgressFileError(
                f"Could not save your progress to {self.path}: {error.strerror}.",
                "Set HTCDS_LEARN_HOME to a folder you can write to.",
            ) from error

    def record_attempt(self, check_id: str, *, lesson: str, correct: bool) -> None:
        """Count one attempt at a self-check, and remember the first time it was passed."""
        entry = self.data["checks"].setdefault(
            check_id, {"lesson": lesson, "attempts": 0, "passed": False}
        )
        entry["attempts"] += 1
        if correct and not entry["passed"]:
            entry["passed"] = True
            entry["passed_at"] = _now()
        self.save()

    def complete_lesson(self, lesson: str) -> None:
        """Mark a lesson as finished (once every one of its self-checks has been tried)."""
        self.data["lessons"].setdefault(lesson, {})["completed_at"] = _now()
        self.save()

    def attempted(self, check_id: str) -> bool:
        return self.data["checks"].get(check_id, {}).get("attempts", 0) > 0

    def passed(self, check_id: str) -> bool:
        return bool(self.data["checks"].get(check_id, {}).get("passed"))

    def summary(self) -> pd.DataFrame:
        """One row per lesson: self-checks attempted and passed, and whether it is complete."""
        import pandas as pd

        rows: dict[str, dict[str, Any]] = {}
        for entry in self.data["checks"].values():
            row = rows.setdefault(entry["lesson"], {"attempted": 0, "passed": 0})
            row["attempted"] += 1
            row["passed"] += int(entry["passed"])
        for lesson in self.data["lessons"]:
            rows.setdefault(lesson, {"attempted": 0, "passed": 0})
        table = pd.DataFrame(
            [{"lesson": lesson, **counts,
              "completed": "completed_at" in self.data["lessons"].get(lesson, {})}
             for lesson, counts in sorted(rows.items())],
            columns=["lesson", "attempted", "passed", "completed"],
        )
        return table
