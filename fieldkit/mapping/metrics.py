"""What a network says about a place: brokers, single points of failure, bridges across sectors.

All graph algorithms are networkx's. The one measure networkx lacks, Krackhardt's E-I index,
is read off networkx's attribute mixing counts. Results are plain data (`to_dict()` is JSON-able)
so the indicators, the packs, the CLI and the canvas's live panel all show the same figures.

The graphs: a directed graph with one arc per ordered pair of tied actors (mutual ties give both
arcs; several typed ties between a pair count once, at the strongest), and its undirected view
(one edge per tied pair) for articulation points, components, communities, the E-I index,
mixing and coverage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx

from fieldkit import vocab
from fieldkit.errors import FieldkitError
from fieldkit.mapping.model import Map
from fieldkit.mapping.network import SiteNetwork, network_of_map

# Fewer actors than this and bridging/redundancy say nothing (an articulation point needs 3).
MIN_ACTORS = 3
BROKER_COUNT = 5
# Up to BETWEENNESS_EXACT_LIMIT actors betweenness is exact; above it networkx samples
# BETWEENNESS_SAMPLE sources (seeded), which keeps a 500-actor network's metrics under a second
# (weighted exact betweenness alone takes ~1.8 s there in pure Python).
BETWEENNESS_EXACT_LIMIT = 250
BETWEENNESS_SAMPLE = 200

NetworkLike = Map | SiteNetwork


def as_network(network: NetworkLike) -> SiteNetwork:
    return network_of_map(network) if isinstance(network, Map) else network


@dataclass
class Graphs:
    directed: nx.DiGraph
    undirected: nx.Graph


def build_graphs(network: NetworkLike) -> Graphs:
    """The directed and undirected graphs of a network (see the module docstring)."""
    network = as_network(network)
    directed = nx.DiGraph()
    undirected = nx.Graph()
    for key, actor in network.actors.items():
        attrs = {"name": actor.name, "sector": actor.sector, "influence": actor.influence}
        directed.add_node(key, **attrs)
        undirected.add_node(key, **attrs)

    def join(graph: nx.Graph, u: str, v: str, strength: float, types: str) -> None:
        data = graph.get_edge_data(u, v)
        if data is None:
            graph.add_edge(u, v, strength=strength, distance=1.0 / strength, types={types})
        else:
            data["types"].add(types)
            if strength > data["strength"]:
                data["strength"] = strength
                data["distance"] = 1.0 / strength

    for tie in network.ties:
        join(directed, tie.source, tie.target, tie.strength, tie.type)
        if tie.mutual:
            join(directed, tie.target, tie.source, tie.strength, tie.type)
        join(undirected, tie.source, tie.target, tie.strength, tie.type)
    return Graphs(directed, undirected)


def _graphs(network: NetworkLike | Graphs) -> Graphs:
    return network if isinstance(network, Graphs) else build_graphs(network)


# -- sector measures ---------------------------------------------------------------------------


def mixing_matrix(network: NetworkLike | Graphs) -> dict[str, dict[str, int]]:
    """Tied pairs of actors between each pair of sectors (symmetric; diagonal = within).

    networkx counts each undirected edge once from each end, so an edge within a sector adds 2
    to its diagonal cell and an edge across adds 1 to each of the two off-diagonal cells.
    """
    graph = _graphs(network).undirected
    counts = nx.attribute_mixing_dict(graph, "sector")
    matrix = {a: dict.fromkeys(vocab.SECTORS, 0) for a in vocab.SECTORS}
    for a, row in counts.items():
        for b, count in row.items():
            matrix[a][b] = count // 2 if a == b else count
    return matrix


def _ei(external: int, internal: int) -> float | None:
    total = external + internal
    return (external - internal) / total if total else None


def ei_index(network: NetworkLike | Graphs) -> float | None:
    """Krackhardt's E-I index by sector: -1 all ties within sectors, +1 all across."""
    matrix = mixing_matrix(network)
    internal = sum(matrix[s][s] for s in vocab.SECTORS)
    external = sum(matrix[a][b] for a, b in combinations(vocab.SECTORS, 2))
    return _ei(external, internal)


def ei_by_sector(network: NetworkLike | Graphs) -> dict[str, float | None]:
    """Each sector's E-I index: its ties to other sectors against its ties within."""
    matrix = mixing_matrix(network)
    return {
        s: _ei(sum(matrix[s][t] for t in vocab.SECTORS if t != s), matrix[s][s])
        for s in vocab.SECTORS
    }


def _check_sector(sector: str) -> None:
    if sector not in vocab.SECTORS:
        raise FieldkitError(f"unknown sector {sector!r} (one of: {', '.join(vocab.SECTORS)})")


def _coverage(graph: nx.Graph, a: str, b: str) -> float | None:
    sector = nx.get_node_attributes(graph, "sector")
    members = [n for n, s in sector.items() if s in (a, b)]
    if not any(sector[n] == a for n in members) or not any(sector[n] == b for n in members):
        return None
    covered = 0
    for node in members:
        other = b if sector[node] == a else a
        if any(sector[neighbour] == other for neighbour in graph[node]):
            covered += 1
    return 100.0 * covered / len(members)


def coverage_score(network: NetworkLike | Graphs, sector_a: str, sector_b: str) -> float | None:
    """Share (0-100) of the actors of two sectors with at least one tie to the other sector.

    None when either sector has no actor in the network: nothing can be said about the pair.
    """
    _check_sector(sector_a)
    _check_sector(sector_b)
    if sector_a == sector_b:
        raise FieldkitError(f"coverage needs two different sectors (got {sector_a!r} twice)")
    return _coverage(_graphs(network).undirected, sector_a, sector_b)


def bridging_score(network: NetworkLike | Graphs) -> float | None:
    """(E-I index + 1) / 2 * 100; None with fewer than MIN_ACTORS actors or no ties."""
    graphs = _graphs(network)
    if graphs.undirected.number_of_nodes() < MIN_ACTORS:
        return None
    index = ei_index(graphs)
    return None if index is None else (index + 1.0) / 2.0 * 100.0


def redundancy_score(network: NetworkLike | Graphs) -> float | None:
    """100 * (1 - articulation points / actors); None with fewer than MIN_ACTORS actors."""
    graph = _graphs(network).undirected
    actors = graph.number_of_nodes()
    if actors < MIN_ACTORS:
        return None
    points = sum(1 for _ in nx.articulation_points(graph))
    return 100.0 * (1.0 - points / actors)


# -- everything at once ------------------------------------------------------------------------


@dataclass
class NetworkMetrics:
    actors: int
    ties: int  # typed ties of the network
    tied_pairs: int  # pairs of actors with at least one tie
    density: float  # of the directed graph
    degree_centrality: dict[str, float]
    in_degree_centrality: dict[str, float]
    out_degree_centrality: dict[str, float]
    betweenness: dict[str, float]
    betweenness_sources: int | None  # None: exact; else how many sources were sampled
    brokers: list[str]  # highest betweenness first, only actors that broker at all
    articulation_points: list[str]
    isolates: list[str]
    components: list[list[str]]  # weakly connected, largest first
    ei_index: float | None
    ei_by_sector: dict[str, float | None]
    mixing: dict[str, dict[str, int]]
    coverage: dict[str, dict[str, float | None]]  # coverage[a][b] == coverage[b][a]
    influence_ranking: list[dict[str, Any]]  # {"key", "name", "influence"}, highest first
    communities: list[list[str]]  # Louvain, largest first
    bridging: float | None
    redundancy: float | None
    names: dict[str, str] = field(default_factory=dict)  # actor key -> display name

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def coverage_of(self, sector_a: str, sector_b: str) -> float | None:
        return self.coverage[sector_a][sector_b]


def _sorted_groups(groups: Iterable[Iterable[str]]) -> list[list[str]]:
    return sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g))


def compute_metrics(
    network: NetworkLike, *, seed: int = 0, broker_count: int = BROKER_COUNT
) -> NetworkMetrics:
    """Every measure of a map or site network, deterministic for a given seed."""
    network = as_network(network)
    graphs = build_graphs(network)
    directed, undirected = graphs.directed, graphs.undirected
    n = directed.number_of_nodes()

    sources = None if n <= BETWEENNESS_EXACT_LIMIT else min(BETWEENNESS_SAMPLE, n)
    betweenness = nx.betweenness_centrality(directed, k=sources, weight="distance", seed=seed)
    ranked = sorted(betweenness.items(), key=lambda item: (-item[1], item[0]))
    brokers = [key for key, value in ranked[:broker_count] if value > 0]

    points = sorted(nx.articulation_points(undirected))
    matrix = mixing_matrix(graphs)
    coverage: dict[str, dict[str, float | None]] = {s: {} for s in vocab.SECTORS}
    for a, b in combinations(vocab.SECTORS, 2):
        coverage[a][b] = coverage[b][a] = _coverage(undirected, a, b)
    internal = sum(matrix[s][s] for s in vocab.SECTORS)
    external = sum(matrix[a][b] for a, b in combinations(vocab.SECTORS, 2))
    index = _ei(external, internal)

    rated = [a for a in network.actors.values() if a.influence is not None]
    rated.sort(key=lambda a: (-(a.influence or 0.0), a.name.casefold()))
    communities = (
        nx.community.louvain_communities(undirected, weight="strength", seed=seed) if n else []
    )
    enough = n >= MIN_ACTORS
    return NetworkMetrics(
        actors=n,
        ties=len(network.ties),
        tied_pairs=undirected.number_of_edges(),
        density=nx.density(directed) if n > 1 else 0.0,
        degree_centrality=nx.degree_centrality(directed),
        in_degree_centrality=nx.in_degree_centrality(directed),
        out_degree_centrality=nx.out_degree_centrality(directed),
        betweenness=betweenness,
        betweenness_sources=sources,
        brokers=brokers,
        articulation_points=points,
        isolates=sorted(nx.isolates(undirected)),
        components=_sorted_groups(nx.weakly_connected_components(directed)),
        ei_index=index,
        ei_by_sector={
            s: _ei(sum(matrix[s][t] for t in vocab.SECTORS if t != s), matrix[s][s])
            for s in vocab.SECTORS
        },
        mixing=matrix,
        coverage=coverage,
        influence_ranking=[{"key": a.key, "name": a.name, "influence": a.influence} for a in rated],
        communities=_sorted_groups(communities),
        bridging=(index + 1.0) / 2.0 * 100.0 if enough and index is not None else None,
        redundancy=100.0 * (1.0 - len(points) / n) if enough else None,
        names={key: actor.name for key, actor in network.actors.items()},
    )
