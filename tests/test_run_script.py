"""The README's first command: `python3 run.py lab` opens JupyterLab on the welcome lesson."""

from __future__ import annotations

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
    assert ("Error: unknown action 'serve'. Use 'lab', 'test', 'setup' or 'wheelhouse'"
            in result.stderr)


@pytest.mark.slow
def test_lab_starts_on_the_welcome_lesson(repo, tmp_path):
    env_dir = Path(sys.prefix)
    if not (env_dir / ".htcds-learn-installed").exists():
        pytest.skip("the tests are not running in the environment run.py made")
    port = free_port()
    env = dict(os.environ, HTCDS_LEARN_VENV=str(env_dir))
    process = subprocess.Popen(
        [sys.executable, str(repo / "run.py"), "lab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        opener = urllib.request.build_opener(NoRedirect)
        deadline = time.monotonic() + 90
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
                assert time.monotonic() < deadline, "JupyterLab did not start in 90 s"
                time.sleep(0.5)
        assert location.startswith("/lab/tree/notebooks/00-welcome.ipynb")
        with urllib.request.urlopen(
                f"{base}/api/contents/notebooks/00-welcome.ipynb?token={TOKEN}",
                timeout=10) as response:
            assert response.status == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
