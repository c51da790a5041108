import json
import random
from itertools import combinations

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldkit import vocab
from fieldkit.errors import FieldkitError
from fieldkit.mapping import metrics
from fieldkit.mapping.metrics import (
    bridging_score,
    compute_metrics,
    coverage_score,
    ei_by_sector,
    ei_index,
    mixing_matrix,
    redundancy_score,
)
from fieldkit.mapping.model import Actor, Map, Tie
from fieldkit.mapping.network import merge_maps

from .helpers import build_map, hand_network

# -- the hand-computed network (see helpers.hand_network) --------------------------------------


def test_hand_network_e_i_index():
    network = hand_network()
    # within: P1-P2, S1-S2; across: P1-S1, S2-C1  ->  (2 - 2) / 4
    assert ei_index(network) == 0.0
    assert bridging_score(network) == 50.0
    by_sector = ei_by_sector(network)
    assert by_sector["public"] == 0.0  # 1 across, 1 within
    assert by_sector["social"] == pytest.approx(1 / 3)  # 2 across, 1 within
    assert by_sector["commercial"] == 1.0
    assert by_sector["residents"] is None and by_sector["other"] is None


def test_hand_network_mixing_matrix():
    matrix = mixing_matrix(hand_network())
    assert matrix["public"]["public"] == 1 and matrix["social"]["social"] == 1
    assert matrix["public"]["social"] == matrix["social"]["public"] == 1
    assert matrix["social"]["commercial"] == matrix["commercial"]["social"] == 1
    assert sum(sum(row.values()) for row in matrix.values()) == 6  # 2 within + 2 across, twice


def test_hand_network_coverage():
    network = hand_network()
    assert coverage_score(network, "public", "social") == 50.0  # P1 and S1 of P1, P2, S1, S2
    assert coverage_score(network, "social", "commercial") == pytest.approx(200 / 3)  # S2, C1
    assert coverage_score(network, "public", "commercial") == 0.0
    assert coverage_score(network, "public", "residents") == 0.0  # R1 exists, tied to no one
    assert coverage_score(network, "public", "other") is None  # no outside body at all
    assert coverage_score(network, "social", "public") == 50.0


def test_hand_network_articulation_points_and_redundancy():
    result = compute_metrics(hand_network())
    names = result.names
    assert sorted(names[k] for k in result.articulation_points) == ["P1", "S1", "S2"]
    assert redundancy_score(hand_network()) == 50.0  # 3 of 6 actors
    assert result.redundancy == 50.0
    assert [names[k] for k in result.isolates] == ["R1"]
    assert [[names[k] for k in c] for c in result.components] == [
        ["C1", "P1", "P2", "S1", "S2"],
        ["R1"],
    ]


def test_hand_network_betweenness_and_brokers():
    result = compute_metrics(hand_network())
    # Arcs P1->P2, P1->S1, S1<->S2, S2->C1: S1 is on P1->S2 and P1->C1, S2 on P1->C1 and
    # S1->C1; a directed network of 6 normalises by 5 * 4.
    by_name = {result.names[k]: v for k, v in result.betweenness.items()}
    assert by_name == pytest.approx({"P1": 0, "P2": 0, "S1": 0.1, "S2": 0.1, "C1": 0, "R1": 0})
    assert [result.names[k] for k in result.brokers] == ["S1", "S2"]
    assert result.density == pytest.approx(5 / 30)  # the mutual tie is two arcs
    assert result.tied_pairs == 4 and result.ties == 4


def test_multiplex_ties_count_once_for_sector_measures():
    network = hand_network()
    p1 = network.find_actor("P1").id
    s1 = network.find_actor("S1").id
    network.add_tie(Tie(p1, s1, "information", "mutual", 1))
    network.add_tie(Tie(p1, network.find_actor("P2").id, "support", "one-way", 1))
    assert ei_index(network) == 0.0
    assert mixing_matrix(network)["public"]["social"] == 1


def test_strong_ties_are_short_for_betweenness():
    # A->B->D (strong) and A->C->D (weak): the shortest path runs through B only.
    the_map = build_map(
        [("A", "public"), ("B", "social"), ("C", "social"), ("D", "commercial")],
        [
            ("A", "B", "money", "one-way", 3),
            ("B", "D", "money", "one-way", 3),
            ("A", "C", "money", "one-way", 1),
            ("C", "D", "money", "one-way", 1),
        ],
    )
    result = compute_metrics(the_map)
    by_name = {result.names[k]: v for k, v in result.betweenness.items()}
    assert by_name["B"] > 0 and by_name["C"] == 0


def test_too_few_actors_to_say():
    two = build_map([("A", "public"), ("B", "social")], [("A", "B", "money", "one-way", 2)])
    assert bridging_score(two) is None and redundancy_score(two) is None
    assert coverage_score(two, "public", "social") == 100.0
    no_ties = build_map([("A", "public"), ("B", "social"), ("C", "residents")], [])
    assert bridging_score(no_ties) is None  # no ties: no E-I index
    assert redundancy_score(no_ties) == 100.0
    empty = compute_metrics(Map())
    assert empty.actors == 0 and empty.density == 0.0 and empty.bridging is None
    assert json.loads(json.dumps(empty.to_dict())) == empty.to_dict()


def test_coverage_refuses_unknown_or_equal_sectors():
    with pytest.raises(FieldkitError, match="unknown sector 'state'"):
        coverage_score(hand_network(), "public", "state")
    with pytest.raises(FieldkitError, match="two different sectors"):
        coverage_score(hand_network(), "public", "public")


def test_influence_ranking_highest_first_and_unrated_left_out():
    the_map = Map()
    for name, influence in [("Low", 2), ("High", 9), ("Unrated", None), ("Mid", 5)]:
        the_map.add_actor(Actor(name, sector="public", influence=influence))
    ranking = compute_metrics(the_map).influence_ranking
    assert [(r["name"], r["influence"]) for r in ranking] == [("High", 9), ("Mid", 5), ("Low", 2)]


# -- against networkx and brute force on random networks ---------------------------------------


def random_map(seed: int, actors: int = 30, ties: int = 60) -> Map:
    rng = random.Random(seed)
    the_map = Map(site="S", round="R")
    ids = [
        the_map.add_actor(Actor(f"actor {i}", sector=rng.choice(vocab.SECTORS))).id
        for i in range(actors)
    ]
    attempts = 0
    while len(the_map.ties) < ties and attempts < ties * 10:
        attempts += 1
        a, b = rng.sample(ids, 2)
        tie = Tie(
            a, b, rng.choice(vocab.LINK_TYPES), rng.choice(vocab.DIRECTIONS), rng.randint(1, 3)
        )
        try:
            the_map.add_tie(tie)
        except FieldkitError:
            pass
    return the_map


def reference_graph(the_map: Map) -> nx.DiGraph:
    """Built independently of metrics.build_graphs: strongest tie per ordered pair."""
    graph = nx.DiGraph()
    graph.add_nodes_from(a.name.lower() for a in the_map.actors.values())
    for tie in the_map.ties.values():
        a, b = the_map.actors[tie.source].name.lower(), the_map.actors[tie.target].name.lower()
        for u, v in [(a, b), (b, a)] if tie.mutual else [(a, b)]:
            strongest = max(tie.strength, graph.edges[u, v]["s"] if graph.has_edge(u, v) else 0)
            graph.add_edge(u, v, s=strongest, d=1 / strongest)
    return graph


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_metrics_agree_with_networkx(seed):
    the_map = random_map(seed)
    result = compute_metrics(the_map, seed=seed)
    graph = reference_graph(the_map)
    undirected = graph.to_undirected()
    assert result.density == pytest.approx(nx.density(graph))
    assert result.degree_centrality == pytest.approx(nx.degree_centrality(graph))
    assert result.in_degree_centrality == pytest.approx(nx.in_degree_centrality(graph))
    assert result.betweenness == pytest.approx(nx.betweenness_centrality(graph, weight="d"))
    assert set(result.articulation_points) == set(nx.articulation_points(undirected))
    assert set(result.isolates) == set(nx.isolates(graph))
    assert sorted(map(sorted, result.components)) == sorted(
        map(sorted, nx.weakly_connected_components(graph))
    )
    assert result.tied_pairs == undirected.number_of_edges()
    # Louvain is seeded, so it is reproducible
    assert result.communities == compute_metrics(the_map, seed=seed).communities
    built = metrics.build_graphs(the_map).undirected
    assert {frozenset(e): d["strength"] for *e, d in built.edges(data=True)} == {
        frozenset((u, v)): max(d["s"], graph.edges[v, u]["s"] if graph.has_edge(v, u) else 0)
        for u, v, d in graph.edges(data=True)
    }
    assert sorted(map(sorted, result.communities)) == sorted(
        map(sorted, nx.community.louvain_communities(built, weight="strength", seed=seed))
    )


def test_large_networks_sample_betweenness_with_networkx(monkeypatch):
    monkeypatch.setattr(metrics, "BETWEENNESS_EXACT_LIMIT", 10)
    monkeypatch.setattr(metrics, "BETWEENNESS_SAMPLE", 12)
    the_map = random_map(5)
    result = compute_metrics(the_map, seed=7)
    assert result.betweenness_sources == 12
    expected = nx.betweenness_centrality(reference_graph(the_map), k=12, weight="d", seed=7)
    assert result.betweenness == pytest.approx(expected)


def brute_force_sector_counts(the_map: Map) -> tuple[int, int, dict, dict]:
    sector = {a.id: a.sector for a in the_map.actors.values()}
    pairs = {frozenset((t.source, t.target)) for t in the_map.ties.values()}
    internal = sum(1 for p in pairs if len({sector[x] for x in p}) == 1)
    external = len(pairs) - internal
    per_in = {s: 0 for s in vocab.SECTORS}
    per_ex = {s: 0 for s in vocab.SECTORS}
    for pair in pairs:
        a, b = (sector[x] for x in pair)
        if a == b:
            per_in[a] += 1
        else:
            per_ex[a] += 1
            per_ex[b] += 1
    return external, internal, per_ex, per_in


@given(st.integers(0, 10_000), st.integers(2, 25), st.integers(0, 50))
def test_sector_measures_match_brute_force(seed, actors, ties):
    the_map = random_map(seed, actors, ties)
    external, internal, per_ex, per_in = brute_force_sector_counts(the_map)
    total = external + internal
    assert ei_index(the_map) == (
        None if total == 0 else pytest.approx((external - internal) / total)
    )
    for s, value in ei_by_sector(the_map).items():
        n = per_ex[s] + per_in[s]
        assert value == (None if n == 0 else pytest.approx((per_ex[s] - per_in[s]) / n))
    sector = {a.id: a.sector for a in the_map.actors.values()}
    neighbours = {a: set() for a in sector}
    for t in the_map.ties.values():
        neighbours[t.source].add(t.target)
        neighbours[t.target].add(t.source)
    for a, b in combinations(vocab.SECTORS, 2):
        members = [x for x in sector if sector[x] in (a, b)]
        has_both = {sector[x] for x in members} == {a, b}
        covered = [
            x
            for x in members
            if any(sector[y] == (b if sector[x] == a else a) for y in neighbours[x])
        ]
        expected = 100 * len(covered) / len(members) if has_both else None
        assert coverage_score(the_map, a, b) == (
            None if expected is None else pytest.approx(expected)
        )


def test_site_network_metrics_weigh_merged_actors():
    first = build_map([("A", "public"), ("B", "social")], [("A", "B", "money", "one-way", 1)])
    second = build_map([("a", "public"), ("C", "commercial")], [("a", "C", "money", "one-way", 3)])
    result = compute_metrics(merge_maps([first, second]))
    assert result.articulation_points == ["a"]
    assert result.actors == 3 and result.ei_index == 1.0


def test_to_dict_is_json():
    data = compute_metrics(random_map(4)).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) >= {"density", "brokers", "articulation_points", "coverage", "ei_index"}
