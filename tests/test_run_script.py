"""The README's first command: `python3 run.py lab` opens the trainee's workspace on the welcome
lesson, without nbgrader's instructor menus; a lean install; `run.py reset`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

TOKEN = "htcds-learn-test-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_run_py_help_and_unknown_action(repo):
    result = subprocess.run([sys.executable, str(repo / "run.py"), "--help"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "python3 run.py lab" in result.stdout
    result = subprocess.run([sys.executable, str(repo / "run.py"), "serve"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "Error: unknown action 'serve'. Use 'lab', 'reset', 'test'" in result.stderr
    result = subprocess.run([sys.executable, str(repo / "run.py"), "reset"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "say which lesson or exercise to reset" in result.stderr


def load_run_py(repo):
    import importlib.util

    spec = importlib.util.spec_from_file_location("run_py_under_test", repo / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_py_with_empty_venv(repo, tmp_path, monkeypatch):
    """run.py, pointed at an environment that exists but has nothing installed."""
    run = load_run_py(repo)
    env = tmp_path / "venv"
    python = run.venv_python(env)
    python.parent.mkdir(parents=True)
    python.write_text("")
    monkeypatch.setenv("HTCDS_LEARN_VENV", str(env))
    return run, env


@pytest.mark.parametrize("action_extras, installed", [
    ((), "htcds-learn"), (("test",), "htcds-learn[test]")])
def test_lab_installs_only_the_course_and_test_adds_the_test_tools(
        repo, tmp_path, monkeypatch, action_extras, installed):
    run, _ = run_py_with_empty_venv(repo, tmp_path, monkeypatch)
    monkeypatch.delenv("HTCDS_LEARN_WHEELHOUSE", raising=False)
    monkeypatch.setattr(run, "wheelhouse", lambda: None)
    calls = []
    monkeypatch.setattr(run.subprocess, "call", lambda command, **_: calls.append(command) or 0)
    run.ensure_environment(action_extras)
    # First the pinned pip (the bundled one is slow), then the course with it.
    assert calls[0][-1] == run.PIP and len(calls) == 2
    target = calls[1][calls[1].index("--editable") + 1]
    assert target.replace(str(run.ROOT), "htcds-learn") == installed
    # Installed once: the same request again installs nothing; asking for more installs more.
    run.ensure_environment(action_extras)
    assert len(calls) == 2
    run.ensure_environment(("test",))
    assert calls[-1][calls[-1].index("--editable") + 1].endswith("[test]")


def test_set_up_goes_on_with_the_bundled_pip_when_the_pinned_one_cannot_be_had(
        repo, tmp_path, monkeypatch, capsys):
    run, _ = run_py_with_empty_venv(repo, tmp_path, monkeypatch)
    monkeypatch.setattr(run, "wheelhouse", lambda: tmp_path)
    calls = []
    monkeypatch.setattr(run.subprocess, "call", lambda command, **_: calls.append(command) or (
        1 if command[-1] == run.PIP else 0))
    run.ensure_environment(())
    assert "--editable" in calls[-1] and "--no-index" in calls[0] and "--no-index" in calls[-1]
    assert f"Could not install {run.PIP}; going on" in capsys.readouterr().out


def test_set_up_removes_the_iri_parser_that_slows_every_jupyter_start(repo, tmp_path,
                                                                     monkeypatch):
    run, env = run_py_with_empty_venv(repo, tmp_path, monkeypatch)
    (env / ".htcds-learn-installed").write_text(f"{run.install_fingerprint()} \n")
    installed = env / "lib" / "python3.11" / "site-packages" / "rfc3987_syntax-1.1.0.dist-info"
    installed.mkdir(parents=True)
    calls = []
    monkeypatch.setattr(run.subprocess, "call", lambda command, **_: calls.append(command) or 0)
    run.ensure_environment(())
    assert [c[c.index("uninstall"):] for c in calls if "uninstall" in c] == [
        ["uninstall", "--disable-pip-version-check", "--yes", "--quiet", "rfc3987-syntax"]]
    installed.rmdir()  # what pip does
    run.ensure_environment(())
    assert len(calls) == 1


def test_jupyter_tools_start_without_building_the_iri_parser():
    """nbformat (every nbgrader command, every lesson run) pulls in jsonschema's format
    checks; with rfc3987-syntax installed that import alone took 2.6 s here."""
    if not (Path(sys.prefix) / ".htcds-learn-installed").exists():
        pytest.skip("the tests are not running in the environment run.py made")
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, nbformat, nbgrader.apps, jupyter_events.logger;"
         "print(sorted(m for m in sys.modules if m.split('.')[0] in "
         "('rfc3987_syntax', 'lark')))"], capture_output=True, text=True, timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "[]"


@pytest.mark.slow
def test_lab_starts_on_the_welcome_lesson(repo, tmp_path):
    env_dir = Path(sys.prefix)
    if not (env_dir / ".htcds-learn-installed").exists():
        pytest.skip("the tests are not running in the environment run.py made")
    port = free_port()
    space = tmp_path / "workspace"
    env = dict(os.environ, HTCDS_LEARN_VENV=str(env_dir), HTCDS_LEARN_WORKSPACE=str(space))
    process = subprocess.Popen(
        [sys.executable, str(repo / "run.py"), "lab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        opener = urllib.request.build_opener(NoRedirect)
        deadline = time.monotonic() + 300  # the first start builds the workspace
        while True:
            try:
                response = opener.open(f"{base}/?token={TOKEN}", timeout=5)
                location = response.headers.get("Location", "")
                break
            except urllib.error.HTTPError as redirect:
                location = redirect.headers.get("Location", "")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                assert process.poll() is None, process.stdout.read().decode()
                assert time.monotonic() < deadline, "JupyterLab did not start in 300 s"
                time.sleep(0.5)
        assert location.startswith("/lab/tree/lessons/00-welcome.ipynb")

        def status(path):
            try:
                with urllib.request.urlopen(f"{base}{path}?token={TOKEN}", timeout=30) as reply:
                    return reply.status, reply.read().decode()
            except urllib.error.HTTPError as error:
                return error.code, ""

        assert status("/api/contents/lessons/00-welcome.ipynb")[0] == 200
        code, listing = status("/api/contents")
        assert sorted(item["name"] for item in json.loads(listing)["content"]) == [
            "data", "exercises", "lessons", "my-files"]
        for hidden in ("/api/contents/tests", "/api/contents/exercises/source",
                       "/api/contents/run.py", "/formgrader", "/assignments",
                       "/nbgrader_version"):
            assert status(hidden)[0] == 404, hidden
        page = status("/lab")[1]
        data = page.split('id="jupyter-config-data"', 1)[1].split(">", 1)[1]
        config = json.loads(data.split("</script>")[0])
        assert "@jupyter/nbgrader" in config["disabledExtensions"]
        assert (space / "lessons" / "00-welcome.ipynb").exists()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
