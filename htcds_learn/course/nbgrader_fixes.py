"""A workaround for an nbgrader 0.9 bug, switched on in the course's nbgrader_config.py.

When a trainee duplicates an answer cell, nbgrader's ``DeduplicateIds`` empties the extra
copy's ``nbgrader`` metadata to ``{}``. With ``OverwriteCells.add_missing_cells`` on (so
that a deleted check is put back and still graded), ``add_missing_task_cells`` then reads
``grade_id`` from that empty dict and the whole submission fails with ``KeyError``.
Removing the empty dict right after deduplication means the same thing to nbgrader (a cell
with no nbgrader metadata) and avoids the crash. Because the fix lives in the course's
configuration, serial ``nbgrader autograde`` and ``htcds-learn course grade`` both use it.
"""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor


class ForgetClearedIds(NbGraderPreprocessor):
    """Drop ``nbgrader`` metadata that ``DeduplicateIds`` left empty.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {}})
    >>> notebook = nbformat.v4.new_notebook(cells=[cell])
    >>> notebook, _ = ForgetClearedIds().preprocess(notebook, {})
    >>> "nbgrader" in notebook.cells[0].metadata
    False
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.get("metadata", {}).get("nbgrader", None) == {}:
            del cell.metadata["nbgrader"]
        return cell, resources
