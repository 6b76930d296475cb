"""nbgrader collect on the class hub: a submission is collected only from the account that
made it (htcds_learn.course.exchange), with the real `nbgrader collect` over a file exchange.

Needs root on Linux (the test makes files owned by two other accounts).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ex01-htcds-basics"


def test_a_submission_made_by_another_account_is_not_collected(tmp_path, need):
    need(hasattr(os, "geteuid") and os.geteuid() == 0, "making files of other accounts "
         "needs root")
    import pwd

    honest = pwd.getpwnam("daemon")  # two accounts every Debian system has
    other = pwd.getpwnam("bin")
    inbound = tmp_path / "exchange" / "htcds-learn" / "inbound"
    inbound.mkdir(parents=True)
    for name, owner in (("daemon+ex01-htcds-basics+2026-11-25 10:00:00.000000 UTC+a", honest),
                        ("bin+ex01-htcds-basics+2026-11-25 10:00:00.000000 UTC+b", honest),
                        ("bin+ex01-htcds-basics+2026-11-24 10:00:00.000000 UTC+c", other)):
        folder = inbound / name
        folder.mkdir()
        (folder / f"{ASSIGNMENT}.ipynb").write_text("{}")
        (folder / "timestamp.txt").write_text(name.split("+")[2])
        for path in (folder, *folder.iterdir()):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    course = tmp_path / "course"
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    config = tmp_path / "config"
    config.mkdir()
    (config / "nbgrader_config.py").write_text(
        (ROOT / "deploy" / "jupyterhub" / "nbgrader_config.py").read_text())
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(config),
           "HTCDS_NBGRADER_EXCHANGE": str(tmp_path / "exchange")}
    result = subprocess.run([sys.executable, "-m", "nbgrader", "collect", ASSIGNMENT],
                            cwd=course, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    collected = course / "submitted"
    assert sorted(p.name for p in collected.iterdir()) == ["bin", "daemon"]
    # bin's newer folder was made by daemon's account: bin's own, older one is collected
    stamp = (collected / "bin" / ASSIGNMENT / "timestamp.txt").read_text()
    assert stamp.startswith("2026-11-24")
    assert "Not collected" in result.stderr and "made by daemon" in result.stderr


pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix accounts")
