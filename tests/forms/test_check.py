"""check_form: pyxform's verdicts located, and fieldkit's own checks (JavaRosa's verdicts)."""

from __future__ import annotations

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.forms.check import check_form, check_loaded, references
from fieldkit.forms.load import read_form
from fieldkit.forms.model import Choice, ChoiceList
from fieldkit.forms.xlsform_read import pyxform_problem


def refused(path):
    with pytest.raises(FieldkitError) as err:
        check_form(path)
    return err.value.problems


def test_pyxform_row_message_is_located():
    problem = pyxform_problem("[row : 3] Question or group with no name.", "f.xlsx")
    assert (problem.sheet, problem.row, problem.message) == (
        "survey",
        3,
        "Question or group with no name.",
    )
    problem = pyxform_problem(
        "[row : 4] On the 'choices' sheet, the 'label' value is invalid.", "f.xlsx"
    )
    assert (problem.sheet, problem.row) == ("choices", 4)
    assert pyxform_problem("Something general.", "f.xlsx").row is None


def test_pyxform_refusal_keeps_its_message_and_row(write_form):
    path = write_form(["type", "name", "label"], [["text", "a", "A"], ["calculate", "c", "C"]])
    [problem] = refused(path)
    assert problem.message == "Missing calculation."
    assert (problem.file, problem.sheet, problem.row) == (str(path), "survey", 3)


def test_unknown_type_is_pyxform_refusal(write_form):
    [problem] = refused(write_form(["type", "name", "label"], [["txet", "a", "A"]]))
    assert problem.row == 2 and "txet" in problem.message


def test_missing_survey_sheet(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("| choices | list_name | name | label |\n|  | a | b | c |\n")
    [problem] = refused(path)
    assert "survey" in problem.message


def test_unknown_reference_is_refused_by_pyxform_with_column(write_form):
    path = write_form(
        ["type", "name", "label", "relevant"],
        [["integer", "age", "Age"], ["text", "t", "Hello ${nmae}"]],
    )
    [problem] = refused(path)
    assert (problem.sheet, problem.row, problem.column) == ("survey", 3, "label")
    assert "nmae" in problem.message


def test_unknown_reference_in_choice_label(write_form):
    path = write_form(
        ["type", "name", "label"], [["select_one l", "s", "S"]], [["l", "a", "A ${ghost}"]]
    )
    [problem] = refused(path)
    assert (problem.sheet, problem.row) == ("choices", 2) and "ghost" in problem.message


def test_fieldkit_reference_check_covers_every_column(write_form):
    """A Form not made by pyxform (or edited) gets the same reference check."""
    form = read_form(
        write_form(["type", "name", "label"], [["integer", "age", "Age"], ["text", "t", "T"]])
    )
    t = form.node("t")
    t.relevant = "${agee} > 3"
    t.label["default"] = "Hello ${nmae}"
    t.constraint_message["English (en)"] = "${oops}"
    form.choices["l"] = ChoiceList("l", [Choice("a", {"default": "A ${ghost}"})])
    with pytest.raises(FieldkitError) as err:
        check_loaded(form)
    found = {(p.sheet, p.column, p.row, p.message) for p in err.value.problems}
    assert found == {
        ("survey", "relevant", 3, "unknown reference ${agee}"),
        ("survey", "label", 3, "unknown reference ${nmae}"),
        ("survey", "constraint_message::English (en)", 3, "unknown reference ${oops}"),
        ("choices", "label", None, "unknown reference ${ghost}"),
    }


def test_last_saved_reference_is_known(write_form):
    path = write_form(["type", "name", "label", "default"], [["text", "t", "T", "${last-saved#t}"]])
    assert check_form(path).form.node("t").default == "${last-saved#t}"


def test_expression_syntax_error_names_column_and_row(write_form):
    path = write_form(
        ["type", "name", "label", "constraint"],
        [["integer", "a", "A"], ["integer", "b", "B", ". > ${a} and"]],
    )
    [problem] = refused(path)
    assert (problem.sheet, problem.row, problem.column, problem.name) == (
        "survey",
        3,
        "constraint",
        "b",
    )
    assert problem.message.startswith("expression error")


def test_bad_instance_name_is_located_on_settings(write_form):
    path = write_form(
        ["type", "name", "label"], [["text", "a", "A"]], settings={"instance_name": "concat(${a}"}
    )
    [problem] = refused(path)
    assert (problem.sheet, problem.column) == ("settings", "instance_name")
    assert problem.message.startswith("expression error")


def test_literal_default_is_not_parsed_but_dynamic_default_is(write_form):
    ok = write_form(["type", "name", "label", "default"], [["text", "a", "A", "hello world"]])
    assert check_form(ok).form.node("a").default == "hello world"
    bad = write_form(["type", "name", "label", "default"], [["integer", "a", "A", "(1 + "]])
    [problem] = refused(bad)
    assert problem.column == "default"


def test_duplicate_name_in_different_groups_is_a_warning(write_form):
    path = write_form(
        ["type", "name", "label"],
        [
            ["begin group", "g1", "G1"],
            ["text", "x", "X"],
            ["end group"],
            ["begin group", "g2", "G2"],
            ["text", "x", "X again"],
            ["end group"],
        ],
    )
    result = check_form(path)
    assert any("'x'" in w and "3" in w and "6" in w for w in result.warnings)


def test_reference_to_duplicated_name_is_refused(write_form):
    path = write_form(
        ["type", "name", "label"],
        [
            ["begin group", "g1", "G1"],
            ["text", "x", "X"],
            ["end group"],
            ["begin group", "g2", "G2"],
            ["text", "x", "X again"],
            ["end group"],
            ["note", "n", "You said ${x}"],
        ],
    )
    [problem] = refused(path)
    assert problem.row == 8 and "more than once" in problem.message


def test_fieldkit_flags_ambiguous_reference(write_form):
    form = read_form(
        write_form(
            ["type", "name", "label"],
            [["begin group", "g1", "G1"], ["text", "x", "X"], ["end group"], ["text", "y", "Y"]],
        )
    )
    form.node("y").name = "x"
    form.node("g1").relevant = "${x} = 'a'"
    with pytest.raises(FieldkitError, match="ambiguous reference"):
        check_loaded(form)


def test_duplicate_name_in_same_group_refused(write_form):
    path = write_form(["type", "name", "label"], [["text", "x", "X"], ["text", "x", "X2"]])
    [problem] = refused(path)
    assert problem.row == 3 and "x" in problem.message


def test_duplicate_sibling_check_of_fieldkit(write_form):
    form = read_form(
        write_form(["type", "name", "label"], [["text", "x", "X"], ["text", "y", "Y"]])
    )
    form.children[1].name = "x"  # a Form built by other means than pyxform
    with pytest.raises(FieldkitError, match="duplicate name 'x'"):
        check_loaded(form)


def test_select_list_with_no_choices(write_form):
    path = write_form(["type", "name", "label"], [["select_one l", "s", "S"]], [["l", "a", "A"]])
    form = read_form(path)
    form.choices["l"].choices.clear()
    with pytest.raises(FieldkitError) as err:
        check_loaded(form)
    [problem] = err.value.problems
    assert (problem.row, problem.column, problem.name) == (2, "type", "s")
    assert "no choices" in problem.message


def test_select_list_missing_from_choices_sheet(write_form):
    path = write_form(["type", "name", "label"], [["select_one nope", "s", "S"]], [["l", "a", "A"]])
    problems = refused(path)
    assert problems[0].row == 2 and "nope" in problems[0].message


def test_all_problems_reported_at_once(write_form):
    path = write_form(
        ["type", "name", "label", "relevant", "calculation"],
        [["text", "a", "A", "1 ="], ["calculate", "c", "", "", "1 +"]],
    )
    assert {p.row for p in refused(path)} == {2, 3}


def test_summary_counts(write_form):
    path = write_form(
        [
            "type",
            "name",
            "label::English (en)",
            "label::Polish (pl)",
            "repeat_count",
            "calculation",
        ],
        [
            ["begin group", "g", "G", "G"],
            ["text", "a", "A", "A"],
            ["begin repeat", "r", "R", "R", "2"],
            ["integer", "b", "B", "B"],
            ["end repeat"],
            ["end group"],
            ["calculate", "c", "", "", "", "1"],
        ],
        settings={"form_id": "sample", "version": "3"},
    )
    result = check_form(path)
    assert result.counts()["questions"] == 2
    assert result.summary() == (
        "sample v3: 2 questions, 1 group, 1 repeat, 2 languages (English (en), Polish (pl)), "
        f"{len(result.warnings)} warning{'' if len(result.warnings) == 1 else 's'}"
    )


def test_references_helper():
    assert references("${a} + ${ b } + ${last-saved#c}") == ["a", "b", "c"]
    assert references(None) == []


CYCLE_HEADER = ["type", "name", "label", "relevant", "calculation", "read_only", "required"]


@pytest.mark.parametrize(
    ("rows", "column"),
    [
        ([["calculate", "c", "", "", "${c} + 1"]], "calculation"),
        ([["calculate", "c", "", "", ". + 1"]], "calculation"),
        ([["integer", "a", "A", ". > 1"]], "relevant"),
        ([["integer", "a", "A", "", "", "${a} > 1"]], "read_only"),
        ([["integer", "a", "A", "", "", "", ". > 1"]], "required"),
    ],
)
def test_field_reading_itself_is_a_cycle(write_form, rows, column):
    [problem] = refused(write_form(CYCLE_HEADER, rows))
    assert (problem.row, problem.column) == (2, column)
    assert problem.message.startswith("circular reference")


@pytest.mark.parametrize(
    "rows",
    [
        [["calculate", "c1", "", "", "${c2}"], ["calculate", "c2", "", "", "${c1}"]],
        [["integer", "a", "A", "${b} = 1"], ["integer", "b", "B", "${a} = 1"]],
        [["integer", "a", "A", "${c} = 1"], ["calculate", "c", "", "", "${a}"]],
        # a group's relevance reaches its children, so it may not read them
        [["begin group", "g", "G", "${x} = 1"], ["integer", "x", "X"], ["end group"]],
    ],
)
def test_fields_reading_each_other_are_a_cycle(write_form, rows):
    [problem] = refused(write_form(CYCLE_HEADER, rows))
    assert problem.row == 2 and problem.message.startswith("circular reference between ")


def test_groups_holding_each_others_names_are_a_cycle(write_form):
    """The graph is keyed by name, as JavaRosa's is: a group holding a field named as a group
    around it closes a loop, even when no expression reads a field that reads."""
    rows = [
        ["integer", "x", "X"],
        ["begin group", "c", "C", "${x} > 1"],
        ["begin group", "a", "A", "1 = 1"],
        ["text", "c", "inner c"],
        ["end group"],
        ["end group"],
    ]
    [problem] = refused(write_form(CYCLE_HEADER, rows))
    assert problem.row == 4 and problem.message.startswith("circular reference between ${a}, ${c}")


@pytest.mark.parametrize(
    "rows",
    [
        [["integer", "a", "A"], ["integer", "b", "B", "", "", "", ". > 1"][:3]],
        [["integer", "a", "A", "${b} = 1"], ["integer", "b", "B"]],  # reading ahead is fine
        # a chain of fields that read: searched, and no cycle in it
        [["integer", "a", "A", "${b} = 1"], ["integer", "b", "B", "${c} = 1"], ["text", "c", "C"]],
        [["calculate", "c", "", "", "once(concat('R-', uuid()))"]],
    ],
)
def test_no_false_cycles(write_form, rows):
    assert check_form(write_form(CYCLE_HEADER, rows)).form


def test_constraint_and_repeat_count_may_read_their_own_field(write_form):
    path = write_form(
        ["type", "name", "label", "constraint", "repeat_count"],
        [
            ["integer", "a", "A", ". > 1 and ${a} < 9"],
            ["begin repeat", "r", "R", "", "${x}"],
            ["integer", "x", "X"],
            ["end repeat"],
        ],
    )
    assert check_form(path).form.node("r").repeat_count == "${x}"


def test_markdown_row_wider_than_its_header(tmp_path):
    path = tmp_path / "wide.md"
    path.write_text(
        "| survey | type | name | label |\n|  | text | a | A |\n|  | text | b | B | x |\n"
    )
    [problem] = refused(path)
    assert (problem.sheet, problem.row) == ("survey", 3)
    assert "4 cells" in problem.message
