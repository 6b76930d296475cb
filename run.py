#!/usr/bin/env python3
"""One entry point for the whole course: set up, open the lessons, run the tests.

    python3 run.py lab               # set up if needed, open JupyterLab on the welcome lesson
    python3 run.py lab --no-browser  # the same on a server or a machine without a screen
    python3 run.py test              # set up if needed, run the full test suite
    python3 run.py test -k standard  # extra words go to pytest (or to jupyter lab)
    python3 run.py setup             # only install (for example before a workshop)
    python3 run.py wheelhouse DIR    # download every package once, for laptops offline

Offline: copy the repository with a ``wheelhouse/`` folder made by ``run.py wheelhouse
wheelhouse`` (or point HTCDS_LEARN_WHEELHOUSE at one); set-up then installs only from it,
never from the internet. Extra words after DIR go to ``pip download`` (for example
``--platform win_amd64 --python-version 3.12 --only-binary=:all:`` for Windows laptops).

Needs only Python 3.10 or newer. On first use it creates an isolated environment in
``.venv`` beside this file (or where HTCDS_LEARN_VENV points) and installs the course with the
exact versions in ``constraints.txt``, so every laptop in a workshop runs the same software.
Later runs reinstall only when ``pyproject.toml`` or ``constraints.txt`` changed.

This script uses the standard library only, so it works before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
WELCOME = "notebooks/00-welcome.ipynb"
MIN_PYTHON = (3, 10)


def venv_dir() -> Path:
    return Path(os.environ.get("HTCDS_LEARN_VENV", ROOT / ".venv")).resolve()


def venv_python(env: Path) -> Path:
    if os.name == "nt":
        return env / "Scripts" / "python.exe"
    return env / "bin" / "python"


def say(message: str) -> None:
    print(f"[htcds-learn] {message}", flush=True)


def fail(message: str, code: int = 2) -> None:
    print(f"[htcds-learn] Error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(code)


def wheelhouse() -> Path | None:
    """The folder of downloaded packages to install from, if there is one."""
    chosen = os.environ.get("HTCDS_LEARN_WHEELHOUSE")
    folder = Path(chosen) if chosen else ROOT / "wheelhouse"
    return folder.resolve() if folder.is_dir() else None


def build_requirements() -> list[str]:
    """The build backend pyproject.toml names (setuptools): an offline install needs it too."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = text.split("[build-system]", 1)[1].split("requires", 1)[1]
    return [item.strip().strip("\"'") for item in block.split("[", 1)[1].split("]", 1)[0]
            .split(",") if item.strip()]


def make_wheelhouse(target: str, extra: list[str]) -> int:
    """Download the course's pinned packages (and its build backend) into ``target``."""
    folder = Path(target).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    say(f"Downloading every package the course needs into {folder}.")
    command = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check",
               "--constraint", str(ROOT / "constraints.txt"), "--dest", str(folder),
               f"{ROOT}[test]", *build_requirements(), *extra]
    if subprocess.call(command, cwd=ROOT) != 0:
        fail("downloading the packages failed (see the messages above).")
    for leftover in folder.glob("htcds_learn-*"):  # the course itself comes from ROOT
        leftover.unlink()
    say(f"Done. Copy {folder} beside run.py as 'wheelhouse' (or set HTCDS_LEARN_WHEELHOUSE) "
        "on each laptop, then run 'python3 run.py lab' there without internet.")
    return 0


def install_fingerprint() -> str:
    """What the installed environment depends on; a change means reinstall."""
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_environment() -> Path:
    """Create the isolated environment and install the course into it, if needed."""
    if sys.version_info < MIN_PYTHON:
        fail(
            f"Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed; this is "
            f"{sys.version.split()[0]}. Install a newer Python and run this command with it."
        )
    env = venv_dir()
    python = venv_python(env)
    if not python.exists():
        say(f"Creating an isolated Python environment in {env} (first run only).")
        try:
            venv.EnvBuilder(with_pip=True, clear=env.exists()).create(env)
        except (OSError, subprocess.CalledProcessError) as error:
            fail(
                f"could not create the environment in {env}: {error}. On Debian or Ubuntu, "
                "install the venv module first: sudo apt install python3-venv"
            )
    stamp = env / ".htcds-learn-installed"
    wanted = install_fingerprint()
    if not stamp.exists() or stamp.read_text().strip() != wanted:
        say("Installing the course and its pinned dependencies (a few minutes the first time).")
        command = [
            str(python), "-m", "pip", "install", "--disable-pip-version-check",
            "--constraint", str(ROOT / "constraints.txt"),
            "--editable", f"{ROOT}[test]",
        ]
        offline = wheelhouse()
        if offline:
            say(f"Installing from the wheelhouse {offline}, without the internet.")
            command += ["--no-index", "--find-links", str(offline)]
        if subprocess.call(command, cwd=ROOT) != 0:
            fail(
                "installing the course failed (see the messages above). Check the internet "
                "connection, or install from a wheelhouse as trainers/README explains."
            )
        stamp.write_text(wanted + "\n")
    return python


def environment_for(python: Path) -> dict[str, str]:
    """The environment of an activated venv: its scripts first on PATH (nbgrader needs this)."""
    env = dict(os.environ)
    env["VIRTUAL_ENV"] = str(python.parent.parent)
    env["PATH"] = str(python.parent) + os.pathsep + env.get("PATH", "")
    return env


def run_lab(python: Path, extra: list[str]) -> int:
    command = [
        str(python), "-m", "jupyter", "lab",
        f"--ServerApp.root_dir={ROOT}",
        f"--LabApp.default_url=/lab/tree/{WELCOME}",  # open on the welcome lesson
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI run as root
    say("Starting JupyterLab on the welcome lesson. Stop it with Ctrl+C.")
    return subprocess.call(command + extra, cwd=ROOT, env=environment_for(python))


def run_tests(python: Path, extra: list[str]) -> int:
    env = environment_for(python)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # the tests leave nothing behind in the repo
    return subprocess.call([str(python), "-m", "pytest", *extra], cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    action, extra = argv[0], argv[1:]
    if action == "wheelhouse":
        if not extra or extra[0].startswith("-"):
            fail("give the folder to download into: python3 run.py wheelhouse wheelhouse")
        return make_wheelhouse(extra[0], extra[1:])
    if action not in {"lab", "test", "setup"}:
        fail(f"unknown action {action!r}. Use 'lab', 'test', 'setup' or 'wheelhouse' "
             "(see --help).")
    python = ensure_environment()
    if action == "setup":
        say(f"Ready. The environment is {venv_dir()}.")
        return 0
    runner = run_lab if action == "lab" else run_tests
    try:
        return runner(python, extra)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
