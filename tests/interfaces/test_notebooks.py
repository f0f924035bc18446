"""The teaching notebooks: each has learning goals, a time budget, discussion questions and an exercise whose
answer is hidden; notebook 3 is marked advanced; a one-lever notebook fits a 45-minute class. (The notebooks
themselves run in the tests through nbmake.)"""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted(Path("notebooks").glob("*.ipynb"))
README = Path("README.md").read_text()
CLASSROOM = Path("docs/howto/classroom.md").read_text()  # the notebooks' how-to guide


def markdown(path: Path) -> str:
    cells = json.loads(path.read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_there_is_a_one_lever_notebook_for_a_45_minute_class():
    names = [p.name for p in NOTEBOOKS]
    assert "0_one_lever_at_a_time.ipynb" in names and len(names) == 5
    text = markdown(Path("notebooks/0_one_lever_at_a_time.ipynb"))
    budget = re.search(r"\*\*Time budget \(45 minutes\):\*\*(.*)", text).group(1)
    assert sum(int(m) for m in re.findall(r"(\d+) (?:minutes )?(?:to|for)\b", budget)) == 45


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_teaches(path):
    text = markdown(path)
    assert "**Learning goals.**" in text and re.search(r"\*\*Time budget[^*]*:\*\*", text)
    assert re.search(r"The code runs in about \d+ seconds \(measured", text)
    discussion = text.split("## Discussion", 1)[1].split("##", 1)[0]
    assert len(re.findall(r"^\d\. ", discussion, flags=re.M)) >= 3
    exercise = text.split("## Exercise", 1)[1]
    task, hidden = exercise.split("<details>", 1)
    assert task.strip() and "</details>" in hidden and "<summary>" in hidden  # the answer folded away
    assert "```python" not in task  # the answer's code is inside the fold


def test_notebook_3_is_marked_advanced_and_points_beginners_elsewhere():
    text = markdown(Path("notebooks/3_which_assumptions_matter.ipynb"))
    assert text.startswith("# 3. Which assumptions matter (advanced)") and "notebook 0" in text


def test_the_classroom_guide_gives_measured_notebook_times():
    section = CLASSROOM
    assert "about a minute" not in section
    for path in NOTEBOOKS:
        assert path.name in section
    assert re.search(r"measured", section)


def code(path: Path) -> str:
    cells = json.loads(path.read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_says_how_to_start_and_draws_slide_sized_figures(path):
    text = markdown(path)
    assert "**Getting started.**" in text
    start = text.split("**Getting started.**", 1)[1].split("\n\n", 1)[0]
    assert 'pip install -e ".[notebooks]"' in start and "jupyter lab notebooks/" in start
    source = code(path)
    assert '"font.size": 16' in source  # large type
    for call in re.findall(r"(\w+\()?sim\.dashboard\(", source):
        assert call == "slide(", "a dashboard not made slide-sized"
    assert "def slide(fig" in source and "fig.set_size_inches(18" in source  # 18 in x 90-100 dpi: 1,600 px and more


def test_the_lever_table_leaves_the_actor_states_apart():
    source = code(Path("notebooks/0_one_lever_at_a_time.ipynb"))
    assert '"_stance", "_sponsorship", "_deportation"' in source  # every actor state, not only the stances
    assert '~levers["name"].str.endswith(ACTOR_STATES)' in source  # the levers: numbers to move
    assert 'levers[levers["name"].str.endswith(ACTOR_STATES)]' in source  # shown apart, as actor states


def test_notebook_4_saves_a_scenario_without_an_absolute_path():
    source = code(Path("notebooks/4_build_your_own_scenario.ipynb"))
    assert 'extends = "baseline.toml"' in source and "scenario.path" not in source


def test_notebook_2_maps_a_sweep_whose_survival_varies():
    source = code(Path("notebooks/2_sweeping_policies.ipynb"))
    assert "months=120" in source  # the dilemma shows over years
    assert "assert survival.to_numpy().min() < 1 <= survival.to_numpy().max()" in source  # checked as it runs


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_answers_say_what_to_look_for_rather_than_only_numbers(path):
    answer = markdown(path).split("## Exercise", 1)[1].split("</details>", 1)[0]
    assert "What to look for" in answer or "Expect" in answer
