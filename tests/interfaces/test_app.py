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
    assert app.describe(app.starting_values()) == "the scenario"
    assert app.describe(app.starting_values() | {"sanctions": 0.0, "replicate": 2}) == \
        "the scenario with Western sanctions 0.00, replicate 2"


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


def test_new_settings_start_a_new_run_at_once_and_keep_the_old_one_to_compare():
    """Step after a slider move never runs the old settings: the move rebuilds the run under the run's lock."""
    app.experiment.cache_clear()
    run = app.Run(app.starting_values())
    run.ask(3)
    run.catch_up()
    assert run.apply(app.starting_values() | {"moderation": 1.0})  # what moving the slider does
    run.ask(1)  # then Step
    run.catch_up()
    assert run.done == 1 and run.model.params["policy.moderation"] == 1.0
    assert run.reference is not None and len(run.reference.table) == 3
    assert run.reference.label == "the scenario: standing in 2021-10"
    assert not run.apply(run.values)  # the same settings: the run goes on
    assert run.done == 1
    run.apply(app.starting_values())  # reset to the scenario: the moderated run becomes the one to compare with
    assert run.model.params == app.experiment().params and run.reference.label.startswith(
        "the scenario with Moderation 1.00")


def test_a_scheduled_lever_shows_the_months_value_and_its_schedule():
    app.experiment.cache_clear()
    plan = app.schedule("crackdown_isk")  # the baseline raises the crackdown in 2022 and 2023
    assert plan is not None and plan.startswith("0.50 from 2021-08") and "from 2023-01" in plan
    values = app.starting_values()
    early, late = app.shown_value("crackdown_isk", values, 0), app.shown_value("crackdown_isk", values, 30)
    assert early == 0.5 and late > early  # the slider follows the schedule as the run goes on
    assert app.shown_value("crackdown_isk", values | {"crackdown_isk": 0.2}, 30) == 0.2  # moved: held
    assert app.schedule("moderation") is None or "from" in app.schedule("moderation")


def test_the_charts_keep_their_axes_from_run_to_run_and_say_standing_for_one_replicate():
    app.experiment.cache_clear()
    def limits(values, months):
        run = app.Run(values)
        run.ask(months)
        run.catch_up()
        fig = app.charts_figure(app.records(run.model), run.model.months, run.reference)
        return [ax.get_ylim() for ax in fig.axes[:len(app.PANELS)]], fig

    empty, fig = limits(app.starting_values(), 0)  # drawn before the first month too: axes, no lines
    assert len(fig.axes) >= len(app.PANELS)
    scenario, fig = limits(app.starting_values(), 24)
    moderate, _ = limits(app.starting_values() | {"moderation": 1.0, "humanitarian_aid": 3.0}, 24)
    assert empty == scenario == moderate
    survives = fig.axes[list(app.PANELS).index("Regime survives")]
    assert survives.get_ylabel() == "1 = standing, 0 = fallen" and not survives.texts
    assert "replicates" not in " ".join(t.get_text() for ax in fig.axes for t in [ax.yaxis.label, ax.title])


def test_a_panel_whose_run_leaves_its_axis_extends_it_and_says_so():
    table = app.pd.DataFrame({c: [0.0, 0.0] for c in app._columns()} | {"month": [0, 1], "replicate": [0, 0]})
    table["defections_taliban_to_isk"] = [10.0, 5000.0]
    fig = app.charts_figure(table, 120)
    ax = fig.axes[list(app.PANELS).index("Defections to IS-K per month")]
    assert ax.get_ylim()[1] >= 5000 and ax.get_title().endswith("(axis extended)")


def test_the_app_is_served_without_solaras_banner():
    assert viz.environment("baseline")["SOLARA_THEME_SHOW_BANNER"] == "False"


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


def _open(browser, url, width=1024, height=768):
    """A fresh browser session on the app (a projector's 1024x768 by default), recording console errors and any
    request that leaves the machine."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
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


def _this_run(page) -> str:
    return page.locator(".this-run").inner_text()


def _visible_fraction(page, selector) -> float:
    """How much of the viewport's height the element covers on load, without scrolling."""
    box = page.locator(selector).first.bounding_box()
    height = page.viewport_size["height"]
    return max(0.0, min(box["y"] + box["height"], height) - max(box["y"], 0)) / height


@pytest.mark.slow
def test_the_app_in_a_real_browser(server, browser):
    url, log = server
    page, problems = _open(browser, url)  # 1024x768, a classroom projector
    assert "the takeover" in _status(page)
    # on a projector: the charts on load, above the fold; body text of 16 px or more; no Solara banner
    page.locator("img.charts, .charts img").first.wait_for(timeout=WAIT_MS)
    assert _visible_fraction(page, "img.charts, .charts img") > 0.3, "the charts are below the fold at 1024x768"
    sizes = page.evaluate("""() => [...document.querySelectorAll('.v-application *')]
        .filter(e => e.offsetParent !== null && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(e => [parseFloat(getComputedStyle(e).fontSize), e.textContent.trim().slice(0, 40)])""")
    small = [(size, text) for size, text in sizes if size < 16]
    assert not small, f"text under 16 px: {small[:5]}"
    assert page.get_by_text("runs on Solara").count() == 0
    for internal in ("Play Interval", "Render Interval", "Use Threads", "Page 0"):
        assert page.get_by_text(internal).count() == 0, f"Mesa's {internal!r} is shown"
    page.get_by_text("What to try").wait_for(timeout=WAIT_MS)
    # a scheduled lever reads as a schedule
    page.get_by_text("Follows the scenario's schedule: 0.50 from 2021-08").wait_for(timeout=WAIT_MS)

    # three quick clicks: three months, none lost while the app is busy drawing
    step = page.get_by_role("button", name="Step")
    for _ in range(3):
        step.click()
    page.get_by_text("month 3 of").wait_for(timeout=WAIT_MS)
    page.get_by_text("Months run: 3 of").wait_for(timeout=WAIT_MS)  # its own component: may render a moment later
    first = _status(page)
    assert _this_run(page).startswith("This run: the scenario.")

    # a second student's session has its own model, still at the takeover
    other, other_problems = _open(browser, url)
    assert "the takeover" in _status(other)
    assert "month 3 of" in _status(page)

    # move the moderation slider to its end, then Step at once: the new run, never the old settings
    page.get_by_text("Moderation: 0.10 (0-1)").wait_for(timeout=WAIT_MS)
    slider = page.locator(".lever-moderation .v-slider__thumb-container")
    slider.focus()
    page.keyboard.press("End")
    for _ in range(3):
        step.click()
    page.get_by_text("month 3 of").wait_for(timeout=WAIT_MS)
    page.get_by_text("Moderation: 1.00 (0-1)  (moved)").wait_for(timeout=WAIT_MS)
    assert _this_run(page).startswith("This run: the scenario with Moderation 1.00.")
    assert "Grey dashes: the scenario: standing in 2021-10" in _this_run(page)  # the first run, to compare
    moved = _status(page)
    assert moved != first, "Step after moving the moderation slider ran the old settings"

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

    # reset to the scenario: every lever back, a new run from the takeover, the moderated one in grey
    page.get_by_role("button", name="Reset to scenario").click()
    page.get_by_text("the takeover").wait_for(timeout=WAIT_MS)
    page.get_by_text("Moderation: 0.10 (0-1)").wait_for(timeout=WAIT_MS)
    assert _this_run(page).startswith("This run: the scenario. Grey dashes: the scenario with Moderation 1.00")
    for _ in range(3):
        step.click()
    page.get_by_text("month 3 of").wait_for(timeout=WAIT_MS)
    assert _status(page) == first  # the same seed, the same settings: the same run

    page.get_by_text("IS-K presence").first.wait_for(timeout=WAIT_MS)
    page.get_by_text("drawing the charts").wait_for(state="detached", timeout=WAIT_MS)
    assert page.locator("img").count() >= 2  # the charts and the map
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "app.png")
    page.screenshot(path=ARTIFACTS / "app-full.png", full_page=True)
    assert not problems + other_problems, "\n".join(problems + other_problems)
    started = log.read_text(errors="replace")
    assert "Warning" not in started and "Traceback" not in started, started
