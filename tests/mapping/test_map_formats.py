import json

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from fieldkit import vocab
from fieldkit.errors import FieldkitError
from fieldkit.mapping.formats import read_map, write_graph
from fieldkit.mapping.model import Actor, Map, Tie
from fieldkit.mapping.network import merge_maps
from fieldkit.mapping.vocabulary import Goal, LinkType, MapVocabulary
from tests.workbook_text import all_text

from .helpers import build_map

EXTENSIONS = ["graphml", "gexf", "xlsx"]


def essence(the_map: Map) -> tuple:
    """What a round trip must keep: names, sectors, ties, types, directions, strengths."""
    names = {a.id: a.name for a in the_map.actors.values()}
    actors = sorted(
        (a.name, a.sector, a.kind, a.influence, tuple(a.goals)) for a in the_map.actors.values()
    )
    ties = sorted(
        (names[t.source], names[t.target], t.type, t.direction, t.strength, t.note)
        for t in the_map.ties.values()
    )
    return actors, ties


@pytest.fixture
def full_map() -> Map:
    vocabulary = MapVocabulary(
        MapVocabulary.default().link_types + (LinkType("care", "Care", "#123456"),),
        (Goal("jobs", "Jobs"), Goal("housing", "Housing")),
    )
    the_map = Map(
        site="Cheetham Hill",
        round="follow-up",
        focus_question="Who helps families <in> crisis & why?",
        interview_id="0b7c6c52-5b0c-4a4e-9d36-1a0a8f7c1d2e",
        vocabulary=vocabulary,
    )
    council = the_map.add_actor(
        Actor(
            "Manchester City Council",
            "public",
            "organisation",
            9,
            ["jobs", "housing"],
            x=1.5,
            y=-2.0,
        )
    )
    mosque = the_map.add_actor(
        Actor(
            "Cheetham Hill Mosque",
            "social",
            "group",
            6,
            notes="Imam's mobile: 0700",
            notes_sensitive=True,
            x=0.0,
            y=3.25,
        )
    )
    shop = the_map.add_actor(Actor("Ahmed's Grocers", "commercial", "organisation", None, ["jobs"]))
    resident = the_map.add_actor(
        Actor("Mrs Ó Briain", "residents", "person", 0, notes="knows everyone")
    )
    the_map.add_tie(Tie(council.id, mosque.id, "money", "one-way", 3, note="small grants"))
    the_map.add_tie(Tie(council.id, mosque.id, "information", "mutual", 2))
    the_map.add_tie(Tie(mosque.id, council.id, "money", "one-way", 1))
    the_map.add_tie(Tie(shop.id, resident.id, "care", "mutual", 1))
    the_map.add_tie(Tie(resident.id, mosque.id, "support", "one-way", 2))
    return the_map


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_round_trip_keeps_everything(tmp_path, full_map, extension):
    path = write_graph(full_map, tmp_path / f"map.{extension}", include_sensitive=True)
    again = read_map(path)
    assert essence(again) == essence(full_map)
    assert again == full_map  # fieldkit's own files keep ids, positions, notes, details too


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_sensitive_notes_stay_out_unless_asked(tmp_path, full_map, extension):
    path = write_graph(full_map, tmp_path / f"map.{extension}")
    again = read_map(path)
    assert essence(again) == essence(full_map)
    assert again.find_actor("Cheetham Hill Mosque").notes == ""
    assert again.find_actor("Mrs Ó Briain").notes == "knows everyone"
    assert "mobile" not in _written_text(path)  # the note's words; an id's hex may hold "0700"


def _written_text(path) -> str:
    """Everything a map file says: its cells for a workbook, else its text."""
    if path.suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        try:
            return all_text(book)
        finally:
            book.close()
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_site_networks_export_with_weights(tmp_path, extension):
    first = build_map([("A", "public"), ("B", "social")], [("A", "B", "money", "one-way", 1)])
    second = build_map([("a", "public"), ("B", "social")], [("a", "B", "money", "one-way", 2)])
    network = merge_maps([first, second])
    path = write_graph(network, tmp_path / f"net.{extension}")
    again = read_map(path)
    assert sorted(a.name for a in again.actors.values()) == ["A", "B"]
    (tie,) = again.ties.values()
    assert tie.strength == 2  # mean 1.5 rounds half up
    if extension == "graphml":
        graph = nx.read_graphml(path, force_multigraph=True)
        assert [d["weight"] for *_, d in graph.edges(data=True)] == [2]


def test_graphml_carries_colour_and_position(tmp_path, full_map):
    path = write_graph(full_map, tmp_path / "map.graphml")
    graph = nx.read_graphml(path, force_multigraph=True)
    council = next(d for _, d in graph.nodes(data=True) if d["label"] == "Manchester City Council")
    assert council["colour"] == vocab.sector_colour("public")
    assert (council["x"], council["y"], council["influence"]) == (1.5, -2.0, 9)
    assert {d["colour"] for *_, d in graph.edges(data=True) if d["link_type"] == "care"} == {
        "#123456"
    }


def test_gexf_uses_viz_for_colour_position_and_size(tmp_path, full_map):
    path = write_graph(full_map, tmp_path / "map.gexf")
    graph = nx.read_gexf(path)
    council = next(d for _, d in graph.nodes(data=True) if d["label"] == "Manchester City Council")
    assert council["viz"]["color"]["r"] == int(vocab.sector_colour("public")[1:3], 16)
    assert council["viz"]["position"]["x"] == 1.5 and council["viz"]["size"] > 10


def test_kumu_sheets_look_like_kumus(tmp_path, full_map):
    path = write_graph(full_map, tmp_path / "map.xlsx")
    workbook = load_workbook(path)
    elements = [[c.value for c in row] for row in workbook["Elements"].iter_rows()]
    assert elements[0][:6] == ["Label", "Type", "Description", "Tags", "Sector", "Influence"]
    assert [
        "Manchester City Council",
        "organisation",
        None,
        "jobs|housing",
        "public",
        9,
    ] == elements[1][:6]
    connections = [[c.value for c in row] for row in workbook["Connections"].iter_rows()]
    assert connections[0][:5] == ["From", "To", "Type", "Direction", "Strength"]
    assert {row[3] for row in connections[1:]} == {"directed", "mutual"}


def test_reads_a_spreadsheet_made_in_kumu(tmp_path):
    workbook = Workbook()
    elements = workbook.active
    elements.title = "Elements"
    elements.append(["Label", "Type", "Description", "Tags", "sector"])
    elements.append(["Food Bank", "Organization", "Open Tuesdays", "jobs | food", "social"])
    elements.append(["Ward councillor", "Person", None, None, "PUBLIC"])
    elements.append([None, None, None, None, None])  # blank rows are skipped
    elements.append(["Youth club", None, None, None, None])
    connections = workbook.create_sheet("Connections")
    connections.append(["From", "To", "Type", "Direction"])
    connections.append(["food bank", "Ward Councillor", "information", "undirected"])
    connections.append(["Youth club", "Food Bank", "support", None])
    path = tmp_path / "kumu.xlsx"
    workbook.save(path)
    the_map = read_map(path)
    bank = the_map.find_actor("Food Bank")
    assert (bank.kind, bank.sector, bank.goals, bank.notes) == (
        "organisation",
        "social",
        ["jobs", "food"],
        "Open Tuesdays",
    )
    assert the_map.find_actor("ward councillor").sector == "public"
    assert the_map.find_actor("youth club").sector == "other"
    directions = sorted((t.type, t.direction, t.strength) for t in the_map.ties.values())
    assert directions == [("information", "mutual", 2), ("support", "one-way", 2)]


def kumu_with(tmp_path, element_rows, connection_rows):
    workbook = Workbook()
    elements = workbook.active
    elements.title = "Elements"
    elements.append(["Label", "Sector", "Influence"])
    for row in element_rows:
        elements.append(row)
    connections = workbook.create_sheet("Connections")
    connections.append(["From", "To", "Type", "Direction", "Strength"])
    for row in connection_rows:
        connections.append(row)
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    return path


def test_bad_kumu_rows_are_named_by_sheet_row_and_column(tmp_path):
    path = kumu_with(
        tmp_path,
        [["A", "public", 3], ["B", "state", 2], ["C", "social", "lots"], ["a", "public", 1]],
        [
            ["A", "Nobody", "money", "directed", 2],
            ["A", "C", "money", "directed", 5],
            ["A", "C", "gossip", "sideways", 1],
        ],
    )
    with pytest.raises(FieldkitError) as err:
        read_map(path)
    found = {(p.sheet, p.row, p.column): p.message for p in err.value.problems}
    assert all(p.file == str(path) for p in err.value.problems)
    assert "unknown sector 'state'" in found[("Elements", 3, "Sector")]
    assert "not a number" in found[("Elements", 4, "Influence")]
    assert "second element is called 'a'" in found[("Elements", 5, "Label")]
    assert "no element is called 'Nobody'" in found[("Connections", 2, "To")]
    assert "strength 5 is out of range" in found[("Connections", 3, "Strength")]
    assert "direction 'sideways'" in found[("Connections", 4, "Direction")]


def test_kumu_duplicate_tie_is_folded_and_reported(tmp_path):
    path = kumu_with(
        tmp_path,
        [["A", "public", 3], ["B", "social", 2]],
        [["A", "B", "money", "directed", 2], ["A", "B", "money", "directed", 1]],
    )
    report: list[str] = []
    the_map = read_map(path, report=report)
    (tie,) = the_map.ties.values()
    assert (tie.direction, tie.strength) == ("one-way", 2)
    assert len(report) == 1 and "'money' tie between 'A' and 'B' was given 2 times" in report[0]


@pytest.mark.parametrize("ext", ["graphml", "gexf", "xlsx"])
def test_a_site_network_with_one_way_and_mutual_ties_reads_back_as_a_map(tmp_path, ext):
    """Two maps report one pair's tie one-way and mutual: the merged network keeps both, and
    reading its export folds them into the mutual tie, at the stronger strength."""
    from fieldkit.mapping.network import merge_maps

    maps = []
    for direction, strength in (("one-way", 3), ("mutual", 1)):
        the_map = Map(site="S", round="R")
        a = the_map.add_actor(Actor("Council", "public"))
        b = the_map.add_actor(Actor("Residents", "residents"))
        the_map.add_tie(Tie(a.id, b.id, "support", direction, strength))
        maps.append(the_map)
    network = merge_maps(maps)
    assert len(network.ties) == 2
    report: list[str] = []
    back = read_map(write_graph(network, tmp_path / f"net.{ext}"), report=report)
    (tie,) = back.ties.values()
    assert tie.mutual and tie.strength == 3
    assert "1 mutual and 1 one-way" in report[0]


def test_kumu_without_the_needed_sheets_or_columns(tmp_path):
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    path = tmp_path / "empty.xlsx"
    workbook.save(path)
    with pytest.raises(FieldkitError, match="no 'Elements' sheet"):
        read_map(path)
    workbook.active.title = "Elements"
    workbook.active.append(["Name", "Sector"])
    workbook.save(path)
    with pytest.raises(FieldkitError) as err:
        read_map(path)
    (problem,) = err.value.problems
    assert (problem.sheet, problem.row) == ("Elements", 1) and "'Label'" in problem.message


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_files_that_are_not_what_they_say_are_refused(tmp_path, extension):
    path = tmp_path / f"junk.{extension}"
    path.write_bytes(b"\x00\x01 this is not a graph <<<")
    with pytest.raises(FieldkitError) as err:
        read_map(path)
    assert err.value.problems[0].file == str(path)
    with pytest.raises(FieldkitError, match="no such file"):
        read_map(tmp_path / f"missing.{extension}")


def test_graphml_with_bad_values_names_the_file_and_actor(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_node("n0", label="Council", sector="government")
    graph.add_node("n1", label="Bank", sector="social")
    graph.add_edge("n0", "n1", link_type="money", strength=2)
    graph.add_edge("n1", "n0")  # no link type
    path = tmp_path / "foreign.graphml"
    nx.write_graphml(graph, path)
    with pytest.raises(FieldkitError) as err:
        read_map(path)
    text = "\n".join(err.value.lines())
    assert "the tie has no link_type" in text and str(path) in text
    graph.remove_edge("n1", "n0")
    nx.write_graphml(graph, path)
    with pytest.raises(FieldkitError) as err:
        read_map(path)
    (problem,) = err.value.problems
    assert problem.file == str(path) and problem.name == "Council"
    assert "unknown sector 'government'" in problem.message


def test_foreign_graphml_gets_fresh_ids_and_defaults(tmp_path):
    graph = nx.Graph()  # undirected: ties read as mutual
    graph.add_edge("a", "b", type="support")
    path = tmp_path / "plain.graphml"
    nx.write_graphml(graph, path)
    the_map = read_map(path)
    assert sorted(a.name for a in the_map.actors.values()) == ["a", "b"]
    assert all(a.sector == "other" for a in the_map.actors.values())
    (tie,) = the_map.ties.values()
    assert (tie.type, tie.direction, tie.strength) == ("support", "mutual", 2)


def test_unknown_extension_is_refused(tmp_path, full_map):
    with pytest.raises(FieldkitError, match="cannot tell the format"):
        write_graph(full_map, tmp_path / "map.json")
    with pytest.raises(FieldkitError, match="cannot tell the format"):
        read_map(tmp_path / "map.csv")


def test_control_characters_do_not_break_the_files(tmp_path):
    the_map = build_map([("A", "public"), ("B", "social")], [("A", "B", "money", "one-way", 2)])
    actor = the_map.find_actor("A")
    the_map.update_actor(actor.id, notes="pasted\x0bfrom\x00elsewhere")
    for extension in EXTENSIONS:
        again = read_map(write_graph(the_map, tmp_path / f"c.{extension}"))
        assert again.find_actor("A").notes == "pastedfromelsewhere"


text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="|"),
    max_size=15,
).map(str.strip)
# Free text (notes) keeps its spacing and line breaks.
free_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"),
    max_size=25,
)


@st.composite
def exportable_maps(draw):
    the_map = Map(site=draw(text), round=draw(text), focus_question=draw(text))
    count = draw(st.integers(0, 6))
    for number in range(count):
        the_map.add_actor(
            Actor(
                f"{draw(text)} #{number}",
                draw(st.sampled_from(vocab.SECTORS)),
                draw(st.sampled_from(vocab.ACTOR_KINDS)),
                draw(st.none() | st.integers(0, 10)),
                draw(st.lists(text.filter(bool), max_size=2)),
                draw(free_text),
            )
        )
    ids = list(the_map.actors)
    for _ in range(draw(st.integers(0, 8)) if len(ids) > 1 else 0):
        source, target = draw(st.permutations(ids))[:2]
        tie = Tie(
            source,
            target,
            draw(st.sampled_from(vocab.LINK_TYPES)),
            draw(st.sampled_from(vocab.DIRECTIONS)),
            draw(st.sampled_from(vocab.STRENGTHS)),
            draw(free_text),
        )
        try:
            the_map.add_tie(tie)
        except FieldkitError:
            pass  # the same tie twice
    return the_map


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(the_map=exportable_maps(), extension=st.sampled_from(EXTENSIONS))
def test_any_map_round_trips_through_every_format(tmp_path, the_map, extension):
    again = read_map(write_graph(the_map, tmp_path / f"any.{extension}"))
    assert essence(again) == essence(the_map)
    assert json.dumps(again.comparable(), sort_keys=True) == json.dumps(
        the_map.comparable(), sort_keys=True
    )
