"""Small maps shared by the mapping tests."""

from __future__ import annotations

from fieldkit.mapping.model import Actor, Map, Tie


def build_map(
    actors: list[tuple[str, str]],
    ties: list[tuple[str, str, str, str, int]],
    site: str = "Cheetham Hill",
    round: str = "baseline",
) -> Map:
    """A map from (name, sector) actors and (from, to, type, direction, strength) ties."""
    the_map = Map(site=site, round=round, focus_question="Who makes things happen here?")
    ids = {}
    for name, sector in actors:
        ids[name] = the_map.add_actor(Actor(name, sector=sector)).id
    for source, target, link_type, direction, strength in ties:
        the_map.add_tie(Tie(ids[source], ids[target], link_type, direction, strength))
    return the_map


def hand_network() -> Map:
    """The hand-computed network of the metrics tests.

    P2 - P1 - S1 - S2 - C1 in a line (P public, S social, C commercial), R1 alone (residents).
    """
    return build_map(
        [
            ("P1", "public"),
            ("P2", "public"),
            ("S1", "social"),
            ("S2", "social"),
            ("C1", "commercial"),
            ("R1", "residents"),
        ],
        [
            ("P1", "P2", "information", "one-way", 2),
            ("P1", "S1", "money", "one-way", 3),
            ("S1", "S2", "support", "mutual", 1),
            ("S2", "C1", "services", "one-way", 2),
        ],
    )
