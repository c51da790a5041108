"""The Summary: every figure the dashboard, the packs and `fieldkit summary` show, as data.

Built by `fieldkit.indicators.aggregate.summarise`; read-only afterwards. Each figure carries
its provenance (interviews, maps, framework version) so any number on a page can be traced
back. `to_dict()` is exactly what `fieldkit summary --json` prints: plain JSON types, rounded,
deterministic (no timestamps, stable ordering).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from fieldkit.vocab import Band


@dataclass(frozen=True)
class Estimate:
    """A mean of interview scores with its t-interval; not banded when low base."""

    mean: float | None
    n: int
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    low_base: bool
    band: Band | None
    interview_uuids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Provenance:
    interview_uuids: tuple[str, ...]  # the interviews scored into the figure
    unscored_uuids: tuple[str, ...]  # interviews of the group left out (too few items scored)
    map_ids: tuple[str, ...]  # the maps behind the network part (empty: interviews only)
    framework_version: str


@dataclass(frozen=True)
class Change:
    """Change of the headline score since the previous round at the same site."""

    previous_round: str
    previous_score: float | None
    delta: float | None
    ci_overlap: bool | None  # None when either interval is missing
    same_basis: bool  # both rounds blended the same way (else the change mixes methods)


@dataclass(frozen=True)
class Gap:
    """The largest perception gap between respondent sectors (non-low-base sectors only)."""

    high_sector: str
    high_score: float
    low_sector: str
    low_score: float

    @property
    def difference(self) -> float:
        return self.high_score - self.low_score


@dataclass(frozen=True)
class IndicatorFigure:
    indicator_id: str
    name: str
    score: float | None  # headline: blended when a site network exists
    n: int
    ci_low: float | None
    ci_high: float | None
    band: Band | None  # None when low base or no score
    low_base: bool
    interviews_only: bool
    basis: str
    weights: Mapping[str, float]  # applied weights: interviews and network components
    network: Mapping[str, float | None]  # network component values (None: not available)
    interviews: Estimate  # the interview part on its own
    by_sector: Mapping[str, Estimate]
    gap: Gap | None
    change: Change | None
    provenance: Provenance


@dataclass(frozen=True)
class SiteRound:
    site: str
    round: str
    n_interviews: int
    map_ids: tuple[str, ...]
    has_network: bool
    indicators: Mapping[str, IndicatorFigure]


@dataclass(frozen=True)
class Summary:
    framework_id: str
    framework_title: str
    framework_version: str
    round_order: tuple[str, ...]
    entries: Mapping[tuple[str, str], SiteRound]  # (site, round) -> figures
    warnings: tuple[str, ...] = field(default=())

    @property
    def sites(self) -> tuple[str, ...]:
        return tuple(sorted({site for site, _ in self.entries}))

    def rounds_of(self, site: str) -> tuple[str, ...]:
        return tuple(r for r in self.round_order if (site, r) in self.entries)

    def get(self, site: str, round_: str) -> SiteRound | None:
        return self.entries.get((site, round_))

    def select(self, site: str | None = None, round_: str | None = None) -> Summary:
        """The same summary restricted to one site and/or round (changes keep their values)."""
        entries = {
            key: value
            for key, value in self.entries.items()
            if (site is None or key[0] == site) and (round_ is None or key[1] == round_)
        }
        return replace(self, entries=entries)

    def to_dict(self, ndigits: int = 2, include_ids: bool = False) -> dict[str, Any]:
        """JSON-ready: framework, round order, sites -> rounds -> indicators, warnings."""
        sites: dict[str, dict[str, Any]] = {}
        for site in self.sites:
            for round_ in self.rounds_of(site):
                entry = self.entries[(site, round_)]
                sites.setdefault(site, {})[round_] = _site_round_dict(entry, ndigits, include_ids)
        return {
            "framework": {
                "id": self.framework_id,
                "title": self.framework_title,
                "version": self.framework_version,
            },
            "rounds": list(self.round_order),
            "sites": sites,
            "warnings": list(self.warnings),
        }


def _num(value: float | None, ndigits: int) -> float | None:
    return None if value is None else round(value, ndigits)


def _estimate_dict(estimate: Estimate, ndigits: int) -> dict[str, Any]:
    return {
        "score": _num(estimate.mean, ndigits),
        "n": estimate.n,
        "ci_low": _num(estimate.ci_low, ndigits),
        "ci_high": _num(estimate.ci_high, ndigits),
        "band": estimate.band.id if estimate.band else None,
        "low_base": estimate.low_base,
    }


def _figure_dict(figure: IndicatorFigure, ndigits: int, include_ids: bool) -> dict[str, Any]:
    network = {
        component: {
            "score": _num(value, ndigits),
            "weight": figure.weights.get(component, 0.0),
        }
        for component, value in figure.network.items()
    }
    provenance: dict[str, Any] = {
        "interviews": len(figure.provenance.interview_uuids),
        "interviews_unscored": len(figure.provenance.unscored_uuids),
        "maps": len(figure.provenance.map_ids),
        "framework_version": figure.provenance.framework_version,
    }
    if include_ids:
        provenance["interview_uuids"] = list(figure.provenance.interview_uuids)
        provenance["unscored_uuids"] = list(figure.provenance.unscored_uuids)
        provenance["map_ids"] = list(figure.provenance.map_ids)
    change = figure.change
    gap = figure.gap
    return {
        "name": figure.name,
        "score": _num(figure.score, ndigits),
        "n": figure.n,
        "ci_low": _num(figure.ci_low, ndigits),
        "ci_high": _num(figure.ci_high, ndigits),
        "band": figure.band.id if figure.band else None,
        "band_label": figure.band.label if figure.band else None,
        "low_base": figure.low_base,
        "interviews_only": figure.interviews_only,
        "basis": figure.basis,
        "components": {
            "interviews": {
                "score": _num(figure.interviews.mean, ndigits),
                "weight": figure.weights.get("interviews", 0.0),
            },
            "network": network,
        },
        "change": None
        if change is None
        else {
            "previous_round": change.previous_round,
            "previous_score": _num(change.previous_score, ndigits),
            "delta": _num(change.delta, ndigits),
            "ci_overlap": change.ci_overlap,
            "same_basis": change.same_basis,
        },
        "gap": None
        if gap is None
        else {
            "high_sector": gap.high_sector,
            "high_score": _num(gap.high_score, ndigits),
            "low_sector": gap.low_sector,
            "low_score": _num(gap.low_score, ndigits),
            "difference": _num(gap.difference, ndigits),
        },
        "by_sector": {
            sector: _estimate_dict(estimate, ndigits)
            for sector, estimate in figure.by_sector.items()
        },
        "provenance": provenance,
    }


def _site_round_dict(entry: SiteRound, ndigits: int, include_ids: bool) -> dict[str, Any]:
    result: dict[str, Any] = {
        "n_interviews": entry.n_interviews,
        "maps": len(entry.map_ids),
        "network": entry.has_network,
        "indicators": {
            indicator_id: _figure_dict(figure, ndigits, include_ids)
            for indicator_id, figure in entry.indicators.items()
        },
    }
    if include_ids:
        result["map_ids"] = list(entry.map_ids)
    return result
