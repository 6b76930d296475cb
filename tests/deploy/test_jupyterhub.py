"""The class on JupyterHub: deploy/jupyterhub/ started for real on 127.0.0.1.

The hub (dummy authenticator, the shared-account local spawner, the proxy from the npm
package configurable-http-proxy) logs two trainees in; each gets a server of their own with
the course in their home. The instructor releases ex01 through nbgrader's exchange, one
trainee fetches it, answers and submits it from their server, and the instructor collects and
grades it with `htcds-learn course grade`. Without the proxy the test skips with the reason,
unless HTCDS_LEARN_REQUIRE_BROWSER is set (as .ci/run does), when it fails instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from htcds_learn.course import Course, build
from htcds_learn.course.simulate import solution_answers

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "jupyterhub"
ASSIGNMENT = "ex01-htcds-basics"
PASSWORD = "rehearsal-password"
TOKEN = "course-test-service-token-0123456789"


def wait_for(predicate, what: str, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def hub(tmp_path_factory, need, free_port):
    need(shutil.which("configurable-http-proxy") is not None,
         "configurable-http-proxy is not installed "
         "('npm install -g configurable-http-proxy'; .ci/run does)")
    pytest.importorskip("jupyterhub")
    requests = pytest.importorskip("requests")
    tmp = tmp_path_factory.mktemp("hub")
    exchange = tmp / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)  # as nbgrader's docs ask: everyone writes, nobody removes others'
    port = free_port()
    config = tmp / "test_config.py"
    config.write_text(
        f"load_subconfig({str(DEPLOY / 'jupyterhub_config.py')!r})\n"
        "c.JupyterHub.services = [{'name': 'course-test', 'api_token': "
        f"{TOKEN!r}}}]\n"
        "c.JupyterHub.load_roles = [{'name': 'course-test', 'services': ['course-test'], "
        "'scopes': ['admin:users', 'admin:servers', 'access:servers']}]\n")
    env = {**os.environ,
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "HTCDS_HUB_URL": f"http://127.0.0.1:{port}",
           "HTCDS_HUB_PROXY_API": f"http://127.0.0.1:{free_port()}",
           "HTCDS_HUB_API_PORT": str(free_port()),
           "HTCDS_HUB_STATE": str(tmp / "state"), "HTCDS_HUB_HOMES": str(tmp / "home"),
           "HTCDS_HUB_AUTH": "dummy", "HTCDS_HUB_PASSWORD": PASSWORD,
           "HTCDS_HUB_INSTRUCTORS": "instructor",
           "HTCDS_NBGRADER_EXCHANGE": str(exchange)}
    url = env["HTCDS_HUB_URL"]
    api = requests.Session()
    api.headers["Authorization"] = f"token {TOKEN}"
    with open(tmp / "hub.log", "w") as log:
        process = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f",
                                    str(config)], cwd=tmp, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)

        def up():
            if process.poll() is not None:
                pytest.fail("JupyterHub stopped:\n" + (tmp / "hub.log").read_text()[-4000:])
            try:
                return api.get(f"{url}/hub/api/users", timeout=5).status_code == 200
            except requests.ConnectionError:
                return False

        try:
            wait_for(up, "JupyterHub to start", 90)
            yield {"url": url, "api": api, "env": env, "tmp": tmp, "exchange": exchange}
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            print((tmp / "hub.log").read_text()[-3000:])


def log_in(hub, name: str, password: str = PASSWORD):
    """The login form, as a browser fills it (with its XSRF field); the session or None."""
    import requests

    browser = requests.Session()
    page = browser.get(f"{hub['url']}/hub/login", timeout=10)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
    form = {"username": name, "password": password,
            **({"_xsrf": xsrf.group(1)} if xsrf else {})}
    answer = browser.post(f"{hub['url']}/hub/login", data=form, timeout=60)
    if answer.status_code == 403 and "Invalid username or password" in answer.text:
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
    return f"{url}{path}"


def instructor(hub, course: Course, *args: str) -> str:
    env = {**hub["env"], "JUPYTER_CONFIG_PATH": str(DEPLOY)}
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course.root, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_two_trainees_one_submits_and_the_instructor_grades_it(hub, tmp_path):
    api = hub["api"]
    servers = {}
    assert log_in(hub, "amina", "not-the-password") is None
    for name in ("amina", "bo"):
        session = log_in(hub, name)
        home = session.get(f"{hub['url']}/hub/home", timeout=10)
        assert home.status_code == 200 and name in home.text
        servers[name] = start_server(hub, name)
    assert servers["amina"] != servers["bo"]
    for name, server in servers.items():
        listing = api.get(f"{server}api/contents/htcds-learn/notebooks", timeout=20).json()
        names = {item["name"] for item in listing["content"]}
        assert "01-meet-htcds.ipynb" in names, f"{name}'s server has no course"
        assert (hub["tmp"] / "home" / name / "htcds-learn" / "notebooks").is_dir()

    course = Course.open(shutil.copytree(
        ROOT / "exercises", tmp_path / "course",
        ignore=shutil.ignore_patterns("release", "submitted", "autograded", "gradebook.db")))
    build(course, [ASSIGNMENT])
    instructor(hub, course, "release_assignment", ASSIGNMENT)

    form = {"course_id": "htcds-learn", "assignment_id": ASSIGNMENT}
    fetched = api.post(f"{servers['amina']}assignments/fetch", data=form, timeout=60)
    assert fetched.status_code == 200, fetched.text
    path = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    model = api.get(f"{servers['amina']}api/contents/{path}", timeout=20).json()
    answers = solution_answers(course, ASSIGNMENT)
    for cell in model["content"]["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    saved = api.put(f"{servers['amina']}api/contents/{path}", timeout=20,
                    data=json.dumps({"type": "notebook", "content": model["content"]}))
    assert saved.status_code == 200, saved.text
    submitted = api.post(f"{servers['amina']}assignments/submit", data=form, timeout=60)
    assert submitted.status_code == 200 and "error" not in submitted.text.lower()[:200], \
        submitted.text

    instructor(hub, course, "collect", ASSIGNMENT)
    assert sorted(p.name for p in course.submitted.iterdir()) == ["amina"]  # not "root"
    result = subprocess.run([sys.executable, "-m", "htcds_learn.cli", "course", "--course",
                             str(course.root), "grade", ASSIGNMENT], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(rf"{ASSIGNMENT}\s+amina\s+10/10\s+graded", result.stdout), result.stdout
