"""``share``: run a purpose's steps on a table, and get a release that checked itself.

>>> import htcds_learn as hl
>>> release = share(hl.generate_core(400, seed=3), purpose="service-statistics")
>>> sorted(release.tables)[0], release.table is None
('ageBroad-by-gender', True)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .._util.files import neutralise_frame
from ..messages import text as message
from .cells import ProtectedTable
from .errors import refuse
from .keys import is_inside
from .ledger import Ledger
from .policy import RECORDS, get
from .pseudonyms import new_salt
from .report import ReleaseReport
from .steps import STEPS, Draft, Options, _fingerprint


def formula_safe(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe (the
    one writer's rule, ``_util.files.neutralise_frame``: the package's readers take it off).

    >>> formula_safe(pd.DataFrame({"x": ["=1+1", "ok", "+234 803", "-cmd|' /C calc'!A0"]}))[
    ...     "x"].tolist()
    ["'=1+1", 'ok', '+234 803', "'-cmd|' /C calc'!A0"]
    """
    return neutralise_frame(table)[0]


def _holds_only_a_release(folder: Path) -> bool:
    """Whether ``folder`` holds an earlier release and nothing else, so ``--force`` may
    replace it: a folder with other files (the case data, a key, someone's documents) never.
    """
    if not folder.is_dir():
        return False
    names = {p.name for p in folder.iterdir()}
    return "release-report.md" in names and all(
        p.is_file() and p.suffix in (".csv", ".md") for p in folder.iterdir())


@dataclass
class Release:
    """What a purpose made: a table of records (or none), protected tables, and the report.

    It unpacks as ``table, report``.
    """

    purpose: str
    table: pd.DataFrame | None
    tables: dict[str, ProtectedTable]
    report: ReleaseReport
    draft: Draft

    def __iter__(self) -> Iterator:
        return iter((self.table, self.report))

    def files(self) -> dict[str, str]:
        """File name -> text, as the release folder will hold them."""
        files = {}
        neutralised: dict[str, int] = {}
        if self.table is not None:
            name = "referral.csv" if self.purpose == "referral" else "shared.csv"
            safe, neutralised[name] = neutralise_frame(self.table)
            files[name] = safe.to_csv(index=False)
        for name, table in self.tables.items():
            published = table.published.astype(object).where(table.published.notna(), "")
            safe, neutralised[f"{name}.csv"] = neutralise_frame(
                published.rename_axis("").reset_index())
            files[f"{name}.csv"] = safe.to_csv(index=False)
        report = self.report.to_markdown()
        said = [message("io.write.neutralised", count=f"{count:,}", path=name)
                for name, count in neutralised.items() if count]
        if said:  # a spreadsheet would have run them: the recipient is told what changed
            report += "\n## Cells written as text\n\n" + "".join(f"- {s}\n" for s in said)
        files["release-report.md"] = report
        return files

    def record(self) -> str:
        """Record this release in its ledger (done by :meth:`write`); returns its id."""
        d = self.draft
        if d.options.ledger is None:
            return ""
        people, rows, cells = _fingerprint(d)
        return d.options.ledger.record(d.options.recipient, self.purpose, people, rows, cells,
                                       salt=d.options.salt if d.options.key else "",
                                       linkable=d.options.linkable,
                                       fields=list(self.table.columns) if self.table is not None
                                       else [])

    def write(self, folder: str | Path, *, force: bool = False) -> Path:
        """Write the release into a new folder, whole or not at all, then record it.

        The files are written into a temporary folder beside ``folder`` and renamed into
        place in one step; an existing folder is replaced only with ``force``.
        """
        folder = Path(folder)
        ledger = self.draft.options.ledger
        if ledger is not None and is_inside(ledger.path, folder):
            raise refuse("privacy.ledger_in_release", path=str(ledger.path))
        if folder.exists() and not force:
            raise refuse("privacy.release_folder_exists", folder=str(folder))
        if folder.exists() and not _holds_only_a_release(folder):
            raise refuse("privacy.folder_not_a_release", folder=str(folder))
        folder.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.",
                                          suffix=".tmp"))
        try:
            for name, text in self.files().items():
                with open(temporary / name, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(temporary, 0o755)
            if folder.exists():
                old = folder.with_name(f".{folder.name}.old")
                shutil.rmtree(old, ignore_errors=True)
                os.replace(folder, old)
                os.replace(temporary, folder)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.rename(temporary, folder)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        self.record()
        return folder


def share(table: pd.DataFrame, *, purpose: str = "research", k: int | None = None,
          l: int | None = None, key: bytes | None = None,  # noqa: E741
          recipient: str = "", linkable: str | None = None,
          ledger: Ledger | str | Path | None = None) -> Release:
    """Prepare ``table`` for sharing by the steps of ``purpose``; refuse if any check fails.

    ``k`` and ``l`` default to the purpose's. ``key`` adds keyed pseudonyms (salted for this
    release unless ``linkable`` gives the reason they must link across releases).
    ``recipient`` names who receives it (required for a referral). ``ledger`` (a
    :class:`Ledger` or its path) is checked for releases this one could be subtracted from.
    The input is never modified. Nothing is returned unless every check passed.
    """
    policy = get(purpose)
    k = policy.k if k is None else k
    l = policy.l if l is None else l  # noqa: E741
    if k < 1 or l < 1:
        raise refuse("privacy.bad_k_or_l")
    if linkable is not None and not linkable.strip():
        raise refuse("privacy.linkable_needs_reason")
    if linkable and key is None:
        raise refuse("privacy.linkable_needs_key")
    if isinstance(ledger, (str, Path)):
        ledger = Ledger(ledger)
    options = Options(k=k, l=l, key=key, recipient=" ".join(recipient.split()),
                      linkable=(linkable or "").strip(), ledger=ledger, salt=new_salt())
    draft = Draft(source=table, purpose=policy, options=options)
    for name in policy.steps:
        STEPS[name](draft)
    out = draft.table
    if out is not None:  # plain text columns: what a reader (and pandas' groupby) expects
        out = out.reset_index(drop=True).astype(object)
    facts = draft.facts
    report = ReleaseReport(
        purpose=policy.name, recipient=options.recipient,
        rows_in=facts.get("rows_in", len(table)),
        rows_without_consent=facts.get("rows_without_consent", 0),
        rows_suppressed=facts.get("rows_suppressed", 0),
        rows_out=len(out) if out is not None else len(draft.rows),
        removed_columns=facts.get("removed_columns", []),
        released_columns=draft.released() if out is not None else [],
        generalised=facts.get("generalised", {}), recoded=facts.get("recoded", {}),
        outside_picklist=facts.get("outside_picklist", {}), blanked=facts.get("blanked", {}),
        quasi_identifiers=facts.get("quasi_identifiers", []),
        sensitive=facts.get("sensitive", []), known_by=draft.known(),
        k_requested=k, k_achieved=facts.get("k_achieved", 0), l_requested=l,
        l_achieved=facts.get("l_achieved", {}), pseudonyms=facts.get("pseudonyms", "none"),
        linkable_reason=options.linkable, ledger=facts.get("ledger", "none"),
        steps=draft.log,
        tables={name: int(t.hidden.to_numpy().sum()) for name, t in draft.tables.items()},
        synthetic="synthetic" in table and bool(table["synthetic"].astype(bool).all()),
    )
    if policy.kind != RECORDS and out is not None and policy.name != "referral":
        out = None
    return Release(policy.name, out, draft.tables, report, draft)


def statistics_table(table: pd.DataFrame, *, rows: str = "ageBroad", columns: str = "gender",
                     k: int | None = None) -> ProtectedTable:
    """One protected table of counts, by the service-statistics purpose, in one call.

    What a donor or a report gets instead of records: consent checked, only the fields the
    table needs, counts and totals from 1 to k - 1 hidden, and more cells until no hidden
    count can be worked out. ``rows`` and ``columns`` are columns of that purpose: ageBroad,
    gender, citizenship, yearOfRegistration, exploitation.

    >>> import htcds_learn as hl
    >>> donor = statistics_table(hl.generate_core(500, seed=2), rows="ageBroad",
    ...                          columns="gender")
    >>> donor.narrowest() >= 11
    True
    """
    from dataclasses import replace

    from .policy import PURPOSES

    base = PURPOSES["service-statistics"]
    names = {c.name for c in base.columns}
    for name in (rows, columns):
        if name not in names:
            raise refuse("privacy.unknown_table_column", column=name,
                         columns=", ".join(sorted(names)))
    policy = replace(base, name="service-statistics", tables=((rows, columns),))
    draft = Draft(source=table, purpose=policy, options=Options(
        k=base.k if k is None else k, l=1))
    for name in ("consent", "minimise", "derive columns", "make tables", "check the tables"):
        STEPS[name](draft)
    return draft.tables[f"{rows}-by-{columns}"]
