"""Where actors sit on the canvas: networkx layouts, and sectors in wedges of a circle.

The positions a participant gave by hand carry meaning (close = close), so by default
(`keep=True`) a layout only places actors that have no position yet; "tidy" asks for
`keep=False`. Layouts return positions and change nothing, so a canvas can compute them off
the UI thread on a copy and then apply them with `apply_positions` (one undoable step).

networkx's spring and Kamada-Kawai layouts need numpy (and scipy for Kamada-Kawai and for
spring layouts of 500 actors or more); without them these layouts are refused with a clear
message, while "sector" needs nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from fieldkit import vocab
from fieldkit.errors import FieldkitError
from fieldkit.mapping.metrics import build_graphs
from fieldkit.mapping.model import Map
from fieldkit.mapping.network import SiteNetwork

LAYOUT_METHODS: tuple[str, ...] = ("spring", "kamada_kawai", "sector")
LAYOUT_SCALE = 300.0  # canvas units from the centre to the outermost actor
SECTOR_INNER = 0.3  # share of the radius left empty in the middle of "sector"
SECTOR_GAP = 0.08  # radians between two sectors' wedges
GOLDEN = (math.sqrt(5) - 1) / 2  # spreads actors evenly across a wedge
# Kamada-Kawai solves for every pair of actors: ~1 s at 100 actors, 6-15 s at 500 (measured),
# so above this size a "tidy" runs the spring layout instead (see `practical_method`).
KAMADA_KAWAI_MAX_ACTORS = 100
# networkx's "auto" picks its slower energy method from 500 actors on; the force method is the
# same Fruchterman-Reingold picture at every size (~1.4 s of CPU at 500 actors / 3,000 ties).
SPRING_METHOD = "force"

Position = tuple[float, float]


@dataclass
class LayoutInput:
    """What a layout needs from a map or a site network."""

    graph: nx.Graph  # undirected, with "strength" and "distance" on edges
    positions: dict[str, Position]  # the actors already placed
    sectors: dict[str, str]
    order: dict[str, tuple[float, str]]  # within a sector: most influential first, then name


def layout_input(network: Map | SiteNetwork) -> LayoutInput:
    if isinstance(network, Map):
        graph = nx.Graph()
        for actor in network.actors.values():
            graph.add_node(actor.id)
        for tie in network.ties.values():
            data = graph.get_edge_data(tie.source, tie.target)
            if data is None or tie.strength > data["strength"]:
                graph.add_edge(
                    tie.source, tie.target, strength=tie.strength, distance=1.0 / tie.strength
                )
        actors = network.actors.values()
        return LayoutInput(
            graph,
            {a.id: (float(a.x), float(a.y)) for a in actors if a.x is not None and a.y is not None},
            {a.id: a.sector for a in actors},
            {a.id: (-(a.influence or 0), a.name.casefold()) for a in actors},
        )
    actors = network.actors.values()
    return LayoutInput(
        build_graphs(network).undirected,
        {},
        {a.key: a.sector for a in actors},
        {a.key: (-(a.influence or 0.0), a.name.casefold()) for a in actors},
    )


def _needs_numpy(method: str, err: ImportError) -> FieldkitError:
    return FieldkitError(
        f"the {method!r} layout needs {err.name or 'numpy/scipy'}, which is not installed; "
        "use the 'sector' layout or install it"
    )


def _fit(source: Mapping[str, Position], target: Mapping[str, Position]) -> tuple[float, ...]:
    """Scale and shift (no rotation) taking `source` points closest to `target` points."""
    keys = list(target)
    sx = sum(source[k][0] for k in keys) / len(keys)
    sy = sum(source[k][1] for k in keys) / len(keys)
    tx = sum(target[k][0] for k in keys) / len(keys)
    ty = sum(target[k][1] for k in keys) / len(keys)
    spread = sum((source[k][0] - sx) ** 2 + (source[k][1] - sy) ** 2 for k in keys)
    dot = sum(
        (source[k][0] - sx) * (target[k][0] - tx) + (source[k][1] - sy) * (target[k][1] - ty)
        for k in keys
    )
    factor = dot / spread if spread > 0 and dot > 0 else LAYOUT_SCALE
    return factor, sx, sy, tx, ty


def _spring(data: LayoutInput, seed: int, keep: bool, scale: float) -> dict[str, Position]:
    graph = data.graph
    fixed = [n for n in graph if n in data.positions] if keep else []
    try:
        if fixed:
            # networkx keeps fixed nodes where they are and sizes its forces to their spread,
            # so work in a unit frame around the hand positions and map back.
            cx = sum(data.positions[n][0] for n in fixed) / len(fixed)
            cy = sum(data.positions[n][1] for n in fixed) / len(fixed)
            size = max(
                max(abs(data.positions[n][0] - cx), abs(data.positions[n][1] - cy)) for n in fixed
            )
            size = size or scale
            unit = {
                n: ((data.positions[n][0] - cx) / size, (data.positions[n][1] - cy) / size)
                for n in fixed
            }
            raw = nx.spring_layout(
                graph, pos=unit, fixed=fixed, weight="strength", seed=seed, method=SPRING_METHOD
            )
            return {n: (cx + size * float(p[0]), cy + size * float(p[1])) for n, p in raw.items()}
        raw = nx.spring_layout(
            graph, weight="strength", seed=seed, scale=scale, center=(0, 0), method=SPRING_METHOD
        )
    except ImportError as err:
        raise _needs_numpy("spring", err) from err
    return {n: (float(p[0]), float(p[1])) for n, p in raw.items()}


def _kamada_kawai(data: LayoutInput, keep: bool, scale: float) -> dict[str, Position]:
    graph = data.graph
    lengths = dict(nx.shortest_path_length(graph, weight="distance"))
    longest = max((d for row in lengths.values() for d in row.values()), default=1.0) or 1.0
    # Actors in different components sit a little beyond the network's diameter, not at
    # networkx's default of a million (which would fling them off the canvas).
    dist = {u: {v: lengths.get(u, {}).get(v, longest + 1.0) for v in graph} for u in graph}
    try:
        raw = nx.kamada_kawai_layout(
            graph, dist=dist, weight="distance", scale=scale, center=(0, 0)
        )
    except ImportError as err:
        raise _needs_numpy("kamada_kawai", err) from err
    result = {n: (float(p[0]), float(p[1])) for n, p in raw.items()}
    placed = {n: data.positions[n] for n in graph if n in data.positions} if keep else {}
    if not placed:
        return result
    factor, sx, sy, tx, ty = _fit(result, placed)
    return {
        n: placed.get(n, (tx + factor * (p[0] - sx), ty + factor * (p[1] - sy)))
        for n, p in result.items()
    }


def _sector(data: LayoutInput, keep: bool, scale: float) -> dict[str, Position]:
    groups: dict[str, list[str]] = {s: [] for s in vocab.SECTORS}
    for node, sector in data.sectors.items():
        groups.setdefault(sector, []).append(node)
    filled = [
        (s, sorted(nodes, key=lambda n: data.order[n])) for s, nodes in groups.items() if nodes
    ]
    total = sum(len(nodes) for _, nodes in filled)
    result: dict[str, Position] = {}
    start = -math.pi / 2  # the first sector starts at the top
    for _, nodes in filled:
        wedge = 2 * math.pi * len(nodes) / total
        usable = max(wedge - SECTOR_GAP, wedge / 2) if len(filled) > 1 else wedge
        for k, node in enumerate(nodes):
            # Vogel's sunflower within the wedge: radius by sqrt for even density, angle by
            # the golden ratio so neighbours in the order do not line up.
            radius = scale * (SECTOR_INNER + (1 - SECTOR_INNER) * math.sqrt((k + 0.5) / len(nodes)))
            share = 0.5 if len(nodes) == 1 else (k * GOLDEN) % 1.0
            angle = start + (wedge - usable) / 2 + usable * share
            result[node] = (radius * math.cos(angle), radius * math.sin(angle))
        start += wedge
    if keep:
        result.update({n: p for n, p in data.positions.items() if n in result})
    return result


def practical_method(method: str, actors: int) -> tuple[str, str]:
    """The layout to run for `actors` actors, and a sentence for the user when it is not `method`.

    Kamada-Kawai on a big network would keep the user waiting for many seconds, so above
    KAMADA_KAWAI_MAX_ACTORS the spring layout runs instead, and the user is told why.
    """
    if method == "kamada_kawai" and actors > KAMADA_KAWAI_MAX_ACTORS:
        return "spring", (
            f"The map has {actors} actors: the Kamada-Kawai layout would take too long above "
            f"{KAMADA_KAWAI_MAX_ACTORS}, so the spring layout was used."
        )
    return method, ""


def layout_positions(
    network: Map | SiteNetwork,
    method: str = "spring",
    *,
    seed: int = 0,
    keep: bool = True,
    scale: float = LAYOUT_SCALE,
) -> dict[str, Position]:
    """Positions of every actor (map: by actor id; site network: by actor key).

    With `keep`, actors already placed stay where they are and only the others are placed.
    Deterministic for a given seed.
    """
    if method not in LAYOUT_METHODS:
        raise FieldkitError(f"unknown layout {method!r} (one of: {', '.join(LAYOUT_METHODS)})")
    data = layout_input(network)
    if len(data.graph) == 0:
        return {}
    if keep and all(node in data.positions for node in data.graph):
        return dict(data.positions)
    if method == "spring":
        return _spring(data, seed, keep, scale)
    if method == "kamada_kawai":
        return _kamada_kawai(data, keep, scale)
    return _sector(data, keep, scale)


def apply_positions(the_map: Map, positions: Mapping[str, Position]) -> dict[str, Any]:
    """Move the map's actors; returns {actor id: (old x, old y)} for undo."""
    unknown = [actor_id for actor_id in positions if actor_id not in the_map.actors]
    if unknown:
        raise FieldkitError(f"positions given for actors not on the map: {', '.join(unknown)}")
    old: dict[str, Any] = {}
    for actor_id, (x, y) in positions.items():
        actor = the_map.actors[actor_id]
        if (actor.x, actor.y) != (x, y):
            old[actor_id] = (actor.x, actor.y)
            the_map.move_actor(actor_id, x, y)
    return old
