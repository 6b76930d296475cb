"""A trainee's own workspace: the folder JupyterLab shows under ``python3 run.py lab``.

It is built from the course for this trainee and holds only what a trainee needs::

    workspace/
      lessons/      the lessons and the glossary (your outputs are saved here, never in
                    the course's own files)
      exercises/    your copy of every exercise, made by nbgrader: no solutions, no
                    hidden checks, and a "Check my work" cell at the end
      data/         the course's synthetic data
      my-files/     files that lessons write for you to open (lesson 04's spreadsheets)

Building is safe to repeat: a lesson or exercise you have not edited is updated when the
course changes; one you edited is kept, and you are told how to reset it
(``python3 run.py reset 03``). A reset keeps your old copy in ``.backups/``.

The same module holds the Jupyter settings a trainee's server uses: nbgrader's instructor
menus off, no news pop-up, closed lessons' kernels stopped when idle, the terminal able to run
``htcds-learn``, and self-check outputs replaced by a "run this cell" note when a lesson is
saved (a widget cannot come back from a file, so it would show an error the next day).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from .._util.files import write_json_atomically, write_text_atomically

MANIFEST = ".htcds-workspace.json"
CHECK_ROLE = "check-my-work"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
RUN_AGAIN_NOTE = ("<p style='color:#555'><i>▶ Run this cell (Shift + Enter) to show it "
                  "again.</i></p>")
IDLE_KERNEL_SECONDS = 900  # a closed lesson's kernel is stopped after 15 idle minutes


def workspace_folder() -> Path:
    """The trainee's workspace (``HTCDS_LEARN_WORKSPACE``, or ``workspace/`` in the course)."""
    chosen = os.environ.get("HTCDS_LEARN_WORKSPACE")
    return Path(chosen) if chosen else course_folder() / "workspace"


def course_folder() -> Path:
    """The course's own folder (``HTCDS_LEARN_COURSE``, or the folder holding the package)."""
    chosen = os.environ.get("HTCDS_LEARN_COURSE")
    return Path(chosen) if chosen else Path(__file__).resolve().parents[2]


def my_files(name: str) -> Path:
    """A folder for the files a lesson writes, where the trainee can open them.

    In a workspace it is ``my-files/<name>``; elsewhere (the tests, an instructor's copy) it is
    in the trainee's own htcds-learn folder.
    """
    from .progress import home

    base = os.environ.get("HTCDS_LEARN_WORKSPACE")
    folder = (Path(base) if base else home()) / "my-files" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- what a notebook says, without its outputs ------------------------------------------

def source_digest(notebook: dict[str, Any]) -> str:
    """A fingerprint of the cells' text (outputs, counts and metadata do not count)."""
    digest = hashlib.sha256()
    for cell in notebook.get("cells", []):
        if cell.get("metadata", {}).get("htcds_learn", {}).get("role") == CHECK_ROLE:
            continue
        source = cell.get("source", "")
        digest.update((source if isinstance(source, str) else "".join(source)).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def _read_notebook(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))


def _write_notebook(path: Path, notebook: dict[str, Any]) -> None:
    write_text_atomically(path, json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")


def check_cells(exercise: str) -> list[dict[str, Any]]:
    """The two cells added at the end of a trainee's exercise copy: how to check it."""
    meta = {"htcds_learn": {"role": CHECK_ROLE}, "editable": False, "deletable": False}
    text = ("## Check my work\n\n"
            "Save the notebook first (**Ctrl + S**), then run the cell below. It runs the "
            "visible checks on your saved notebook in a fresh kernel, and says task by task "
            "what passed and what to look at. After you have tried a task, it also shows a "
            "worked answer. Your trainer's grading runs more checks than these.")
    return [
        {"cell_type": "markdown", "id": "htcds-check-text", "metadata": dict(meta),
         "source": text},
        {"cell_type": "code", "id": "htcds-check", "metadata": dict(meta), "execution_count": None,
         "outputs": [], "source": f'import htcds_learn as hl\n\nhl.check_exercise("{exercise}")'},
    ]


# --- building the workspace -------------------------------------------------------------

class Workspace:
    """One trainee's workspace folder, built from one course folder."""

    def __init__(self, course: Path | str, folder: Path | str) -> None:
        self.course = Path(course).resolve()
        self.folder = Path(folder).resolve()
        self.manifest_path = self.folder / MANIFEST
        self.manifest: dict[str, dict[str, Any]] = {"lessons": {}, "exercises": {}}
        if self.manifest_path.exists():
            self.manifest.update(json.loads(self.manifest_path.read_text("utf-8")))

    # where things are
    def lesson_sources(self) -> list[Path]:
        return sorted((self.course / "notebooks").glob("[0-9][0-9]-*.ipynb"))

    def exercise_sources(self) -> list[Path]:
        return sorted(p for p in (self.course / "exercises" / "source").glob("ex*") if p.is_dir())

    def lesson_copy(self, source: Path) -> Path:
        return self.folder / "lessons" / source.name

    def exercise_copy(self, source: Path) -> Path:
        return self.folder / "exercises" / source.name / f"{source.name}.ipynb"

    def prepare(self, *, lessons: bool = True, exercises: bool = True) -> list[str]:
        """Make or update the workspace; returns a sentence per thing the trainee should know.

        ``run.py lab`` prepares the lessons first and the exercises (nbgrader, slower) while
        JupyterLab starts, so lesson 00 is on screen sooner."""
        notes: list[str] = []
        for name in ("lessons", "exercises", "data", "my-files"):
            (self.folder / name).mkdir(parents=True, exist_ok=True)
        if lessons:
            for source in self.lesson_sources():
                notes += self._sync_lesson(source)
            glossary = self.course / "notebooks" / "glossary.md"
            if glossary.exists():
                shutil.copyfile(glossary, self.folder / "lessons" / "glossary.md")
            self._sync_data()
        if exercises:
            notes += self._sync_exercises()
        write_json_atomically(self.manifest_path, self.manifest)
        return notes

    def _sync_lesson(self, source: Path) -> list[str]:
        shipped = _read_notebook(source)
        target = self.lesson_copy(source)
        known = self.manifest["lessons"].get(source.name)
        new = source_digest(shipped)
        if target.exists():
            current = source_digest(_read_notebook(target))
            if current == new:
                self.manifest["lessons"][source.name] = new
                return []
            if current != known:  # the trainee's own changes (or a copy we did not make)
                return [f"Lesson {source.name[:2]} has a new version. Your copy has your own "
                        f"changes, so it was kept. To get the new one: python3 run.py reset "
                        f"{source.name[:2]}"]
        _write_notebook(target, shipped)
        self.manifest["lessons"][source.name] = new
        return []

    def _sync_data(self) -> None:
        data = self.course / "synthetic_data"
        for path in sorted(data.rglob("*")):
            if path.is_file() and not path.name.endswith(".py"):
                target = self.folder / "data" / path.relative_to(data)
                if not target.exists() or target.stat().st_size != path.stat().st_size:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)

    def _sync_exercises(self, only: Iterable[str] | None = None, *, force: bool = False
                        ) -> list[str]:
        notes: list[str] = []
        wanted: list[Path] = []
        for source in self.exercise_sources():
            if only is not None and source.name not in only:
                continue
            fingerprint = hashlib.sha256(
                (source / f"{source.name}.ipynb").read_bytes()).hexdigest()
            entry: dict[str, str] = self.manifest["exercises"].get(source.name, {})
            target = self.exercise_copy(source)
            if not force and target.exists() and entry.get("source") == fingerprint:
                continue
            if (not force and target.exists()
                    and source_digest(_read_notebook(target)) != entry.get("copy")):
                notes.append(f"Exercise {source.name[:4]} has a new version. Your copy has "
                             "your answers, so it was kept. To start again with the new one: "
                             f"python3 run.py reset {source.name[:4]}")
                continue
            wanted.append(source)
        if wanted:
            released = release(self.course / "exercises", [s.name for s in wanted])
            for source in wanted:
                copy = released[source.name]
                copy["cells"] += check_cells(source.name)
                _write_notebook(self.exercise_copy(source), copy)
                self.manifest["exercises"][source.name] = {
                    "source": hashlib.sha256(
                        (source / f"{source.name}.ipynb").read_bytes()).hexdigest(),
                    "copy": source_digest(copy)}
        return notes

    def find(self, name: str) -> tuple[str, Path]:
        """A lesson ('03', '03-validation') or an exercise ('ex03', 'ex03-validation-rules')."""
        for source in self.lesson_sources():
            if name in (source.name[:2], source.stem, source.name):
                return "lesson", source
        for source in self.exercise_sources():
            if name in (source.name[:4], source.name):
                return "exercise", source
        lessons = ", ".join(s.name[:2] for s in self.lesson_sources())
        exercises = ", ".join(s.name[:4] for s in self.exercise_sources())
        raise KeyError(f"There is no lesson or exercise {name!r}. Lessons: {lessons}. "
                       f"Exercises: {exercises}.")

    def reset(self, name: str) -> tuple[Path, Path | None]:
        """Put back the course's own copy of one lesson or exercise. The trainee's copy is kept
        in ``.backups/`` first. Returns the restored file and the backup (if there was one)."""
        kind, source = self.find(name)
        target = self.lesson_copy(source) if kind == "lesson" else self.exercise_copy(source)
        backup = None
        if target.exists():
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            backup = self.folder / ".backups" / f"{target.stem}-{stamp}{target.suffix}"
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, backup)
        if kind == "lesson":
            shipped = _read_notebook(source)
            _write_notebook(target, shipped)
            self.manifest["lessons"][source.name] = source_digest(shipped)
        else:
            self._sync_exercises([source.name], force=True)
        write_json_atomically(self.manifest_path, self.manifest)
        return target, backup


def release(course_root: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    """Release exercises with nbgrader, in a scratch copy of the course (so no build output
    lands in the course): the trainee's versions, without solutions or hidden checks."""
    with tempfile.TemporaryDirectory(prefix="htcds-release-") as scratch:
        root = Path(scratch)
        shutil.copyfile(course_root / "nbgrader_config.py", root / "nbgrader_config.py")
        for name in names:
            shutil.copytree(course_root / "source" / name, root / "source" / name)
        script = ("import sys\nfrom nbgrader.apps import NbGraderAPI\n"
                  "from nbgrader.apps.baseapp import NbGrader\n"
                  "app = NbGrader(); app.load_config_file(); api = NbGraderAPI(config=app.config)\n"
                  "for name in sys.argv[1:]:\n"
                  "    result = api.generate_assignment(name, force=True)\n"
                  "    if not result['success']:\n"
                  "        sys.exit(result['error'] or result['log'])\n")
        env = dict(os.environ)  # nbgrader runs alembic, from this environment's scripts
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        finished = subprocess.run([sys.executable, "-c", script, *names], cwd=root,
                                  capture_output=True, text=True, env=env)
        if finished.returncode != 0:
            raise RuntimeError(f"nbgrader could not release {', '.join(names)}:\n"
                               f"{finished.stderr[-3000:]}")
        return {name: _read_notebook(root / "release" / name / f"{name}.ipynb")
                for name in names}


# --- the trainee's Jupyter settings -----------------------------------------------------

def strip_widget_outputs(model: dict[str, Any], **_: Any) -> None:
    """A Jupyter pre-save hook: replace widget outputs with a "run this cell" note.

    A saved widget cannot come back from the file (its kernel is gone), so JupyterLab would
    show "Error displaying widget: model not found" the next day.
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    for cell in model["content"].get("cells", []):
        outputs = cell.get("outputs") or []
        for index, output in enumerate(outputs):
            if WIDGET_MIME in output.get("data", {}):
                outputs[index] = {"output_type": "display_data", "metadata": {},
                                  "data": {"text/html": RUN_AGAIN_NOTE,
                                           "text/plain": "Run this cell to show it again."}}
    model["content"].get("metadata", {}).pop("widgets", None)


def trainee_settings(folder: Path, scripts: Path) -> Path:
    """Write the trainee's Jupyter configuration into ``folder/.jupyter``; returns it (to be
    used as JUPYTER_CONFIG_DIR)."""
    config = folder / ".jupyter"
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    server: dict[str, Any] = {
        "ServerApp": {
            "jpserver_extensions": {f"nbgrader.server_extensions.{name}": False for name in
                                    ("formgrader", "validate_assignment", "assignment_list",
                                     "course_list")},
        },
        "FileContentsManager": {
            "pre_save_hook": "htcds_learn.learn.workspace.strip_widget_outputs"},
        "MappingKernelManager": {"cull_idle_timeout": IDLE_KERNEL_SECONDS,
                                 "cull_interval": 60, "cull_connected": False},
    }
    bash = shutil.which("bash")
    if os.name != "nt" and bash:
        # JupyterLab's terminal would start a login shell, which resets PATH: start one that
        # keeps the course's tools (htcds-learn) first on PATH, and opens in the workspace.
        rcfile = config / "bashrc"
        write_text_atomically(rcfile, (
            '[ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"\n'
            f'export PATH="{scripts}:$PATH"\n'
            f'cd "{folder}"\n'))
        server["ServerApp"]["terminado_settings"] = {
            "shell_command": [bash, "--rcfile", str(rcfile), "-i"]}
    write_json_atomically(config / "jupyter_server_config.json", server)
    write_json_atomically(config / "jupyter_lab_config.json", {"LabApp": {
        "news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}})
    # JupyterLab's own settings, where a trainee could change them: no news prompt over the
    # first lesson (it would ask to fetch news from the internet).
    settings = config / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    notification = settings / "notification.jupyterlab-settings"
    if not notification.exists():
        settings.mkdir(parents=True, exist_ok=True)
        write_json_atomically(notification, {"fetchNews": "false"})
    write_json_atomically(config / "labconfig" / "page_config.json",
                          {"disabledExtensions": {"@jupyter/nbgrader": True}})
    return config


def main(argv: list[str]) -> int:
    """``prepare COURSE WORKSPACE [--lessons-only | --exercises-only]`` |
    ``reset COURSE WORKSPACE NAME`` (run.py calls these)."""
    if len(argv) >= 3 and argv[0] in ("prepare", "reset"):
        space = Workspace(argv[1], argv[2])
        try:
            if argv[0] == "prepare":
                only = argv[3] if len(argv) > 3 else ""
                notes = space.prepare(lessons=only != "--exercises-only",
                                      exercises=only != "--lessons-only")
                for note in notes:
                    print(f"[htcds-learn] {note}")
                if only != "--exercises-only":
                    trainee_settings(space.folder, Path(sys.executable).parent)
                return 0
            if len(argv) != 4:
                raise KeyError("Say which lesson or exercise to reset, for example: "
                               "python3 run.py reset 03")
            target, backup = space.reset(argv[3])
        except KeyError as error:
            print(f"[htcds-learn] Error: {error.args[0]}", file=sys.stderr)
            return 2
        print(f"[htcds-learn] {target.relative_to(space.folder)} is as the course ships it.")
        if backup:
            print(f"[htcds-learn] Your old copy is kept as {backup.relative_to(space.folder)}.")
        return 0
    print("Use: python -m htcds_learn.learn.workspace prepare COURSE WORKSPACE | "
          "reset COURSE WORKSPACE NAME", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
