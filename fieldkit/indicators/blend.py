"""Blending the interview score with network components from the site's relationship maps.

FRAMEWORK.md: relationship indicators take 30 % from coverage of the two sectors in the site
network, `net` takes 30 % bridging and 30 % redundancy, the rest comes from interviews. The
network part is an input (a plain dict per site and round), so scoring does not depend on how
maps are merged; `network_parts` computes that dict from a site network with the mapping
metrics. When a component is missing the figure falls back to interviews alone and says why:
a reader must always know whether a number is interviews-only.

The interval of a blended score reflects interview sampling only (the network part is a
census of the maps, not a sample): it is the interview interval scaled by the interview weight
and shifted by the network contribution.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from fieldkit.errors import FieldkitError, Problem
from fieldkit.indicators.framework import INTERVIEWS, Framework, Indicator

NetworkInput = Mapping[str, Mapping[str, float | None]]  # indicator id -> component -> 0-100


@dataclass(frozen=True)
class NetworkParts:
    """The network components of one site and round, and the maps they were computed from."""

    components: NetworkInput
    map_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Blend:
    score: float | None
    ci_low: float | None
    ci_high: float | None
    interviews_only: bool
    basis: str  # in words: what the figure is made of, or why it is interviews-only
    weights: Mapping[str, float]  # the weights actually applied (interviews 1.0 on fallback)
    network: Mapping[str, float | None]  # the network components the framework asks for


def check_network_parts(parts: NetworkParts, where: str) -> None:
    """Refuse network values outside 0-100 (e.g. a metric returning a 0-1 share)."""
    problems = []
    for indicator_id, components in parts.components.items():
        for component, value in components.items():
            if value is None:
                continue
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or not 0 <= value <= 100
            ):
                problems.append(
                    Problem(
                        f"{where}: network {component} of '{indicator_id}' is {value!r}, "
                        "not a number from 0 to 100",
                        name=f"{indicator_id}.{component}",
                    )
                )
    if problems:
        raise FieldkitError(problems)


def _percent(weight: float) -> str:
    return f"{weight * 100:g} %"


def blend(
    indicator: Indicator,
    interview_mean: float | None,
    ci_low: float | None,
    ci_high: float | None,
    network: NetworkParts | None,
) -> Blend:
    """The headline figure of one indicator from its interview estimate and the site network."""
    wanted = indicator.network_components
    values = dict.fromkeys(wanted)
    if network is not None:
        given = network.components.get(indicator.id, {})
        values.update({c: given.get(c) for c in wanted})
    interviews_only = {INTERVIEWS: 1.0}
    if interview_mean is None:
        return Blend(None, None, None, True, "no scored interviews", interviews_only, values)
    if not wanted:
        return Blend(
            interview_mean,
            ci_low,
            ci_high,
            True,
            "interviews (the framework gives this indicator no network component)",
            interviews_only,
            values,
        )
    if network is None:
        return Blend(
            interview_mean,
            ci_low,
            ci_high,
            True,
            "interviews only: no site network for this site and round",
            interviews_only,
            values,
        )
    missing = [c for c in wanted if values[c] is None]
    if missing:
        return Blend(
            interview_mean,
            ci_low,
            ci_high,
            True,
            f"interviews only: network {', '.join(missing)} not available",
            interviews_only,
            values,
        )
    w_interviews = indicator.weights[INTERVIEWS]
    shift = math.fsum(indicator.weights[c] * float(values[c]) for c in wanted)  # type: ignore[arg-type]
    score = w_interviews * interview_mean + shift
    low = None if ci_low is None else w_interviews * ci_low + shift
    high = None if ci_high is None else w_interviews * ci_high + shift
    basis = " + ".join(
        [f"interviews {_percent(w_interviews)}"]
        + [f"network {c} {_percent(indicator.weights[c])}" for c in wanted]
    )
    weights = {INTERVIEWS: w_interviews, **{c: indicator.weights[c] for c in wanted}}
    return Blend(score, low, high, False, basis, weights, values)


def network_parts(
    network: Any,
    framework: Framework,
    *,
    map_ids: Iterable[str] | None = None,
    metrics: ModuleType | Any | None = None,
) -> NetworkParts:
    """The network components every indicator of `framework` asks for, from a site network.

    Uses `coverage_score(network, a, b)`, `bridging_score(network)` and
    `redundancy_score(network)` of fieldkit.mapping.metrics (0-100, None when undefined);
    `metrics` can stand in for that module. The maps are the network's own `map_ids` unless
    given.
    """
    if map_ids is None:
        map_ids = getattr(network, "map_ids", ()) or ()
    if metrics is None:
        try:
            from fieldkit.mapping import metrics as mapping_metrics
        except ImportError as exc:
            raise FieldkitError(
                f"network metrics are not available (fieldkit.mapping.metrics): {exc}"
            ) from exc
        metrics = mapping_metrics
    cache: dict[Any, float | None] = {}

    def once(key: Any, compute: Any) -> float | None:
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    components: dict[str, dict[str, float | None]] = {}
    for indicator in framework.indicators:
        parts: dict[str, float | None] = {}
        for component in indicator.network_components:
            if component == "coverage":
                a, b = indicator.coverage_sectors or ("", "")
                parts[component] = once(
                    ("coverage", a, b), lambda a=a, b=b: metrics.coverage_score(network, a, b)
                )
            elif component == "bridging":
                parts[component] = once("bridging", lambda: metrics.bridging_score(network))
            elif component == "redundancy":
                parts[component] = once("redundancy", lambda: metrics.redundancy_score(network))
        if parts:
            components[indicator.id] = parts
    result = NetworkParts(components, tuple(sorted(map_ids)))
    check_network_parts(result, "site network")
    return result


def site_network_parts(
    networks: Iterable[Any], framework: Framework
) -> dict[tuple[str, str], NetworkParts]:
    """`summarise(networks=...)` from merged site networks (each with .site, .round, .map_ids)."""
    return {(n.site, n.round): network_parts(n, framework) for n in networks}
