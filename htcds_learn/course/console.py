"""What the instructor sees while a long course command runs: scores, progress, nothing else.

nbgrader, Jupyter kernels and SQLAlchemy write warnings to the standard error stream
("Kernel is running over TCP without encryption", ``SAWarning``); during a grading run they
would land between the scores. :func:`third_party_output_to` sends that stream, for this
process and the worker and kernel processes it starts, to a log file, and gives the command a
handle on the real terminal for its own messages. :class:`Progress` says how far a run is and
about how long is left.

>>> progress = Progress(total=4, clock=iter([0.0, 30.0, 60.0]).__next__)
>>> progress.step()
'1/4, about 2 min left'
>>> progress.step()
'2/4, about 60 s left'
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def third_party_output_to(log: Path) -> Iterator[TextIO]:
    """Send standard error (file descriptor 2, inherited by child processes) and Python
    warnings to ``log`` for the duration; yield a stream to the real standard error."""
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    real = os.fdopen(os.dup(saved), "w", buffering=1, encoding="utf-8", errors="replace")
    with open(log, "a", encoding="utf-8") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("default")
                yield real
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            real.close()


class Progress:
    """Counts finished items and estimates the time left from the pace so far."""

    def __init__(self, total: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.done, self.clock = total, 0, clock
        self.started = clock()

    def step(self) -> str:
        self.done += 1
        elapsed = self.clock() - self.started
        left = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        if self.done >= self.total:
            return f"{self.done}/{self.total}, done"
        when = f"{left / 60:.0f} min" if left >= 90 else f"{max(left, 1):.0f} s"
        return f"{self.done}/{self.total}, about {when} left"
