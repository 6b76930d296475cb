"""Every benchmark runs in its quick form and reports sensible figures (no timing asserted);
the shared harness interleaves its contenders and counts only those that agree."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def agreed(figures: dict) -> bool:
    """Every contender we ship (peers aside) agreed and was timed in every round."""
    return all(c["agree"] is True and c["rounds"] == 2 for name, c in figures.items()
               if "ours" in name or name in ("reference engine", "naive Faker loop",
                                             "pandas groupby", "stdlib hmac loop"))


CHECKS = {
    "bench_synth.py": lambda f: f["naive"]["per_second"] > 0 and f["speed_up"] > 1
    and agreed(f["contenders"]),
    "bench_validate.py": lambda f: f["agree"] is True and f["speed_up"] > 1
    and agreed(f["contenders"]),
    "bench_share.py": lambda f: f["k_achieved"] >= 11 and f["pseudonyms_per_second"] > 0
    and agreed(f["k_and_l"]) and agreed(f["pseudonyms"]),
    "bench_io.py": lambda f: f["csv"]["per_second"] > 0 and f["xlsx"]["per_second"] > 0
    and f["wide"]["outcome"] == "refused" and f["duplicates"]["recall"] == 1.0
    and f["duplicates"]["precision"] > 0.9,
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
@pytest.mark.parametrize("script", [pytest.param(s, marks=pytest.mark.long(seconds=113))
                                    if s == "bench_grading.py" else s for s in sorted(CHECKS)])
def test_the_benchmark_runs_quickly_and_reports_its_figures(repo, tmp_path, script):
    out = tmp_path / "figures.json"
    result = subprocess.run([sys.executable, str(repo / "benchmarks" / script), "--quick",
                             "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert any(word in result.stdout for word in ("records", "rows", "submissions"))
    assert CHECKS[script](json.loads(out.read_text()))


def test_every_benchmark_script_is_checked(repo):
    assert sorted(p.name for p in (repo / "benchmarks").glob("bench_*.py")) == sorted(CHECKS)


@pytest.fixture
def harness(repo, monkeypatch):
    spec = importlib.util.spec_from_file_location("_harness", repo / "benchmarks" /
                                                  "_harness.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "_harness", module)  # dataclasses look it up there
    spec.loader.exec_module(module)
    return module


def test_contenders_run_interleaved_and_ratios_are_taken_within_each_round(harness, capsys):
    order: list[str] = []
    contenders = [harness.Contender(name, lambda name=name: order.append(name) or 42, rows)
                  for name, rows in (("plain", 10), ("ours", 100), ("peer", 100))]
    result = harness.compare(contenders, rounds=3, baseline="plain")
    # Each round runs everyone once, and the first to run rotates.
    assert order == ["plain", "ours", "peer", "ours", "peer", "plain", "peer", "plain", "ours"]
    t = result.timings
    assert result.ratios["ours"] == [(100 / ours) / (10 / plain)
                                     for ours, plain in zip(t["ours"].wall, t["plain"].wall)]
    assert "3 interleaved rounds" in capsys.readouterr().out
    figures = result.figures()
    assert figures["ours"]["rounds"] == 3 and figures["ours"]["wall_min"] <= figures["ours"][
        "wall_median"]


def test_a_peer_that_disagrees_or_fails_is_named_and_not_timed(harness, capsys):
    def broken() -> int:
        raise ValueError("cannot read this table")

    result = harness.compare([
        harness.Contender("plain", lambda: 1, 1),
        harness.Contender("wrong", lambda: 2, 1, check=lambda r: r == 1 or "gave 2"),
        harness.Contender("broken", broken, 1),
    ], rounds=3, baseline="plain")
    assert result.agree == {"plain": True, "wrong": "gave 2",
                            "broken": "failed: ValueError: cannot read this table"}
    assert result.timings["wrong"].wall == [] and "wrong" not in result.ratios
    out = capsys.readouterr().out
    assert "not counted: gave 2" in out and "not counted: failed: ValueError" in out


def test_a_missing_peer_is_named_with_how_to_install_it(harness, capsys):
    assert harness.peer("no_such_peer_library_here") is None
    out = capsys.readouterr().out
    assert "no_such_peer_library_here: not installed" in out and "[peers]" in out
    module, version = harness.peer("json")
    assert module is json


def test_a_child_reports_its_own_peak_memory_not_its_big_parents(harness, repo):
    """``--scale`` runs each size in a child process; Linux carries ``ru_maxrss`` across exec,
    so the child must read its own high-water mark, or every size shows the parent's peak."""
    ballast = b"\x01" * (300 << 20)  # written, so resident: the parent is 300 MiB bigger
    child = subprocess.run(
        [sys.executable, "-c", "import _harness; print(_harness.peak_mib())"],
        cwd=repo / "benchmarks", capture_output=True, text=True, check=True)
    assert harness.peak_mib() > 300
    assert float(child.stdout) < 150, child.stdout  # a bare Python, whatever the parent holds
    del ballast


def test_scale_names_a_size_it_does_not_run_and_why(harness, capsys):
    found = harness.scale("not-started.py", sizes=(2_000_000,),
                          skip=lambda n: "over the reader's limit" if n > 1_048_576 else "")
    assert found == [{"rows": 2_000_000, "skipped": "over the reader's limit"}]
    assert "2,000,000 not run: over the reader's limit" in capsys.readouterr().out


@pytest.mark.parametrize("part", ["csv", "dupes"])
def test_one_size_of_the_reader_scale_reports_its_own_figures(repo, part):
    done = subprocess.run([sys.executable, "bench_io.py", "--only", part, "--scale-one", "300"],
                          cwd=repo / "benchmarks", capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["rows"] == 300 and figures["cpu"] > 0 and 50 < figures["peak_mib"] < 2_000


def test_the_peak_of_one_size_is_the_runs_not_the_preparations(repo):
    """Making 1M rows takes more memory than sharing them: --scale reports the run's peak."""
    if not os.access("/proc/self/clear_refs", os.W_OK):
        pytest.skip("this kernel cannot reset a process's peak memory")
    code = ("import json, _harness\n"
            "def work(rows):\n"
            "    ballast = b'\\x01' * (300 << 20)  # preparing needs 300 MiB, then frees it\n"
            "    del ballast\n"
            "    return lambda: bytearray(b'\\x01' * (100 << 20))  # the run holds 100 MiB\n"
            "print(json.dumps(_harness.one_size(work, 10)))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=repo / "benchmarks",
                          capture_output=True, text=True, check=True)
    peak = json.loads(done.stdout)["peak_mib"]
    assert 100 < peak < 250, peak
