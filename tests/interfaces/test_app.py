"""The browser app (``regime-sim viz``), served for real and driven in headless Chromium.

Needs the app's extra (Solara, Playwright) and Debian's ``chromium``; CI installs both
(``.ci/run``). Without them the browser test is skipped and says why (under CI it fails). The screenshot is
written to ``test-artifacts/app.png``.
"""

import inspect
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

solara = pytest.importorskip("solara", reason="the app extra is not installed: pip install -e '.[test]'")
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")

from sim.interfaces import app, viz  # noqa: E402

CHROMIUM = os.environ.get("REGIME_SIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WAIT_MS = 60_000


def test_status_line_says_when_and_why_the_regime_fell(monkeypatch):
    monkeypatch.setattr(app, "SCALE", 0.02)
    app.experiment.cache_clear()
    model = app.ClassroomModel()
    assert "the takeover" in app.status(model)
    model.step()
    assert app.status(model).startswith("Status: 2021-08, month 1 of") and "IS-K" in app.status(model)
    model.regime_survives, model.fall_month, model.fall_cause = False, 0, "fiscal collapse"
    assert app.status(model) == "Status: the regime fell in 2021-08 (fiscal collapse), 1 months after the takeover."


def test_sliders_left_alone_keep_the_scenario_and_moved_ones_change_it():
    app.experiment.cache_clear()
    default = app.ClassroomModel()
    assert default.params == app.experiment().params  # schedules (baseline's crackdown) kept
    moved = app.ClassroomModel(moderation=1.0, replicate=3)
    assert moved.params["policy.moderation"] == 1.0
    sliders = app.model_params()
    assert set(app.LEVERS) <= set(sliders) and "replicate" in sliders
    # Mesa builds the model from the sliders' names: each must be an argument of the model
    assert set(sliders) <= set(inspect.signature(app.ClassroomModel).parameters)
    assert app.draw_map(default, "Taliban control").axes


def test_viz_refuses_a_bad_scenario_with_one_line(capsys):
    from sim.interfaces.cli import main

    assert main(["viz", "no_such_scenario", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no_such_scenario" in err and "no such scenario" in err


def test_viz_serves_the_app_module_offline():
    cmd = viz.command("baseline", "127.0.0.1", 9999, open_browser=False)
    assert cmd[1:5] == ["-m", "solara", "run", "sim.interfaces.app"] and "--no-check-version" in cmd and "--no-open" in cmd
    env = viz.environment("baseline")
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False" and env[viz.SCENARIO_VARIABLE].endswith("baseline.toml")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    process = subprocess.Popen(viz.command("baseline", "127.0.0.1", port, open_browser=False),
                               env=viz.environment("baseline"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the app did not start:\n" + process.stdout.read().decode(errors="replace"))
            time.sleep(0.5)
    yield url
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        message = f"no Chromium at {CHROMIUM}: apt-get install chromium (CI installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must run the browser test
        pytest.skip(message)
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser, url):
    """A fresh browser session on the app, recording console errors and any request that leaves the machine."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: problems.append(f"request off the machine: {r.url}")
            if not r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) else None)
    page.goto(url)
    page.get_by_text("Status:").wait_for(timeout=WAIT_MS)
    return page, problems


def _status(page) -> str:
    return page.get_by_text("Status:").inner_text()


def _step_to(page, month: int) -> str:
    page.get_by_role("button", name="Step").click()
    page.get_by_text(f"month {month} of").wait_for(timeout=WAIT_MS)  # clicks are handled asynchronously
    return _status(page)


@pytest.mark.slow
def test_the_app_in_a_real_browser(server, browser):
    page, problems = _open(browser, server)
    assert "the takeover" in _status(page)
    assert page.get_by_text("Provinces, 2021-08").count() or page.locator("img").count()

    first = _step_to(page, 1)
    second = _step_to(page, 2)
    assert first != second

    # a second student's session has its own model, still at the takeover
    other, other_problems = _open(browser, server)
    assert "the takeover" in _status(other)
    assert "month 2 of" in _status(page)

    # move the moderation slider to its end, reset, step: a different run
    slider = page.locator(".v-input", has_text="moderation").locator(".v-slider__thumb-container")
    slider.focus()
    page.keyboard.press("End")
    page.get_by_role("button", name="Reset").click()
    page.get_by_text("the takeover").wait_for(timeout=WAIT_MS)
    moved = _step_to(page, 1)
    assert moved != first, "moving the moderation slider and resetting should change the run"

    # play runs on by itself, pause stops it
    page.get_by_role("button", name="▶").click()
    page.get_by_text("month 4 of").wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name="❚❚").click()

    page.get_by_text("IS-K presence").first.wait_for(timeout=WAIT_MS)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "app.png", full_page=True)
    assert not problems + other_problems, "\n".join(problems + other_problems)
