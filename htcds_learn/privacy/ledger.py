"""The release ledger: what went to whom, and a guard against releases that difference.

A partner keeps every release it is sent. If this month's release is last month's plus one
new case, subtracting one from the other shows that case with all its values, however
k-anonymous each release is alone. The ledger remembers, per recipient, who was in each
release (as keyed digests, never identifiers) and how many rows of each content it held (or
each visible count of each table). A new release to the same recipient that shares people with
an earlier one is refused when any content (or visible count) changed by 1 to k - 1 people.
A release of different people (a new year's cases, say) is never refused.

The ledger is the organisation's own record: keep it with the key, never with a release. It
also keeps each release's pseudonym salt, so the key holder can find a case from a pseudonym.

>>> import tempfile, pathlib
>>> ledger = Ledger(pathlib.Path(tempfile.mkdtemp()) / "ledger.json")
>>> ledger.differences("partner", "research", {"a", "b"}, {"row-x": 11}, {}, k=11)
[]
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._util.files import write_json_atomically
from .errors import refuse


def default_path() -> Path:
    """``release-ledger.json`` in the package's home folder (HTCDS_LEARN_HOME or ~/.htcds-learn)."""
    home = Path(os.environ.get("HTCDS_LEARN_HOME") or Path.home() / ".htcds-learn")
    return home / "release-ledger.json"


def content_counts(table: pd.DataFrame, *, skip: tuple[str, ...] = ("pseudonym",)
                   ) -> dict[str, int]:
    """Digest of each distinct row's content -> how many rows have it."""
    from .risk import class_ids

    columns = [c for c in table.columns if c not in skip]
    if not len(table) or not columns:
        return {}
    ids = class_ids(table, columns)
    sizes = np.bincount(ids)
    first = np.full(len(sizes), -1, dtype=np.int64)
    first[ids[::-1]] = np.arange(len(ids))[::-1]
    rows = table[columns].iloc[first].astype(str).itertuples(index=False, name=None)
    return {hashlib.sha256("\x1f".join(row).encode("utf-8")).hexdigest()[:24]: int(n)
            for row, n in zip(rows, sizes)}


class Ledger:
    """A JSON file of releases, read on creation and written whole on each record."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.exists():
            try:
                self.data = json.loads(self.path.read_text(encoding="utf-8"))
                self.data["secret"] and self.data["releases"]  # noqa: B018 - both must exist
            except (ValueError, KeyError, TypeError):
                raise refuse("privacy.ledger_unreadable", path=str(self.path)) from None
        else:
            self.data = {"about": "htcds-learn release ledger: keep it with the key, never "
                                  "with a release.", "secret": secrets.token_hex(32),
                         "releases": []}

    def person_digests(self, people: pd.Series) -> set[str]:
        """Keyed digests of person identifiers (the ledger holds no identifier itself)."""
        key = bytes.fromhex(self.data["secret"])
        return {hmac.new(key, str(p).encode("utf-8"), hashlib.sha256).hexdigest()[:24]
                for p in people}

    def earlier(self, recipient: str, purpose: str) -> list[dict[str, Any]]:
        return [r for r in self.data["releases"]
                if r["recipient"] == recipient and r["purpose"] == purpose]

    def differences(self, recipient: str, purpose: str, people: set[str],
                    rows: dict[str, int], cells: dict[str, dict[str, int]], *, k: int
                    ) -> list[str]:
        """Why a new release would isolate fewer than ``k`` people by difference ([] if not)."""
        problems = []
        for old in self.earlier(recipient, purpose):
            shared = people & set(old["people"])
            if not shared or (people == set(old["people"]) and rows == old["rows"]
                              and cells == old["cells"]):
                continue
            for content in set(rows) | set(old["rows"]):
                change = abs(rows.get(content, 0) - old["rows"].get(content, 0))
                if 0 < change < k:
                    problems.append(f"release {old['id'][:8]} of {old['date'][:10]}: "
                                    f"{change} row(s) differ")
                    break
            for name in set(cells) & set(old["cells"]):
                for cell in set(cells[name]) & set(old["cells"][name]):
                    change = abs(cells[name][cell] - old["cells"][name][cell])
                    if 0 < change < k:
                        problems.append(f"release {old['id'][:8]} of {old['date'][:10]}: "
                                        f"the count {name} {cell} differs by {change}")
                        break
        return problems

    def record(self, recipient: str, purpose: str, people: set[str], rows: dict[str, int],
               cells: dict[str, dict[str, int]], *, salt: str = "", linkable: str = "",
               fields: list[str] | None = None) -> str:
        """Add a release and write the ledger; returns the release's id."""
        release_id = uuid.uuid4().hex
        self.data["releases"].append({
            "id": release_id, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "recipient": recipient, "purpose": purpose, "people": sorted(people),
            "rows": rows, "cells": cells, "salt": salt, "linkable": linkable,
            "fields": fields or []})
        write_json_atomically(self.path, self.data)
        os.chmod(self.path, 0o600)
        return release_id
