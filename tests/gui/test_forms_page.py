import openpyxl

from fieldkit.gui.pages.forms import FormsPage
from fieldkit.gui.session import Session

GOOD = """
| survey |           |      |             |
|        | type      | name | label       |
|        | text      | name | Your name?  |
|        | integer   | age  | Your age?   |
| settings |         |         |
|          | form_id | version |
|          | tiny    | 1       |
"""

BAD = """
| survey |         |      |          |          |
|        | type    | name | label    | relevant |
|        | integer | age  | Age?     | ${agee} > 3 |
"""


def make(qtbot, project):
    session = Session(project.data_dir)
    session.set_project(project)
    page = FormsPage(session)
    qtbot.addWidget(page)
    return page


def test_shipped_forms_listed(qtbot, project):
    page = make(qtbot, project)
    ids = {page.model.item(r, 0).text() for r in range(page.model.rowCount())}
    assert {"consent_profile", "community_dna", "relationship_map"} <= ids


def test_import_good_then_same_again(qtbot, project, tmp_path):
    page = make(qtbot, project)
    path = tmp_path / "tiny.md"
    path.write_text(GOOD)
    before = page.model.rowCount()
    assert page.import_file(path)
    assert page.model.rowCount() == before + 1
    assert page.import_file(path)
    assert "nothing changed" in page.message.text()
    assert page.model.rowCount() == before + 1


def test_bad_form_refused_with_location(qtbot, project, tmp_path, monkeypatch):
    from fieldkit.gui import guard

    shown = []
    monkeypatch.setattr(
        guard, "show_problems", lambda parent, exc, title="": shown.append(exc.lines())
    )
    page = make(qtbot, project)
    before = page.model.rowCount()
    path = tmp_path / "bad.md"
    path.write_text(BAD)
    assert not page.import_file(path)
    assert page.model.rowCount() == before
    assert any("agee" in line for line in shown[0])


def test_save_template(qtbot, project, tmp_path):
    page = make(qtbot, project)
    page.table.selectRow(0)
    out = tmp_path / "template.xlsx"
    assert page.save_template(out)
    book = openpyxl.load_workbook(out)
    assert {"survey", "choices", "settings"} <= set(book.sheetnames)
