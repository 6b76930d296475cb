"""The class on JupyterHub: deploy/jupyterhub/ started for real on 127.0.0.1, and attacked.

The hub runs in class mode as root, with PAM and one Unix account per trainee (made for the
test and removed after it). Two trainees log in, each gets a server running as their own
account with the course in their home; the instructor releases ex01 through nbgrader's
exchange, amina submits it, and the instructor collects and grades it.

Then amina plays the mischievous trainee, with code run in her own server's kernel: she tries
to read bo's home, the course's hidden tests, the hub's cookie secret and database, bo's
server token from /proc; to open the admin page; to submit in bo's name. Every attempt must
fail; an account not on the class list cannot log in; nothing runs as root.

Needs root (to make accounts and switch to them) and the npm package configurable-http-proxy:
without them the test skips with the reason, or fails where HTCDS_LEARN_REQUIRE_BROWSER is
set (as .ci/run does).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from htcds_learn.course import Course, build
from htcds_learn.course.simulate import solution_answers
from htcds_learn.learn.lessons import exercise

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "jupyterhub"
ASSIGNMENT = "ex01-htcds-basics"
TOKEN = "course-test-service-token-" + secrets.token_hex(8)
SUFFIX = secrets.token_hex(2)
AMINA, BO, TEACH, EVE = (f"hta{SUFFIX}{name}" for name in ("amina", "bo", "teach", "eve"))
PASSWORD = "Hub-test-" + secrets.token_hex(6)


def wait_for(predicate, what: str, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def make_account(name: str, homes: Path) -> None:
    subprocess.run(["useradd", "--create-home", "--home-dir", str(homes / name),
                    "--shell", "/bin/sh", name], check=True, capture_output=True)
    subprocess.run(["chpasswd"], input=f"{name}:{PASSWORD}\n", text=True, check=True,
                   capture_output=True)


def remove_account(name: str) -> None:
    subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
    subprocess.run(["userdel", "--remove", name], capture_output=True)


@pytest.fixture(scope="module")
def hub(need, free_port):
    need(shutil.which("configurable-http-proxy") is not None,
         "configurable-http-proxy is not installed "
         "('npm install -g configurable-http-proxy'; .ci/run does)")
    need(hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("useradd") is not None,
         "the class hub test makes Unix accounts, which needs root on Linux")
    pytest.importorskip("jupyterhub")
    requests = pytest.importorskip("requests")
    # Homes and the exchange must be reachable by the trainees' accounts: not under pytest's
    # private temporary folder.
    tmp = Path(tempfile.mkdtemp(prefix="htcds-hub-test-"))
    tmp.chmod(0o755)
    homes, exchange, state = tmp / "home", tmp / "exchange", tmp / "state"
    homes.mkdir()
    homes.chmod(0o755)
    exchange.mkdir()
    exchange.chmod(0o1777)  # as nbgrader's docs ask: everyone writes, nobody removes others'
    course = Course.open(shutil.copytree(
        ROOT / "exercises", tmp / "course",
        ignore=shutil.ignore_patterns("release", "submitted", "autograded", "gradebook.db")))
    repository_exercises_mode = (ROOT / "exercises").stat().st_mode
    for name in (AMINA, BO, TEACH, EVE):
        make_account(name, homes)
    port = free_port()
    config = tmp / "test_config.py"
    config.write_text(
        f"load_subconfig({str(DEPLOY / 'jupyterhub_config.py')!r})\n"
        "c.JupyterHub.services = [{'name': 'course-test', 'api_token': "
        f"{TOKEN!r}}}]\n"
        "c.JupyterHub.load_roles = [{'name': 'course-test', 'services': ['course-test'], "
        "'scopes': ['admin:users', 'admin:servers', 'access:servers', "
        "'admin:server_state']}]\n")
    env = {**os.environ,
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "HTCDS_HUB_URL": f"http://127.0.0.1:{port}",
           "HTCDS_HUB_PROXY_API": f"http://127.0.0.1:{free_port()}",
           "HTCDS_HUB_API_PORT": str(free_port()),
           "HTCDS_HUB_STATE": str(state), "HTCDS_HUB_COURSE": str(course.root),
           "HTCDS_HUB_TRAINEES": f"{AMINA},{BO}", "HTCDS_HUB_INSTRUCTORS": TEACH,
           "HTCDS_NBGRADER_EXCHANGE": str(exchange)}
    url = env["HTCDS_HUB_URL"]
    api = requests.Session()
    api.headers["Authorization"] = f"token {TOKEN}"
    log_path = tmp / "hub.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f",
                                    str(config)], cwd=tmp, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)

        def up():
            if process.poll() is not None:
                pytest.fail("JupyterHub stopped:\n" + log_path.read_text()[-4000:])
            try:
                return api.get(f"{url}/hub/api/users", timeout=5).status_code == 200
            except requests.ConnectionError:
                return False

        try:
            wait_for(up, "JupyterHub to start", 300)
            yield {"url": url, "api": api, "env": env, "tmp": tmp, "exchange": exchange,
                   "course": course, "state": state, "homes": homes}
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            print(log_path.read_text()[-3000:])
            for name in (AMINA, BO, TEACH, EVE):
                remove_account(name)
            (ROOT / "exercises").chmod(repository_exercises_mode)
            shutil.rmtree(tmp, ignore_errors=True)


def log_in(hub, name: str, password: str = PASSWORD):
    """The login form, as a browser fills it (with its XSRF field); the session or None."""
    import requests

    browser = requests.Session()
    page = browser.get(f"{hub['url']}/hub/login", timeout=10)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
    form = {"username": name, "password": password,
            **({"_xsrf": xsrf.group(1)} if xsrf else {})}
    answer = browser.post(f"{hub['url']}/hub/login", data=form, timeout=60)
    if answer.status_code == 403:
        return None
    assert answer.status_code == 200, answer.text[:500]
    return browser


def start_server(hub, name: str) -> str:
    api, url = hub["api"], hub["url"]
    started = api.post(f"{url}/hub/api/users/{name}/server", timeout=60)
    assert started.status_code in (201, 202, 400), started.text  # 400: already starting

    def ready():
        user = api.get(f"{url}/hub/api/users/{name}", timeout=10).json()
        server = user.get("servers", {}).get("")
        return server and server.get("ready") and server["url"]

    path = wait_for(ready, f"{name}'s server", 120)
    return f"{hub['url']}{path}"


def run_in_server(hub, server: str, code: str) -> str:
    """Run ``code`` in a new kernel of ``server`` (as its trainee would); its printed text."""
    import websocket

    api = hub["api"]
    kernel = api.post(f"{server}api/kernels", json={"name": "python3"}, timeout=60).json()
    socket_url = server.replace("http://", "ws://") + f"api/kernels/{kernel['id']}/channels"
    connection = websocket.create_connection(
        socket_url, header=[f"Authorization: token {TOKEN}"], timeout=120)
    message_id = uuid.uuid4().hex
    connection.send(json.dumps({
        "header": {"msg_id": message_id, "msg_type": "execute_request", "username": "test",
                   "session": uuid.uuid4().hex, "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": False,
                    "user_expressions": {}, "allow_stdin": False}}))
    printed = []
    while True:
        message = json.loads(connection.recv())
        if message.get("parent_header", {}).get("msg_id") != message_id:
            continue
        kind = message["msg_type"]
        if kind == "stream":
            printed.append(message["content"]["text"])
        elif kind == "error":
            printed.append(f"{message['content']['ename']}: {message['content']['evalue']}")
        elif kind == "status" and message["content"]["execution_state"] == "idle":
            break
    connection.close()
    api.delete(f"{server}api/kernels/{kernel['id']}", timeout=30)
    return "".join(printed)


def instructor(hub, course: Course, *args: str) -> subprocess.CompletedProcess:
    env = {**hub["env"], "JUPYTER_CONFIG_PATH": str(DEPLOY)}
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course.root, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def classroom(hub):
    """Both trainees logged in with their servers up; ex01 released; amina has submitted."""
    servers = {}
    for name in (AMINA, BO):
        session = log_in(hub, name)
        assert session is not None, f"{name} could not log in"
        home = session.get(f"{hub['url']}/hub/home", timeout=10)
        assert home.status_code == 200 and name in home.text
        servers[name] = start_server(hub, name)
    course = hub["course"]
    build(course, [ASSIGNMENT])
    instructor(hub, course, "release_assignment", ASSIGNMENT)
    api = hub["api"]
    form = {"course_id": "htcds-learn", "assignment_id": ASSIGNMENT}
    fetched = api.post(f"{servers[AMINA]}assignments/fetch", data=form, timeout=60)
    assert fetched.status_code == 200, fetched.text
    path = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    model = api.get(f"{servers[AMINA]}api/contents/{path}", timeout=20).json()
    answers = solution_answers(course, ASSIGNMENT)
    for cell in model["content"]["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    saved = api.put(f"{servers[AMINA]}api/contents/{path}", timeout=20,
                    data=json.dumps({"type": "notebook", "content": model["content"]}))
    assert saved.status_code == 200, saved.text
    submitted = api.post(f"{servers[AMINA]}assignments/submit", data=form, timeout=60)
    assert submitted.status_code == 200 and "error" not in submitted.text.lower()[:200], \
        submitted.text
    return {"servers": servers, "session": log_in(hub, AMINA)}


def test_two_trainees_each_on_their_own_account_and_the_instructor_grades(hub, classroom):
    servers = classroom["servers"]
    assert servers[AMINA] != servers[BO]
    for name, server in servers.items():
        listing = hub["api"].get(f"{server}api/contents/htcds-learn/notebooks",
                                 timeout=20).json()
        assert "01-meet-htcds.ipynb" in {item["name"] for item in listing["content"]}
        who = run_in_server(hub, server, "import os, pwd\n"
                                         "print(pwd.getpwuid(os.getuid()).pw_name, os.getuid())")
        assert who.split()[0] == name and who.split()[1] != "0"  # never root
        home = hub["homes"] / name
        assert home.stat().st_mode & 0o077 == 0  # the home is the trainee's alone

    course = hub["course"]
    collected = instructor(hub, course, "collect", ASSIGNMENT)
    assert sorted(p.name for p in course.submitted.iterdir()) == [AMINA], collected.stderr
    result = subprocess.run([sys.executable, "-m", "htcds_learn.cli", "course", "--course",
                             str(course.root), "grade", ASSIGNMENT], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    full = exercise(ASSIGNMENT).total_points  # the right answers score every point
    assert re.search(rf"{ASSIGNMENT}\s+{AMINA}\s+{full:g}/{full:g}\s+graded\s", result.stdout), \
        result.stdout


READ = """
import glob
for path in {paths!r}:
    try:
        with open(path, "rb") as handle:
            print("READ", path, handle.read(60))
    except OSError as error:
        print("DENIED", path, type(error).__name__)
"""


def test_a_trainee_cannot_read_others_work_the_course_or_the_hubs_secrets(hub, classroom):
    bo_file = hub["homes"] / BO / "htcds-learn" / "notebooks" / "01-meet-htcds.ipynb"
    source = hub["course"].source / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    in_repository = ROOT / "exercises" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    secret = hub["state"] / "jupyterhub_cookie_secret"
    database = hub["state"] / "jupyterhub.sqlite"
    gradebook = hub["course"].gradebook_path
    paths = [str(p) for p in (bo_file, source, in_repository, secret, database, gradebook)]
    for path in paths:
        assert Path(path).exists(), path
    out = run_in_server(hub, classroom["servers"][AMINA], READ.format(paths=paths))
    assert "READ" not in out, out
    assert out.count("DENIED") == len(paths), out


def test_a_trainee_cannot_take_another_servers_token_from_proc(hub, classroom):
    import pwd

    bo_uid = pwd.getpwnam(BO).pw_uid
    pids = [p.name for p in Path("/proc").iterdir()
            if p.name.isdigit() and p.stat().st_uid == bo_uid]
    assert pids, "bo's server is not running"
    code = ("import os\nfound = 0\n"
            f"for pid in {pids!r}:\n"
            "    try:\n"
            "        data = open(f'/proc/{pid}/environ', 'rb').read()\n"
            "        found += b'JUPYTERHUB_API_TOKEN' in data\n"
            "    except OSError:\n"
            "        pass\n"
            "print('TOKENS', found)\n")
    out = run_in_server(hub, classroom["servers"][AMINA], code)
    assert "TOKENS 0" in out, out


def test_only_the_named_instructors_are_admins_and_only_the_class_logs_in(hub, classroom):
    session = classroom["session"]
    admin = session.get(f"{hub['url']}/hub/admin", timeout=10)
    assert admin.status_code == 403
    users = session.get(f"{hub['url']}/hub/api/users", timeout=10)
    assert users.status_code in (401, 403)
    assert log_in(hub, EVE) is None  # a real account on the machine, but not in the class
    assert log_in(hub, AMINA, "not-the-password") is None
    teacher = log_in(hub, TEACH)
    assert teacher is not None
    assert teacher.get(f"{hub['url']}/hub/admin", timeout=10).status_code == 200


def test_a_submission_in_another_trainees_name_is_not_collected(hub, classroom):
    code = (
        "import os, subprocess, sys\n"
        "os.chdir(os.path.expanduser('~'))\n"
        "env = dict(os.environ, NBGRADER_STUDENT_ID='" + BO + "')\n"
        "done = subprocess.run([sys.executable, '-m', 'nbgrader', 'submit', "
        f"'{ASSIGNMENT}', '--CourseDirectory.student_id={BO}'], env=env, "
        "capture_output=True, text=True)\n"
        "print('SUBMIT', done.returncode, done.stderr[-1500:])\n")
    out = run_in_server(hub, classroom["servers"][AMINA], code)
    assert "SUBMIT 0" in out, out  # nbgrader's own submit lets it through...
    inbound = hub["exchange"] / "htcds-learn" / "inbound"
    assert any(p.name.startswith(f"{BO}+") for p in inbound.iterdir())
    course = hub["course"]
    collected = instructor(hub, course, "collect", "--update", ASSIGNMENT)
    assert not (course.submitted / BO).exists()  # ...but it is not collected as bo's
    assert "Not collected" in collected.stdout + collected.stderr


def test_demo_mode_only_on_127_0_0_1_and_never_as_root(tmp_path):
    def start(**settings):
        env = {**os.environ, "HTCDS_HUB_STATE": str(tmp_path / "state"), **settings}
        return subprocess.run([str(Path(sys.executable).parent / "jupyterhub"), "-f",
                               str(DEPLOY / "jupyterhub_config.py"), "--show-config"],
                              env=env, capture_output=True, text=True, timeout=120)

    outside = start(HTCDS_HUB_MODE="demo", HTCDS_HUB_PASSWORD="x",
                    HTCDS_HUB_URL="http://0.0.0.0:8000")
    assert outside.returncode != 0
    assert "refusing to start" in outside.stderr
    if os.geteuid() == 0:
        assert "as root that would be root" in outside.stderr
    else:
        assert "must listen on 127.0.0.1 only" in outside.stderr
    shared = start(HTCDS_HUB_AUTH="pam", HTCDS_HUB_SPAWNER="shared")
    assert shared.returncode != 0 and "HTCDS_HUB_AUTH and HTCDS_HUB_SPAWNER are gone" in \
        shared.stderr
    nobody = start(HTCDS_HUB_MODE="class")
    assert nobody.returncode != 0 and "nobody else may log in" in nobody.stderr \
        or "needs the hub to run as root" in nobody.stderr
