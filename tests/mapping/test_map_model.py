import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldkit import vocab
from fieldkit.errors import FieldkitError
from fieldkit.mapping.model import (
    ACTOR_CHANGED,
    ACTOR_REMOVED,
    MAP_CHANGED,
    TIE_ADDED,
    TIE_CHANGED,
    TIE_REMOVED,
    Actor,
    Map,
    Tie,
)
from fieldkit.mapping.vocabulary import Goal, MapVocabulary


@pytest.fixture
def small():
    the_map = Map(site="Broughton", round="baseline", focus_question="Who helps?")
    council = the_map.add_actor(Actor("Salford City Council", sector="public", influence=9))
    bank = the_map.add_actor(Actor("Food Bank", sector="social", kind="group"))
    shop = the_map.add_actor(Actor("Corner Shop", sector="commercial", kind="organisation"))
    return the_map, council, bank, shop


def messages(err: pytest.ExceptionInfo) -> str:
    return "\n".join(err.value.lines())


def test_events_reach_subscribers_in_order(small):
    the_map, council, bank, _ = small
    seen = []
    unsubscribe = the_map.subscribe(lambda event, obj: seen.append((event, obj)))
    tie = the_map.add_tie(Tie(council.id, bank.id, "money", strength=3))
    the_map.update_tie(tie.id, strength=1)
    the_map.update_actor(bank.id, influence=4)
    the_map.update_details(focus_question="Who decides?")
    the_map.remove_tie(tie.id)
    assert [e for e, _ in seen] == [TIE_ADDED, TIE_CHANGED, ACTOR_CHANGED, MAP_CHANGED, TIE_REMOVED]
    assert seen[0][1] is tie and seen[2][1] is bank and seen[3][1] is the_map
    unsubscribe()
    the_map.add_actor(Actor("Library", sector="public"))
    assert len(seen) == 5


def test_remove_actor_returns_its_ties_and_undo_restores_them(small):
    the_map, council, bank, shop = small
    t1 = the_map.add_tie(Tie(council.id, bank.id, "money"))
    t2 = the_map.add_tie(Tie(bank.id, council.id, "information", "mutual"))
    t3 = the_map.add_tie(Tie(shop.id, council.id, "services"))
    keep = the_map.add_tie(Tie(shop.id, council.id, "support"))
    before = the_map.to_dict()
    events = []
    the_map.subscribe(lambda event, obj: events.append(event))
    removed = the_map.remove_actor(bank.id)
    assert {t.id for t in removed} == {t1.id, t2.id}
    assert bank.id not in the_map.actors and set(the_map.ties) == {t3.id, keep.id}
    assert events == [TIE_REMOVED, TIE_REMOVED, ACTOR_REMOVED]
    the_map.restore_actor(bank, removed)
    after = the_map.to_dict()
    assert sorted(after["actors"], key=lambda a: a["id"]) == sorted(
        before["actors"], key=lambda a: a["id"]
    )
    assert sorted(after["ties"], key=lambda t: t["id"]) == sorted(
        before["ties"], key=lambda t: t["id"]
    )


def test_update_returns_old_values_for_undo(small):
    the_map, council, _, _ = small
    old = the_map.update_actor(council.id, name="Salford Council", influence=7, x=10.0, y=-4.5)
    assert old == {"name": "Salford City Council", "influence": 9, "x": None, "y": None}
    the_map.update_actor(council.id, **old)
    assert (council.name, council.influence, council.x) == ("Salford City Council", 9, None)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"sector": "government"}, "unknown sector 'government'"),
        ({"kind": "robot"}, "unknown kind 'robot'"),
        ({"influence": 11}, "influence 11 is not a whole number from 0 to 10"),
        ({"influence": 2.5}, "influence 2.5 is not a whole number"),
        ({"name": "  "}, "an actor needs a name"),
        ({"x": float("nan")}, "position x=nan is not a finite number"),
        ({"name": "the food bank."}, "already an actor called 'Food Bank'"),
        ({"colour": "red"}, "actors have no field(s) colour"),
    ],
)
def test_bad_actor_changes_are_refused_and_change_nothing(small, changes, expected):
    the_map, council, _, _ = small
    before = the_map.to_dict()
    events = []
    the_map.subscribe(lambda event, obj: events.append(event))
    with pytest.raises(FieldkitError) as err:
        the_map.update_actor(council.id, **changes)
    assert expected in messages(err)
    assert the_map.to_dict() == before and events == []


@pytest.mark.parametrize(
    ("tie", "expected"),
    [
        (dict(type="gossip"), "unknown link type 'gossip'"),
        (dict(strength=4), "strength 4 is out of range (1-3)"),
        (dict(strength=0), "strength 0 is out of range (1-3)"),
        (dict(direction="both"), "unknown direction 'both'"),
        (dict(target="nobody"), "which is not on the map"),
        (dict(target="SELF"), "a tie must join two different actors"),
    ],
)
def test_bad_ties_are_refused(small, tie, expected):
    the_map, council, bank, _ = small
    fields = dict(source=council.id, target=bank.id, type="money", direction="one-way", strength=2)
    fields.update(tie)
    if fields["target"] == "SELF":
        fields["target"] = council.id
    with pytest.raises(FieldkitError) as err:
        the_map.add_tie(Tie(**fields))
    assert expected in messages(err)
    assert the_map.ties == {}


def test_multiplex_ties_are_allowed_but_not_the_same_tie_twice(small):
    the_map, council, bank, _ = small
    the_map.add_tie(Tie(council.id, bank.id, "money"))
    the_map.add_tie(Tie(council.id, bank.id, "information"))
    the_map.add_tie(Tie(bank.id, council.id, "money"))  # the other way round: a different tie
    with pytest.raises(FieldkitError, match="already a 'money' tie"):
        the_map.add_tie(Tie(council.id, bank.id, "money", strength=3))
    with pytest.raises(FieldkitError, match="already a 'information' tie"):
        the_map.add_tie(Tie(bank.id, council.id, "information", "mutual"))
    assert len(the_map.ties_between(council.id, bank.id)) == 3


def test_update_tie_checks_clashes_but_not_with_itself(small):
    the_map, council, bank, _ = small
    money = the_map.add_tie(Tie(council.id, bank.id, "money"))
    info = the_map.add_tie(Tie(council.id, bank.id, "information"))
    assert the_map.update_tie(money.id, strength=3, note="grants") == {"strength": 2, "note": ""}
    with pytest.raises(FieldkitError, match="already a 'money' tie"):
        the_map.update_tie(info.id, type="money")
    assert info.type == "information"


def test_goals_are_checked_against_the_vocabulary_when_it_has_goals():
    vocabulary = MapVocabulary(MapVocabulary.default().link_types, (Goal("jobs", "More jobs"),))
    the_map = Map(vocabulary=vocabulary)
    the_map.add_actor(Actor("Job Centre", sector="public", goals=["jobs"]))
    with pytest.raises(FieldkitError, match="unknown goal 'parks'"):
        the_map.add_actor(Actor("Friends of the Park", sector="social", goals=["parks"]))
    free = Map()  # no goal list: goals are free codes
    free.add_actor(Actor("Friends of the Park", sector="social", goals=["parks"]))


def test_unknown_ids_are_refused(small):
    the_map, *_ = small
    with pytest.raises(FieldkitError, match="no such actor"):
        the_map.remove_actor("missing")
    with pytest.raises(FieldkitError, match="no such tie"):
        the_map.update_tie("missing", strength=1)
    with pytest.raises(FieldkitError, match="already on the map"):
        the_map.add_actor(Actor("Another", id=next(iter(the_map.actors))))


def test_to_dict_is_json_and_round_trips(small):
    the_map, council, bank, shop = small
    the_map.add_tie(Tie(council.id, bank.id, "money", strength=3, note="grant"))
    the_map.update_actor(bank.id, notes="Run by Mrs K.", notes_sensitive=True, x=1.0, y=2.0)
    text = json.dumps(the_map.to_dict())
    again = Map.from_dict(json.loads(text))
    assert again == the_map
    assert again.to_dict()["vocabulary"]["link_types"][0]["colour"] == vocab.link_colour(
        vocab.LINK_TYPES[0]
    )


def test_from_dict_refuses_bad_data_listing_every_problem(small):
    the_map, council, bank, _ = small
    the_map.add_tie(Tie(council.id, bank.id, "money"))
    data = the_map.to_dict()
    data["actors"][0]["sector"] = "state"
    data["ties"][0]["strength"] = 9
    data["ties"].append(dict(data["ties"][0], id="t2", strength=1))
    with pytest.raises(FieldkitError) as err:
        Map.from_dict(data)
    text = messages(err)
    assert "unknown sector 'state'" in text and "strength 9 is out of range" in text
    data = the_map.to_dict()
    data["ties"].append(dict(data["ties"][0], id="t2"))
    with pytest.raises(FieldkitError, match="is given twice"):
        Map.from_dict(data)
    data = the_map.to_dict()
    data["actors"].append(dict(data["actors"][1], id="other"))
    with pytest.raises(FieldkitError, match="two actors are called"):
        Map.from_dict(data)
    data = the_map.to_dict()
    data["actors"][0]["goals"] = "jobs"
    with pytest.raises(FieldkitError, match="goals must be a list"):
        Map.from_dict(data)
    with pytest.raises(FieldkitError, match="format 99"):
        Map.from_dict(dict(the_map.to_dict(), format=99))
    with pytest.raises(FieldkitError, match="must be a JSON object"):
        Map.from_dict(["not", "a", "map"])  # type: ignore[arg-type]


def test_copy_with_new_ids_keeps_the_ties_joined(small):
    the_map, council, bank, _ = small
    the_map.add_tie(Tie(council.id, bank.id, "money"))
    copy = the_map.copy(new_ids=True)
    assert copy.id != the_map.id and not set(copy.actors) & set(the_map.actors)
    (tie,) = copy.ties.values()
    assert copy.actors[tie.source].name == "Salford City Council"
    assert copy.actors[tie.target].name == "Food Bank"


names = st.lists(
    st.text(alphabet="abcdefghij klm", min_size=1, max_size=12).filter(lambda s: s.strip()),
    min_size=0,
    max_size=8,
)


@st.composite
def maps(draw):
    vocabulary = MapVocabulary.default()
    the_map = Map(
        site=draw(st.text(max_size=20)),
        round=draw(st.text(max_size=10)),
        focus_question=draw(st.text(max_size=40)),
        interview_id=draw(st.none() | st.uuids().map(str)),
    )
    coordinate = st.none() | st.floats(allow_nan=False, allow_infinity=False, width=64)
    for number, _ in enumerate(draw(names)):
        x = draw(coordinate)
        the_map.add_actor(
            Actor(
                name=f"actor {number}",
                sector=draw(st.sampled_from(vocab.SECTORS)),
                kind=draw(st.sampled_from(vocab.ACTOR_KINDS)),
                influence=draw(st.none() | st.integers(0, 10)),
                goals=draw(st.lists(st.text(min_size=1, max_size=5), max_size=3)),
                notes=draw(st.text(max_size=30)),
                notes_sensitive=draw(st.booleans()),
                x=x,
                y=None if x is None else draw(st.floats(-1e6, 1e6)),
            )
        )
    ids = list(the_map.actors)
    if len(ids) >= 2:
        for _ in range(draw(st.integers(0, 12))):
            source, target = draw(st.permutations(ids))[:2]
            tie = Tie(
                source,
                target,
                draw(st.sampled_from(vocabulary.link_type_names())),
                draw(st.sampled_from(vocab.DIRECTIONS)),
                draw(st.sampled_from(vocab.STRENGTHS)),
                draw(st.text(max_size=20)),
            )
            if not any(t for t in the_map.ties_between(source, target) if t.type == tie.type):
                the_map.add_tie(tie)
    return the_map


@given(maps())
def test_to_dict_from_dict_round_trip_for_any_map(the_map):
    data = the_map.to_dict()
    again = Map.from_dict(json.loads(json.dumps(data)))
    assert again.to_dict() == data
    assert again.to_dict() == Map.from_dict(again.to_dict()).to_dict()
