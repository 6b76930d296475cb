#!/usr/bin/env python3
"""Benchmark grading day: serial `nbgrader autograde` against `htcds-learn course grade`.

    python benchmarks/bench_grading.py            # 30 trainees x every exercise
    python benchmarks/bench_grading.py --quick    # 3 trainees x one exercise (test suite)

A simulated workshop (right, partly right, blank, broken, looping, crashing and mangled
submissions) is graded twice in the same run, from identical copies of one course: once by
nbgrader's own command, one assignment after another, and once by the parallel grader through
its command line. Every trainee's score and every check's score must be identical.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_OUTPUTS = ("release", "submitted", "autograded", "feedback", "gradebook.db", "handout",
                 "reports", "replaced", ".htcds-grading.json")


def export(course: Path, out: Path) -> list[dict]:
    subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", str(out)], cwd=course,
                   check=True, capture_output=True)
    with open(out, newline="") as handle:
        return sorted(csv.DictReader(handle), key=lambda r: (r["assignment"], r["student_id"]))


def cell_scores(course: Path) -> dict[str, float | None]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {f"{a.name}/{s.student.id}/{g.name}": g.auto_score
                for a in gradebook.assignments for s in a.submissions
                for n in s.notebooks for g in n.grades}


def main(argv: list[str] | None = None) -> int:
    from htcds_learn.course import Course, build
    from htcds_learn.course.layout import tools_on_path
    from htcds_learn.course.simulate import simulate_workshop

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--workers", type=int, help="default: as course grade chooses")
    parser.add_argument("--timeout", type=int,
                        help="per-cell time limit for both graders (default 10 s; 4 s quick)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    from htcds_learn.course.grading import default_workers

    tools_on_path()
    args.workers = args.workers or default_workers()
    trainees = 3 if args.quick else args.trainees
    args.timeout = args.timeout or (4 if args.quick else 10)
    print(f"htcds-learn grading benchmark ({platform.python_version()}, "
          f"{os.cpu_count()} cores, {args.workers} workers, {args.timeout} s per cell)")

    with tempfile.TemporaryDirectory(prefix="bench-grading-") as scratch:
        ours_root = Path(scratch) / "ours"
        shutil.copytree(ROOT / "exercises", ours_root,
                        ignore=shutil.ignore_patterns(*BUILD_OUTPUTS))
        course = Course.open(ours_root)
        assignments = course.assignments()[:1] if args.quick else course.assignments()
        build(course, assignments)
        kinds = ({"looping": 1, "broken": 1} if args.quick else None)
        who = simulate_workshop(course, trainees, kinds)
        serial_root = Path(scratch) / "serial"
        shutil.copytree(ours_root, serial_root)
        submissions = len(who) * len(assignments)
        mix = {kind: list(who.values()).count(kind) for kind in sorted(set(who.values()))}
        print(f"{trainees} trainees x {len(assignments)} exercise(s) = {submissions} "
              f"submissions; trainees by kind: {mix}")

        start = time.perf_counter()
        for assignment in assignments:
            subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment,
                            f"--Execute.timeout={args.timeout}"], cwd=serial_root,
                           capture_output=True, text=True)  # exit 1 when any submission fails
        serial = time.perf_counter() - start
        print(f"serial nbgrader autograde:  {serial:8.1f} s  "
              f"({submissions / serial:.2f} submissions/s)")

        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "htcds_learn.cli", "course", "--course",
                                 str(ours_root), "grade", *assignments, "--workers",
                                 str(args.workers), "--timeout", str(args.timeout)],
                                capture_output=True, text=True)
        parallel = time.perf_counter() - start
        if result.returncode not in (0, 1):  # 1: some submissions failed, as expected
            print(result.stdout + result.stderr)
            return 2
        print(f"htcds-learn course grade:   {parallel:8.1f} s  "
              f"({submissions / parallel:.2f} submissions/s)")

        out = Path(scratch)
        identical_totals = export(serial_root, out / "s.csv") == export(ours_root, out / "o.csv")
        serial_cells, our_cells = cell_scores(serial_root), cell_scores(ours_root)
        identical_cells = serial_cells == our_cells
        figures = {
            "trainees": trainees, "exercises": len(assignments), "submissions": submissions,
            "assignments": assignments,
            "workers": args.workers, "timeout": args.timeout,
            "serial_seconds": round(serial, 2), "parallel_seconds": round(parallel, 2),
            "speed_up": round(serial / parallel, 2),
            "identical_scores": identical_totals and identical_cells,
            "checks_compared": len(our_cells),
            "within_5_minutes": parallel <= 300,
        }
    print(f"speed-up: {figures['speed_up']:.2f}x; scores identical: "
          f"{figures['identical_scores']} ({figures['checks_compared']} check scores compared); "
          f"whole workshop within 5 minutes: {figures['within_5_minutes']}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n")
    return 0 if figures["identical_scores"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
