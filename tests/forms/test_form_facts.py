"""The loader gathers the checks' facts while it builds; they equal a walk's, rows included."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from fieldkit import paths
from fieldkit.forms import load
from fieldkit.forms.check_facts import FormFacts, facts_of
from fieldkit.forms.shipped import shipped_form_names
from fieldkit.forms.xlsform_read import read_workbook

_CORPUS_VALID = [
    "text_and_integer.xlsx",
    "group.xlsx",
    "loop.xlsx",
    "specify_other.xlsx",
    "choice_filter_test.xlsx",
    "yes_or_no_question.xlsx",
    "xlsform_spec_test.xlsx",
    "field-list.xlsx",
    "or_other.xlsx",
    "calculate.xls",
]


def _summary(facts: FormFacts) -> tuple:
    """Facts as comparable values (node identity is not what a second build can share)."""
    return (
        [(n.path, n.row) for n in facts.nodes],  # form order
        facts.names,
        facts.rows_by_name,
        [(n.name, n.row, column, text) for n, column, text in facts.cells],
        [(n.name, n.row) for n in facts.details],
        [(n.name, n.row) for n in facts.selects],
        [(n.name, n.row) for n in facts.containers],
    )


def _forms(corpus_dir: Path) -> list[Path]:
    found = [corpus_dir / name for name in _CORPUS_VALID]
    for name in shipped_form_names():
        with resources.as_file(paths.instrument(name)) as path:
            found.append(Path(path))
    return found


def _by_path_only(monkeypatch) -> None:
    """Make every build find rows by name path from the start, as before rows were claimed
    in step: the reference the in-step claiming must agree with."""
    original = load._Builder.__init__

    def init(self, book):
        original(self, book)
        self.by_path()  # the switch to finding rows by path

    monkeypatch.setattr(load._Builder, "__init__", init)


def test_the_loaders_facts_equal_a_walks(corpus_dir, write_form):
    audit = write_form(
        ["type", "name", "label", "relevant"],
        [
            ["text", "a", "A", ""],
            ["audit", "audit", "", ""],
            ["select_one yn or_other", "b", "B ${a}", "${a} != ''"],
            ["begin repeat", "r", "R", ""],
            ["integer", "n", "N", ". > 0"],
            ["end repeat", "", "", ""],
        ],
        choices=[["yn", "y", "Yes"], ["yn", "n", "No"]],
    )
    for path in [*_forms(corpus_dir), audit]:
        form, facts = load.build_form_and_facts(read_workbook(path))
        assert _summary(facts) == _summary(facts_of(form)), path.name


def test_rows_claimed_in_step_are_the_rows_found_by_path(corpus_dir, monkeypatch):
    forms = _forms(corpus_dir)
    in_step = {p: [(n.path, n.row) for n in load.read_form(p).walk()] for p in forms}
    _by_path_only(monkeypatch)
    for path in forms:
        assert [(n.path, n.row) for n in load.read_form(path).walk()] == in_step[path], path.name


@pytest.mark.parametrize("moved_first", [True, False])
def test_a_moved_audit_row_keeps_its_row_and_so_do_the_rows_after_it(write_form, moved_first):
    rows = [["text", "a", "A"], ["text", "b", "B"]]
    audit_row = ["audit", "audit", ""]
    rows = [audit_row, *rows] if moved_first else [*rows, audit_row]
    form = load.load_form(write_form(["type", "name", "label"], rows))
    got = {n.name: n.row for n in form.walk() if n.name in ("a", "b", "audit")}
    expected = {r[1]: i for i, r in enumerate(rows, start=2)}
    assert got == expected


def test_the_usual_questions_shortcut_builds_what_the_general_path_builds(
    corpus_dir, write_form, monkeypatch
):
    """_Builder.simple (most rows of a big form) against node()'s general path, on every kind
    of row it takes: binds in any column order, yes/no cells, translated labels, selects."""
    mixed = write_form(
        ["type", "name", "label::English (en)", "label::Polish (pl)", "calculation",
         "required", "constraint", "read_only", "relevant"],
        [
            ["integer", "n", "N", "Nn", "", "yes", ". > 0", "", ""],
            ["text", "t", "T ${n}", "", "", "${n} = 2", "", "no", "${n} > 1"],
            ["select_one yn", "s", "S", "", "", "", "", "true", "${n} > 2"],
            ["select_multiple yn", "m", "", "", "", "", "count-selected(.) < 2", "", ""],
            ["calculate", "c", "", "", "${n} * 2", "", "", "${n} = 1", "${n} > 3"],
            ["note", "x", "X", "", "", "", "", "", ""],
        ],
        choices=[["yn", "y", "Yes"], ["yn", "n", "No"]],
    )  # fmt: skip
    forms = [*_forms(corpus_dir), mixed]
    built = {p: load.build_form_and_facts(read_workbook(p)) for p in forms}
    taken = []
    original = load._Builder.simple

    def counted(self, *args):
        taken.append(args[1])
        return original(self, *args)

    monkeypatch.setattr(load._Builder, "simple", counted)
    load.build_form_and_facts(read_workbook(mixed))
    assert taken == ["n", "t", "s", "m", "c", "x"]
    monkeypatch.setattr(load, "_simple_type", lambda raw_type: None)  # general path only
    for path in forms:
        form, facts = load.build_form_and_facts(read_workbook(path))
        assert form == built[path][0], path.name
        assert _summary(facts) == _summary(built[path][1]), path.name


def test_blank_rows_and_padded_cells_keep_every_row_in_step_and_by_path(tmp_path, monkeypatch):
    """Rows pyxform skips (no type) stay in the count; cells are read as pyxform strips them."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in [
        ["type", "name", "label", "repeat_count"],
        ["text", "a", "A"],
        [None, None, None],
        ["begin group", " g ", "G"],
        [],
        ["  integer ", "n", "N"],
        ["end group"],
        ["begin repeat", "r", "R", " 2 "],
        ["text", "t", "T"],
        ["end repeat"],
    ]:
        sheet.append(row)
    path = tmp_path / "blank_rows.xlsx"
    book.save(path)
    expected = {"a": 2, "g": 4, "n": 6, "r": 8, "t": 9}

    def rows() -> dict[str, int | None]:
        return {n.name: n.row for n in load.load_form(path).walk()}

    assert rows() == expected
    assert load.load_form(path).node("r").repeat_count == "2"
    _by_path_only(monkeypatch)
    assert rows() == expected
