"""JupyterHub for an htcds-learn class, safe by default: one Unix account per trainee.

Run it as root from the course environment (``.venv``), after ``npm install -g
configurable-http-proxy``::

    HTCDS_HUB_TRAINEES=amina,bo HTCDS_HUB_INSTRUCTORS=teach \\
        .venv/bin/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

**Class mode** (the default). Trainees and instructors log in with their own Unix account
and password (PAM); each server runs as that account (JupyterHub's LocalProcessSpawner), so
trainees cannot read each other's homes, servers or tokens. Only the accounts named here may
log in; only the instructors are admins. A server never runs as root. The hub's state (cookie
secret, database) is readable by root only, and the course folders with the solutions and
hidden tests are made unreadable to other accounts at start. nbgrader's exchange collects a
submission only from the account it names (``htcds_learn.course.exchange``).

**Demo mode** (``HTCDS_HUB_MODE=demo``), for a rehearsal on one machine: one shared password,
every server as the hub's own (normal) account, no isolation at all. It refuses to run as
root or anywhere but 127.0.0.1, and says so loudly at start.

Settings (environment variables):

HTCDS_HUB_MODE         "class" (default) or "demo"
HTCDS_HUB_TRAINEES     comma-separated account names of the trainees (class mode)
HTCDS_HUB_GROUP        or: a Unix group whose members are the trainees
HTCDS_HUB_INSTRUCTORS  comma-separated account names of the instructors (the only admins)
HTCDS_HUB_PASSWORD     the shared password (demo mode only)
HTCDS_HUB_URL          where the hub listens (default http://127.0.0.1:8000)
HTCDS_HUB_API_PORT, HTCDS_HUB_PROXY_API  the hub's and the proxy's internal ports (8081,
                       http://127.0.0.1:8001)
HTCDS_HUB_STATE        folder for the hub's database and cookie secret (/srv/htcds-learn/hub)
HTCDS_HUB_HOMES        demo mode: folder of the trainees' folders (/srv/htcds-learn/home)
HTCDS_HUB_COURSE       the instructors' course folder (default: this repository's exercises/);
                       other accounts lose access to it, and to this repository's exercises/
HTCDS_NBGRADER_EXCHANGE  nbgrader's exchange folder (/srv/nbgrader/exchange)

Beyond one machine, see README.md here.
"""

import os
import shutil
import sys
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]
COURSE_FOLDERS = ("notebooks", "synthetic_data")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file


def names(variable: str) -> set:
    return {n.strip() for n in os.environ.get(variable, "").split(",") if n.strip()}


def refuse(message: str) -> None:
    print(f"\nhtcds-learn hub: refusing to start: {message}\n", file=sys.stderr, flush=True)
    raise SystemExit(2)


mode = os.environ.get("HTCDS_HUB_MODE", "class")
if os.environ.get("HTCDS_HUB_AUTH") or os.environ.get("HTCDS_HUB_SPAWNER"):
    refuse("HTCDS_HUB_AUTH and HTCDS_HUB_SPAWNER are gone: use HTCDS_HUB_MODE=class (one "
           "account per trainee) or HTCDS_HUB_MODE=demo (a rehearsal on 127.0.0.1).")
if mode not in ("class", "demo"):
    refuse(f"HTCDS_HUB_MODE is {mode!r}; use 'class' or 'demo'.")
root = os.geteuid() == 0
url = os.environ.get("HTCDS_HUB_URL", "http://127.0.0.1:8000")
state = Path(os.environ.get("HTCDS_HUB_STATE", "/srv/htcds-learn/hub"))
homes = Path(os.environ.get("HTCDS_HUB_HOMES", "/srv/htcds-learn/home"))
instructors = names("HTCDS_HUB_INSTRUCTORS")
trainees = names("HTCDS_HUB_TRAINEES")
group = os.environ.get("HTCDS_HUB_GROUP", "").strip()
course = Path(os.environ.get("HTCDS_HUB_COURSE", REPOSITORY / "exercises"))

# --- refuse what is unsafe ----------------------------------------------------------------
if mode == "class":
    if not root:
        refuse("class mode starts each trainee's server as their own account, which needs "
               "the hub to run as root. For a rehearsal as a normal account, use "
               "HTCDS_HUB_MODE=demo.")
    if not instructors or not (trainees or group):
        refuse("name the instructors (HTCDS_HUB_INSTRUCTORS) and the trainees "
               "(HTCDS_HUB_TRAINEES, or a Unix group in HTCDS_HUB_GROUP): nobody else may "
               "log in.")
    if "root" in trainees | instructors:
        refuse("root cannot be a trainee or an instructor: servers never run as root.")
else:
    if root:
        refuse("demo mode runs every server as the hub's own account; as root that would be "
               "root. Run the demo as a normal account.")
    if urlparse(url).hostname not in LOCAL_HOSTS:
        refuse(f"demo mode must listen on 127.0.0.1 only (HTCDS_HUB_URL is {url}): anyone "
               "with the shared password could log in as anyone, the instructor included.")
    if not os.environ.get("HTCDS_HUB_PASSWORD"):
        refuse("demo mode needs a shared password in HTCDS_HUB_PASSWORD.")
    print("\n" + "!" * 78 + "\n!! DEMO MODE: one shared password, every server runs as "
          "this account, trainees\n!! can read each other's work and the course. Only on "
          "127.0.0.1, only for a\n!! rehearsal with synthetic data. For a class, use "
          "HTCDS_HUB_MODE=class.\n" + "!" * 78 + "\n", file=sys.stderr, flush=True)

# --- the hub's own state: root (or the demo account) only -------------------------------
os.umask(0o077)  # the database and cookie secret JupyterHub writes are for the hub alone
state.mkdir(parents=True, exist_ok=True)
state.chmod(0o700)
for made in state.iterdir():
    made.chmod(0o700 if made.is_dir() else 0o600)

# The course folders hold solutions and hidden tests: no access for other accounts.
for folder in {course, REPOSITORY / "exercises"}:
    if folder.is_dir():
        folder.chmod(folder.stat().st_mode & 0o770)

c.JupyterHub.bind_url = url
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("HTCDS_HUB_API_PORT", "8081"))
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
c.ConfigurableHTTPProxy.api_url = os.environ.get("HTCDS_HUB_PROXY_API",
                                                 "http://127.0.0.1:8001")
c.JupyterHub.default_url = "/hub/home"

# --- who may log in, and who is admin -----------------------------------------------------
c.Authenticator.admin_users = instructors
if mode == "class":
    c.JupyterHub.authenticator_class = "pam"
    c.Authenticator.allowed_users = trainees | instructors
    if group:
        c.PAMAuthenticator.allowed_groups = {group}
else:
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = os.environ["HTCDS_HUB_PASSWORD"]
    c.Authenticator.allow_all = True  # demo: anyone with the password, on 127.0.0.1 only

# --- each trainee's server ----------------------------------------------------------------
# The single-user server comes from the same environment as the hub and the course.
c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab/tree/htcds-learn/notebooks/00-welcome.ipynb"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120
c.Spawner.environment = {
    # nbgrader's nbgrader_config.py beside this file: the exchange and the course id. Each
    # trainee's nbgrader id is their account name; the exchange checks who made a file.
    "JUPYTER_CONFIG_PATH": str(HERE),
    "HTCDS_NBGRADER_EXCHANGE": os.environ.get("HTCDS_NBGRADER_EXCHANGE",
                                              "/srv/nbgrader/exchange"),
}
if mode == "class":
    c.JupyterHub.spawner_class = "localprocess"  # each server as the trainee's own account
else:
    c.JupyterHub.spawner_class = "simple"  # every server as this account, in its own folder
    c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")


def home_of(spawner) -> tuple:
    """(home folder, uid, gid) of the account a server runs as."""
    if mode == "demo":
        return (Path(spawner.home_dir_template.format(username=spawner.user.name)),
                os.getuid(), os.getgid())
    import pwd

    account = pwd.getpwnam(spawner.user.name)
    return Path(account.pw_dir), account.pw_uid, account.pw_gid


def give_the_course(spawner) -> None:
    """Never as root; a home that is the trainee's alone; the lessons copied in once."""
    home, uid, gid = home_of(spawner)
    if uid == 0:
        raise RuntimeError(f"{spawner.user.name} is root: a trainee's server never runs as "
                           "root.")
    home.mkdir(parents=True, exist_ok=True)
    if mode == "class":
        os.chown(home, uid, gid)
        home.chmod(0o700)
    target = home / "htcds-learn"
    for folder in COURSE_FOLDERS:
        if not (target / folder).exists():
            shutil.copytree(REPOSITORY / folder, target / folder)
    for path in [target, *target.rglob("*")]:
        os.chown(path, uid, gid, follow_symlinks=False)
        if not path.is_symlink():
            path.chmod(0o700 if path.is_dir() else 0o600)


c.Spawner.pre_spawn_hook = give_the_course
