"""The grading sandbox (htcds_learn.course.sandbox): what a trainee's code can and cannot reach.

The commands run here are the ones a trainee's kernel runs in: a file beside a fake course is
out of reach, the network is gone, the user is not root, the limits hold, and nothing started
inside outlives the sandbox. Where a machine cannot give a protection, the plan says which,
in one sentence.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from htcds_learn.course import sandbox
from htcds_learn.course.sandbox import Limits, Plan, clean_environment, wrap

FULL = Plan(bwrap="/usr/bin/bwrap", user=True, limits=True, network=True)


def test_a_full_plan_misses_nothing_and_a_bare_one_says_what_is_missing_in_one_sentence():
    assert FULL.missing() == [] and FULL.missing_sentence() == ""
    bare = Plan(bwrap=None, user=False, limits=False, network=False)
    sentence = bare.missing_sentence()
    assert sentence.count(". ") <= 1 and sentence.endswith(".")
    for words in ("private file system", "no network", "separate unprivileged user",
                  "private process space", "scratch folder"):
        assert words in sentence


def test_without_bubblewrap_the_machine_still_gets_a_plan(monkeypatch):
    import shutil

    real = shutil.which
    monkeypatch.setattr(sandbox.shutil, "which",
                        lambda name: None if name == "bwrap" else real(name))
    monkeypatch.setattr(sandbox, "_probe", lambda plan: "")
    plan = sandbox._choose()
    assert plan.bwrap is None and "files" in plan.missing()
    assert "install bubblewrap" in plan.missing_sentence()


def test_on_windows_the_plan_is_the_scratch_folder_only(monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox.sys, "platform", "win32")
    plan = sandbox._choose()
    assert plan == Plan(bwrap=None, user=False, limits=False, network=False)
    assert "grade on Linux" in plan.missing_sentence()
    monkeypatch.setenv("SYSTEMROOT", "C:\\Windows")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "secret")
    env = clean_environment(tmp_path, plan, windows=True)
    assert env["SYSTEMROOT"] == "C:\\Windows" and "JUPYTERHUB_API_TOKEN" not in env


def test_the_kernel_environment_carries_nothing_of_the_graders(monkeypatch, tmp_path):
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "secret")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    env = clean_environment(tmp_path, FULL)
    assert "JUPYTERHUB_API_TOKEN" not in env and env["HOME"] == str(tmp_path)
    assert env["NBGRADER_EXECUTION"] == "autograde"


@pytest.fixture
def full_sandbox(need):
    need(sys.platform.startswith("linux") and sandbox.machine().bwrap is not None,
         "the grading sandbox needs Linux and bubblewrap ('apt-get install bubblewrap')")
    return sandbox.machine()


def run_inside(plan: Plan, tmp_path: Path, code: str, **limits) -> subprocess.CompletedProcess:
    work, run = tmp_path / "work", tmp_path / "run"
    for folder in (work, run):
        folder.mkdir(exist_ok=True)
        folder.chmod(0o777)
    command = wrap(plan, [sys.executable, "-c", code], work=work, run=run,
                   uid=sandbox.sandbox_uid(), limits=Limits(**limits))
    return subprocess.run(command, cwd=work, env=clean_environment(work, plan),
                          capture_output=True, text=True, timeout=120)


def test_inside_the_sandbox_the_course_the_network_and_root_are_out_of_reach(full_sandbox,
                                                                              tmp_path):
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    secret = course / "source" / "hidden.txt"
    secret.write_text("expected_task1")
    code = f"""
import os, socket
print("uid", os.getuid())
try:
    print(open({str(secret)!r}).read())
except OSError as error:
    print("no file", type(error).__name__)
try:
    socket.create_connection(("127.0.0.1", 22), timeout=2)
except OSError as error:
    print("no network", type(error).__name__)
print("pids", sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))
open("written.txt", "w").write("the scratch folder is writable")
"""
    result = run_inside(full_sandbox, tmp_path, code)
    assert result.returncode == 0, result.stderr
    assert "expected_task1" not in result.stdout and "no file" in result.stdout
    assert "no network" in result.stdout
    if full_sandbox.user:
        assert "uid 0" not in result.stdout
    pids = eval(result.stdout.split("pids ", 1)[1].splitlines()[0])
    assert max(pids) < 10  # a process space of its own
    assert (tmp_path / "work" / "written.txt").exists()


def test_the_limits_stop_a_big_file_and_a_fork_bomb(full_sandbox, tmp_path):
    big = run_inside(full_sandbox, tmp_path, """
try:
    open("big.bin", "wb").write(b"x" * 3_000_000)
    print("wrote")
except OSError as error:
    print("stopped", type(error).__name__)
""", file_bytes=1_000_000)
    assert "stopped" in big.stdout or big.returncode != 0
    assert (tmp_path / "work" / "big.bin").stat().st_size <= 1_000_000
    if full_sandbox.user:
        bomb = run_inside(full_sandbox, tmp_path, """
import os
made = 0
try:
    for _ in range(200):
        if os.fork() == 0:
            import time; time.sleep(5); os._exit(0)
        made += 1
except OSError:
    pass
print("made", made)
""", processes=20)
        assert int(bomb.stdout.split("made ")[1]) < 25


def test_nothing_started_inside_outlives_the_sandbox(full_sandbox, tmp_path):
    marker = "htcds-sandbox-survivor-test"
    code = f"""
import subprocess, sys
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "{marker}"],
                 start_new_session=True)
print("started")
"""
    result = run_inside(full_sandbox, tmp_path, code)
    assert "started" in result.stdout
    time.sleep(1)
    alive = [p for p in Path("/proc").iterdir() if p.name.isdigit()
             and marker.encode() in (p / "cmdline").read_bytes()]
    assert alive == []
