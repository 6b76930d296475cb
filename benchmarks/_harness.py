"""A small harness that makes benchmark ratios hold on a busy, shared machine.

Every contender (our fast path, the plain way it replaces, and peers such as pandera or
polars) runs in **one process**, **interleaved**: round 1 runs each of them once, round 2
again, and so on, in a rotating order. A burst of load from another program then slows
every contender of that round alike, and the ratio computed **within the round** stays
honest. We print the minimum and the median over the rounds, of wall time and of CPU time.

A peer counts only if it **agrees** with us on the same data: its first result goes through
its ``check`` before any of its times are kept. A peer that is not installed is named, with
how to install it (``pip install 'htcds-learn[peers]'``), and the benchmark goes on.

    >>> import time
    >>> ours = Contender("ours", lambda: sum(range(1000)), rows=1000)
    >>> plain = Contender("plain", lambda: sum(list(range(1000))), rows=1000,
    ...                   check=lambda result: result == 499500)
    >>> result = compare([plain, ours], rounds=3, baseline="plain", echo=False)
    >>> len(result.timings["ours"].wall), result.agree["plain"]
    (3, True)
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCALE_SIZES = (10_000, 100_000, 1_000_000, 3_000_000)
PEERS_HINT = "pip install 'htcds-learn[peers]'"


@dataclass
class Contender:
    """One way of doing the job: ``run()`` does it once and returns its result.

    ``rows`` is how many rows one run handles (a slow baseline may run on a sample): speeds
    are compared per row. ``check(result)`` returns True (or an empty string) when the result
    agrees with ours, else False or a sentence saying how it differs.
    """

    name: str
    run: Callable[[], Any]
    rows: int
    check: Callable[[Any], bool | str] | None = None
    version: str = ""
    note: str = ""


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


@dataclass
class Comparison:
    """The times of every contender, round by round, and the per-round ratios."""

    contenders: list[Contender]
    timings: dict[str, Timing]
    agree: dict[str, bool | str]
    baseline: str
    ratios: dict[str, list[float]]  # per round, from wall time
    cpu_ratios: dict[str, list[float]] = field(default_factory=dict)  # per round, CPU time

    def figures(self) -> dict[str, dict[str, Any]]:
        """Plain numbers for ``--json``: per contender, min and median of everything."""
        out: dict[str, dict[str, Any]] = {}
        for c in self.contenders:
            t = self.timings[c.name]
            entry: dict[str, Any] = {"rows": c.rows, "agree": self.agree[c.name],
                                     "version": c.version, "rounds": len(t.wall)}
            if t.wall:
                entry.update(wall_min=min(t.wall), wall_median=statistics.median(t.wall),
                             cpu_min=min(t.cpu), cpu_median=statistics.median(t.cpu),
                             per_second=c.rows / min(t.wall),
                             per_second_median=c.rows / statistics.median(t.wall))
            if self.ratios.get(c.name):
                r = self.ratios[c.name]
                entry.update(ratio_min=min(r), ratio_median=statistics.median(r),
                             ratio_max=max(r), rounds_ratios=r,
                             cpu_ratio_median=statistics.median(self.cpu_ratios[c.name]))
            out[c.name] = entry
        return out


def _agreement(contender: Contender, result: Any) -> bool | str:
    if contender.check is None:
        return True
    try:
        verdict = contender.check(result)
    except Exception as error:  # a peer that fails on our data does not count
        return f"failed: {type(error).__name__}: {error}"
    if verdict is True or verdict == "":
        return True
    return verdict if isinstance(verdict, str) and verdict else "results differ"


def compare(contenders: Sequence[Contender], *, rounds: int, baseline: str,
            echo: bool = True, title: str = "") -> Comparison:
    """Run every contender ``rounds`` times, interleaved, and print min / median per row.

    The first run of each contender is checked for agreement (and is round 1); a contender
    that disagrees is dropped from the later rounds and from every ratio.
    """
    contenders = list(contenders)
    timings = {c.name: Timing() for c in contenders}
    agree: dict[str, bool | str] = {}
    active = list(contenders)
    for number in range(rounds):
        shift = number % len(active) if active else 0
        for contender in active[shift:] + active[:shift]:  # rotate: no one always goes first
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                result = contender.run()
            except Exception as error:  # a peer that breaks on our data is named, not fatal
                agree[contender.name] = f"failed: {type(error).__name__}: {error}"
                continue
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if contender.name not in agree:
                agree[contender.name] = _agreement(contender, result)
            del result
            if agree[contender.name] is True:
                timings[contender.name].wall.append(wall)
                timings[contender.name].cpu.append(cpu)
        active = [c for c in active if agree.get(c.name) is True]
    for c in contenders:
        agree.setdefault(c.name, "not run")
    base = next(c for c in contenders if c.name == baseline)
    ratios: dict[str, list[float]] = {}
    cpu_ratios: dict[str, list[float]] = {}
    for c in contenders:
        if c.name == baseline or agree[c.name] is not True or agree[baseline] is not True:
            continue
        # Within each round: our speed per row over the baseline's, in the same seconds.
        ratios[c.name] = [(c.rows / ours) / (base.rows / theirs) for ours, theirs in
                          zip(timings[c.name].wall, timings[baseline].wall)]
        cpu_ratios[c.name] = [(c.rows / max(ours, 1e-9)) / (base.rows / max(theirs, 1e-9))
                              for ours, theirs in zip(timings[c.name].cpu,
                                                      timings[baseline].cpu)]
    comparison = Comparison(contenders, timings, agree, baseline, ratios, cpu_ratios)
    if echo:
        print_comparison(comparison, title)
    return comparison


def print_comparison(comparison: Comparison, title: str = "") -> None:
    """A table: rows, wall and CPU seconds (min / median), rows per second, x the baseline."""
    rounds = max((len(t.wall) for t in comparison.timings.values()), default=0)
    print(f"\n{title or 'comparison'} ({rounds} interleaved rounds; min / median)")
    print(f"  {'':28} {'rows':>10} {'wall s':>15} {'cpu s':>15} {'rows/s (min)':>13}  "
          f"x {comparison.baseline}: wall min / median / max, CPU median")
    for c in comparison.contenders:
        t, verdict = comparison.timings[c.name], comparison.agree[c.name]
        label = c.name + (f" {c.version}" if c.version else "")
        if verdict is not True:
            print(f"  {label:28} not counted: {verdict}")
            continue
        wall = f"{min(t.wall):7.3f}/{statistics.median(t.wall):7.3f}"
        cpu = f"{min(t.cpu):7.3f}/{statistics.median(t.cpu):7.3f}"
        line = f"  {label:28} {c.rows:>10,} {wall:>15} {cpu:>15} {c.rows / min(t.wall):>13,.0f}"
        r = comparison.ratios.get(c.name)
        if r:
            line += (f"  {min(r):6.2f} / {statistics.median(r):6.2f} / {max(r):6.2f}, "
                     f"{statistics.median(comparison.cpu_ratios[c.name]):6.2f}")
        elif c.name == comparison.baseline:
            line += "  (baseline)"
        print(line + (f"  {c.note}" if c.note else ""))


def peer(module: str, distribution: str | None = None) -> tuple[Any, str] | None:
    """Import a peer library, or say it is missing (and how to add it) and return None."""
    try:
        imported = importlib.import_module(module)
    except Exception as error:  # ImportError, or a peer broken on this Python
        print(f"  peer {distribution or module}: not installed ({type(error).__name__}); "
              f"{PEERS_HINT}")
        return None
    try:
        version = metadata.version(distribution or module)
    except metadata.PackageNotFoundError:
        version = getattr(imported, "__version__", "")
    return imported, version


def parser(description: str) -> argparse.ArgumentParser:
    """The options every benchmark takes."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true",
                   help="tiny sizes and 2 rounds: the test suite's smoke run")
    p.add_argument("--rounds", type=int, default=None,
                   help="interleaved rounds (default 5; 2 with --quick)")
    p.add_argument("--rows", type=int, default=None, help="rows in the main run")
    p.add_argument("--peers", action="store_true",
                   help="add the peer libraries installed (" + PEERS_HINT + ")")
    p.add_argument("--scale", action="store_true",
                   help="run 10k, 100k, 1M and 3M rows, each in a fresh process, and print "
                        "CPU microseconds per row and peak memory")
    p.add_argument("--json", help="also write the figures to this file")
    p.add_argument("--scale-one", type=int, help=argparse.SUPPRESS)  # one size of --scale
    return p


def rounds_of(args: argparse.Namespace) -> int:
    return args.rounds or (2 if args.quick else 5)


def banner(name: str) -> None:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print(f"htcds-learn {name} benchmark (Python {platform.python_version()}, "
          f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})")


def peak_mib() -> float:
    """This process's own peak resident memory so far, in MiB.

    Linux keeps ``ru_maxrss`` across exec, so a child started by a big parent (``--scale``
    starts one per size) would report the parent's size. The memory map's high-water mark
    (VmHWM) starts afresh at exec; ``ru_maxrss`` is the fallback elsewhere.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # KiB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def one_size(work: Callable[[int], Callable[[], Any]], rows: int) -> dict[str, Any]:
    """Prepare, then time one run of ``work(rows)()`` in this process: CPU per row, and the
    peak memory of the run (with its prepared input, without what preparing it took)."""
    run = work(rows)
    gc.collect()
    reset_peak()  # the peak of the run itself (its input included), not of making the input
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"rows": rows, "wall": wall, "cpu": cpu, "cpu_us_per_row": cpu / rows * 1e6,
            "peak_mib": peak_mib()}


def reset_peak() -> None:
    """Start this process's peak memory afresh from what it holds now (Linux: writing 5 to
    /proc/self/clear_refs resets VmHWM); elsewhere the peak keeps counting from the start.

    Memory freed after preparing is first handed back to the system (glibc's malloc_trim),
    or the C library would keep it, and count it, as if the run held it.
    """
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass


def scale(script: str, sizes: Sequence[int] = SCALE_SIZES, *, options: Sequence[str] = (),
          title: str = "", skip: Callable[[int], str] | None = None) -> list[dict[str, Any]]:
    """Run ``script --scale-one N`` (and ``options``) for each size in a fresh process, so
    each peak is its own. ``skip(N)`` may return why a size is not run (a limit)."""
    what = f"{title}: " if title else ""
    print(f"\nscaling, {what}{', '.join(f'{n:,}' for n in sizes)} rows, one fresh process each")
    print(f"  {'rows':>10} {'wall s':>9} {'cpu s':>9} {'cpu us/row':>11} {'peak MiB':>9}")
    found: list[dict[str, Any]] = []
    for n in sizes:
        reason = skip(n) if skip else ""
        if reason:
            print(f"  {n:>10,} not run: {reason}")
            found.append({"rows": n, "skipped": reason})
            continue
        done = subprocess.run([sys.executable, script, *options, "--scale-one", str(n)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(f"  {n:>10,} failed: {done.stderr.strip().splitlines()[-1:]}")
            break
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        found.append(figures)
        print(f"  {n:>10,} {figures['wall']:9.2f} {figures['cpu']:9.2f} "
              f"{figures['cpu_us_per_row']:11.2f} {figures['peak_mib']:9,.0f}")
    return found


def write_json(path: str | None, figures: dict[str, Any]) -> None:
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=1, default=str)
