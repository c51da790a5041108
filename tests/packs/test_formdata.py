"""Interview answers as tables: nested repeats, versions, sensitive groups."""

from __future__ import annotations

from types import SimpleNamespace

from fieldkit.forms.model import Form, Node
from fieldkit.packs.formdata import ExportOptions, FormTables


def link(parent: Node) -> Node:
    for child in parent.children:
        child.parent = parent
        link(child)
    return parent


def make_form(extra_question: bool = False) -> Form:
    inner = Node("visit", "repeat", children=[Node("when", "date")])
    outer = Node("member", "repeat", children=[Node("mname", "text"), inner])
    private = Node("private", "group", extra={"sensitive": "yes"}, children=[Node("phone", "text")])
    children = [Node("hh", "integer"), outer, private]
    if extra_question:
        children.append(Node("new_q", "decimal"))
    return Form("hh", "Households", children=[link(node) for node in children])


def interview(uuid: str) -> SimpleNamespace:
    return SimpleNamespace(
        id=uuid,
        site_name="S",
        round_name="R",
        fieldworker_name="F",
        respondent_code=None,
        respondent_sector=None,
        language=None,
        form_version="2",
        created="2026-10-01T09:00:00+00:00",
        finalized="2026-10-01T09:30:00Z",
    )


def test_nested_repeats_each_get_a_table_linked_to_their_parent():
    tables = FormTables([make_form()])
    assert [t.name for t in tables.tables] == ["hh", "hh-member", "hh-visit"]
    answers = {
        "hh": 3,
        "member": 2,
        "member[0]/mname": "A",
        "member[1]/mname": "B",
        "member[0]/visit": 1,
        "member[0]/visit[0]/when": "2026-09-01",
        "member[1]/visit[1]/when": "2026-09-03",
        "phone": "0700 secret",
    }
    rows = list(tables.rows(interview("u1"), answers))
    by_table: dict[int, list] = {}
    for index, row in rows:
        by_table.setdefault(index, []).append(row)
    assert len(by_table[0]) == 1 and by_table[0][0][-1] == 3
    assert [r[1:] for r in by_table[1]] == [[None, 1, "A"], [None, 2, "B"]]
    visits = [(r[1], r[2], str(r[3])) for r in by_table[2]]
    assert visits == [("member[0]", 1, "2026-09-01"), ("member[1]", 2, "2026-09-03")]
    assert all("0700 secret" not in map(str, r) for _, r in rows)  # sensitive via its group


def test_versions_share_one_header_and_personal_data_needs_asking():
    tables = FormTables([make_form(extra_question=True), make_form()])
    headers = [c.header for c in tables.tables[0].columns]
    assert headers[-2:] == ["hh", "new_q"] and "phone" not in headers
    tables = FormTables([make_form()], ExportOptions(include_personal_data=True))
    assert "phone" in [c.header for c in tables.tables[0].columns]


def test_a_question_named_like_a_base_column_gets_its_own_header():
    form = Form("p", "Profile", children=[link(Node("respondent_code", "text"))])
    tables = FormTables([form])
    headers = [c.header for c in tables.tables[0].columns]
    assert headers.count("respondent_code") == 1
    assert headers[-1] == "respondent_code (answer)"
    row = interview("u1")
    row.respondent_code = "R-1"
    [(_, cells)] = list(tables.rows(row, {"respondent_code": "typed R-1"}))
    assert cells[headers.index("respondent_code")] == "R-1"
    assert cells[-1] == "typed R-1"
