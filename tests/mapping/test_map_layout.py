import importlib.util
import math

import pytest

from fieldkit import vocab
from fieldkit.errors import FieldkitError
from fieldkit.mapping.layout import LAYOUT_SCALE, apply_positions, layout_positions
from fieldkit.mapping.model import ACTOR_CHANGED
from fieldkit.mapping.network import merge_maps

from .helpers import build_map, hand_network

HAS_NUMPY = importlib.util.find_spec("numpy") is not None
HAS_SCIPY = importlib.util.find_spec("scipy") is not None


def angle_of(position):
    return math.atan2(position[1], position[0]) % (2 * math.pi)


def test_sector_layout_puts_each_sector_in_its_own_wedge():
    actors = [(f"{sector} {i}", sector) for sector in vocab.SECTORS for i in range(4)]
    the_map = build_map(actors, [])
    positions = layout_positions(the_map, "sector", keep=False)
    assert set(positions) == set(the_map.actors)
    spans = {}
    for actor_id, position in positions.items():
        radius = math.hypot(*position)
        assert 0.3 * LAYOUT_SCALE - 1e-9 <= radius <= LAYOUT_SCALE + 1e-9
        sector = the_map.actors[actor_id].sector
        start = (-math.pi / 2 + 2 * math.pi * vocab.SECTORS.index(sector) / 5) % (2 * math.pi)
        offset = (angle_of(position) - start) % (2 * math.pi)
        spans.setdefault(sector, []).append(offset)
    for sector, offsets in spans.items():
        assert all(0 <= o <= 2 * math.pi / 5 for o in offsets), sector
    assert layout_positions(the_map, "sector", keep=False) == positions  # deterministic


def test_layouts_keep_hand_positions_unless_asked():
    the_map = hand_network()
    p1 = the_map.find_actor("P1")
    the_map.move_actor(p1.id, 123.0, -45.0)
    kept = layout_positions(the_map, "sector")
    assert kept[p1.id] == (123.0, -45.0)
    assert len(kept) == len(the_map.actors)
    moved = layout_positions(the_map, "sector", keep=False)
    assert moved[p1.id] != (123.0, -45.0)


def test_a_fully_placed_map_is_left_alone():
    the_map = build_map([("A", "public"), ("B", "social")], [("A", "B", "money", "one-way", 2)])
    for n, actor in enumerate(the_map.actors.values()):
        the_map.move_actor(actor.id, float(n), float(n))
    assert layout_positions(the_map, "spring") == {
        a.id: (a.x, a.y) for a in the_map.actors.values()
    }


def test_site_network_layout_is_keyed_by_actor_key():
    network = merge_maps([hand_network()])
    assert set(layout_positions(network, "sector")) == set(network.actors)


def test_apply_positions_moves_actors_and_returns_old_positions():
    the_map = hand_network()
    events = []
    the_map.subscribe(lambda event, obj: events.append(event))
    positions = layout_positions(the_map, "sector", keep=False)
    old = apply_positions(the_map, positions)
    assert set(old) == set(the_map.actors) and all(v == (None, None) for v in old.values())
    assert events == [ACTOR_CHANGED] * len(the_map.actors)
    assert all((a.x, a.y) == positions[a.id] for a in the_map.actors.values())
    assert apply_positions(the_map, positions) == {}  # nothing moved, nothing to undo
    with pytest.raises(FieldkitError, match="not on the map"):
        apply_positions(the_map, {"nobody": (0.0, 0.0)})


def test_unknown_layout_is_refused():
    with pytest.raises(FieldkitError, match="unknown layout 'circle'"):
        layout_positions(hand_network(), "circle")


@pytest.mark.skipif(HAS_NUMPY, reason="numpy is installed, so the layouts run")
@pytest.mark.parametrize("method", ["spring", "kamada_kawai"])
def test_without_numpy_networkx_layouts_are_refused_clearly(method):
    with pytest.raises(FieldkitError, match="needs numpy"):
        layout_positions(hand_network(), method, keep=False)


@pytest.mark.skipif(not (HAS_NUMPY and HAS_SCIPY), reason="networkx layouts need numpy, scipy")
@pytest.mark.parametrize("method", ["spring", "kamada_kawai"])
def test_networkx_layouts_are_seeded_and_keep_hand_positions(method):
    the_map = hand_network()
    first = layout_positions(the_map, method, seed=3, keep=False)
    assert first == layout_positions(the_map, method, seed=3, keep=False)
    assert set(first) == set(the_map.actors)
    assert max(max(abs(x), abs(y)) for x, y in first.values()) == pytest.approx(LAYOUT_SCALE)
    p1 = the_map.find_actor("P1")
    s1 = the_map.find_actor("S1")
    the_map.move_actor(p1.id, 500.0, 500.0)
    the_map.move_actor(s1.id, 520.0, 480.0)
    kept = layout_positions(the_map, method, seed=3)
    assert kept[p1.id] == (500.0, 500.0) and kept[s1.id] == (520.0, 480.0)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in kept.values())


def test_kamada_kawai_gives_way_to_spring_on_a_big_network_and_says_why():
    from fieldkit.mapping.layout import KAMADA_KAWAI_MAX_ACTORS, practical_method

    assert practical_method("kamada_kawai", KAMADA_KAWAI_MAX_ACTORS) == ("kamada_kawai", "")
    method, note = practical_method("kamada_kawai", KAMADA_KAWAI_MAX_ACTORS + 1)
    assert method == "spring"
    assert f"{KAMADA_KAWAI_MAX_ACTORS + 1} actors" in note and "spring layout was used" in note
    assert practical_method("spring", 5000) == ("spring", "")
    assert practical_method("sector", 5000) == ("sector", "")


@pytest.mark.skipif(importlib.util.find_spec("scipy") is None, reason="needs numpy and scipy")
def test_spring_layout_of_500_actors_is_seeded_and_spread():
    """At 500 actors networkx would switch to its slower energy method; the force method is
    kept, so the picture is the same kind at every size and deterministic per seed."""
    import random

    from fieldkit.mapping.model import Actor, Map, Tie

    rng = random.Random(5)
    the_map = Map()
    actors = [the_map.add_actor(Actor(f"A{i}", vocab.SECTORS[i % 5])) for i in range(500)]
    while len(the_map.ties) < 600:
        a, b = rng.sample(actors, 2)
        try:
            the_map.add_tie(Tie(a.id, b.id, "money"))
        except FieldkitError:
            continue
    first = layout_positions(the_map, "spring", seed=1, keep=False)
    assert first == layout_positions(the_map, "spring", seed=1, keep=False)
    assert len(first) == 500
    # networkx rescales so the farthest coordinate is `scale` from the centre.
    farthest = max(max(abs(x), abs(y)) for x, y in first.values())
    assert farthest == pytest.approx(LAYOUT_SCALE, rel=0.01)
    assert len({(round(x), round(y)) for x, y in first.values()}) > 450  # spread, not piled up
