#!/usr/bin/env python3
"""One entry point for the whole course: set up, open the lessons, run the tests.

    python3 run.py lab               # set up if needed, open your course workspace
    python3 run.py lab --no-browser  # the same on a server or a machine without a screen
    python3 run.py reset 03          # put lesson 03 (or exercise ex03) back as it was shipped
    python3 run.py test              # set up if needed, run the full test suite
    python3 run.py test -k standard  # extra words go to pytest (or to jupyter lab)
    python3 run.py setup             # only install (for example before a workshop)
    python3 run.py wheelhouse DIR    # download every package once, for laptops offline
    python3 run.py lab --instructor  # trainers: the whole repository, with nbgrader's menus
    python3 run.py answer-key        # trainers: the self-check answer key (Markdown)

``lab`` serves your own workspace (``workspace/`` beside this file, or HTCDS_LEARN_WORKSPACE):
the lessons, your copy of every exercise, the data and the glossary. Your work is saved there,
never in the course's own files, so updating the course never clashes with your work.

Offline: copy the repository with a ``wheelhouse/`` folder made by ``run.py wheelhouse
wheelhouse`` (or point HTCDS_LEARN_WHEELHOUSE at one); set-up then installs only from it,
never from the internet. Extra words after DIR go to ``pip download`` (for example
``--platform win_amd64 --python-version 3.12 --only-binary=:all:`` for Windows laptops).

Needs only Python 3.10 or newer. On first use it creates an isolated environment in
``.venv`` beside this file (or where HTCDS_LEARN_VENV points) and installs the course with the
exact versions in ``constraints.txt``, so every laptop in a workshop runs the same software.
``lab`` installs only what the course needs; ``test`` adds the test tools (the ``test`` extra).
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
WORKSPACE_WELCOME = "lessons/00-welcome.ipynb"
QUIET_LAB = ["--LabApp.news_url=None",  # no news pop-up over the first lesson
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
MIN_PYTHON = (3, 10)
# Installed only because jupyter-events asks for jsonschema[format-nongpl], for the "iri"
# format check, which no schema of Jupyter, nbgrader or the course uses. Importing it builds
# a parser of RFC 3987 on the spot: 2 to 3 s at the start of every Jupyter, nbgrader and
# kernel-running command (it comes with nbformat). Without it jsonschema skips that format.
SLOW_UNUSED = ("rfc3987-syntax",)
# The pip that installs the course. The one Python bundles (23.2 with Python 3.11) weighs every
# file on every index page: installing the course took it 2 min 13 s of CPU, this one 1 min
# 19 s, and downloading a wheelhouse 59 s against 22 s.
PIP = "pip==26.3"


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
               f"{ROOT}[test]", *build_requirements(), PIP, *extra]
    if subprocess.call(command, cwd=ROOT) != 0:
        fail("downloading the packages failed (see the messages above).")
    for leftover in folder.glob("htcds_learn-*"):  # the course itself comes from ROOT
        leftover.unlink()
    say(f"Done. Copy {folder} beside run.py as 'wheelhouse' (or set HTCDS_LEARN_WHEELHOUSE) "
        "on each laptop, then run 'python3 run.py lab' there without internet.")
    return 0


def workspace_dir() -> Path:
    return Path(os.environ.get("HTCDS_LEARN_WORKSPACE", ROOT / "workspace")).resolve()


def install_fingerprint() -> str:
    """What the installed environment depends on; a change means reinstall."""
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def installed_extras(stamp: Path) -> set[str] | None:
    """The extras installed with the current fingerprint (None: reinstall)."""
    if not stamp.exists():
        return None
    fingerprint, _, extras = stamp.read_text().strip().partition(" ")
    if fingerprint != install_fingerprint():
        return None
    return {item for item in extras.split(",") if item}


def ensure_environment(extras: tuple[str, ...] = ()) -> Path:
    """Create the isolated environment and install the course into it, if needed.

    ``extras`` are the pyproject extras wanted (``test`` for the tests); a trainee's ``lab``
    wants none, so their laptop gets only what the course needs."""
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
    have = installed_extras(stamp)
    if have is None or not set(extras) <= have:
        wanted = sorted(set(extras) | (have or set()))
        say("Installing the course and its pinned dependencies (a few minutes the first time).")
        offline = wheelhouse()
        source = ["--no-index", "--find-links", str(offline)] if offline else []
        if offline:
            say(f"Installing from the wheelhouse {offline}, without the internet.")
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", *source]
        if subprocess.call([*pip, "--quiet", PIP], cwd=ROOT) != 0:
            say(f"Could not install {PIP}; going on with the pip this Python came with.")
        command = [
            *pip, "--constraint", str(ROOT / "constraints.txt"),
            "--editable", f"{ROOT}[{','.join(wanted)}]" if wanted else str(ROOT),
        ]
        if subprocess.call(command, cwd=ROOT) != 0:
            fail(
                "installing the course failed (see the messages above). Check the internet "
                "connection, or install from a wheelhouse as trainers/README explains."
            )
        stamp.write_text(f"{install_fingerprint()} {','.join(wanted)}\n")
    drop_slow_unused(env, python)
    return python


def installed_distributions(env: Path, name: str) -> list[Path]:
    """The metadata folders of the distribution ``name`` in the environment ``env``."""
    stem = name.replace("-", "_")
    return [*env.glob(f"lib/python*/site-packages/{stem}-*.dist-info"),
            *env.glob(f"Lib/site-packages/{stem}-*.dist-info")]


def drop_slow_unused(env: Path, python: Path) -> None:
    """Uninstall :data:`SLOW_UNUSED` if pip put it there (cheap to check on every run)."""
    present = [name for name in SLOW_UNUSED if installed_distributions(env, name)]
    if present:
        subprocess.call([str(python), "-m", "pip", "uninstall", "--disable-pip-version-check",
                         "--yes", "--quiet", *present], cwd=ROOT)


def environment_for(python: Path) -> dict[str, str]:
    """The environment of an activated venv: its scripts first on PATH (nbgrader needs this)."""
    env = dict(os.environ)
    env["VIRTUAL_ENV"] = str(python.parent.parent)
    env["PATH"] = str(python.parent) + os.pathsep + env.get("PATH", "")
    return env


def library_command(python: Path, module: str, *args: str) -> list[str]:
    """The command that runs ``main(args)`` of a library module in the course's environment."""
    code = f"import sys; from htcds_learn.{module} import main; sys.exit(main(sys.argv[1:]))"
    return [str(python), "-c", code, *args]


def library(python: Path, module: str, *args: str) -> int:
    return subprocess.call(library_command(python, module, *args), cwd=ROOT,
                           env=environment_for(python))


def run_lab(python: Path, extra: list[str]) -> int:
    env = environment_for(python)
    exercises = None
    if "--instructor" in extra:
        extra = [word for word in extra if word != "--instructor"]
        root, welcome = ROOT, WELCOME
        say("Instructor mode: the whole repository, with nbgrader's menus.")
    else:
        root, welcome = workspace_dir(), WORKSPACE_WELCOME
        say(f"Preparing your workspace in {root}.")
        if library(python, "learn.workspace", "prepare", str(ROOT), str(root),
                   "--lessons-only") != 0:
            fail("the workspace could not be prepared (see the messages above).")
        # The exercises (made with nbgrader, slower) are prepared while JupyterLab starts.
        exercises = subprocess.Popen(library_command(
            python, "learn.workspace", "prepare", str(ROOT), str(root), "--exercises-only"),
            cwd=ROOT, env=environment_for(python))
        env["JUPYTER_CONFIG_DIR"] = str(root / ".jupyter")
        env["HTCDS_LEARN_WORKSPACE"] = str(root)
    env["HTCDS_LEARN_COURSE"] = str(ROOT)
    command = [
        str(python), "-m", "jupyter", "lab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url=/lab/tree/{welcome}",  # open on the welcome lesson
        *QUIET_LAB,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI run as root
    say("Starting JupyterLab on the welcome lesson. Stop it with Ctrl+C.")
    try:
        return subprocess.call(command + extra, cwd=root, env=env)
    finally:
        if exercises and exercises.poll() is None:
            exercises.terminate()


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
    if action not in {"lab", "test", "setup", "reset", "answer-key"}:
        fail(f"unknown action {action!r}. Use 'lab', 'reset', 'test', 'setup', 'wheelhouse' "
             "or 'answer-key' (see --help).")
    if action == "reset" and len(extra) != 1:
        fail("say which lesson or exercise to reset, for example: python3 run.py reset 03")
    python = ensure_environment(("test",) if action == "test" else ())
    if action == "setup":
        say(f"Ready. The environment is {venv_dir()}.")
        return 0
    if action == "reset":
        return library(python, "learn.workspace", "reset", str(ROOT), str(workspace_dir()),
                       extra[0])
    if action == "answer-key":
        return library(python, "learn.bank", "key")
    runner = run_lab if action == "lab" else run_tests
    try:
        return runner(python, extra)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
