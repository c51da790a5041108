"""The loader's caches by text (expression verdicts, type cells) never merge or leak problems.

Real forms repeat one condition on many rows, so the checks work once per distinct text; these
tests pin that every row and column still gets its own located problem, and that what one form
made of a text does not decide the verdict on another form.
"""

from __future__ import annotations

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.forms.check import check_form, check_loaded
from fieldkit.forms.load import load_form, read_form


def refused(path):
    with pytest.raises(FieldkitError) as err:
        check_form(path)
    return err.value.problems


def test_same_broken_expression_on_many_rows_is_reported_on_each(write_form):
    path = write_form(
        ["type", "name", "label", "relevant", "constraint"],
        [
            ["integer", "a", "A"],
            ["integer", "b", "B", "${a} >", ". > 1 and"],
            ["integer", "c", "C", "${a} >"],
            ["integer", "d", "D", "", ". > 1 and"],
        ],
    )
    located = sorted((p.row, p.column, p.name) for p in refused(path))
    assert located == [
        (3, "constraint", "b"),
        (3, "relevant", "b"),
        (4, "relevant", "c"),
        (5, "constraint", "d"),
    ]


def test_same_unknown_reference_is_reported_for_every_cell(write_form):
    # pyxform refuses unknown references itself; a form changed after reading reaches ours
    form = read_form(
        write_form(
            ["type", "name", "label"],
            [["text", "a", "A"], ["text", "b", "B"], ["text", "c", "C"]],
        )
    )
    form.node("b").label = {"default": "Hello ${ghost}"}
    form.node("b").relevant = "${ghost} = 'x'"
    form.node("c").relevant = "${ghost} = 'x'"
    with pytest.raises(FieldkitError) as err:
        check_loaded(form)
    problems = err.value.problems
    assert all(p.message == "unknown reference ${ghost}" for p in problems)
    assert sorted((p.row, p.column, p.name) for p in problems) == [
        (3, "label", "b"),
        (3, "relevant", "b"),
        (4, "relevant", "c"),
    ]


@pytest.mark.parametrize("good_first", [True, False])
def test_a_text_valid_in_one_form_is_judged_afresh_in_another(write_form, good_first):
    header = ["type", "name", "label"]
    good = read_form(write_form(header, [["integer", "x", "X"], ["text", "t", "T"]], name="g.md"))
    bad = read_form(write_form(header, [["integer", "y", "Y"], ["text", "t", "T"]], name="b.md"))
    for form in (good, bad):
        form.node("t").relevant = "${x} > 2"
    for form in (good, bad) if good_first else (bad, good):
        if form is good:
            assert check_loaded(form).form.node("t").relevant == "${x} > 2"
        else:
            with pytest.raises(FieldkitError) as err:
                check_loaded(form)
            [problem] = err.value.problems
            assert (problem.message, problem.row) == ("unknown reference ${x}", 3)


def test_type_cells_spelled_differently_mean_the_same(write_form):
    path = write_form(
        ["type", "name", "label"],
        [
            ["begin_group", "g", "G"],
            ["integer", "a", "A"],
            ["begin  repeat", "r", "R"],
            ["text", "b", "B"],
            ["end_repeat"],
            ["end group"],
            ["integer", "c", "C"],
        ],
    )
    form = load_form(path)
    assert [(n.name, n.type, n.row) for n in form.walk()] == [
        ("g", "group", 2),
        ("a", "integer", 3),
        ("r", "repeat", 4),
        ("b", "text", 5),
        ("c", "integer", 8),
    ]
    assert form.node("b").path == ("g", "r", "b")
