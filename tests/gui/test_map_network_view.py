"""The coordinator's site network on the demo project: aliases, filters, focus, metrics."""

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QDialog

from fieldkit.gui.maps.network_view import SiteNetworkView
from fieldkit.indicators.demo import create_demo
from fieldkit.mapping.metrics import compute_metrics
from fieldkit.mapping.persist import site_network


@pytest.fixture
def demo(data_dir):
    project = create_demo(data_dir)
    yield project
    project.close()


def open_view(qtbot, project, site="Cheetham Hill", round_="Follow-up"):
    view = SiteNetworkView(
        project, project.sites.find(site)["id"], project.rounds.find(round_)["id"]
    )
    qtbot.addWidget(view)
    view.resize(1280, 720)
    view.show()
    qtbot.waitExposed(view)
    return view


def finish_metrics(qtbot, view):
    view.metrics.run_now()
    QThreadPool.globalInstance().waitForDone(10000)
    qtbot.waitUntil(lambda: not view.metrics.busy())


def test_confirming_an_alias_merges_the_actor(qtbot, demo):
    view = open_view(qtbot, demo)
    before = len(view.network.actors)
    assert "the council" in {v.look.name for v in view.scene.actor_items.values()}
    offered = []

    def tick_and_apply(dialog):
        offered.extend(s.alias for s in dialog.offered())
        assert dialog.tick("the council")
        return QDialog.DialogCode.Accepted

    view.run_dialog = tick_and_apply
    assert view.open_aliases() is True
    assert "the council" in offered
    assert demo.maps.aliases()["the council"] == "Manchester City Council"
    assert len(view.network.actors) == before - 1
    assert len(view.scene.actor_items) == before - 1
    assert "the council" not in {v.look.name for v in view.scene.actor_items.values()}
    council = view.network.actors["manchester city council"]
    assert "the council" in council.names
    assert view.alias_button.text() == "Aliases…"  # nothing more to suggest

    # And removing it again splits the actor back out.
    def untick(dialog):
        for i in range(dialog.confirmed.count()):
            item = dialog.confirmed.item(i)
            if "the council" in item.text():
                item.setCheckState(Qt.CheckState.Checked)
        return QDialog.DialogCode.Accepted

    view.run_dialog = untick
    assert view.open_aliases() is True
    assert "the council" not in demo.maps.aliases()
    assert len(view.network.actors) == before


def test_a_refused_alias_is_not_suggested_again_until_taken_back(qtbot, demo):
    view = open_view(qtbot, demo)
    before = len(view.network.actors)
    assert "the council" in {s.alias for s in view.suggestions}

    def refuse_by_button(dialog):
        for i in range(dialog.suggestions.count()):
            item = dialog.suggestions.item(i)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole).alias == "the council")
        qtbot.mouseClick(dialog.different, Qt.MouseButton.LeftButton)
        assert [s.alias for s in dialog.refused()] == ["the council"]
        assert dialog.chosen() == []
        return QDialog.DialogCode.Accepted

    view.run_dialog = refuse_by_button
    assert view.open_aliases() is True
    assert "the council" not in demo.maps.aliases()  # nothing merged
    assert len(view.network.actors) == before
    assert "the council" not in {s.alias for s in view.suggestions}
    assert ["the council", "Manchester City Council"] in demo.settings["rejected_aliases"]

    # A new view (the store, not memory) does not suggest it either; the dialog lists it.
    again = open_view(qtbot, demo)
    assert "the council" not in {s.alias for s in again.suggestions}

    def take_back(dialog):
        assert dialog.refused_list.count() == 1
        dialog.refused_list.item(0).setCheckState(Qt.CheckState.Checked)
        return QDialog.DialogCode.Accepted

    again.run_dialog = take_back
    assert again.open_aliases() is True
    assert "the council" in {s.alias for s in again.suggestions}
    assert demo.settings["rejected_aliases"] == []


def test_filters_focus_and_metrics_of_what_is_shown(qtbot, demo):
    view = open_view(qtbot, demo, "Broughton", "Baseline")
    network = site_network(demo, view.site, view.round)
    assert len(view.scene.visible_ties()) == len(network.ties)
    finish_metrics(qtbot, view)
    full = compute_metrics(network)
    assert view.metrics_panel.text("size") == f"{full.actors} / {full.ties}"
    assert view.metrics_panel.text("density") == f"{full.density:.2f}"

    view.min_maps.setValue(2)
    shown = [t for t in network.ties if t.weight >= 2]
    assert len(view.scene.visible_ties()) == len(shown) < len(network.ties)
    assert all(t.look.weight >= 2 for t in view.scene.visible_ties())
    finish_metrics(qtbot, view)
    assert view.metrics_panel.text("size") == f"{full.actors} / {len(shown)}"

    view.min_maps.setValue(1)
    view.type_boxes["money"].setChecked(False)
    assert all(t.look.type != "money" for t in view.scene.visible_ties())
    view.sector_boxes["commercial"].setChecked(False)
    hidden = {k for k, a in network.actors.items() if a.sector == "commercial"}
    assert hidden and all(not view.scene.actor_items[k].isVisible() for k in hidden)
    assert all(
        t.source.key not in hidden and t.target.key not in hidden for t in view.scene.visible_ties()
    )
    finish_metrics(qtbot, view)
    assert view.shown.actors.keys() == network.actors.keys() - hidden

    # Focus on one actor: its neighbourhood stays, everyone else fades.
    key = max(view.scene.actor_items, key=lambda k: len(view.scene.neighbours(k)))
    view.focus_on(key)
    keep = {key} | view.scene.neighbours(key)
    assert view.scene.faded_keys() == set(view.scene.actor_items) - keep
    view.focus_on(None)
    assert view.scene.faded_keys() == set()
