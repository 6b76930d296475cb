"""Every benchmark runs in its quick form and reports sensible figures (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CHECKS = {
    "bench_synth.py": lambda f: f["naive"]["per_second"] > 0
    and f["core_10000"]["speed_up"] > 1,
    "bench_io.py": lambda f: f["csv"]["per_second"] > 0 and f["xlsx"]["per_second"] > 0
    and f["wide"]["outcome"] == "refused" and f["duplicates"]["recall"] == 1.0
    and f["duplicates"]["precision"] > 0.9,
    "bench_validate.py": lambda f: f["agree"] is True and f["speed_up"] > 1,
    "bench_share.py": lambda f: f["k_achieved"] >= 11 and f["pseudonyms_per_second"] > 0,
    "bench_grading.py": lambda f: f["identical_scores"] is True and f["submissions"] == 3
    and f["checks_compared"] == 3 * graded_cells(f["assignments"][0]),
}


def graded_cells(assignment: str) -> int:
    """How many graded cells (checks and written answers) the assignment's notebooks hold:
    the gradebook keeps a score for each, for every submission."""
    import nbformat

    source = Path(__file__).resolve().parents[1] / "exercises" / "source" / assignment
    return sum(1 for path in source.glob("*.ipynb")
               for cell in nbformat.read(path, as_version=4).cells
               if cell.metadata.get("nbgrader", {}).get("grade"))


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(CHECKS))
def test_the_benchmark_runs_quickly_and_reports_its_figures(repo, tmp_path, script):
    out = tmp_path / "figures.json"
    result = subprocess.run([sys.executable, str(repo / "benchmarks" / script), "--quick",
                             "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert any(word in result.stdout for word in ("records", "rows", "submissions"))
    assert CHECKS[script](json.loads(out.read_text()))


def test_every_benchmark_script_is_checked(repo):
    assert sorted(p.name for p in (repo / "benchmarks").glob("bench_*.py")) == sorted(CHECKS)
