"""A coordinator's framework saved in the project: checked first, used by every summary."""

import shutil

import pytest
from pyxform.xls2json_backends import md_table_to_workbook

from fieldkit.errors import FieldkitError
from fieldkit.indicators.coordinator import (
    SETTING,
    framework_content,
    reset_project_framework,
    set_project_framework,
    stored_framework,
)
from fieldkit.indicators.demo import create_demo
from fieldkit.indicators.project_summary import project_framework, project_summary
from fieldkit.store import open_project

OWN_SETTINGS = (
    "| community_dna | Community DNA (default framework) | 2026.1 |",
    "| nm_dna | North Manchester DNA | 3 |",
)
HIGHER_RESILIENT = ("|  | resilient | Resilient | 70 |", "|  | resilient | Resilient | 90 |")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    template = tmp_path_factory.mktemp("demo") / "data"
    create_demo(template).close()
    return template


@pytest.fixture
def demo(tmp_path, demo_template):
    shutil.copytree(demo_template, tmp_path / "data")
    project = open_project(tmp_path / "data", "demo-project")
    yield project
    project.close()


def test_set_saves_the_content_not_a_path(demo, edited_framework):
    path = edited_framework(OWN_SETTINGS, HIGHER_RESILIENT, name="mine.md")
    saved = set_project_framework(demo, path)
    assert (saved.id, saved.version) == ("nm_dna", "3")
    setting = demo.settings[SETTING]
    assert setting["file"] == "mine.md" and setting["content"] == path.read_text(encoding="utf-8")
    path.unlink()  # the file may move or vanish: the project keeps its copy
    framework = project_framework(demo)
    assert (framework.id, framework.title) == ("nm_dna", "North Manchester DNA")
    assert framework.bands[-1].lower == 90
    assert "saved in project" in (framework.source or "")


def test_summaries_and_packs_score_with_the_saved_framework(demo, edited_framework):
    from fieldkit.packs.collect import project_summary_dict

    before = project_summary(demo).to_dict()
    set_project_framework(demo, edited_framework(OWN_SETTINGS, HIGHER_RESILIENT))
    after = project_summary(demo).to_dict()
    assert before["framework"]["id"] == "community_dna"
    assert after["framework"] == {"id": "nm_dna", "title": "North Manchester DNA", "version": "3"}
    figure = after["sites"]["Cheetham Hill"]["Baseline"]["indicators"]["soc"]
    assert figure["provenance"]["framework_version"] == "3"
    # the same scores, banded by the coordinator's bands: nothing reaches 90 in the demo
    old = before["sites"]["Cheetham Hill"]["Baseline"]["indicators"]["soc"]
    assert figure["score"] == old["score"]
    bands = {
        f["band"]
        for rounds in after["sites"].values()
        for entry in rounds.values()
        for f in entry["indicators"].values()
    }
    assert "resilient" not in bands
    assert project_summary_dict(demo)["framework"]["id"] == "nm_dna"


def test_an_excel_framework_round_trips(demo, tmp_path, framework_text):
    path = tmp_path / "coordinator.xlsx"
    md_table_to_workbook(framework_text.replace(*OWN_SETTINGS)).save(path)
    set_project_framework(demo, path)
    assert demo.settings[SETTING]["encoding"] == "base64"
    assert framework_content(demo) == path.read_bytes()
    assert stored_framework(demo).id == "nm_dna"


@pytest.mark.parametrize(
    ("replacements", "message"),
    [
        ((("|  | pub | pub_3 |  |", "|  | pub | pub_9 |  |"),), "no question 'pub_9'"),
        ((("|  | adapt | adapt_3 |  |", "|  | adapt | adapt_comment |  |"),), "not a select_one"),
        (
            (("|  | pub | Public services | 1 |", "|  | pub | Public services | 0.9 |"),),
            "sum to 0.9",
        ),
        ((("|  | steady | Steady | 55 |", "|  | steady | Steady | 35 |"),), "bands must ascend"),
    ],
)
def test_a_framework_that_does_not_fit_is_refused_and_nothing_saved(
    demo, edited_framework, replacements, message
):
    set_project_framework(demo, edited_framework(OWN_SETTINGS))
    with pytest.raises(FieldkitError, match=message):
        set_project_framework(demo, edited_framework(*replacements, name="bad.md"))
    assert demo.settings[SETTING]["file"] == "framework.md"
    assert project_framework(demo).id == "nm_dna"


def test_a_missing_file_is_refused(demo, tmp_path):
    with pytest.raises(FieldkitError, match="not found"):
        set_project_framework(demo, tmp_path / "nowhere.md")
    assert SETTING not in demo.settings


def test_a_run_only_file_is_checked_against_the_form_too(demo, edited_framework):
    path = edited_framework(("|  | pub | pub_3 |  |", "|  | pub | pub_9 |  |"))
    with pytest.raises(FieldkitError, match="no question 'pub_9'"):
        project_framework(demo, path)


def test_reset_goes_back_to_the_shipped_framework(demo, edited_framework):
    assert reset_project_framework(demo) is False
    set_project_framework(demo, edited_framework(OWN_SETTINGS))
    assert reset_project_framework(demo) is True
    assert project_framework(demo).id == "community_dna"
    assert stored_framework(demo) is None


def test_a_damaged_saved_copy_is_refused_naming_it(demo):
    demo.update_settings(**{SETTING: {"file": "x.xlsx", "encoding": "base64", "content": "%%"}})
    with pytest.raises(FieldkitError, match=r"x\.xlsx \(the copy saved in project"):
        project_framework(demo)
    demo.update_settings(
        **{SETTING: {"file": "x.md", "encoding": "utf-8", "content": "| settings |\n|---|\n"}}
    )
    with pytest.raises(FieldkitError, match="missing sheet 'indicators'"):
        project_framework(demo)
