"""The Maps page: the site and round's maps, a new map with the roster, the site network."""

import pytest

from fieldkit.gui.maps.editor import MapEditor
from fieldkit.gui.maps.network_view import SiteNetworkView
from fieldkit.gui.maps.page import MapsPage
from fieldkit.gui.session import Session
from fieldkit.indicators.demo import create_demo


@pytest.fixture
def page(qtbot, data_dir):
    project = create_demo(data_dir)
    session = Session(data_dir)
    session.set_project(project)
    session.set_site(project.sites.find("Broughton")["id"])
    session.set_round(project.rounds.find("Baseline")["id"])
    page = MapsPage(session)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    yield page
    page.shutdown()
    session.close()


def test_lists_the_maps_of_the_site_and_round(page):
    project = page.session.project
    assert page.map_ids() == [r["id"] for r in project.maps.list("Broughton", "Baseline")]
    assert len(page.map_ids()) == 5
    page.session.set_site(None)
    assert len(page.map_ids()) == 10  # both sites' baseline maps
    assert not page.new_button.isEnabled()
    assert "Choose a site" in page.hint.text()


def test_new_map_opens_with_the_roster_and_back(page, qtbot):
    project = page.session.project
    page.ask_focus = lambda: "Who helps in a flood?"
    editor = page.new_map()
    assert isinstance(editor, MapEditor)
    assert page.stack.currentWidget() is editor
    assert editor.map.focus_question == "Who helps in a flood?"
    roster_names = {r["name"] for r in project.maps.roster("Broughton")}
    assert {r["name"] for r in editor.roster} == roster_names and roster_names
    editor.ask_roster = lambda available: available[:3]
    assert editor.add_from_roster() == 3
    editor.close_editor()
    assert page.stack.currentWidget() is page.listing
    assert len(page.map_ids()) == 6
    row = [r for r in project.maps.list("Broughton", "Baseline") if r["id"] == editor.map.id][0]
    assert row["actor_count"] == 3


def test_site_network_from_the_page(page):
    view = page.show_network()
    assert isinstance(view, SiteNetworkView)
    assert page.stack.currentWidget() is view
    assert len(view.network.map_ids) == 5
    view.close_view()
    assert page.stack.currentWidget() is page.listing


def test_the_page_in_the_main_window(qtbot, data_dir):
    """The Maps page inside the real main window: edits saved, the editor shut down on close."""
    from fieldkit.gui import main_window

    project = create_demo(data_dir)
    session = Session(data_dir)
    session.set_project(project)
    window = main_window.MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("maps")
    assert isinstance(page, MapsPage) and window.stack.currentWidget() is page
    window.site_box.setCurrentIndex(window.site_box.findText("Broughton"))
    window.round_box.setCurrentIndex(window.round_box.findText("Baseline"))
    assert len(page.map_ids()) == 5
    assert page.table.item(0, 3).text() == "Test Fieldworker"
    editor = page.open_map(page.map_ids()[0])
    first = next(iter(editor.map.actors))
    editor.scene.actor_items[first].setSelected(True)
    editor.actor_panel.influence.setValue(9)
    assert window.saved_label.text() == "All changes saved"
    window.close()
    assert page.editor is None  # closing the window shut the editor down
