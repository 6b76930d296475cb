"""The library's floor plan: every import points down a floor, and nothing imports in a circle.

Floors, from the ground up (docs/architecture.md draws them):

    _util, _version, messages  <  errors  <  standard  <  model  <  synth, io  <  validation
    <  privacy  <  learn  <  course  <  cli  <  the front door (htcds_learn/__init__.py)

A module may import its own package's modules and anything on a lower floor; rooms on the same
floor (synth and io) do not import each other. Imports inside functions count too: a lazy import
that climbs is still a climb. This is walked from the source with ``ast``, so it sees every
import, whether or not it runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "htcds_learn"

FLOORS: dict[str, int] = {
    "_util": 0, "_version": 0, "messages": 0,
    "errors": 1,
    "standard": 2,
    "model": 3,
    "synth": 4, "io": 4,
    "validation": 5,
    "privacy": 6,
    "learn": 7,
    "course": 8,
    "cli": 9,
    "": 10,  # the front door
}


def modules() -> dict[str, Path]:
    """Dotted module name (below htcds_learn) -> file."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def room(module: str) -> str:
    """The top-level room a module lives in ('' for the front door)."""
    return module.split(".")[0] if module else ""


def imports_of(module: str, path: Path) -> set[str]:
    """Every htcds_learn module this file imports (as dotted names below htcds_learn)."""
    is_package = path.name == "__init__.py"
    here = module.split(".") if module else []
    package = here if is_package else here[:-1]
    known = modules()
    targets: set[str] = set()

    def add(name: str, imported: list[str]) -> None:
        for item in imported:  # "from X import y": y may be a module of X
            candidate = f"{name}.{item}" if name else item
            if candidate in known:
                targets.add(candidate)
                break
        else:
            if name in known:
                targets.add(name)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "htcds_learn" or alias.name.startswith("htcds_learn."):
                    targets.add(alias.name.removeprefix("htcds_learn").lstrip("."))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            elif node.module and (node.module == "htcds_learn"
                                  or node.module.startswith("htcds_learn.")):
                name = node.module.removeprefix("htcds_learn").lstrip(".")
            else:
                continue
            for alias in node.names:
                add(name, [alias.name])
    return targets


def graph() -> dict[str, set[str]]:
    return {name: imports_of(name, path) for name, path in modules().items()}


def test_every_room_has_a_floor():
    rooms = {room(name) for name in modules()}
    assert rooms <= set(FLOORS), f"rooms without a floor: {sorted(rooms - set(FLOORS))}"


def test_no_import_points_up_or_across():
    climbs = []
    for source, targets in graph().items():
        for target in targets:
            a, b = room(source), room(target)
            if a == b:
                continue
            if FLOORS[b] >= FLOORS[a]:
                climbs.append(f"{source or 'htcds_learn'} -> {target or 'htcds_learn'}")
    assert not climbs, "imports that point up a floor or across:\n" + "\n".join(sorted(climbs))


def test_no_module_imports_in_a_circle():
    edges = {source: {t for t in targets if t != source} for source, targets in graph().items()}
    state: dict[str, str] = {}  # "open" while on the stack, "done" after
    cycle: list[str] = []

    def visit(node: str, stack: list[str]) -> bool:
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                cycle.extend(stack[stack.index(nxt):] + [nxt])
                return True
            if nxt not in state and visit(nxt, stack + [nxt]):
                return True
        state[node] = "done"
        return False

    for node in sorted(edges):
        if node not in state and visit(node, [node]):
            break
    assert not cycle, "an import circle: " + " -> ".join(m or "htcds_learn" for m in cycle)


@pytest.mark.parametrize("source, target, allowed", [
    ("validation.engines", "model.schema", True),
    ("model.schema", "validation.engines", False),
    ("synth.generator", "io.readers", False),
    ("cli.share", "privacy", True),
])
def test_the_contract_itself_tells_up_from_down(source, target, allowed):
    """The rule the two tests above apply, on pairs whose answer is known."""
    a, b = room(source), room(target)
    assert (a == b or FLOORS[b] < FLOORS[a]) is allowed
