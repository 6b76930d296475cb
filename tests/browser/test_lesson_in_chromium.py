"""A trainee's day in a real browser: JupyterLab on 127.0.0.1, driven by Debian's Chromium.

The server is the one `run.py lab` starts: the trainee's workspace and settings. The test walks
every lesson (Run All, no error output, every chart an image, one self-check answered wrong
then right, saved), looks at the file browser (no tests, no solutions), checks an exercise with
its *Check my work* cell, then restarts the server and reopens lesson 00: no "model not found",
and its self-checks work again once run. Screenshots are kept (in HTCDS_LEARN_ARTIFACTS when set,
else the test's temporary folder). Chromium is never downloaded: without /usr/bin/chromium the
test skips with that reason, unless HTCDS_LEARN_REQUIRE_BROWSER is set (as .ci/run does).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import htcds_learn as hl
from htcds_learn.learn import bank, plots, workspace
from htcds_learn.learn.lessons import LESSONS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
# The front door's names for the lesson pictures (as the lesson test finds them).
PICTURES = [name for name in hl.__all__
            if getattr(getattr(hl, name), "__module__", "") == plots.__name__]
PICTURE_CALL = re.compile(r"\bhl\.(" + "|".join(PICTURES) + r")\(")
EXERCISE = "ex01-htcds-basics"


def pictures_in(lesson) -> int:
    notebook = json.loads((ROOT / "notebooks" / lesson.notebook).read_text("utf-8"))
    return sum(bool(PICTURE_CALL.search("".join(cell["source"])))
               for cell in notebook["cells"] if cell["cell_type"] == "code")


class Lab:
    """JupyterLab as run.py starts it for a trainee, on a workspace in a temporary folder."""

    def __init__(self, space: Path, state: Path, port: int) -> None:
        self.space, self.state, self.port = space, state, port
        self.token = "browser-test-token"
        self.url = f"http://127.0.0.1:{port}"
        self.server: subprocess.Popen | None = None

    def start(self) -> None:
        # The trainee's own JupyterLab settings (run.py's), plus one for the test:
        settings = self.space / ".jupyter/lab/user-settings/@jupyterlab/notebook-extension"
        settings.mkdir(parents=True, exist_ok=True)
        # JupyterLab 4 only renders the cells on screen; the test reads outputs further down.
        (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(self.space / ".jupyter"),
                   HTCDS_LEARN_WORKSPACE=str(self.space), HTCDS_LEARN_COURSE=str(ROOT),
                   HTCDS_LEARN_HOME=str(self.state / "home"))
        command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.space}",
                   f"--LabApp.workspaces_dir={self.state / 'lab-workspaces'}"]
        if os.geteuid() == 0:
            command.append("--allow-root")
        self.log = open(self.state / "lab.log", "a")  # noqa: SIM115 - closed in stop()
        self.server = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT,
                                       cwd=self.space, env=env)
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2)
                return
            except OSError:
                if self.server.poll() is not None:
                    pytest.fail("JupyterLab stopped:\n" + (self.state / "lab.log").read_text())
                time.sleep(0.5)
        pytest.fail("JupyterLab did not answer in 120 s")

    def stop(self) -> None:
        if self.server:
            self.server.terminate()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
            self.log.close()
            self.server = None

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(f"{self.url}{path}?token={self.token}", method=method)
        with urllib.request.urlopen(request, timeout=30) as reply:
            body = reply.read()
            return json.loads(body) if body else None

    def stop_kernels(self) -> None:
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")


@pytest.fixture
def lab(tmp_path, free_port, need):
    need(CHROMIUM.exists(), f"Debian's Chromium is not installed ({CHROMIUM}); "
                            "'apt-get install chromium' (.ci/run does)")
    space = tmp_path / "workspace"
    built = workspace.Workspace(ROOT, space)
    built.prepare()
    workspace.trainee_settings(space, Path(sys.executable).parent)
    server = Lab(space, tmp_path, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def open_and_run_all(page, lab: Lab, path: str, playwright) -> None:
    """Open a notebook alone on screen, wait for its kernel, and run every cell."""
    page.goto(f"{lab.url}/lab/tree/{path}?reset&token={lab.token}")
    page.locator(".jp-Notebook").first.wait_for()
    # The status bar names the kernel only once the page is connected to it; a Run All before
    # that leaves every cell unrun (seen on a loaded machine).
    page.get_by_text("Python 3 (ipykernel) | Idle").first.wait_for()
    first_prompt = page.locator(".jp-CodeCell .jp-InputPrompt").first
    for _ in range(3):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        try:
            page.wait_for_function("e => /\\d/.test(e.textContent)",
                                   arg=first_prompt.element_handle(), timeout=60_000)
            return
        except playwright.TimeoutError:
            continue  # nothing started: ask again


def answer_wrong_then_right(page, question: bank.Question) -> object:
    """Answer a single-choice self-check wrong, see the hint, then right, see the tick."""
    answer = question.answer()
    wrong = next(option for option in question.options if option != answer)
    check = page.locator(".htcds-self-check").filter(has_text=question.question[:40])
    check.scroll_into_view_if_needed()
    check.get_by_label(wrong, exact=True).check()
    check.get_by_role("button", name="Check").click()
    check.locator("p").filter(has_text="✘ Not quite.").wait_for()
    assert question.feedback(wrong)[:30] in check.inner_text()
    check.get_by_label(answer, exact=True).check()
    check.get_by_role("button", name="Check").click()
    check.locator("p").filter(has_text="✔ Correct!").wait_for()
    return check


def assert_clean_outputs(page, where: str) -> None:
    errors = page.locator(".jp-OutputArea-output[data-mime-type="
                          "'application/vnd.jupyter.stderr']")
    assert errors.count() == 0, f"{where}: {errors.first.inner_text()[:500]}"
    body = page.inner_text("body")
    assert "Error displaying widget" not in body and "<Figure size" not in body, where


@pytest.mark.long(seconds=435)
def test_a_trainee_walks_every_lesson_checks_an_exercise_and_comes_back_next_day(lab, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    shots = Path(os.environ.get("HTCDS_LEARN_ARTIFACTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)

    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.set_default_timeout(240_000)  # a loaded CI machine
        try:
            for lesson in LESSONS:
                open_and_run_all(page, lab, f"lessons/{lesson.notebook}", playwright)
                # The last cell says how far the lesson is; its output means every cell ran.
                page.get_by_text(f"Lesson {lesson.number} is not finished yet").first.wait_for()
                assert_clean_outputs(page, lesson.notebook)
                images = page.locator(".jp-OutputArea-output img")
                assert images.count() == pictures_in(lesson), lesson.notebook
                for index in range(images.count()):
                    assert images.nth(index).evaluate("i => i.complete && i.naturalWidth > 300")
                if images.count():
                    images.first.scroll_into_view_if_needed()
                    images.first.screenshot(path=str(shots / f"chart-{lesson.number}.png"))
                single = [q for q in bank.questions(lesson.number) if q.kind == "single"]
                check = answer_wrong_then_right(page, single[0])
                check.screenshot(path=str(shots / f"self-check-{lesson.number}.png"))
                page.keyboard.press("Control+s")  # saved, as JupyterLab would within minutes
                page.wait_for_timeout(1500)
                lab.stop_kernels()

            # The file browser: the trainee's folders only.
            page.goto(f"{lab.url}/lab/tree/lessons/00-welcome.ipynb?reset&token={lab.token}")
            page.locator(".jp-DirListing-item").first.wait_for()
            page.locator(".jp-BreadCrumbs-home").click()
            page.get_by_title("Name: exercises", exact=False).first.wait_for()
            names = page.locator(".jp-DirListing-itemName").all_inner_texts()
            assert sorted(names) == ["data", "exercises", "lessons", "my-files"], names
            page.locator(".jp-FileBrowser").screenshot(path=str(shots / "file-browser.png"))
            assert "Nbgrader" not in page.locator("#jp-menu-panel").inner_text()
            assert page.get_by_text("official Jupyter news").count() == 0  # no news prompt

            # A self-paced exercise: a wrong answer typed, saved, and checked.
            open_and_run_all(page, lab, f"exercises/{EXERCISE}/{EXERCISE}.ipynb", playwright)
            answer = page.locator(".jp-CodeCell").filter(has_text="YOUR CODE HERE").first
            answer.locator(".cm-content").click()
            page.keyboard.press("Control+a")
            page.keyboard.insert_text('intake_mapping = {"Given name": "prs_FirstName"}')
            page.keyboard.press("Control+s")
            page.wait_for_timeout(1500)
            check_cell = page.locator(".jp-CodeCell").filter(has_text="hl.check_exercise(")
            check_cell.locator(".cm-content").click()
            page.keyboard.press("Shift+Enter")
            verdict = page.locator(".htcds-exercise-check").first
            verdict.wait_for()
            text = check_cell.inner_text()
            assert "0 of 3 visible checks passed" in text
            assert "These questions have no answer yet" in text and "Not tried yet." in text
            assert "Worked answer: Task 1" in text and "Worked answer: Task 2" not in text
            check_cell.screenshot(path=str(shots / "exercise-check.png"))
            lab.stop_kernels()
        except Exception:
            page.screenshot(path=str(shots / "failure.png"), full_page=True)
            print("Page text at failure:\n", page.inner_text("body")[-3000:])
            print("JupyterLab log:\n", (tmp_path / "lab.log").read_text()[-3000:])
            raise

        # The next day: the server restarts, and lesson 00 comes back without errors.
        lab.stop()
        lab.start()
        try:
            page.goto(f"{lab.url}/lab/tree/lessons/00-welcome.ipynb?reset&token={lab.token}")
            page.get_by_text("Python 3 (ipykernel) | Idle").first.wait_for()
            page.get_by_text("Run this cell (Shift + Enter) to show it again").first.wait_for()
            assert_clean_outputs(page, "lesson 00 reopened")
            page.screenshot(path=str(shots / "lesson-00-reopened.png"))
            open_and_run_all(page, lab, "lessons/00-welcome.ipynb", playwright)
            page.get_by_text("Lesson 00 is not finished yet").first.wait_for()
            questions = bank.questions("00")
            check = answer_wrong_then_right(page, questions[1])
            check.screenshot(path=str(shots / "self-check-00-after-restart.png"))
            # The progress table updated itself: lesson 00 has 2 of 3 tried now.
            assert "2 of 3" in page.locator(".htcds-progress").first.inner_text()
        except Exception:
            page.screenshot(path=str(shots / "failure-after-restart.png"), full_page=True)
            print("JupyterLab log:\n", (tmp_path / "lab.log").read_text()[-3000:])
            raise
        finally:
            browser.close()
    assert (shots / "chart-01.png").stat().st_size > 10_000
