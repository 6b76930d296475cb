"""The offline install path: a wheelhouse made once, then set-up with no package index."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.long(seconds=346)
def test_a_laptop_installs_the_course_from_a_wheelhouse_alone(tmp_path):
    folder = tmp_path / "wheelhouse"
    made = subprocess.run([sys.executable, str(ROOT / "run.py"), "wheelhouse", str(folder)],
                          capture_output=True, text=True, timeout=1800)
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    names = {path.name.split("-")[0].lower() for path in folder.iterdir()}
    assert {"faker", "jupyterlab", "nbgrader", "pandas", "pip", "setuptools"} <= names
    assert not list(folder.glob("htcds_learn-*"))

    # The "laptop": no index at all (a dead address for good measure), only the wheelhouse.
    env = {**os.environ, "HTCDS_LEARN_VENV": str(tmp_path / "laptop-venv"),
           "HTCDS_LEARN_WHEELHOUSE": str(folder), "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
           "PIP_NO_CACHE_DIR": "1"}
    setup = subprocess.run([sys.executable, str(ROOT / "run.py"), "setup"], env=env,
                           capture_output=True, text=True, timeout=1800)
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    assert "without the internet" in setup.stdout
    scripts = tmp_path / "laptop-venv" / ("Scripts" if os.name == "nt" else "bin")
    fields = subprocess.run([str(scripts / "htcds-learn"), "fields", "--core", "--format",
                             "names"], capture_output=True, text=True, timeout=120)
    assert len(fields.stdout.split()) == 38
    lab = subprocess.run([str(scripts / "jupyter"), "lab", "--version"], capture_output=True,
                         text=True, timeout=120)
    assert lab.returncode == 0 and lab.stdout.startswith("4.")
    pip = subprocess.run([str(scripts / "python"), "-m", "pip", "--version"],
                         capture_output=True, text=True, timeout=120)
    assert pip.stdout.startswith("pip " + run_py_pip() + " "), pip.stdout
    # Set-up removed the IRI parser that slows every Jupyter start (run.py SLOW_UNUSED).
    quick = subprocess.run([str(scripts / "python"), "-c", "import sys, nbformat; "
                            "print('rfc3987_syntax' in sys.modules)"],
                           capture_output=True, text=True, timeout=120)
    assert quick.stdout.strip() == "False", quick.stderr


def run_py_pip() -> str:
    """The pip version run.py installs (its PIP, "pip==X")."""
    return runpy.run_path(str(ROOT / "run.py"))["PIP"].split("==")[1]


def test_the_wheelhouse_command_needs_a_folder():
    result = subprocess.run([sys.executable, str(ROOT / "run.py"), "wheelhouse"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "give the folder" in result.stderr
