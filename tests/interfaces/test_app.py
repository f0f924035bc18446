"""The browser app (``regime-sim viz``), served for real and driven in headless Chromium.

Needs the app's extra (Solara, Playwright) and Debian's ``chromium``; CI installs both
(``.ci/run``). Without them the browser test is skipped and says why (under CI it fails). The screenshot is
written to ``test-artifacts/app.png``.
"""

import inspect
import os
import re
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


def test_after_the_fall_the_step_button_says_so_and_the_run_stops_there(monkeypatch):
    fragile = app.load("baseline").set(scale=0.02).set({"survival.threshold_mean": 0.2,
                                                        "survival.threshold_spread": 0.05})
    monkeypatch.setattr(app, "experiment", lambda: fragile)
    run = app.Run(app.starting_values())
    assert app.step_label(run.model) == "Step"
    run.ask(run.model.months)
    run.catch_up()
    model = run.model
    assert not model.regime_survives and not model.running and run.done == model.fall_month + 1 < model.months
    assert app.step_label(model) == f"The regime fell in {app.month_date(model.fall_month)}"
    run.ask(1)
    run.catch_up()  # a click after the fall: nothing happens, nothing breaks
    assert run.done == model.fall_month + 1 and len(app.records(model)) == model.fall_month + 1
    with pytest.raises(RuntimeError, match="a run ends at the regime's fall"):
        model.step()


def test_sliders_left_alone_keep_the_scenario_and_moved_ones_change_it():
    app.experiment.cache_clear()
    default = app.ClassroomModel()
    assert default.params == app.experiment().params  # schedules (baseline's crackdown) kept
    moved = app.ClassroomModel(moderation=1.0, replicate=3)
    assert moved.params["policy.moderation"] == 1.0
    sliders = {s.name: s for s in app.sliders()}
    assert set(app.LEVERS) <= set(sliders) and "replicate" in sliders
    # the model is built from the sliders' names: each must be an argument of the model
    assert set(sliders) <= set(inspect.signature(app.ClassroomModel).parameters)
    assert set(app.starting_values()) == set(sliders)


def test_sliders_are_labelled_with_their_value_unit_and_meaning():
    sliders = {s.name: s for s in app.sliders()}
    assert sliders["moderation"].label(0.1) == "Moderation: 0.10 (0-1)"
    assert sliders["humanitarian_aid"].label(1.07) == "Humanitarian aid: 1.07 (× documented)"
    assert sliders["moderation"].ends() == "0 = the documented hard line; 1 = full: girls' schools, women's work"
    assert sliders["replicate"].label(3) == "Replicate (which random seed): 3"
    assert len(app.WHAT_TO_TRY) == 3


def test_the_map_draws_every_province_inside_its_own_tile():
    from matplotlib.path import Path as Outline

    from sim.model import geography

    app.experiment.cache_clear()
    shapes, xy = app.province_shapes(), geography.coordinates()
    assert len(shapes) == len(xy) == 34
    for shape, centre in zip(shapes, xy):
        assert Outline(shape).contains_point(centre)  # each province's tile holds its own centre
    fig = app.draw_map(app.ClassroomModel(), "Taliban control")
    assert "Schematic" in fig.get_supxlabel() and len(fig.axes[0].texts) == 34


def test_steps_asked_while_busy_are_all_done():
    app.experiment.cache_clear()
    run = app.Run(app.starting_values())
    for _ in range(3):  # three clicks before the page draws again
        run.ask(1)
    run.catch_up()
    assert run.done == 3
    run.reset(app.starting_values() | {"moderation": 1.0})
    assert run.done == 0 and run.model.params["policy.moderation"] == 1.0


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
def server(tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("app") / "server.log"
    process = subprocess.Popen(viz.command("baseline", "127.0.0.1", port, open_browser=False),
                               env=viz.environment("baseline"), stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the app did not start:\n" + log.read_text(errors="replace"))
            time.sleep(0.5)
    yield url, log
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


def _months_run(page) -> int:
    return int(re.search(r"Months run: (\d+)", page.get_by_text("Months run:").inner_text()).group(1))


@pytest.mark.slow
def test_the_app_in_a_real_browser(server, browser):
    url, log = server
    page, problems = _open(browser, url)
    assert "the takeover" in _status(page)
    page.locator("img").first.wait_for(timeout=WAIT_MS)  # the map, drawn in the background
    # only the model's controls, and a short guide
    for internal in ("Play Interval", "Render Interval", "Use Threads", "Page 0"):
        assert page.get_by_text(internal).count() == 0, f"Mesa's {internal!r} is shown"
    page.get_by_text("What to try").wait_for(timeout=WAIT_MS)

    # three quick clicks: three months, none lost while the app is busy drawing
    step = page.get_by_role("button", name="Step")
    for _ in range(3):
        step.click()
    page.get_by_text("month 3 of").wait_for(timeout=WAIT_MS)
    page.get_by_text("Months run: 3 of").wait_for(timeout=WAIT_MS)  # its own component: may render a moment later
    first = _status(page)

    # a second student's session has its own model, still at the takeover
    other, other_problems = _open(browser, url)
    assert "the takeover" in _status(other)
    assert "month 3 of" in _status(page)

    # move the moderation slider to its end: its label shows the new value; reset, step: a different run
    page.get_by_text("Moderation: 0.10 (0-1)").wait_for(timeout=WAIT_MS)
    assert page.get_by_text("moved: press Reset").count() == 0  # every slider starts where the scenario is
    slider = page.locator(".lever-moderation .v-slider__thumb-container")
    slider.focus()
    page.keyboard.press("End")
    page.get_by_text("Moderation: 1.00 (0-1)").wait_for(timeout=WAIT_MS)
    assert page.get_by_text("moved: press Reset").count() == 1
    page.get_by_role("button", name="Reset").click()
    page.get_by_text("the takeover").wait_for(timeout=WAIT_MS)
    page.get_by_text("moved: press Reset").wait_for(state="detached", timeout=WAIT_MS)  # the run on show has it
    for _ in range(3):
        step.click()
    page.get_by_text("month 3 of").wait_for(timeout=WAIT_MS)
    moved = _status(page)
    assert moved != first, "moving the moderation slider and resetting should change the run"

    # play runs on by itself, pause stops it
    page.get_by_role("button", name="Play").click()
    deadline = time.monotonic() + WAIT_MS / 1000
    while _months_run(page) < 5:  # months go by faster than a text can be waited for
        assert time.monotonic() < deadline, "Play did not run the model on"
        time.sleep(0.2)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=WAIT_MS)
    paused = _status(page)
    time.sleep(2)
    assert _status(page) == paused, "the run went on after Pause"

    page.get_by_text("IS-K presence").first.wait_for(timeout=WAIT_MS)
    page.get_by_text("drawing the charts").wait_for(state="detached", timeout=WAIT_MS)
    assert page.locator("img").count() >= 2  # the charts and the map
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "app.png", full_page=True)
    page.locator("img").last.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "app-map.png")
    assert not problems + other_problems, "\n".join(problems + other_problems)
    started = log.read_text(errors="replace")
    assert "Warning" not in started and "Traceback" not in started, started
