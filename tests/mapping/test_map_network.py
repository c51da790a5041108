import pytest

from fieldkit.errors import FieldkitError
from fieldkit.mapping.model import Actor, Map, Tie
from fieldkit.mapping.names import acronym, normalise_name
from fieldkit.mapping.network import (
    actor_ids_by_key,
    merge_maps,
    resolve_aliases,
    suggest_aliases,
)

from .helpers import build_map


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("The Council", "council"),
        ("  council. ", "council"),
        ("St Mary's Church", "st marys church"),
        ("M.C.C.", "mcc"),
        ("Café Ritz", "cafe ritz"),
        ("Friends of the Park", "friends of park"),
        ("Food-Bank & Pantry", "food bank and pantry"),
    ],
)
def test_normalise_name(name, expected):
    assert normalise_name(name) == expected


def test_acronym():
    assert acronym("Manchester City Council") == "mcc"
    assert acronym("Department of Health and Social Care") == "dhsc"
    assert acronym("Council") == ""


def three_maps():
    first = build_map(
        [("Manchester City Council", "public"), ("The Food Bank", "social")],
        [("Manchester City Council", "The Food Bank", "money", "one-way", 3)],
    )
    second = build_map(
        [("manchester city council.", "public"), ("Food Bank", "social"), ("MCC", "public")],
        [
            ("manchester city council.", "Food Bank", "money", "one-way", 1),
            ("MCC", "Food Bank", "information", "one-way", 2),
        ],
    )
    third = build_map(
        [("Manchester City Council", "other"), ("the council", "public"), ("Food Bank", "social")],
        [
            ("Food Bank", "Manchester City Council", "support", "mutual", 2),
            ("the council", "Food Bank", "information", "one-way", 3),
        ],
    )
    return [first, second, third]


def test_merge_matches_normalised_names_and_counts_maps():
    maps = three_maps()
    network = merge_maps(maps)
    assert (network.site, network.round) == ("Cheetham Hill", "baseline")
    assert set(network.actors) == {"manchester city council", "food bank", "mcc", "council"}
    council = network.actors["manchester city council"]
    assert council.name == "Manchester City Council"  # the spelling most maps use
    assert council.sector == "public"  # two maps say public, one says other
    assert council.sector_votes == {"public": 2, "other": 1}
    assert council.map_ids == [m.id for m in maps]
    money = [t for t in network.ties if t.type == "money"]
    assert len(money) == 1
    assert (money[0].weight, money[0].strength) == (2, 2.0)
    assert money[0].map_ids == [maps[0].id, maps[1].id]
    support = [t for t in network.ties if t.type == "support"]
    assert support[0].mutual and (support[0].source, support[0].target) == (
        "food bank",
        "manchester city council",
    )


def test_confirmed_aliases_merge_actors_and_their_ties():
    network = merge_maps(
        three_maps(),
        aliases={"MCC": "Manchester City Council", "The Council": "manchester city council"},
    )
    assert set(network.actors) == {"manchester city council", "food bank"}
    council = network.actors["manchester city council"]
    assert set(council.names) == {
        "MCC",
        "Manchester City Council",
        "manchester city council.",
        "the council",
    }
    info = [t for t in network.ties if t.type == "information"]
    assert len(info) == 1 and info[0].weight == 2 and info[0].strength == 2.5


def test_mutual_ties_drawn_either_way_round_are_one_tie():
    first = build_map([("A", "public"), ("B", "social")], [("A", "B", "support", "mutual", 1)])
    second = build_map([("A", "public"), ("B", "social")], [("B", "A", "support", "mutual", 3)])
    (tie,) = merge_maps([first, second]).ties
    assert (tie.weight, tie.strength) == (2, 2.0)


def test_a_tie_between_two_names_of_one_actor_is_dropped():
    the_map = build_map(
        [("Manchester City Council", "public"), ("MCC", "public"), ("Food Bank", "social")],
        [("MCC", "Manchester City Council", "information", "one-way", 2)],
    )
    network = merge_maps([the_map], aliases={"MCC": "Manchester City Council"})
    assert network.ties == [] and len(network.actors) == 2


def test_alias_chains_resolve_and_cycles_are_refused():
    assert resolve_aliases({"MCC": "the council", "Council": "Manchester City Council"}) == {
        "mcc": "manchester city council",
        "council": "manchester city council",
    }
    with pytest.raises(FieldkitError, match="circle"):
        resolve_aliases({"a": "b", "b": "c", "c": "a"})
    with pytest.raises(FieldkitError, match="both need a name"):
        resolve_aliases({"": "council"})


def test_maps_of_different_sites_do_not_merge():
    first = build_map([("A", "public")], [], site="Cheetham Hill")
    second = build_map([("A", "public")], [], site="Broughton")
    with pytest.raises(FieldkitError, match="one site and round"):
        merge_maps([first, second])


def test_influence_is_the_mean_of_the_towers():
    first, second = Map(site="S", round="R"), Map(site="S", round="R")
    first.add_actor(Actor("Mosque", sector="social", influence=8))
    second.add_actor(Actor("mosque", sector="social", influence=5))
    second.add_actor(Actor("Library", sector="public"))
    network = merge_maps([first, second])
    assert network.actors["mosque"].influence == 6.5
    assert network.actors["library"].influence is None


def test_alias_suggestions():
    typos = build_map(
        [("Cheetam Hill Foodbank", "social"), ("Cheetham Hill Food Bank", "social")], []
    )
    network = merge_maps(three_maps() + [typos])
    suggestions = {(s.alias, s.canonical): s for s in suggest_aliases(network)}
    assert suggestions[("MCC", "Manchester City Council")].reason == "acronym"
    assert suggestions[("the council", "Manchester City Council")].reason == "contained"
    similar = [s for s in suggestions.values() if s.reason == "similar"]
    assert {frozenset((s.alias, s.canonical)) for s in similar} == {
        frozenset(("Cheetam Hill Foodbank", "Cheetham Hill Food Bank"))
    }
    ranked = suggest_aliases(network)
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)
    assert ("Food Bank", "Manchester City Council") not in suggestions


def test_rejected_suggestions_are_not_offered_again():
    network = merge_maps(three_maps())
    left = suggest_aliases(network, rejected=[("mcc", "Manchester City Council")])
    assert all(s.alias != "MCC" for s in left)
    assert any(s.alias == "the council" for s in left)


def test_network_to_dict_is_plain_data():
    import json

    data = merge_maps(three_maps()).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert {a["key"] for a in data["actors"]} >= {"mcc", "food bank"}


def test_an_actor_only_ever_named_in_one_map_keeps_its_own_fields():
    the_map = Map(site="S", round="R")
    a = the_map.add_actor(Actor("Youth Club", sector="social", kind="group", influence=3))
    b = the_map.add_actor(Actor("Police", sector="public"))
    the_map.add_tie(Tie(a.id, b.id, "information"))
    network = merge_maps([the_map])
    assert network.actors["youth club"].kind == "group"
    assert network.ties[0].strength == 2.0 and network.ties[0].weight == 1


def test_network_keys_lead_back_to_the_map_actors():
    the_map = build_map([("The Council", "public"), ("Food Bank", "social")], [])
    ids = actor_ids_by_key(the_map)
    assert set(ids) == set(merge_maps([the_map]).actors)
    assert the_map.actors[ids["council"]].name == "The Council"
