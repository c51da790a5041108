"""The shipped instruments load, pass every check, and say what the rest of fieldkit reads."""

from __future__ import annotations

import shutil
from importlib import resources

import pytest

from fieldkit import paths, vocab
from fieldkit.forms.check import check_form
from fieldkit.forms.load import load_form
from fieldkit.forms.model import Form
from fieldkit.forms.xlsform_read import has_survey_sheet

SHIPPED_MD = [n for n in paths.instrument_names() if n.endswith(".md")]
EN, UR = "English (en)", "Urdu (ur)"


def shipped(name: str) -> Form:
    with resources.as_file(paths.instrument(name)) as path:
        return load_form(path)


@pytest.mark.parametrize("name", SHIPPED_MD)
def test_every_shipped_md_form_loads_and_passes_checks(name):
    with resources.as_file(paths.instrument(name)) as path:
        if not has_survey_sheet(path):
            pytest.skip(f"{name} is not an XLSForm (framework data, checked by its own tests)")
        result = check_form(path)
    assert result.form.questions()
    assert result.form.form_id == name.removesuffix(".md")
    assert result.warnings == []  # shipped forms are clean, not merely accepted


def test_the_two_instruments_are_shipped():
    assert {"consent_profile.md", "relationship_map.md"} <= set(SHIPPED_MD)


@pytest.mark.parametrize("name", ["consent_profile.md", "relationship_map.md"])
def test_two_languages_for_what_the_respondent_sees(name):
    form = shipped(name)
    assert form.default_language == EN
    assert form.languages == [EN, UR]
    for node in form.questions():
        if node.label:
            assert node.label.get(UR), f"{node.name} has no Urdu label"
    for choice_list in form.choices.values():
        for choice in choice_list.choices:
            assert choice.label.get(UR), f"{choice_list.name}/{choice.name} has no Urdu label"


def test_consent_gates_everything_else():
    form = shipped("consent_profile.md")
    consent = form.node("consent")
    assert consent.type == "select_one" and consent.required == "true()"
    assert [c.name for c in form.choices[consent.list_name].choices] == ["yes", "no"]
    before, after = [], []
    for node in form.children:
        (after if node.row > consent.row else before).append(node)
    assert [n.type for n in before] == ["note", "select_one"]  # the purpose note, consent
    for node in after:
        # everything after consent is only relevant with a yes (the refusal note with a no)
        assert node.relevant in ("${consent} = 'yes'", "${consent} = 'no'")
        if node.relevant == "${consent} = 'no'":
            assert node.type == "note"
    asked = [n for n in form.walk() if n.row > consent.row and n.type not in ("note", "group")]
    assert asked and all(n.parent is form.node("profile") for n in asked)


def test_consent_profile_fields():
    form = shipped("consent_profile.md")
    sector = form.node("sector")
    assert tuple(c.name for c in form.choices[sector.list_name].choices) == vocab.SECTORS
    assert sector.required == "true()"
    assert form.node("role").type == "text"
    assert form.node("organisation").sensitive and form.node("contact").sensitive
    assert form.node("contact").required is None
    years = form.node("years_in_area")
    assert years.type == "integer" and years.constraint and years.constraint_message[EN]
    assert years.constraint_message[UR]
    code = form.node("respondent_code")
    assert code.type == "calculate" and "uuid()" in code.calculation
    assert code.calculation.startswith("once(")  # drawn once, not on every recalculation
    assert not any(n.sensitive for n in (sector, years, code))


def test_relationship_map_reads_link_types_and_goals():
    form = shipped("relationship_map.md")
    links = form.choices["link_type"].choices
    assert tuple(c.name for c in links) == vocab.LINK_TYPES
    assert {c.name: c.label[EN] for c in links} == vocab.LINK_TYPE_LABELS
    assert form.node("link_types").list_name == "link_type"
    assert form.node("link_types").default == " ".join(vocab.LINK_TYPES)
    goals = form.choices["goal"].choices
    assert len(goals) >= 3 and goals[-1].name == "other"
    assert form.node("goals").list_name == "goal"
    assert form.node("goal_other").relevant == "selected(${goals}, 'other')"
    assert form.node("focus_question").type == "note"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="java is not installed: no ODK Validate")
@pytest.mark.parametrize("name", ["consent_profile.md", "relationship_map.md"])
def test_odk_validate_accepts_the_instruments(name):
    from pyxform.xls2xform import convert

    with resources.as_file(paths.instrument(name)) as path:
        convert(xlsform=str(path), validate=True)  # raises on a form ODK Collect would refuse
