"""The rule registry: every validation rule is one object, registered once.

A rule (compare pandera's registered checks and frictionless's check classes) carries:

* its code, severity, and whether a safe fix always exists; its title, reason, sentence and
  hint are in the message catalogue under ``rule.<code>.*`` (``messages/en.json``);
* ``fast(table)``: its check over whole columns (the fast engine);
* ``reference(table)``: the same check one record at a time (the reference engine), written
  plainly so that it is easy to trust; the two must agree;
* or, for a rule about the columns themselves, ``header(table)`` (both engines share it);
* optionally ``cases(cases)``: its check across the tables of case documents;
* optionally ``fix(field, cell, value)``: a safe fix;
* optionally flaw injectors (methods marked with :func:`flaw`) that make the mistake on purpose,
  for lessons;
* ``examples``: small tables (lists of rows) on which it fires, tried by the tests.

Each engine is one loop over :data:`RULES`; ``validation/rules/`` holds the rules by family.

>>> RULES["not-allowed-value"].severity, RULES["not-allowed-value"].title
('error', 'Value not in the picklist')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

import numpy as np

from ..messages import Message, has, text

if TYPE_CHECKING:
    import pandas as pd

    from ..standard import Field
    from .context import CaseSet, FastTable, ReferenceTable
    from .finding import Finding

Severity = Literal["error", "warning"]
Change = tuple[str, str, str]  # (field, original value, injected value)
ENGINE_METHODS = ("fast", "reference", "header", "cases")


class Rule:
    """The base of every validation rule (see the module's documentation)."""

    code: ClassVar[str] = ""
    severity: ClassVar[Severity] = "error"
    fixable: ClassVar[bool] = False  # a safe fix always exists
    examples: ClassVar[tuple[list[dict[str, str]], ...]] = ()

    def __init__(self, code: str | None = None, severity: Severity | None = None, *,
                 fixable: bool | None = None, examples: Iterable[list[dict[str, str]]] = (),
                 flaws: Iterable[Callable[..., Any]] = ()) -> None:
        # Parametrised rules (one class, several codes) set these per instance.
        if code is not None:
            self.code = code  # type: ignore[misc]
        if severity is not None:
            self.severity = severity  # type: ignore[misc]
        if fixable is not None:
            self.fixable = fixable  # type: ignore[misc]
        if examples:
            self.examples = tuple(examples)  # type: ignore[misc]
        self.extra_flaws = tuple(flaws)

    # --- words, from the catalogue ------------------------------------------------------------
    @property
    def title(self) -> str:
        return text(f"rule.{self.code}.title")

    @property
    def why(self) -> str:
        return text(f"rule.{self.code}.why")

    @property
    def template(self) -> str:
        """The sentence of a finding, with ``{value}`` and ``{hint}`` to fill in."""
        from ..messages import template

        return template(f"rule.{self.code}.template")

    @property
    def hint(self) -> Message | None:
        """What to do about a finding, when the finding brings no hint of its own."""
        hint_id = f"rule.{self.code}.hint"
        return Message(hint_id) if has(hint_id) else None

    # --- engines ------------------------------------------------------------------------------
    def fast(self, table: FastTable) -> Iterable[Finding]:
        raise NotImplementedError

    def reference(self, table: ReferenceTable) -> Iterable[Finding]:
        raise NotImplementedError

    def header(self, text: pd.DataFrame) -> Iterable[Finding]:
        raise NotImplementedError

    def cases(self, cases: CaseSet) -> Iterable[Finding]:
        raise NotImplementedError

    def fix(self, field: Field | None, cell: str, value: str) -> str | None:
        """The cell with this finding's ``value`` safely fixed, or None (see ``has_fix``)."""
        raise NotImplementedError

    @property
    def has_fix(self) -> bool:
        """Whether ``fix_table`` may try this rule's safe fix."""
        return self.implements("fix")

    def implements(self, method: str) -> bool:
        """Whether this rule has its own ``method`` ("fast", "reference", "header", "cases")."""
        return getattr(type(self), method) is not getattr(Rule, method)

    @property
    def engines(self) -> tuple[str, ...]:
        return tuple(m for m in ENGINE_METHODS if self.implements(m))

    def __repr__(self) -> str:
        return f"<rule {self.code} ({self.severity})>"


RULES: dict[str, Rule] = {}


def missing_engines(rules: Iterable[Rule]) -> list[str]:
    """What is missing for each rule to run: a rule about rows needs both a fast and a
    reference check (they are tested against each other); any rule needs some check."""
    problems = []
    for rule in rules:
        has = set(rule.engines)
        if {"fast", "reference"} & has and not {"fast", "reference"} <= has:
            one, other = ("fast", "reference") if "fast" in has else ("reference", "fast")
            problems.append(f"{rule.code}: has {one} but no {other} check")
        elif not has:
            problems.append(f"{rule.code}: has no check at all")
    return problems


@dataclass(frozen=True)
class Flaw:
    """A mistake lessons make on purpose, and the rule that should find it ("" if none can)."""

    kind: str
    rule: str
    inject: Callable[[FlawSite], Change | None]


FLAWS: dict[str, Flaw] = {}


def flaw(kind: str) -> Callable[[Callable[[FlawSite], Change | None]],
                                Callable[[FlawSite], Change | None]]:
    """Mark a function (a rule's method or a plain function) as the injector of flaw ``kind``."""
    def mark(function: Callable[[FlawSite], Change | None]
             ) -> Callable[[FlawSite], Change | None]:
        function.flaw_kind = kind  # type: ignore[attr-defined]
        return function
    return mark


RuleOrClass = TypeVar("RuleOrClass", Rule, type[Rule])


def register(rule: RuleOrClass) -> RuleOrClass:
    """Add a rule (an instance, or a class to instantiate) and its flaws to the registry.

    Use it as a class decorator, or call it with an instance of a parametrised rule.
    """
    instance: Rule = rule() if isinstance(rule, type) else rule
    if not instance.code or instance.code in RULES:
        raise ValueError(f"a rule needs a new code, not {instance.code!r}")
    RULES[instance.code] = instance
    injectors: list[Any] = [getattr(type(instance), name) for name in dir(type(instance))]
    for injector in [*injectors, *instance.extra_flaws]:
        kind = getattr(injector, "flaw_kind", None)
        if kind is not None:
            register_flaw(Flaw(kind, instance.code, injector))
    return rule


def register_flaw(item: Flaw) -> None:
    if item.kind in FLAWS:
        raise ValueError(f"the flaw {item.kind!r} is registered twice")
    FLAWS[item.kind] = item


class FlawSite:
    """One row of a table being damaged: what an injector reads and changes."""

    def __init__(self, dirty: pd.DataFrame, position: int, columns: set[str],
                 rng: np.random.Generator) -> None:
        self.dirty = dirty
        self.position = position
        self.columns = columns
        self.rng = rng
        self.partner: int | None = None  # the row a duplicate was made from (its position)

    def has(self, *columns: str) -> bool:
        return set(columns) <= self.columns

    def cell(self, column: str) -> str:
        return self.dirty.at[self.position, column]

    def put(self, column: str, value: str) -> Change:
        original = self.cell(column)
        self.dirty.at[self.position, column] = value
        return column, original, value

    def choose(self, options: list[str]) -> str:
        return options[int(self.rng.integers(len(options)))]
