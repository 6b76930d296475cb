"""nbgrader configuration for the htcds-learn exercises.

This folder is an nbgrader course root: assignments live in source/<assignment>/. Everything
nbgrader makes from them (release/, submitted/, autograded/, feedback/, gradebook.db) is a
build output and is never committed.
"""

from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    OverwriteCells,
    OverwriteKernelspec,
)

from htcds_learn.course.lateness import LatePenalty
from htcds_learn.course.nbgrader_fixes import ForgetClearedIds

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "htcds-learn"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# What trainees see in an answer cell before they write their own code.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# A looping or stuck submission must not stall a workshop's grading.
c.ExecutePreprocessor.timeout = 60
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# Create trainees in the gradebook the first time their work is graded.
c.Autograde.create_student = True

# A trainee who deleted a test cell is still graded on it: nbgrader puts it back. The extra
# step works around an nbgrader 0.9 crash when a cell was also duplicated (see its docstring).
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    ClearOutput, DeduplicateIds, ForgetClearedIds, OverwriteKernelspec, OverwriteCells,
    CheckCellMetadata]

# Late work: due dates are set with 'htcds-learn course due'. Each started day late takes
# percent_per_day % off the score, up to max_percent %; 0 only reports lateness.
c.AssignLatePenalties.plugin_class = LatePenalty
c.LatePenalty.percent_per_day = 0
c.LatePenalty.max_percent = 50
