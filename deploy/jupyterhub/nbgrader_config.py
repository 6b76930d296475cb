"""nbgrader settings for every server on the hub (trainees' and instructors').

JupyterHub puts this folder on JUPYTER_CONFIG_PATH (see jupyterhub_config.py), so nbgrader's
Assignments tab and commands in every server use the same exchange and course id. The course
folder's own exercises/nbgrader_config.py adds the grading settings for the instructor.
"""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "htcds-learn"
c.Exchange.root = os.environ.get("HTCDS_NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")

# When trainees share one Unix account, nbgrader would file everyone's work under that
# account's name; the hub gives each trainee's server their own id instead.
if os.environ.get("NBGRADER_STUDENT_ID"):
    c.CourseDirectory.student_id = os.environ["NBGRADER_STUDENT_ID"]
