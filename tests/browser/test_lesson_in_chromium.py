"""A real browser: JupyterLab on 127.0.0.1, driven by Debian's Chromium through Playwright.

Lesson 01 is opened, run from top to bottom, and a self-check is answered; the widget's
feedback must appear. A screenshot is saved (to HTCDS_LEARN_ARTIFACTS when set, else the
test's temporary folder). Chromium is never downloaded: without /usr/bin/chromium the test
skips with that reason, unless HTCDS_LEARN_REQUIRE_BROWSER is set (as .ci/run does), when
it fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
LESSON = "01-meet-htcds.ipynb"


@pytest.fixture
def lab(tmp_path, free_port, need):
    """JupyterLab on a copy of the course (the browser saves notebooks; never the real ones)."""
    need(CHROMIUM.exists(), f"Debian's Chromium is not installed ({CHROMIUM}); "
                            "'apt-get install chromium' (.ci/run does)")
    course = tmp_path / "course"
    for folder in ("notebooks", "synthetic_data"):
        shutil.copytree(ROOT / folder, course / folder)
    # JupyterLab 4 only renders the cells on screen; the test reads outputs further down.
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port, token = free_port(), "browser-test-token"
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", f"--ServerApp.token={token}", f"--notebook-dir={course}",
               f"--LabApp.user_settings_dir={tmp_path / 'lab-settings'}",
               f"--LabApp.workspaces_dir={tmp_path / 'lab-workspaces'}",
               "--ServerApp.disable_check_xsrf=False", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    url = f"http://127.0.0.1:{port}"
    with open(tmp_path / "lab.log", "w") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=course)
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                    break
                except OSError:
                    if server.poll() is not None:
                        pytest.fail("JupyterLab stopped:\n" + (tmp_path / "lab.log").read_text())
                    time.sleep(0.5)
            yield {"url": url, "token": token, "course": course}
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def test_a_trainee_runs_lesson_01_and_answers_a_self_check(lab, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    artefacts = Path(os.environ.get("HTCDS_LEARN_ARTIFACTS", tmp_path))
    artefacts.mkdir(parents=True, exist_ok=True)

    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(240_000)  # a loaded CI machine
            page.goto(f"{lab['url']}/lab/tree/notebooks/{LESSON}?reset&token={lab['token']}")
            page.locator(".jp-Notebook").first.wait_for()
            # The status bar names the kernel only once the page is connected to it; a Run
            # All before that leaves every cell unrun (seen on a loaded machine).
            page.get_by_text("Python 3 (ipykernel) | Idle").first.wait_for()
            first_prompt = page.locator(".jp-CodeCell .jp-InputPrompt").first
            try:
                for _ in range(3):
                    page.get_by_role("menuitem", name="Run", exact=True).click()
                    page.get_by_text("Run All Cells", exact=True).click()
                    try:
                        page.wait_for_function(
                            "e => /\\d/.test(e.textContent)", arg=first_prompt.element_handle(),
                            timeout=60_000)
                        break
                    except playwright.TimeoutError:
                        continue  # nothing started: ask again
                # The last cell marks the lesson complete; its output means every cell ran.
                page.get_by_text("Lesson 01 is not finished yet").first.wait_for()
            except Exception:
                page.screenshot(path=str(artefacts / "lesson-01-failure.png"), full_page=True)
                print("Page text at failure:\n", page.inner_text("body")[-3000:])
                print("JupyterLab log:\n", (tmp_path / "lab.log").read_text()[-3000:])
                raise

            check = page.locator(".htcds-self-check").filter(
                has_text="Which text should the hotline")
            check.scroll_into_view_if_needed()
            check.get_by_label("Woman", exact=True).check()
            check.get_by_role("button", name="Check").click()
            check.locator("p").filter(has_text="✘ Not quite.").wait_for()
            check.get_by_label("Feminine", exact=True).check()
            check.get_by_role("button", name="Check").click()
            feedback = check.locator("p").filter(has_text="✔")
            feedback.wait_for()
            assert "✔" in feedback.inner_text()
            page.screenshot(path=str(artefacts / "lesson-01-self-check.png"), full_page=False)
            check.screenshot(path=str(artefacts / "lesson-01-self-check-widget.png"))
        finally:
            browser.close()
    assert (artefacts / "lesson-01-self-check.png").stat().st_size > 10_000
