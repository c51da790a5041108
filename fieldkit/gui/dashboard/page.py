"""The Summary page: the community DNA of the chosen site and round, and everything around it.

Tabs: the DNA (bars or radar, and the indicator table), compare (sites / rounds), by sector
(perception gaps), the network summary, and the action plan beside it. The figures are fetched
once per project, filter or data change through `DashboardData` (cached), never while
painting. When the sidebar says "All", the page shows the first site and latest round and says
so, because one community DNA is always of one place at one time.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import FieldkitError
from fieldkit.gui.dashboard.charts import BandedBarChart, RadarChart
from fieldkit.gui.dashboard.compare import CompareView
from fieldkit.gui.dashboard.data import (
    ALL_RESPONDENTS,
    FIGURE_CHANGES,
    Bar,
    ChartRow,
    DashboardData,
    View,
    bar_from_estimate,
    bar_from_figure,
)
from fieldkit.gui.dashboard.detail import IndicatorDetail, ItemRow, figure_text
from fieldkit.gui.dashboard.network import NetworkSummary
from fieldkit.gui.dashboard.sectors import SectorView
from fieldkit.gui.dashboard.table import IndicatorTable, TableRow
from fieldkit.gui.session import Session
from fieldkit.indicators.distributions import OTHER, UNANSWERED, item_distributions
from fieldkit.vocab import ACTION_STATUS_LABELS, SECTOR_LABELS, SECTORS

BARS, RADAR = "bars", "radar"
INTERVIEWS_ONLY = "Interviews only"
BLENDED = "Interviews + maps"
ACTION_COLUMNS = ("Action", "Indicators", "Lead", "Due", "Status")


def _empty_bar(series: str = "") -> Bar:
    return Bar(series, None, None, None, 0, None, None, True)


def dna_rows(view: View, sector: str) -> tuple[list[ChartRow], list[str], list[TableRow]]:
    """Chart rows (with a comparison series), series names and table rows for the DNA tab."""
    if view.entry is None:
        return [], [], []
    addressed: dict[str, int] = {}
    for action in view.actions:
        for key in action["indicators"]:
            addressed[key] = addressed.get(key, 0) + 1
    previous = view.previous()
    chart_rows, table_rows = [], []
    if sector == ALL_RESPONDENTS:
        series = [view.round or ""]
        if previous is not None:
            series.append(previous.round)
    else:
        series = [SECTOR_LABELS[sector], "All respondents"]
    for indicator in view.framework.indicators:
        figure = view.entry.indicators.get(indicator.id)
        if figure is None:
            continue
        if sector == ALL_RESPONDENTS:
            bar = bar_from_figure(figure, series[0])
            bars = [bar]
            if previous is not None and indicator.id in previous.indicators:
                bars.append(bar_from_figure(previous.indicators[indicator.id], series[1]))
            change = figure.change
            source = INTERVIEWS_ONLY if figure.interviews_only else BLENDED
            detail = figure.basis
        else:
            estimate = figure.by_sector.get(sector)
            bar = bar_from_estimate(estimate, series[0]) if estimate else _empty_bar(series[0])
            bars = [bar, bar_from_figure(figure, series[1])]
            change = None
            source, detail = INTERVIEWS_ONLY, "one sector's interviews (no network part)"
        chart_rows.append(ChartRow(indicator.id, indicator.name, tuple(bars)))
        table_rows.append(
            TableRow(
                indicator.id,
                indicator.name,
                bar,
                change,
                source,
                detail,
                addressed.get(indicator.id, 0),
            )
        )
    return chart_rows, series, table_rows


class DashboardPage(QWidget):
    """The Summary page for the sidebar's site and round."""

    openActions = Signal()  # "Edit the action plan" (the window shows the Actions page)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.data = DashboardData()
        self.view: View | None = None
        self.detail: IndicatorDetail | None = None

        title = QLabel("Summary")
        title.setObjectName("PageTitle")
        self.place = QLabel()
        self.place.setObjectName("PlaceTitle")
        self.place.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.facts = QLabel()
        self.facts.setObjectName("Muted")
        self.note = QLabel()
        self.note.setObjectName("Muted")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("background: #FFF1C7; padding: 4px 8px; border-radius: 3px;")
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addSpacing(16)
        heading.addWidget(self.place)
        heading.addSpacing(12)
        heading.addWidget(self.facts, 1)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Summary views")
        self.tabs.addTab(self._build_dna_tab(), "Community DNA")
        self.compare = CompareView()
        self.tabs.addTab(self.compare, "Compare")
        self.sectors = SectorView()
        self.tabs.addTab(self.sectors, "By sector")
        self.network = NetworkSummary()
        self.tabs.addTab(self.network, "Network")
        self.tabs.addTab(self._build_actions_tab(), "Action plan")

        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)

        for source in (self.bars, self.radar, self.compare.chart, self.sectors.chart):
            source.indicatorClicked.connect(self.open_indicator)
        self.table.indicatorActivated.connect(self.open_indicator)
        self.sectors.indicatorActivated.connect(self.open_indicator)
        self._stale = False
        session.projectChanged.connect(self._project_changed)
        session.filterChanged.connect(self._request_refresh)
        session.changed.connect(self._data_changed)
        self.refresh()

    # -- building --------------------------------------------------------------------------
    def _build_dna_tab(self) -> QWidget:
        self.respondents = QComboBox()
        self.respondents.setAccessibleName("Respondents")
        self.respondents.addItem("All respondents", ALL_RESPONDENTS)
        for sector in SECTORS:
            self.respondents.addItem(SECTOR_LABELS[sector], sector)
        self.chart_kind = QComboBox()
        self.chart_kind.setAccessibleName("Chart")
        self.chart_kind.addItem("Bars with intervals", BARS)
        self.chart_kind.addItem("Radar", RADAR)
        self.bars = BandedBarChart()
        self.bars.setAccessibleName("Community DNA bars")
        self.radar = RadarChart()
        self.radar.setAccessibleName("Community DNA radar")
        self.chart_stack = QStackedWidget()
        self.chart_stack.addWidget(self.bars)
        self.chart_stack.addWidget(self.radar)
        self.table = IndicatorTable()
        self.hint = QLabel(
            "Scores 0–100 with the 95% interval. Hatched bars / hollow points: low base "
            "(fewer than 5 respondents), not banded. Click an indicator for its questions."
        )
        self.hint.setObjectName("Muted")
        self.hint.setWordWrap(True)

        controls = QHBoxLayout()
        for caption, box in (("Respondents:", self.respondents), ("Chart:", self.chart_kind)):
            label = QLabel(caption)
            label.setBuddy(box)
            controls.addWidget(label)
            controls.addWidget(box)
        controls.addWidget(self.hint, 1)
        splitter = QSplitter()
        splitter.addWidget(self.chart_stack)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([440, 570])
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)
        self.respondents.currentIndexChanged.connect(self._redraw_dna)
        self.chart_kind.currentIndexChanged.connect(
            lambda: self.chart_stack.setCurrentIndex(self.chart_kind.currentIndex())
        )
        return tab

    def _build_actions_tab(self) -> QWidget:
        self.action_table = QTableWidget(0, len(ACTION_COLUMNS))
        self.action_table.setAccessibleName("Action plan")
        self.action_table.setHorizontalHeaderLabels(ACTION_COLUMNS)
        self.action_table.verticalHeader().hide()
        self.action_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.action_table.setWordWrap(True)
        header = self.action_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self.action_table.resizeRowsToContents())
        self.action_count = QLabel()
        self.action_count.setObjectName("Muted")
        edit = QPushButton("Edit the action plan…")
        edit.clicked.connect(self.openActions.emit)
        top = QHBoxLayout()
        top.addWidget(self.action_count, 1)
        top.addWidget(edit)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(self.action_table, 1)
        return tab

    # -- refreshing ------------------------------------------------------------------------
    def _project_changed(self) -> None:
        self.data.invalidate()
        self._request_refresh()

    def _data_changed(self, kind: str) -> None:
        if kind in FIGURE_CHANGES:
            self.data.invalidate()
        if kind in FIGURE_CHANGES or kind == "actions":
            self._request_refresh()

    def _request_refresh(self) -> None:
        """Refresh now when on screen; a hidden page (e.g. during an interview) waits."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        project = self.session.project
        if project is None:
            self.view = None
            self.place.setText("")
            self.facts.setText("Open a project to see its summary.")
            self.note.hide()
            self._clear()
            return
        try:
            view = self.data.view(project, self.session.site, self.session.round)
        except FieldkitError as exc:  # e.g. a broken framework file: said here, not in a popup
            self.view = None
            self.place.setText("")
            self.facts.setText("The summary cannot be shown.")
            self.note.setText("\n".join(exc.lines()))
            self.note.show()
            self._clear()
            return
        self.view = view
        self.place.setText(f"{view.site or 'No site'} · {view.round or 'no round'}")
        if view.entry is None:
            self.facts.setText("No finalized interviews here yet.")
        else:
            maps = len(view.entry.map_ids)
            self.facts.setText(
                f"{view.entry.n_interviews} interviews, {maps} map{'s' if maps != 1 else ''} · "
                f"{view.framework.title} {view.framework.version}"
            )
        self.note.setText(view.defaulted)
        self.note.setVisible(bool(view.defaulted))
        self._redraw_dna()
        self.compare.show_view(view)
        self.sectors.show_view(view)
        self.network.show_metrics(view.metrics, len(view.entry.map_ids) if view.entry else 0)
        self._fill_actions(view)

    def _clear(self) -> None:
        self.bars.set_rows([])
        self.radar.set_rows([])
        self.table.fill([])
        self.network.show_metrics(None, 0)
        self.action_table.setRowCount(0)

    def _redraw_dna(self) -> None:
        view = self.view
        if view is None:
            return
        sector = self.respondents.currentData()
        chart_rows, series, table_rows = dna_rows(view, sector)
        bands = view.framework.bands
        self.bars.set_rows([ChartRow(r.key, r.label, r.bars[:1]) for r in chart_rows], [""], bands)
        self.radar.set_rows(chart_rows, series, bands)
        self.table.fill(table_rows)

    def _fill_actions(self, view: View) -> None:
        names = {i.id: i.name for i in view.framework.indicators}
        self.action_table.setRowCount(len(view.actions))
        for row, action in enumerate(view.actions):
            cells = (
                action["title"],
                ", ".join(names.get(k, k) for k in action["indicators"]) or "—",
                SECTOR_LABELS.get(action["lead_sector"] or "", "—"),
                action["due"] or "—",
                ACTION_STATUS_LABELS.get(action["status"], action["status"]),
            )
            for column, text in enumerate(cells):
                self.action_table.setItem(row, column, QTableWidgetItem(text))
        self.action_table.resizeRowsToContents()
        count = len(view.actions)
        self.action_count.setText(
            f"{count} action{'s' if count != 1 else ''} for {view.site}, {view.round}."
            if count
            else f"No actions recorded for {view.site}, {view.round} yet."
        )

    # -- the items behind an indicator ----------------------------------------------------
    def open_indicator(self, indicator_id: str) -> IndicatorDetail | None:
        """Open (non-blocking) the questions and answer counts behind one indicator."""
        view = self.view
        project = self.session.project
        if view is None or project is None or view.site is None or view.round is None:
            return None
        figure = view.figure(indicator_id)
        if figure is None:
            return None
        sector = self.respondents.currentData()
        records = self.data.distributions_records(
            project, view.site, view.round, view.framework.form_id
        )
        if sector != ALL_RESPONDENTS:
            records = [r for r in records if r.respondent_sector == sector]
        framework = view.framework
        counts = item_distributions(records, framework, indicator_id)
        questions, labels = self._question_texts(project, framework.form_id)
        indicator = framework.indicator(indicator_id)
        items = [
            ItemRow(item.name, questions.get(item.name, item.name), item.reverse, counts[item.name])
            for item in indicator.items
        ]
        codes = [*framework.scale.codes, *framework.scale.not_scored, UNANSWERED, OTHER]
        labels = {UNANSWERED: "No answer", OTHER: "Other value"} | labels
        for code in framework.scale.codes:
            labels[code] = f"{code} {labels[code]}" if code in labels else code
        place = f"{view.site}, {view.round}"
        who = "all respondents" if sector == ALL_RESPONDENTS else SECTOR_LABELS[sector]
        html = figure_text(figure, place)
        html += f"<br>Answers below: {len(records)} finalized interviews ({who})."
        if self.detail is not None:
            self.detail.close()
        self.detail = IndicatorDetail(
            f"{indicator.name} — the questions behind it",
            html,
            items,
            codes,
            framework.scale.codes,
            labels,
            self,
        )
        self.detail.open()
        return self.detail

    def _question_texts(self, project, form_id: str) -> tuple[dict[str, str], dict[str, str]]:
        """Question labels and answer labels of the scored form (names when unavailable)."""
        from fieldkit.fieldwork import form_record

        try:
            form = project.forms.load(form_record(project, form_id)["id"])
        except (FieldkitError, KeyError):
            return {}, {}
        questions, answers = {}, {}
        for node in form.walk():
            if node.is_input:
                questions[node.name] = node.text()
                choices = form.choices.get(node.list_name or "")
                if choices is not None:
                    for choice in choices.choices:
                        answers.setdefault(choice.name, choice.text())
        return questions, answers


def make_summary_page(session: Session, window) -> DashboardPage:
    """The page for main_window.page_factories(): "Edit the action plan" opens Actions."""
    page = DashboardPage(session)
    page.openActions.connect(
        lambda: "actions" in getattr(window, "pages", {}) and window.show_page("actions")
    )
    return page
