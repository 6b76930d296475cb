"""nbgrader configuration for the htcds-learn exercises.

This folder is an nbgrader course root: assignments live in source/<assignment>/. Everything
nbgrader makes from them (release/, submitted/, autograded/, feedback/, gradebook.db) is a
build output and is never committed.

Grading here differs from plain nbgrader on purpose (see docs/grading-security.md): every
nbgrader command run in this folder, and ``htcds-learn course grade``, runs a trainee's
notebook in a sandboxed kernel and judges the checks outside it, on the answers as plain data.
"""

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from htcds_learn.course.lateness import LatePenalty
from htcds_learn.course.nbgrader_fixes import ForgetClearedIds, OverwriteCellsSafely
from htcds_learn.course.nbgrader_steps import (
    KeepHiddenChecksOut,
    NoteTampering,
    SandboxedExecute,
    TrustedChecks,
    TrustedFeedback,
)
from htcds_learn.learn.lessons import EXERCISES

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

# Files a trainee edits and hands in with the notebook (a workbook fixed in a spreadsheet
# program) are graded as handed in: nbgrader would otherwise put the source's copy back.
c.Autograde.exclude_overwriting = {
    e.name: list(e.trainee_files) for e in EXERCISES if e.trainee_files}

# Create trainees in the gradebook the first time their work is graded.
c.Autograde.create_student = True

# Before the notebook runs: note tampering, put back deleted checks (nbgrader's own step
# crashes when an answer and its check were both deleted, and when a cell was duplicated),
# and keep the hidden checks out of the trainee's kernel.
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    NoteTampering, ClearOutput, DeduplicateIds, ForgetClearedIds, OverwriteKernelspec,
    OverwriteCellsSafely, KeepHiddenChecksOut, CheckCellMetadata]
# Run it in the sandbox, then judge the checks here, on the recorded answers.
c.Autograde.autograde_preprocessors = [
    SandboxedExecute, IgnorePattern, TrustedChecks, LimitOutput, SaveAutoGrades,
    AssignLatePenalties, CheckCellMetadata]
# Feedback pages are made from trusted parts only.
c.GenerateFeedback.preprocessors = [TrustedFeedback, GetGrades, CSSHTMLHeaderPreprocessor]

# Late work: due dates are set with 'htcds-learn course due'. Each started day late takes
# percent_per_day % off the score, up to max_percent %; 0 only reports lateness.
c.AssignLatePenalties.plugin_class = LatePenalty
c.LatePenalty.percent_per_day = 0
c.LatePenalty.max_percent = 50
