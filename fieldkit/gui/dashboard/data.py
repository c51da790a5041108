"""What the dashboard shows, gathered once per change rather than in paint events.

The page asks `DashboardData` for a `View` whenever the project, the sidebar's site/round or
the stored data change. The project summary (every site and round, so the compare views and
the change column need nothing more) is cached until data change; network metrics are cached
per site and round. All figures come from the core (`project_summary`, `compute_metrics`):
nothing is scored here, only chosen and arranged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldkit.indicators.framework import Framework
from fieldkit.indicators.project_summary import (
    SCORED_FORM,
    interview_records,
    project_framework,
    project_summary,
)
from fieldkit.indicators.summary import Estimate, IndicatorFigure, SiteRound, Summary
from fieldkit.mapping.metrics import NetworkMetrics, compute_metrics
from fieldkit.mapping.persist import site_network

if TYPE_CHECKING:
    from fieldkit.store import Project

# Kinds of `Session.changed` after which the figures must be recomputed.
FIGURE_CHANGES = frozenset({"interviews", "maps", "answers", "forms", "sites", "rounds", "all"})
ALL_RESPONDENTS = ""  # the sector view key for everyone (the headline figures)


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a score, its interval and whether it may be banded."""

    series: str  # "" when the chart shows one series
    score: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    band_id: str | None
    band_label: str | None
    low_base: bool


@dataclass(frozen=True)
class ChartRow:
    key: str  # indicator id
    label: str  # indicator name
    bars: tuple[Bar, ...]


def bar_from_figure(figure: IndicatorFigure, series: str = "") -> Bar:
    band = figure.band
    return Bar(
        series,
        figure.score,
        figure.ci_low,
        figure.ci_high,
        figure.n,
        band.id if band else None,
        band.label if band else None,
        figure.low_base,
    )


def bar_from_estimate(estimate: Estimate, series: str = "") -> Bar:
    band = estimate.band
    return Bar(
        series,
        estimate.mean,
        estimate.ci_low,
        estimate.ci_high,
        estimate.n,
        band.id if band else None,
        band.label if band else None,
        estimate.low_base,
    )


@dataclass(frozen=True)
class View:
    """The chosen site and round with everything the dashboard's tabs show for them."""

    site: str | None  # site name (None: the project has no site with figures)
    round: str | None  # round name
    defaulted: str  # why this site/round is shown when the sidebar says "All" ("" if chosen)
    summary: Summary
    framework: Framework
    entry: SiteRound | None
    metrics: NetworkMetrics | None
    actions: list[dict[str, Any]]

    def figure(self, indicator_id: str) -> IndicatorFigure | None:
        if self.entry is None:
            return None
        return self.entry.indicators.get(indicator_id)

    def previous(self) -> SiteRound | None:
        """The same site's previous round (for the radar's comparison outline)."""
        if self.site is None or self.round is None:
            return None
        rounds = self.summary.rounds_of(self.site)
        if self.round not in rounds:
            return None
        index = rounds.index(self.round)
        return self.summary.get(self.site, rounds[index - 1]) if index > 0 else None


class DashboardData:
    """Caches the project summary and network metrics between refreshes."""

    def __init__(self) -> None:
        self._project: Project | None = None
        self._summary: Summary | None = None
        self._framework: Framework | None = None
        self._metrics: dict[tuple[str, str], NetworkMetrics | None] = {}
        self.computations = 0  # how often the summary was computed (tests check the caching)

    def invalidate(self) -> None:
        self._summary = None
        self._framework = None
        self._metrics.clear()

    def summary(self, project: Project) -> tuple[Summary, Framework]:
        if project is not self._project:
            self._project = project
            self.invalidate()
        if self._summary is None or self._framework is None:
            self._framework = project_framework(project)
            self._summary = project_summary(project, self._framework)
            self.computations += 1
        return self._summary, self._framework

    def metrics(self, project: Project, site: str, round_: str) -> NetworkMetrics | None:
        key = (site, round_)
        if key not in self._metrics:
            network = site_network(project, site, round_)
            self._metrics[key] = compute_metrics(network) if network.actors else None
        return self._metrics[key]

    def view(self, project: Project, site_id: str | None, round_id: str | None) -> View:
        summary, framework = self.summary(project)
        site, round_, defaulted = choose_place(project, summary, site_id, round_id)
        entry = summary.get(site, round_) if site and round_ else None
        metrics = self.metrics(project, site, round_) if site and round_ else None
        actions = project.actions.list(site, round_) if site and round_ else []
        return View(site, round_, defaulted, summary, framework, entry, metrics, actions)

    def distributions_records(
        self, project: Project, site: str, round_: str, form_id: str = SCORED_FORM
    ):
        """The finalized interviews of one site and round, for the item distributions."""
        return interview_records(project, site=site, round=round_, form_id=form_id)


def choose_place(
    project: Project, summary: Summary, site_id: str | None, round_id: str | None
) -> tuple[str | None, str | None, str]:
    """Site and round names to show; "All" (None) falls back to the first site, latest round."""
    sites = [row["name"] for row in project.sites.list()]
    rounds = [row["name"] for row in project.rounds.list()]
    site = project.sites.find(site_id)["name"] if site_id else None
    round_ = project.rounds.find(round_id)["name"] if round_id else None
    notes = []
    if site is None:
        with_figures = [s for s in sites if summary.rounds_of(s)] or sites
        site = with_figures[0] if with_figures else None
        if site is not None:
            notes.append(f"the first site ({site})")
    if round_ is None and site is not None:
        with_figures = [r for r in rounds if summary.get(site, r) is not None] or rounds
        round_ = with_figures[-1] if with_figures else None
        if round_ is not None:
            notes.append(f"the latest round ({round_})")
    defaulted = ""
    if notes:
        defaulted = (
            f"Showing {' and '.join(notes)}: the dashboard shows one site and round at a "
            "time. Pick them in the sidebar."
        )
    return site, round_, defaulted
