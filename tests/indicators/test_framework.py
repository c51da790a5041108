import pytest
from pyxform.xls2json_backends import md_table_to_workbook

from fieldkit.errors import FieldkitError
from fieldkit.forms.model import Choice, ChoiceList, Form, Node
from fieldkit.indicators import load_framework, validate_framework
from fieldkit.indicators.framework import Framework, structure_problems
from fieldkit.vocab import DEFAULT_BANDS, LOW_BASE_THRESHOLD


def test_the_shipped_framework_is_framework_md(framework):
    assert framework.indicator_ids == (
        "pub",
        "com",
        "soc",
        "pwr",
        "pub_soc",
        "pub_com",
        "com_soc",
        "com_res",
        "net",
        "adapt",
    )
    assert all(len(i.items) == 3 and i.min_items == 2 for i in framework.indicators)
    assert [item.name for item in framework.items() if item.reverse] == ["net_3"]
    assert framework.indicator("pub").items[0].name == "pub_1"
    assert framework.bands == DEFAULT_BANDS
    assert framework.low_base == LOW_BASE_THRESHOLD
    assert framework.scale.codes == ("1", "2", "3", "4", "5")
    assert framework.scale.not_scored == ("dk",)
    assert framework.version and framework.form_id == "community_dna"


def test_shipped_weights(framework):
    for indicator_id, sectors in {
        "pub_soc": ("public", "social"),
        "pub_com": ("public", "commercial"),
        "com_soc": ("commercial", "social"),
        "com_res": ("commercial", "residents"),
    }.items():
        indicator = framework.indicator(indicator_id)
        assert dict(indicator.weights) == {"interviews": 0.7, "coverage": 0.3}
        assert indicator.coverage_sectors == sectors
    assert dict(framework.indicator("net").weights) == {
        "interviews": 0.4,
        "bridging": 0.3,
        "redundancy": 0.3,
    }
    for indicator_id in ("pub", "com", "soc", "pwr", "adapt"):
        assert dict(framework.indicator(indicator_id).weights) == {"interviews": 1.0}
        assert framework.indicator(indicator_id).network_components == ()


def test_the_same_tables_load_from_excel(tmp_path, framework_text, framework):
    path = tmp_path / "my framework.xlsx"
    md_table_to_workbook(framework_text).save(path)
    from_excel = load_framework(path)
    assert from_excel.indicators == framework.indicators
    assert from_excel.bands == framework.bands
    assert from_excel.version == framework.version


def test_a_coordinator_can_add_an_indicator(edited_framework):
    path = edited_framework(
        (
            "|  | adapt | Shared assets and adaptive capacity | 1 |  |  |  |  |",
            "|  | adapt | Shared assets and adaptive capacity | 1 |  |  |  |  |\n|  | safe | Safety | 1 |  |  |  |  |",
        ),
        (
            "|  | adapt | adapt_3 |  |",
            "|  | adapt | adapt_3 |  |\n|  | safe | safe_1 |  |\n|  | safe | safe_2 | yes |",
        ),
    )
    custom = load_framework(path)
    assert custom.indicator_ids[-1] == "safe"
    assert [i.reverse for i in custom.indicator("safe").items] == [False, True]


def _refusal(path) -> FieldkitError:
    with pytest.raises(FieldkitError) as caught:
        load_framework(path)
    return caught.value


def test_weights_that_do_not_sum_to_one_are_refused_with_the_row(edited_framework):
    path = edited_framework(
        (
            "| pub_soc | Public - social relationship | 0.7 | 0.3 |",
            "| pub_soc | Public - social relationship | 0.7 | 0.2 |",
        )
    )
    error = _refusal(path)
    [problem] = error.problems
    assert problem.file == str(path) and problem.sheet == "indicators" and problem.row == 6
    assert "sum to 0.9" in problem.message and "pub_soc" in problem.message


def test_bands_must_ascend(edited_framework):
    path = edited_framework(("|  | steady | Steady | 55 |", "|  | steady | Steady | 35 |"))
    [problem] = _refusal(path).problems
    assert problem.sheet == "bands" and problem.row == 4 and problem.column == "lower"
    assert "ascend" in problem.message


def test_first_band_must_start_at_zero(edited_framework):
    path = edited_framework(("|  | brittle | Brittle | 0 |", "|  | brittle | Brittle | 10 |"))
    assert "start at 0" in _refusal(path).problems[0].message


def test_duplicate_indicator_ids_are_refused(edited_framework):
    path = edited_framework(("|  | com | Local economy | 1 |", "|  | pub | Local economy | 1 |"))
    problems = _refusal(path).problems
    assert any(p.row == 3 and p.column == "id" and "used twice" in p.message for p in problems)


def test_items_of_unknown_indicators_and_duplicates_are_refused(edited_framework):
    path = edited_framework(
        ("|  | pub | pub_2 |  |", "|  | pbu | pub_2 |  |"),
        ("|  | com | com_1 |  |", "|  | com | pub_1 |  |"),
    )
    messages = {(p.sheet, p.row, p.column): p.message for p in _refusal(path).problems}
    assert "'pbu' is not on the indicators sheet" in messages[("items", 3, "indicator")]
    assert "listed twice" in messages[("items", 5, "item")]


def test_coverage_needs_two_known_sectors(edited_framework):
    path = edited_framework(("| public social |", "| public martians |"))
    [problem] = _refusal(path).problems
    assert problem.column == "coverage_sectors" and "martians" in problem.message
    path = edited_framework(("| public commercial |", "|  |"), name="other.md")
    assert any("no coverage_sectors" in p.message for p in _refusal(path).problems)


def test_bad_cells_are_named(edited_framework):
    path = edited_framework(
        ("|  | pwr | Community power | 1 |", "|  | pwr | Community power | one |"),
        ("|  | net | net_3 | yes |", "|  | net | net_3 | maybe |"),
    )
    messages = {(p.sheet, p.row, p.column): p.message for p in _refusal(path).problems}
    assert "'one' is not a number" in messages[("indicators", 5, "interviews")]
    assert "reverse must be yes or no" in messages[("items", 28, "reverse")]


def test_unknown_columns_are_refused_but_notes_are_allowed(edited_framework):
    path = edited_framework(("| coverage_sectors |", "| coverage_sector |"))
    problems = _refusal(path).problems
    assert any(p.column == "coverage_sector" and "unknown column" in p.message for p in problems)
    ok = edited_framework(
        (
            "| items | indicator | item | reverse |",
            "| items | indicator | item | reverse | notes |",
        ),
        name="ok.md",
    )
    assert load_framework(ok).indicator("pub")


def test_missing_sheets_files_and_types_are_refused(tmp_path, edited_framework):
    path = edited_framework(("| bands | id | label | lower |", "| stripes | id | label | lower |"))
    [problem] = _refusal(path).problems
    assert problem.sheet == "bands" and "missing sheet" in problem.message
    assert "not found" in str(_refusal(tmp_path / "nope.md"))
    other = tmp_path / "framework.json"
    other.write_text("{}")
    assert "unsupported framework file type" in str(_refusal(other))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert "cannot read framework" in str(_refusal(broken))


def test_version_and_form_id_are_required(edited_framework):
    path = edited_framework(("| 2026.1 | community_dna |", "|  |  |"))
    columns = {p.column for p in _refusal(path).problems}
    assert {"version", "form_id"} <= columns


def test_structure_problems_of_a_framework_built_in_code(framework):
    broken = Framework(**{**framework.__dict__, "bands": tuple(reversed(framework.bands))})
    assert any("ascend" in p.message for p in structure_problems(broken))
    assert structure_problems(framework) == []


# -- against a form ---------------------------------------------------------------------------------


def _scale(with_dk=True, extra=()):
    names = ["1", "2", "3", "4", "5"] + (["dk"] if with_dk else []) + list(extra)
    return ChoiceList("agree5", [Choice(n) for n in names])


def _form(framework, *, form_id="community_dna", skip=(), types=None, tags=None, scale=None):
    groups = []
    for indicator in framework.indicators:
        children = []
        for item in indicator.items:
            if item.name in skip:
                continue
            node_type = (types or {}).get(item.name, "select_one")
            extra = {"indicator": (tags or {}).get(item.name, indicator.id)}
            children.append(
                Node(
                    item.name,
                    node_type,
                    list_name="agree5" if node_type == "select_one" else None,
                    extra=extra,
                    row=10,
                )
            )
        groups.append(Node(indicator.id, "group", appearance="field-list", children=children))
    return Form(
        form_id,
        "Community DNA",
        children=groups,
        choices={"agree5": scale or _scale()},
        source="dna.md",
    )


def test_a_matching_form_validates(framework):
    validate_framework(framework, _form(framework))


def test_an_item_missing_from_the_form_is_named(framework):
    with pytest.raises(FieldkitError) as caught:
        validate_framework(framework, _form(framework, skip=("com_2",)))
    [problem] = caught.value.problems
    assert problem.sheet == "items" and problem.row == 6 and problem.name == "com_2"
    assert "no question 'com_2'" in problem.message and problem.file == framework.source


def test_an_item_that_is_not_a_scale_question_is_named(framework):
    with pytest.raises(FieldkitError, match="'pub_1' is a text, not a select_one"):
        validate_framework(framework, _form(framework, types={"pub_1": "text"}))
    with pytest.raises(FieldkitError, match=r"lacks scale values \['5'\]"):
        validate_framework(
            framework, _form(framework, scale=ChoiceList("agree5", [Choice(n) for n in "1234"]))
        )
    with pytest.raises(FieldkitError, match=r"choices \['na'\]"):
        validate_framework(framework, _form(framework, scale=_scale(extra=("na",))))


def test_the_forms_indicator_column_must_agree(framework):
    with pytest.raises(FieldkitError) as caught:
        validate_framework(framework, _form(framework, tags={"pub_1": "com"}))
    [problem] = caught.value.problems
    assert problem.file == "dna.md" and problem.sheet == "survey" and problem.column == "indicator"
    assert problem.name == "pub_1" and "scores it under 'pub'" in problem.message


def test_the_form_id_must_match(framework):
    with pytest.raises(FieldkitError, match="scores form 'community_dna', not 'other'"):
        validate_framework(framework, _form(framework, form_id="other"))
