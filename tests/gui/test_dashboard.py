"""The Summary page on the demo project: pickers, sector view, drill-down, network, caching."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from fieldkit.gui.dashboard import DashboardPage
from fieldkit.gui.dashboard.charts import LOW_BASE_TEXT
from fieldkit.gui.dashboard.compare import ROUNDS, SITES
from fieldkit.gui.dashboard.page import RADAR
from fieldkit.gui.dashboard.table import OVERLAP_NOTE
from fieldkit.gui.session import Session
from fieldkit.indicators.distributions import item_distributions
from fieldkit.indicators.project_summary import (
    interview_records,
    project_framework,
    project_summary,
)
from fieldkit.mapping.metrics import compute_metrics
from fieldkit.mapping.persist import site_network
from fieldkit.vocab import DEFAULT_BANDS

BAND_WORDS = {band.label for band in DEFAULT_BANDS}


@pytest.fixture
def session(demo):
    session = Session(demo.data_dir)
    session.set_project(demo)
    return session


@pytest.fixture
def page(qtbot, session):
    page = DashboardPage(session)
    qtbot.addWidget(page)
    page.resize(1040, 680)
    page.show()
    return page


def choose(session, demo, site: str | None, round_: str | None) -> None:
    session.set_site(demo.sites.find(site)["id"] if site else None)
    session.set_round(demo.rounds.find(round_)["id"] if round_ else None)


def test_all_falls_back_to_first_site_latest_round_and_says_so(page, session, demo):
    choose(session, demo, None, None)
    assert (page.view.site, page.view.round) == ("Broughton", "Follow-up")
    assert page.note.isVisible()
    assert "first site (Broughton)" in page.note.text()
    assert "latest round (Follow-up)" in page.note.text()
    choose(session, demo, "Cheetham Hill", "Baseline")
    assert not page.note.isVisible()
    assert page.place.text() == "Cheetham Hill · Baseline"


def test_table_shows_the_summary_for_the_chosen_place(page, session, demo):
    expected = project_summary(demo).get("Cheetham Hill", "Follow-up")
    choose(session, demo, "Cheetham Hill", "Follow-up")
    table = page.table
    assert table.rowCount() == 10
    for key, figure in expected.indicators.items():
        assert table.cell_text(key, "Score") == f"{figure.score:.0f}"
        assert table.cell_text(key, "n") == str(figure.n)
        assert table.cell_text(key, "Interval") == f"{figure.ci_low:.0f}–{figure.ci_high:.0f}"
        assert table.cell_text(key, "Band") == figure.band.label
        assert table.cell_text(key, "Band") in BAND_WORDS
        change = table.cell_text(key, "Change")
        assert change.startswith("▲" if figure.change.delta > 0 else "▼")
        assert f"{figure.change.delta:+.1f}" in change
        assert (OVERLAP_NOTE in change) == bool(figure.change.ci_overlap)
        source = "interviews only" if figure.interviews_only else "interviews + maps"
        assert source in table.cell_text(key, "Indicator")
    # the baseline has no earlier round: no change arrows
    choose(session, demo, "Cheetham Hill", "Baseline")
    assert {page.table.cell_text(k, "Change") for k in expected.indicators} == {"—"}


def test_summary_is_computed_once_per_data_change(page, session, demo):
    before = page.data.computations
    choose(session, demo, "Cheetham Hill", "Baseline")
    choose(session, demo, "Broughton", "Follow-up")
    page.tabs.setCurrentIndex(1)
    page.grab()
    assert page.data.computations == before
    session.notify("actions")
    assert page.data.computations == before
    session.notify("interviews")
    assert page.data.computations == before + 1


def test_sector_view_marks_low_base(page, session, demo, qtbot):
    summary = project_summary(demo).get("Cheetham Hill", "Follow-up")
    choose(session, demo, "Cheetham Hill", "Follow-up")
    page.respondents.setFocus()
    while page.respondents.currentData() != "residents":
        qtbot.keyClick(page.respondents, Qt.Key.Key_Down)
    residents = summary.indicators["pub"].by_sector["residents"]
    assert residents.n < 5  # the demo has few residents per place
    assert page.table.cell_text("pub", "n") == str(residents.n)
    assert page.table.cell_text("pub", "Score") == f"{residents.mean:.0f}"
    assert LOW_BASE_TEXT in page.table.cell_text("pub", "Band")
    assert LOW_BASE_TEXT in page.bars.describe().splitlines()[0]
    assert page.radar.series == ["Residents", "All respondents"]
    # back to everyone: banded again
    page.respondents.setCurrentIndex(0)
    assert page.table.cell_text("pub", "Band") in BAND_WORDS


def test_click_in_table_opens_the_items_behind(page, session, demo, qtbot):
    choose(session, demo, "Cheetham Hill", "Follow-up")
    row = page.table.row_of("pub_com")
    rect = page.table.visualRect(page.table.model().index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = page.detail
    assert dialog is not None and dialog.isVisible()
    assert "Public - commercial relationship" in dialog.windowTitle()
    framework = project_framework(demo)
    records = interview_records(demo, site="Cheetham Hill", round="Follow-up")
    expected = item_distributions(records, framework, "pub_com")
    table = dialog.table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == list(expected)
    for r, (item, counts) in enumerate(expected.items()):
        for c, code in enumerate(framework.scale.codes, start=1):
            assert table.item(r, c).text() == str(counts[code]), (item, code)
    assert "public bodies" in dialog.chart.items[0].question.lower()
    assert "15 finalized interviews" in dialog.summary.text()


def test_click_on_a_bar_opens_its_indicator(page, session, demo, qtbot):
    choose(session, demo, "Broughton", "Baseline")
    page.grab()  # paint once so the bars know where they are
    rect, key = page.bars._hits[3]
    with qtbot.waitSignal(page.bars.indicatorClicked) as blocker:
        qtbot.mouseClick(page.bars, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert blocker.args == [key]
    assert page.detail is not None and page.detail.isVisible()


def test_radar_shows_previous_round_outline(page, session, demo, qtbot):
    choose(session, demo, "Cheetham Hill", "Follow-up")
    page.chart_kind.setCurrentIndex(page.chart_kind.findData(RADAR))
    assert page.chart_stack.currentWidget() is page.radar
    assert page.radar.series == ["Follow-up", "Baseline"]
    assert len(page.radar.rows) == 10
    assert not page.radar.grab().isNull()


def test_network_summary_is_populated(page, session, demo):
    choose(session, demo, "Cheetham Hill", "Follow-up")
    page.tabs.setCurrentWidget(page.network)
    metrics = compute_metrics(site_network(demo, "Cheetham Hill", "Follow-up"))
    view = page.network
    assert view.heat.matrix == metrics.mixing
    brokers = [view.brokers.item(i).text() for i in range(view.brokers.count())]
    assert brokers == [metrics.names[k] for k in metrics.brokers]
    assert f"{metrics.actors} actors" in view.headline.text()
    points = [view.cut_points.item(i).text() for i in range(view.cut_points.count())]
    if metrics.articulation_points:
        assert points == [metrics.names[k] for k in metrics.articulation_points]
    else:
        assert points[0].startswith("none")


def test_place_without_data_says_so(page, session, demo):
    demo.sites.add("Salford")
    session.notify("sites")
    choose(session, demo, "Salford", "Baseline")
    assert "No finalized interviews" in page.facts.text()
    assert page.table.rowCount() == 0
    assert "No relationship maps" in page.network.headline.text()
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        assert not page.grab().isNull()


def test_compare_sites_and_rounds(page, session, demo):
    choose(session, demo, "Cheetham Hill", "Follow-up")
    page.tabs.setCurrentWidget(page.compare)
    compare = page.compare
    compare.mode.setCurrentIndex(compare.mode.findData(SITES))
    assert compare.chart.series == ["Broughton", "Cheetham Hill"]
    summary = project_summary(demo)
    first = compare.chart.rows[0]
    assert [round(b.score, 6) for b in first.bars] == [
        round(summary.get(site, "Follow-up").indicators[first.key].score, 6)
        for site in ("Broughton", "Cheetham Hill")
    ]
    compare.mode.setCurrentIndex(compare.mode.findData(ROUNDS))
    assert compare.chart.series == ["Baseline", "Follow-up"]
    assert "Cheetham Hill" in compare.mode.currentText()


def test_by_sector_highlights_the_gap(page, session, demo):
    choose(session, demo, "Cheetham Hill", "Follow-up")
    sectors = page.sectors
    page.tabs.setCurrentWidget(sectors)
    summary = project_summary(demo).get("Cheetham Hill", "Follow-up")
    with_gap = [f for f in summary.indicators.values() if f.gap is not None]
    assert with_gap, "the demo should show at least one perception gap"
    figure = with_gap[0]
    row = [f.indicator_id for f in summary.indicators.values()].index(figure.indicator_id)
    high_col = 1 + sectors.sectors.index(figure.gap.high_sector)
    low_col = 1 + sectors.sectors.index(figure.gap.low_sector)
    assert sectors.table.item(row, high_col).text().startswith("▲")
    assert sectors.table.item(row, low_col).text().startswith("▼")
    assert sectors.table.item(row, high_col).font().bold()
    gap_text = sectors.table.item(row, sectors.table.columnCount() - 1).text()
    assert gap_text.startswith(f"{figure.gap.difference:.0f} points")
    sectors.table.setCurrentCell(row, 0)
    assert sectors.chart.rows[0].key == figure.indicator_id
    assert len(sectors.chart.rows[0].bars) == len(sectors.sectors)


def test_actions_tab_lists_the_plan(page, session, demo):
    choose(session, demo, "Broughton", "Baseline")
    assert page.action_table.rowCount() == 1
    assert page.action_table.item(0, 0).text() == "Buy-local pledge for public bodies"
    assert page.action_table.item(0, 4).text() == "In progress"
    assert "1 action" in page.table.cell_text("com_res", "Indicator")
    demo.actions.add("Broughton", "Baseline", "Second action", indicators=["com_res"])
    session.notify("actions")
    assert page.action_table.rowCount() == 2
    assert "2 actions" in page.table.cell_text("com_res", "Indicator")
    assert "action" not in page.table.cell_text("pub", "Indicator")


def test_hidden_page_waits_until_shown(page, session, demo):
    page.hide()
    before = page.data.computations
    session.notify("interviews")
    choose(session, demo, "Cheetham Hill", "Baseline")
    assert page.data.computations == before
    assert page.place.text() != "Cheetham Hill · Baseline"
    page.show()
    assert page.data.computations == before + 1
    assert page.place.text() == "Cheetham Hill · Baseline"


def test_broken_framework_is_reported_on_the_page(qtbot, session, demo):
    # a saved copy that no longer reads (e.g. edited by hand in the database)
    broken = "| settings | framework_id |\n|---|---|\n|  | x |\n"
    demo.update_settings(framework={"file": "mine.md", "encoding": "utf-8", "content": broken})
    page = DashboardPage(session)
    qtbot.addWidget(page)
    assert page.view is None
    assert "cannot be shown" in page.facts.text()
    assert "mine.md (the copy saved in project" in page.note.text()


def test_the_coordinators_saved_framework_is_used(qtbot, session, demo, tmp_path):
    from fieldkit import paths
    from fieldkit.indicators.coordinator import set_project_framework

    text = paths.instrument("framework.md").read_text(encoding="utf-8")
    mine = tmp_path / "mine.md"
    mine.write_text(
        text.replace("| community_dna | Community DNA (default framework) | 2026.1 |", "| nm | NM DNA | 3 |")
        .replace("|  | resilient | Resilient | 70 |", "|  | resilient | Thriving | 60 |"),
        encoding="utf-8",
    )
    set_project_framework(demo, mine)
    page = DashboardPage(session)
    qtbot.addWidget(page)
    page.show()
    choose(session, demo, "Cheetham Hill", "Baseline")
    assert page.view.framework.id == "nm"
    assert "NM DNA 3" in page.facts.text()
    # the demo's strong social sector is banded by the coordinator's bands
    assert page.table.cell_text("soc", "Band") == "Thriving"
