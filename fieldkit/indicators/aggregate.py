"""From scored interviews to the Summary: per site and round, by respondent sector, gaps, change.

Deterministic by construction: records are processed in uuid order, sums are exactly rounded
(math.fsum), ties are broken by the fixed sector order of vocab.SECTORS, and nothing reads the
clock. Fast enough for every dashboard refresh: one pass to score, one to group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from fieldkit.indicators.blend import NetworkInput, NetworkParts, blend, check_network_parts
from fieldkit.indicators.framework import Framework, Indicator
from fieldkit.indicators.scoring import InterviewRecord, InterviewScores, score_interview
from fieldkit.indicators.stats import half_width, mean_and_sd
from fieldkit.indicators.summary import (
    Change,
    Estimate,
    Gap,
    IndicatorFigure,
    Provenance,
    SiteRound,
    Summary,
)
from fieldkit.vocab import SECTORS, band_for

NetworksArg = Mapping[tuple[str, str], NetworkParts | NetworkInput]


def estimate(scored: Sequence[tuple[str, float]], framework: Framework) -> Estimate:
    """Mean, n, t-interval (clipped to 0-100) and band of (uuid, score) pairs; unbanded when
    low base; no interval for fewer than 2 scores."""
    n = len(scored)
    uuids = tuple(uuid for uuid, _ in scored)
    low_base = n < framework.low_base
    if n == 0:
        return Estimate(None, 0, None, None, None, True, None, uuids)
    mean, sd = mean_and_sd([score for _, score in scored])
    low = high = None
    if sd is not None:
        # clipped to the 0-100 scale: beyond it an interval bound means nothing
        half = half_width(sd, n, framework.confidence)
        low, high = max(0.0, mean - half), min(100.0, mean + half)
    band = None if low_base else band_for(mean, framework.bands)
    return Estimate(mean, n, sd, low, high, low_base, band, uuids)


def order_rounds(records: Iterable[InterviewRecord], rounds: Sequence[str] | None) -> list[str]:
    """Rounds in time order: as given, then any others by their earliest finalization."""
    first_seen: dict[str, str] = {}
    for record in records:
        stamp = _stamp(record.finalized_at)
        if record.round not in first_seen or stamp < first_seen[record.round]:
            first_seen[record.round] = stamp
    given = list(dict.fromkeys(rounds or ()))
    others = sorted((r for r in first_seen if r not in given), key=lambda r: (first_seen[r], r))
    return given + others


def _stamp(value: str | datetime | None) -> str:
    if value is None:
        return "\uffff"  # unknown times sort last
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _as_parts(value: NetworkParts | NetworkInput) -> NetworkParts:
    return value if isinstance(value, NetworkParts) else NetworkParts(value)


def _gap(by_sector: Mapping[str, Estimate]) -> Gap | None:
    usable = [(s, e.mean) for s, e in by_sector.items() if not e.low_base and e.mean is not None]
    if len(usable) < 2:
        return None
    high = max(usable, key=lambda pair: pair[1])  # first in sector order wins a tie
    low = min(usable, key=lambda pair: pair[1])
    return Gap(high[0], high[1], low[0], low[1])  # type: ignore[arg-type]


def _overlap(a: IndicatorFigure, b: IndicatorFigure) -> bool | None:
    if None in (a.ci_low, a.ci_high, b.ci_low, b.ci_high):
        return None
    return a.ci_low <= b.ci_high and b.ci_low <= a.ci_high  # type: ignore[operator]


def _figure(
    indicator: Indicator,
    group: Sequence[InterviewScores],
    network: NetworkParts | None,
    framework: Framework,
) -> IndicatorFigure:
    scored: list[tuple[str, float]] = []
    unscored: list[str] = []
    per_sector: dict[str, list[tuple[str, float]]] = {}
    sectors_present: set[str] = set()
    for interview in group:
        if interview.sector is not None:
            sectors_present.add(interview.sector)
        score = interview.scores.get(indicator.id)
        if score is None:
            unscored.append(interview.uuid)
            continue
        scored.append((interview.uuid, score))
        if interview.sector is not None:
            per_sector.setdefault(interview.sector, []).append((interview.uuid, score))
    overall = estimate(scored, framework)
    by_sector = {
        sector: estimate(per_sector.get(sector, []), framework)
        for sector in SECTORS
        if sector in sectors_present
    }
    blended = blend(indicator, overall.mean, overall.ci_low, overall.ci_high, network)
    band = None if overall.low_base else band_for(blended.score, framework.bands)
    map_ids = () if blended.interviews_only or network is None else network.map_ids
    return IndicatorFigure(
        indicator_id=indicator.id,
        name=indicator.name,
        score=blended.score,
        n=overall.n,
        ci_low=blended.ci_low,
        ci_high=blended.ci_high,
        band=band,
        low_base=overall.low_base,
        interviews_only=blended.interviews_only,
        basis=blended.basis,
        weights=blended.weights,
        network=blended.network,
        interviews=overall,
        by_sector=by_sector,
        gap=_gap(by_sector),
        change=None,
        provenance=Provenance(
            interview_uuids=overall.interview_uuids,
            unscored_uuids=tuple(unscored),
            map_ids=map_ids,
            framework_version=framework.version,
        ),
    )


def _with_change(
    current: IndicatorFigure, previous: IndicatorFigure, round_: str
) -> IndicatorFigure:
    delta = (
        None if current.score is None or previous.score is None else current.score - previous.score
    )
    change = Change(
        previous_round=round_,
        previous_score=previous.score,
        delta=delta,
        ci_overlap=_overlap(current, previous),
        same_basis=current.basis == previous.basis,
    )
    return replace(current, change=change)


def summarise(
    records: Iterable[InterviewRecord],
    framework: Framework,
    *,
    networks: NetworksArg | None = None,
    rounds: Sequence[str] | None = None,
) -> Summary:
    """Every figure for every site and round of `records` (finalized community_dna interviews).

    `networks` maps (site, round) to that site network's components ({indicator id:
    {component: 0-100}}, or a NetworkParts that also names the maps); a site and round without
    one is interviews-only. `rounds` gives the round order for change (else: by earliest
    finalization).
    """
    records = sorted(records, key=lambda r: r.uuid)
    networks = {key: _as_parts(value) for key, value in (networks or {}).items()}
    warnings: list[str] = []
    for (site, round_), parts in sorted(networks.items()):
        check_network_parts(parts, f"site '{site}', round '{round_}'")

    groups: dict[tuple[str, str], list[InterviewScores]] = {}
    no_sector = 0
    for record in records:
        scores = score_interview(record, framework)
        warnings.extend(str(p) for p in scores.problems)
        if scores.sector is None:
            no_sector += 1
        groups.setdefault((record.site, record.round), []).append(scores)
    if no_sector:
        warnings.append(
            f"{no_sector} interview(s) have no recognised respondent sector: counted in the "
            "totals, left out of the by-sector figures"
        )

    round_order = order_rounds(records, rounds)
    for _, round_ in networks:
        if round_ not in round_order:
            round_order.append(round_)
    position = {r: i for i, r in enumerate(round_order)}

    entries: dict[tuple[str, str], SiteRound] = {}
    for key in sorted(set(groups) | set(networks), key=lambda k: (k[0], position[k[1]])):
        site, round_ = key
        group = groups.get(key, [])
        network = networks.get(key)
        figures = {
            indicator.id: _figure(indicator, group, network, framework)
            for indicator in framework.indicators
        }
        previous_rounds = [r for r in round_order[: position[round_]] if (site, r) in entries]
        if previous_rounds:
            before = entries[(site, previous_rounds[-1])]
            figures = {
                indicator_id: _with_change(figure, before.indicators[indicator_id], before.round)
                for indicator_id, figure in figures.items()
            }
        entries[key] = SiteRound(
            site=site,
            round=round_,
            n_interviews=len(group),
            map_ids=network.map_ids if network else (),
            has_network=network is not None,
            indicators=figures,
        )
    return Summary(
        framework_id=framework.id,
        framework_title=framework.title,
        framework_version=framework.version,
        round_order=tuple(round_order),
        entries=entries,
        warnings=tuple(warnings),
    )
