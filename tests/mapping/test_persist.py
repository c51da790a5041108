"""Maps in the store: every model edit is durable at once, and reloads equal."""

from fieldkit.mapping.model import Actor, Tie
from fieldkit.mapping.persist import MapAutosave, load_map, new_map, site_network


def same(a, b):
    """Equal as maps: everything but the store's own timestamps."""
    strip = lambda m: {k: v for k, v in m.to_dict().items() if k not in ("created", "updated")}  # noqa: E731
    return strip(a) == strip(b)


def test_autosave_mirrors_every_edit(project):
    project.sites.add("Broughton")
    project.rounds.add("Baseline")
    the_map = new_map(project, "Broughton", "Baseline", focus_question="Who gets things done?")
    saves = []
    autosave = MapAutosave(project, the_map, on_saved=lambda: saves.append(1))
    council = the_map.add_actor(Actor("Salford City Council", "public", x=0, y=0))
    mosque = the_map.add_actor(
        Actor("Broughton mosque", "social", kind="group", notes="imam's mobile")
    )
    tie = the_map.add_tie(Tie(council.id, mosque.id, "money", "one-way", 3))
    the_map.update_actor(council.id, influence=8)
    the_map.move_actor(mosque.id, 120.0, -40.0)
    assert len(saves) == 5
    again = load_map(project, the_map.id)
    assert same(again, the_map)
    assert again.actor(council.id).influence == 8
    assert again.actor(mosque.id).influence is None  # not asked yet stays not asked
    assert again.actor(mosque.id).x == 120.0
    removed = the_map.remove_actor(council.id)
    assert [t.id for t in removed] == [tie.id]
    assert load_map(project, the_map.id).ties == {}
    the_map.restore_actor(council, removed)
    assert same(load_map(project, the_map.id), the_map)
    autosave.close()


def test_site_network_merges_stored_maps(project):
    project.sites.add("Broughton")
    project.rounds.add("Baseline")
    for council_name in ("Salford City Council", "salford city council"):
        the_map = new_map(project, "Broughton", "Baseline")
        MapAutosave(project, the_map)
        a = the_map.add_actor(Actor(council_name, "public"))
        b = the_map.add_actor(Actor("Food bank", "social"))
        the_map.add_tie(Tie(a.id, b.id, "support", "mutual", 2))
    network = site_network(project, "Broughton", "Baseline")
    assert len(network.actors) == 2
    assert len(network.map_ids) == 2
    assert network.ties[0].weight == 2
