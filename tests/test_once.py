"""tests/_once.py: work shared by the workers is made once, and a failure reaches everyone."""

from __future__ import annotations

import threading
import time

import pytest

from tests._once import once


def test_askers_at_the_same_time_get_one_result_made_once(tmp_path_factory):
    made, results = [], []

    def make(folder):
        made.append(folder)
        time.sleep(0.5)  # the others ask while it is being made
        return {"answer": 42}

    askers = [threading.Thread(target=lambda: results.append(
        once(tmp_path_factory, "test-once-shared", make))) for _ in range(3)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    assert len(made) == 1 and results == [{"answer": 42}] * 3
    assert once(tmp_path_factory, "test-once-shared", make) == {"answer": 42}
    assert len(made) == 1


def test_a_failure_to_make_it_fails_every_asker(tmp_path_factory):
    def broken(folder):
        raise RuntimeError("nbgrader said no")

    with pytest.raises(RuntimeError, match="nbgrader said no"):
        once(tmp_path_factory, "test-once-broken", broken)
    with pytest.raises(pytest.fail.Exception, match="nbgrader said no"):
        once(tmp_path_factory, "test-once-broken", lambda folder: {"never": "made"})
