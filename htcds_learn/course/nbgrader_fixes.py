"""Workarounds for two nbgrader 0.9 bugs, switched on in the course's nbgrader_config.py.

Both concern a trainee who deleted or copied cells. First, when a trainee duplicates an
answer cell, nbgrader's ``DeduplicateIds`` empties the extra copy's ``nbgrader`` metadata to
``{}``. With ``OverwriteCells.add_missing_cells`` on (so
that a deleted check is put back and still graded), ``add_missing_task_cells`` then reads
``grade_id`` from that empty dict and the whole submission fails with ``KeyError``.
Removing the empty dict right after deduplication means the same thing to nbgrader (a cell
with no nbgrader metadata) and avoids the crash. Second, :class:`OverwriteCellsSafely`
puts back a check whose answer cell was deleted too. Because the fixes live in the course's
configuration, serial ``nbgrader autograde`` and ``htcds-learn course grade`` both use them.
"""

from __future__ import annotations

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells


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


class OverwriteCellsSafely(OverwriteCells):
    """nbgrader's OverwriteCells, able to put back a check whose answer cell was deleted too.

    nbgrader 0.9.6 puts a deleted check cell back after the cell that came before it in the
    release; when that cell (the answer) was deleted as well, it stops with ``KeyError:
    'task3'`` and the whole notebook scores zero. Here the check goes after the nearest
    earlier cell that is still there (or first), and the rest of the notebook is graded.
    """

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        order = [cell.name for cell in sorted(source_nb.source_cells, key=lambda c: c.id)]
        source = {cell.name: cell for cell in source_nb.source_cells}
        solutions = {cell.name for cell in source_nb.solution_cells}
        for grade_cell in sorted(source_nb.grade_cells, key=lambda c: order.index(c.name)):
            present = {cell.metadata.get("nbgrader", {}).get("grade_id"): index
                       for index, cell in enumerate(nb.cells)
                       if utils.is_grade(cell) or utils.is_solution(cell)
                       or utils.is_locked(cell)}
            if grade_cell.name in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook",
                             grade_cell.name)
            cell = self.missing_cell_transform(source[grade_cell.name], grade_cell.max_score,
                                               is_solution=grade_cell.name in solutions)
            earlier = order[:order.index(grade_cell.name)]
            before = [present[name] for name in earlier if name in present]
            nb.cells.insert(max(before) + 1 if before else 0, cell)
        return nb, resources
