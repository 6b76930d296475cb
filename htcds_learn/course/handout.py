"""Release every assignment with nbgrader, and zip each release to hand out.

The zip holds ``<assignment>/<notebook>.ipynb`` (and any data files), ready to unzip in a
trainee's course folder or to upload to an LMS.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .._util.files import write_atomically
from .layout import Course

# Fixed zip entry times: the same release always makes byte-identical zips.
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _zip_folder(folder: Path, target: Path) -> None:
    def write(temporary: Path) -> None:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                if ".ipynb_checkpoints" in path.parts:
                    continue
                info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}",
                                       ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())

    write_atomically(target, write)


def build(course: Course, assignments: list[str] | None = None) -> list[Path]:
    """Release the assignments (all by default) and return the handout zips.

    Runs ``nbgrader generate_assignment`` for each, which also records the assignment in the
    gradebook, then writes ``handout/<assignment>.zip``.
    """
    zips = []
    for assignment in course.check_assignments(assignments):
        course.nbgrader("generate_assignment", assignment, "--force")
        target = course.handout / f"{assignment}.zip"
        _zip_folder(course.release / assignment, target)
        zips.append(target)
    return zips
