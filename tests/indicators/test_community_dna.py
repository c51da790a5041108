"""The shipped community_dna instrument: loads through pyxform and fits the framework."""

from pathlib import Path

import pytest
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import DefinitionData, md_to_dict

from fieldkit import paths
from fieldkit.forms.load import load_form
from fieldkit.indicators import validate_framework

FRAMEWORK_MD = Path(__file__).resolve().parents[3] / "shared" / "FRAMEWORK.md"
URDU = "Urdu (ur)"
ENGLISH = "English (en)"


@pytest.fixture
def dna_path(tmp_path):
    path = tmp_path / "community_dna.md"
    path.write_bytes(paths.instrument("community_dna.md").read_bytes())
    return path


@pytest.fixture
def pyxform_json(dna_path):
    warnings: list[str] = []
    data = workbook_to_json(
        DefinitionData(**md_to_dict(str(dna_path))), form_name="community_dna", warnings=warnings
    )
    assert warnings == []
    return data


def test_pyxform_reads_ten_field_list_groups_of_three_statements(pyxform_json, framework):
    groups = [c for c in pyxform_json["children"] if c["type"] == "group" and c["name"] != "meta"]
    assert [g["name"] for g in groups] == list(framework.indicator_ids)
    for group in groups:
        assert group["control"]["appearance"] == "field-list"
        assert group["label"][URDU] and group["label"][ENGLISH]
        names = [c["name"] for c in group["children"]]
        assert names == [f"{group['name']}_{k}" for k in (1, 2, 3)] + [f"{group['name']}_comment"]
        for item in group["children"][:3]:
            assert item["type"] == "select one" and item["list_name"] == "agree5"
            assert item["indicator"] == group["name"]
        comment = group["children"][3]
        assert comment["type"] == "text" and comment["sensitive"] == "yes"
        assert "required" not in comment.get("bind", {})


def test_scale_is_one_to_five_plus_dont_know_in_both_languages(pyxform_json):
    choices = pyxform_json["choices"]["agree5"]
    assert [c["name"] for c in choices] == ["1", "2", "3", "4", "5", "dk"]
    assert all(c["label"][ENGLISH] and c["label"][URDU] for c in choices)
    assert choices[5]["label"][ENGLISH] == "Don't know"
    assert pyxform_json["default_language"] == ENGLISH


def _framework_md_statements() -> dict[str, list[str]]:
    """indicator id -> its statements, from the spec's table (| # | id | name | a · b · c |)."""
    if not FRAMEWORK_MD.is_file():
        pytest.skip(f"the shared spec is not beside the checkout ({FRAMEWORK_MD})")
    table: dict[str, list[str]] = {}
    for line in FRAMEWORK_MD.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].isdigit():
            table[cells[1]] = [s.removeprefix("(reverse) ") for s in cells[3].split(" · ")]
    return table


def test_the_statements_are_those_of_framework_md(pyxform_json, framework):
    labels = {
        item["name"]: item["label"][ENGLISH]
        for group in pyxform_json["children"]
        if group["name"] != "meta"
        for item in group.get("children", [])
    }
    spec = _framework_md_statements()
    assert list(spec) == list(framework.indicator_ids)
    for indicator_id, statements in spec.items():
        assert [labels[f"{indicator_id}_{k}"] for k in (1, 2, 3)] == statements
    reversed_in_spec = [
        line
        for line in FRAMEWORK_MD.read_text(encoding="utf-8").splitlines()
        if "(reverse)" in line
    ]
    assert len(reversed_in_spec) == 1 and "| net |" in reversed_in_spec[0]


def test_fieldkit_loads_it_and_every_item_maps_to_the_framework(dna_path, framework):
    form = load_form(dna_path)
    assert form.form_id == framework.form_id
    assert URDU in form.languages
    validate_framework(framework, form)
    tagged = {n.name for n in form.walk() if n.extra.get("indicator")}
    assert tagged == {item.name for item in framework.items()}
    assert all(form.node(f"{i}_comment").sensitive for i in framework.indicator_ids)
    assert all(form.node(i).field_list for i in framework.indicator_ids)
