"""The named steps a release is made of; a purpose lists the ones it runs, in order.

Each step reads and changes a :class:`Draft` and says in one sentence what it did; the
sentences become the release report's account of what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import standard
from .cells import ProtectedTable, protect_table
from .coded import as_categories, distinct_values, per_distinct, sort_order
from .columns import vocabulary_problems
from .consent import CONSENT, REFERRAL_CONSENT, with_consent, with_consent_to_refer
from .ctdc import CTDC_MEANS, CTDC_TYPES, RESTRICTS_MOVEMENT, to_ctdc
from .errors import refuse
from .ledger import Ledger, content_counts
from .policy import RECORDS, TABLES, Purpose
from .pseudonyms import pseudonyms_of
from .recode import recode_globally
from .risk import class_ids, class_sizes, l_of_classes
from .roles import DIRECT, FREE_TEXT, role
from .suppression import suppress_to_k
from .threats import CONTROL, DATES, DEMOGRAPHICS, EXPLOITATION, PLACES

NOT_RECORDED = "(not recorded)"
IDENTIFYING = ("prs_FirstName", "prs_SecondName", "prs_Email", "prs_MobilePhone",
               "prs_HomePhone", "prs_IdentityNumber", "prs_Birthdate", "prs_MailingStreet",
               "case_id", "person_id")


@dataclass
class Options:
    k: int
    l: int  # noqa: E741
    key: bytes | None = None
    recipient: str = ""
    linkable: str = ""  # the reason, when pseudonyms must link across releases
    ledger: Ledger | None = None
    salt: str = ""


@dataclass
class Draft:
    source: pd.DataFrame
    purpose: Purpose
    options: Options
    rows: pd.DataFrame = None  # type: ignore[assignment]
    values: dict[str, pd.Series] = field(default_factory=dict)
    table: pd.DataFrame | None = None
    tables: dict[str, ProtectedTable] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)

    def say(self, step: str, what: str) -> None:
        self.log.append((step, what))

    def released(self) -> list[str]:
        return [c for c in (self.table.columns if self.table is not None else [])
                if c != "pseudonym"]

    def column_kinds(self) -> dict[str, str]:
        kinds = {c.name: c.kind for c in self.purpose.columns}
        if self.purpose.layout == "ctdc":
            kinds.update({name: CONTROL for name in [*CTDC_MEANS.values(), RESTRICTS_MOVEMENT]})
            kinds.update(dict.fromkeys(CTDC_TYPES, EXPLOITATION))
            kinds.update(yearOfRegistration=DATES, gender=DEMOGRAPHICS, ageBroad=DEMOGRAPHICS,
                         citizenship=DEMOGRAPHICS, CountryOfExploitation=PLACES)
        return kinds

    def known(self) -> dict[str, list[str]]:
        """Adversary id -> the released columns they can know."""
        kinds = self.column_kinds()
        pairs = [(name, kinds.get(name, "")) for name in self.released()]
        return {a.id: a.known(pairs) for a in self.purpose.adversaries}

    def people(self) -> pd.Series:
        index = self.table.index if self.table is not None else self.rows.index
        source = self.source.loc[index]
        ids = [c for c in ("case_id", "person_id") if c in source]
        if not ids:
            return pd.Series([str(i) for i in index], index=index)
        joined = source[ids[0]].astype(str)
        for column in ids[1:]:
            joined = joined + "|" + source[column].astype(str)
        return joined


Step = Callable[[Draft], None]
STEPS: dict[str, Step] = {}


def step(name: str) -> Callable[[Step], Step]:
    def register(function: Step) -> Step:
        STEPS[name] = function
        return function
    return register


def _consented_rows(d: Draft, given: pd.Series) -> pd.DataFrame:
    """The consented rows, in the columns a later step may read: copying the rows of every
    column of a wide table costs far more (0.6 s of 41 columns on 1M rows) than of these."""
    readable = set(d.purpose.fields) | {CONSENT, REFERRAL_CONSENT, "cas_ReferredOrganisation"}
    return d.source[[c for c in d.source.columns if c in readable]][given]  # faster than .loc


@step("consent")
def _consent(d: Draft) -> None:
    given = with_consent(d.source)
    d.rows = _consented_rows(d, given)
    d.facts.update(rows_in=len(d.source), rows_without_consent=int((~given).sum()))
    d.say("consent", f"{int((~given).sum()):,} of {len(d.source):,} records left out: consent "
                     "not recorded as given.")


@step("consent to refer")
def _consent_to_refer(d: Draft) -> None:
    given = with_consent_to_refer(d.source)
    d.rows = _consented_rows(d, given)
    d.facts.update(rows_in=len(d.source), rows_without_consent=int((~given).sum()))
    d.say("consent to refer", f"{int((~given).sum()):,} of {len(d.source):,} records left "
                              f"out: no consent, or no consent to be referred "
                              f"({REFERRAL_CONSENT}).")


@step("select the recipient's cases")
def _recipient_cases(d: Draft) -> None:
    recipient = " ".join(d.options.recipient.split())
    if not recipient:
        raise refuse("privacy.referral_needs_recipient")
    if "cas_ReferredOrganisation" not in d.rows:
        raise refuse("privacy.no_referred_organisation")
    names = d.rows["cas_ReferredOrganisation"].fillna("").astype(str).str.split().str.join(" ")
    chosen = names.str.casefold() == recipient.casefold()
    if not chosen.any():
        hint = standard.suggest(recipient, sorted(set(names) - {""}))
        raise refuse("privacy.no_cases_for_recipient", recipient=recipient, suggestion=hint)
    d.rows = d.rows[chosen]
    d.say("select the recipient's cases", f"{int(chosen.sum()):,} people referred to "
                                          f"{recipient} with their consent.")


@step("minimise")
def _minimise(d: Draft) -> None:
    keep = [c for c in d.rows.columns if c in d.purpose.fields]
    removed = sorted(set(d.source.columns) - set(keep))
    d.rows = d.rows[keep]
    d.facts["removed_columns"] = removed
    d.say("minimise", f"kept {len(keep)} of {len(d.source.columns)} columns; removed "
                      f"{len(removed)}, identifiers and free text among them.")


@step("derive columns")
def _derive(d: Draft) -> None:
    outside, made, missing = {}, {}, []
    # Several columns read the same source (dates, countries): hash each source column once.
    rows = as_categories(d.rows, sorted({s for c in d.purpose.columns for s in c.sources}))
    for column in d.purpose.columns:
        if not column.available(rows):
            missing.append(column.name)
            continue
        values, count = column.derive(rows, d.options.k)
        d.values[column.name] = values
        made[column.name] = column.description
        if count:
            outside[column.name] = count
    if not d.values:
        raise refuse("privacy.no_columns", purpose=d.purpose.name,
                     fields=", ".join(sorted({s for c in d.purpose.columns for s in c.sources})))
    d.facts.update(generalised=made, outside_picklist=outside, missing_columns=missing)
    d.say("derive columns", f"made {len(made)} columns; {sum(outside.values()):,} values "
                            "outside their picklist blanked (free text cannot leave).")


@step("recode rare values")
def _recode(d: Draft) -> None:
    if not d.purpose.recode:
        return
    columns = {c.name: c for c in d.purpose.columns if c.name in d.values}
    recoded, chosen = recode_globally(d.values, columns, d.options.k)
    d.values.update(recoded)
    d.facts["recoded"] = chosen
    d.say("recode rare values", "coarsened " + (", ".join(f"{c} to {how}" for c, how in
                                                          chosen.items()) or "nothing") + ".")


@step("suppress to k and l")
def _suppress(d: Draft) -> None:
    table = pd.DataFrame(d.values)
    d.table = table
    known = d.known()
    quasi = sorted({c for cols in known.values() for c in cols}, key=list(table).index)
    narrowest = min(known.values(), key=len) if known else []
    sensitive = [c for c in table.columns if c not in narrowest]
    multiselect = {c.name for c in d.purpose.columns if c.multiselect}
    safe, log = suppress_to_k(table, quasi, d.options.k, sensitive=sensitive or None,
                              l=d.options.l, l_quasi_identifiers=narrowest,
                              multiselect=multiselect)
    d.table = safe
    removed = log.pop("rows removed")
    d.facts.update(blanked=log, rows_suppressed=removed, quasi_identifiers=quasi,
                   sensitive=sensitive if d.options.l > 1 else [])
    d.say("suppress to k and l", f"blanked {sum(log.values()):,} values and removed "
                                 f"{removed:,} records to reach k = {d.options.k}"
                                 + (f" and l = {d.options.l}" if d.options.l > 1 else "") + ".")


@step("CTDC layout")
def _ctdc(d: Draft) -> None:
    index = d.table.index
    d.table = to_ctdc(d.table).set_axis(index)
    d.say("CTDC layout", f"wrote CTDC's {len(d.table.columns)} columns (flags as 1 or blank).")


@step("order rows")
def _order(d: Draft) -> None:
    if d.table is None:  # a referral: the packet's columns
        packet = [c for c in d.purpose.fields if c in d.rows and c not in (
            "con_Consent", REFERRAL_CONSENT, "cas_ReferredOrganisation")]
        d.table = d.rows[packet].copy()
    d.table = d.table.iloc[sort_order(d.table, list(d.table.columns))]
    d.say("order rows", "sorted the rows by their content: row order tells nothing about "
                        "when or in which order people were registered.")


@step("pseudonyms")
def _pseudonyms(d: Draft) -> None:
    if d.options.key is None:
        d.facts["pseudonyms"] = "none"
        return
    people = [str(p).strip() for p in d.people()]
    if d.options.linkable:
        salt = "linkable:" + d.options.recipient
        d.facts["pseudonyms"] = "linkable"
        what = ("pseudonyms that link across releases to this recipient, as asked: "
                + d.options.linkable)
    else:
        salt = d.options.salt
        d.facts["pseudonyms"] = "salted"
        what = "pseudonyms salted for this release only: they link to no other release."
    d.table.insert(0, "pseudonym", pseudonyms_of(people, d.options.key, salt=salt))
    d.say("pseudonyms", what)


def _identifying_found(source: pd.DataFrame, shared: set[str]) -> list[str]:
    """The identifier columns of ``source`` that share a value with the release."""
    candidates = {v for v in shared if len(v) >= 4}
    # The release's few distinct values make a set; each source value is looked up in it
    # once, and the search stops at the first one found (no copy, no hash table per column).
    return [c for c in IDENTIFYING if c in source and candidates
            and not candidates.isdisjoint(source[c].to_numpy())]


def _fingerprint(d: Draft) -> tuple[set[str], dict[str, int], dict[str, dict[str, int]]]:
    ledger = d.options.ledger
    assert ledger is not None
    people = ledger.person_digests(d.people() if d.table is not None or d.rows is not None
                                   else pd.Series([], dtype=object))
    rows = content_counts(d.table) if d.table is not None and d.purpose.kind == RECORDS else {}
    cells = {name: {f"{r}|{c}": int(t.published.loc[r, c])
                    for r in t.published.index for c in t.published.columns
                    if pd.notna(t.published.loc[r, c])} for name, t in d.tables.items()}
    return people, rows, cells


@step("check the ledger")
def _check_ledger(d: Draft) -> None:
    if d.options.ledger is None:
        d.facts["ledger"] = "none"
        return
    if d.purpose.kind == TABLES:
        d.rows = d.rows  # the people counted are every consented row
    people, rows, cells = _fingerprint(d)
    problems = d.options.ledger.differences(d.options.recipient, d.purpose.name, people, rows,
                                            cells, k=d.options.k)
    if problems:
        raise refuse("privacy.differencing", recipient=d.options.recipient or "(no name)",
                     k=d.options.k, problems="; ".join(problems[:3]))
    d.facts["ledger"] = "checked"
    d.say("check the ledger", "compared with earlier releases to the same recipient: no "
                              f"difference isolates fewer than {d.options.k} people.")


@step("make tables")
def _tables(d: Draft) -> None:
    for rows, columns in d.purpose.tables:
        if rows not in d.values or columns not in d.values:
            continue
        counts = pd.crosstab(per_distinct(d.values[rows], lambda v: v or NOT_RECORDED),
                             per_distinct(d.values[columns], lambda v: v or NOT_RECORDED))
        d.tables[f"{rows}-by-{columns}"] = protect_table(counts, threshold=d.options.k)
    hidden = sum(int(t.hidden.to_numpy().sum()) for t in d.tables.values())
    d.say("make tables", f"made {len(d.tables)} tables; hid {hidden} counts so that no count "
                         f"from 1 to {d.options.k - 1} can be read or worked out.")


@step("check the tables")
def _check_tables(d: Draft) -> None:
    problems = []
    for name, table in d.tables.items():
        visible = table.published.to_numpy(dtype=float, na_value=float("nan"))
        small = ((visible > 0) & (visible < d.options.k)).sum()
        if small:
            problems.append(f"{name}: {small} small counts visible")
        if table.narrowest() < table.protection:
            problems.append(f"{name}: a hidden count can be narrowed to "
                            f"{table.narrowest():.0f}")
    if not d.tables:
        problems.append("no table could be made")
    if problems:
        raise refuse("privacy.release_failed", problems="; ".join(problems))
    d.facts["tables_checked"] = True


@step("check the referral")
def _check_referral(d: Draft) -> None:
    problems = []
    if d.table is None or not len(d.table):
        problems.append("nobody to refer")
    elif set(d.table.columns) - set(d.purpose.fields):
        problems.append("columns the partner does not need")
    if problems:
        raise refuse("privacy.release_failed", problems="; ".join(problems))
    d.facts.update(k_achieved=0, fields=list(d.table.columns))


@step("check the release")
def _check_release(d: Draft) -> None:
    """The release's own checks, on the final file. Any failure stops it."""
    table, problems = d.table, []
    released = d.released()
    if table is None or not len(table):
        raise refuse("privacy.release_failed", problems="no record is left to share")
    k = int(class_sizes(table, released).min())
    if k < d.options.k:
        problems.append(f"k over every released column is {k}, below {d.options.k}")
    l_found: dict[str, int] = {}
    if d.options.l > 1:
        multiselect = {c.name for c in d.purpose.columns if c.multiselect}
        for adversary, known in d.known().items():
            ids = class_ids(table, known)  # the adversary's classes, formed once
            for column in (c for c in released if c not in known):
                value = l_of_classes(ids, table, column, multiselect=multiselect)
                l_found[column] = min(l_found.get(column, value), value)
                if 0 < value < d.options.l:
                    problems.append(f"l of {column} for the {adversary} is {value}")
    columns = {c.name: c for c in d.purpose.columns}
    if d.purpose.layout == "ctdc":
        flags = [c for c in table.columns if c.startswith(("meansOfControl", "is"))]
        odd = int((~table[flags].isin(["1", ""])).to_numpy().sum())
        bad = vocabulary_problems(table, {n: c for n, c in columns.items()
                                          if n in ("ageBroad", "citizenship", "yearOfRegistration",
                                                   "CountryOfExploitation")})
        if odd:
            bad["flags"] = odd
    else:
        bad = vocabulary_problems(table, columns)
    unknown = [c for c in released if c not in d.column_kinds()]
    if bad:
        problems.append("values outside their column's list: " + ", ".join(
            f"{c} ({n})" for c, n in bad.items()))
    if unknown:
        problems.append("columns no policy accounts for: " + ", ".join(unknown))
    if [c for c in table.columns if role(c) in (DIRECT, FREE_TEXT)]:
        problems.append("direct identifiers or free text in the output")
    found = _identifying_found(d.source, distinct_values(table, released))
    if found:
        problems.append("values of " + ", ".join(found) + " in the output")
    if problems:
        raise refuse("privacy.release_failed", problems="; ".join(problems))
    d.facts.update(k_achieved=k, l_achieved=l_found)
    d.say("check the release", f"checked the final file: k = {k} over all "
                               f"{len(released)} released columns"
                               + (", l = " + ", ".join(f"{c} {v}" for c, v in l_found.items())
                                  if l_found else "")
                               + "; every value is one its column may hold.")


