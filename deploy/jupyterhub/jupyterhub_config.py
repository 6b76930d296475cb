"""JupyterHub for an htcds-learn class: one server per trainee, the course in every home,
and nbgrader's exchange for releasing, submitting and collecting the exercises.

Run it from the course environment (``.venv``), after ``npm install -g
configurable-http-proxy``::

    jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

Everything site-specific is an environment variable, so the same file serves a laptop
rehearsal, a classroom server and the test suite (tests/deploy/test_jupyterhub.py):

HTCDS_HUB_URL          where the hub listens (default http://127.0.0.1:8000)
HTCDS_HUB_API_PORT, HTCDS_HUB_PROXY_API  the hub's and the proxy's internal ports (8081,
                       http://127.0.0.1:8001)
HTCDS_HUB_STATE        folder for the hub's database and cookie secret (/srv/htcds-learn/hub)
HTCDS_HUB_HOMES        folder of trainees' homes for the shared-account spawner
                       (/srv/htcds-learn/home)
HTCDS_HUB_SPAWNER      "shared" (default: every server runs as this account, in its own home)
                       or "system" (JupyterHub's LocalProcessSpawner: one Unix account each)
HTCDS_HUB_AUTH         "dummy" (one shared password, for rehearsals and tests only) or
                       "pam" (the machine's accounts; the default)
HTCDS_HUB_PASSWORD     the shared password for "dummy"
HTCDS_HUB_INSTRUCTORS  comma-separated names of instructors (admins; they grade, and are
                       not given a trainee id for nbgrader)
HTCDS_NBGRADER_EXCHANGE  nbgrader's exchange folder (/srv/nbgrader/exchange), see
                       nbgrader_config.py beside this file

Beyond one machine, see README.md here: The Littlest JupyterHub for up to about a hundred
people on one server, Zero to JupyterHub on Kubernetes for more.
"""

import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]
COURSE_FOLDERS = ("notebooks", "synthetic_data")

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

state = Path(os.environ.get("HTCDS_HUB_STATE", "/srv/htcds-learn/hub"))
homes = Path(os.environ.get("HTCDS_HUB_HOMES", "/srv/htcds-learn/home"))
instructors = {name.strip() for name in os.environ.get("HTCDS_HUB_INSTRUCTORS", "").split(",")
               if name.strip()}
state.mkdir(parents=True, exist_ok=True)

c.JupyterHub.bind_url = os.environ.get("HTCDS_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("HTCDS_HUB_API_PORT", "8081"))
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
c.ConfigurableHTTPProxy.api_url = os.environ.get("HTCDS_HUB_PROXY_API",
                                                 "http://127.0.0.1:8001")
c.JupyterHub.default_url = "/hub/home"

# --- who may log in -----------------------------------------------------------------
if os.environ.get("HTCDS_HUB_AUTH", "pam") == "dummy":
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = os.environ["HTCDS_HUB_PASSWORD"]
c.Authenticator.admin_users = instructors
c.Authenticator.allow_all = True  # a class server: restrict with allowed_users if needed

# --- each trainee's server ----------------------------------------------------------
# The single-user server comes from the same environment as the hub and the course.
c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab/tree/htcds-learn/notebooks/00-welcome.ipynb"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120
c.Spawner.environment = {
    # nbgrader's nbgrader_config.py beside this file: the exchange and the course id.
    "JUPYTER_CONFIG_PATH": str(HERE),
    "HTCDS_NBGRADER_EXCHANGE": os.environ.get("HTCDS_NBGRADER_EXCHANGE",
                                              "/srv/nbgrader/exchange"),
    # A trainee's nbgrader id is their hub name (not the Unix account, which may be shared).
    "NBGRADER_STUDENT_ID": lambda spawner: ("" if spawner.user.name in instructors
                                            else spawner.user.name),
}
if os.geteuid() == 0:
    c.Spawner.args = ["--allow-root"]  # the shared account is root only in CI containers

if os.environ.get("HTCDS_HUB_SPAWNER", "shared") == "shared":
    c.JupyterHub.spawner_class = "simple"  # SimpleLocalProcessSpawner
    c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")


def give_the_course(spawner) -> None:
    """Copy the lessons and the synthetic data into a new trainee's home, once."""
    if hasattr(spawner, "home_dir_template"):
        home = Path(spawner.home_dir_template.format(username=spawner.user.name))
    else:
        import pwd

        home = Path(pwd.getpwnam(spawner.user.name).pw_dir)
    target = home / "htcds-learn"
    for folder in COURSE_FOLDERS:
        if not (target / folder).exists():
            shutil.copytree(REPOSITORY / folder, target / folder)


c.Spawner.pre_spawn_hook = give_the_course
