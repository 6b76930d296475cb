"""nbgrader settings for every server on the hub (trainees' and instructors').

JupyterHub puts this folder on JUPYTER_CONFIG_PATH (see jupyterhub_config.py), so nbgrader's
Assignments tab and commands in every server use the same exchange and course id. The course
folder's own exercises/nbgrader_config.py adds the grading settings for the instructor.

A trainee's nbgrader id is their account name. ``nbgrader collect`` takes a submission only
from the account it names: one made by another account (``nbgrader submit --student=bo``, or
a folder written by hand) is left out with a warning (``htcds_learn.course.exchange``).
"""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "htcds-learn"
c.Exchange.root = os.environ.get("HTCDS_NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
c.ExchangeFactory.collect = "htcds_learn.course.exchange.CollectOwnSubmissionsOnly"
