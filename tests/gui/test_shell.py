from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from fieldkit import __version__
from fieldkit.gui.dialogs.about import about_text
from fieldkit.gui.dialogs.first_run import FirstRunDialog
from fieldkit.gui.main_window import MainWindow
from fieldkit.gui.session import Session
from fieldkit.store import list_projects


def make_window(qtbot, project):
    session = Session(project.data_dir)
    session.set_project(project)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    return window


def visible_rows(window):
    page = window.pages["interviews"]
    return page.proxy.rowCount()


def test_window_opens_on_project(qtbot, populated):
    window = make_window(qtbot, populated)
    assert "Test Project" in window.windowTitle()
    assert window.project_box.currentText() == "test-project"
    assert [window.site_box.itemText(i) for i in range(window.site_box.count())] == [
        "All sites", "Broughton", "Cheetham Hill"]
    assert window.round_box.itemText(2) == "Follow-up"


def test_pickers_filter_the_list(qtbot, populated):
    window = make_window(qtbot, populated)
    window.site_box.setCurrentIndex(0)
    window.round_box.setCurrentIndex(0)
    assert visible_rows(window) == 4
    window.site_box.setCurrentIndex(window.site_box.findText("Cheetham Hill"))
    assert visible_rows(window) == 2
    window.round_box.setCurrentIndex(window.round_box.findText("Follow-up"))
    assert visible_rows(window) == 0
    assert window.pages["interviews"].empty.isVisible()
    window.site_box.setCurrentIndex(window.site_box.findText("Broughton"))
    assert visible_rows(window) == 1
    page = window.pages["interviews"]
    assert page.model.item(0, 4).text() == "Draft"


def test_status_filter_by_keyboard(qtbot, populated):
    window = make_window(qtbot, populated)
    window.site_box.setCurrentIndex(0)
    window.round_box.setCurrentIndex(0)
    page = window.pages["interviews"]
    page.status.setFocus()
    qtbot.keyClick(page.status, Qt.Key.Key_Down)
    assert page.status.currentData() == "draft"
    assert visible_rows(window) == 2
    assert page.count.text() == "2 interviews"


def test_double_click_emits_open(qtbot, populated):
    window = make_window(qtbot, populated)
    window.site_box.setCurrentIndex(0)
    window.round_box.setCurrentIndex(0)
    page = window.pages["interviews"]
    with qtbot.waitSignal(page.openInterview) as blocker:
        index = page.proxy.index(0, 0)
        page.table.doubleClicked.emit(index)
    assert len(blocker.args[0]) == 36


def test_about_shows_version():
    assert __version__ in about_text()


def test_first_run_dialog_create(qtbot):
    dialog = FirstRunDialog(demo_available=False)
    qtbot.addWidget(dialog)
    assert not dialog.create.isEnabled()
    qtbot.keyClicks(dialog.name, "My first project")
    assert dialog.create.isEnabled()
    qtbot.mouseClick(dialog.create, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice == "create"


def test_first_run_flow_creates_project(qtbot, data_dir, monkeypatch):
    from fieldkit.gui import app

    def fake_exec(self):
        self.name.setText("Field season")
        self.choice = "create"
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FirstRunDialog, "exec", fake_exec)
    window = app.open_window(data_dir)
    qtbot.addWidget(window)
    assert [p.name for p in list_projects(data_dir)] == ["field-season"]
    assert window.session.project.name == "Field season"


def test_add_site_from_menu(qtbot, populated, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    window = make_window(qtbot, populated)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Salford", True))
    window.actions["new_site"].trigger()
    assert window.site_box.findText("Salford") > 0
    assert window.site_box.currentText() == "Salford"


def test_toolbar_reaches_the_places_later_issues_fill(qtbot, populated):
    window = make_window(qtbot, populated)
    texts = [a.text() for a in window.toolbar.actions() if a.text()]
    for wanted in ("New interview…", "New relationship map…", "Summary", "Exports"):
        assert wanted in texts
    window.actions["page_summary"].trigger()
    assert window.stack.currentWidget() is window.pages["summary"]
    window.actions["page_exports"].trigger()
    assert window.stack.currentWidget() is window.pages["exports"]


def test_pages_are_built_only_when_shown(qtbot, populated):
    window = make_window(qtbot, populated)
    assert [type(p).__name__ for p in window.pages.created()] == ["InterviewsPage"]
    window.nav.setCurrentRow(window.pages.index("forms"))
    assert window.stack.currentWidget() is window.pages["forms"]
    assert len(window.pages.created()) == 2


def test_sidebar_follows_a_site_chosen_elsewhere(qtbot, populated):
    window = make_window(qtbot, populated)
    broughton = populated.sites.find("Broughton")["id"]
    window.session.set_site(broughton)
    assert window.site_box.currentText() == "Broughton"


def test_titles_scale_with_the_system_font():
    from fieldkit.gui.style import stylesheet

    assert "#PageTitle { font-size: 16.0pt" in stylesheet(10)
    assert "#PageTitle { font-size: 24.0pt" in stylesheet(15)


def test_window_shows_before_the_project_opens(qtbot, populated):
    from fieldkit.gui.app import open_window

    data_dir = populated.data_dir
    populated.close()
    window = open_window(data_dir, deferred=True)
    qtbot.addWidget(window)
    window.show()
    assert window.session.project is None
    assert window.statusBar().currentMessage() == "Opening project…"
    qtbot.waitUntil(lambda: window.session.project is not None, timeout=5000)
    assert window.session.project.name == "Test Project"
    assert window.site_box.count() == 3
