import json

import pytest

from fieldkit.mapping.formats import read_map, write_graph
from fieldkit.mapping.model import Actor, Map, Tie


@pytest.fixture
def demo(run):
    assert run("demo")[0] == 0


def test_metrics_json_and_text(run, demo):
    code, out, _ = run("map", "metrics", "--site", "Broughton", "--round", "Baseline", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["maps"] == 5 and data["actors"] > 5
    for key in (
        "density",
        "brokers",
        "articulation_points",
        "isolates",
        "ei_index",
        "mixing",
        "coverage",
    ):
        assert key in data
    code, out, _ = run("map", "metrics", "--site", "Broughton", "--round", "Baseline")
    assert "brokers:" in out and "single points of failure:" in out


@pytest.mark.parametrize("ext", ["graphml", "gexf", "xlsx"])
def test_export_graph(run, demo, tmp_path, ext):
    out = tmp_path / f"net.{ext}"
    code, text, err = run(
        "export", "graph", str(out), "--site", "Cheetham Hill", "--round", "Baseline"
    )
    assert code == 0, err
    assert out.stat().st_size > 500


def test_import_map_file(run, tmp_path):
    run("project", "create", "P")
    run("site", "add", "Broughton")
    run("round", "add", "Baseline")
    the_map = Map(site="", round="")
    a = the_map.add_actor(Actor("Salford City Council", "public"))
    b = the_map.add_actor(Actor("Łódź Polish club", "social", kind="group"))
    the_map.add_tie(Tie(a.id, b.id, "money", "one-way", 3))
    path = write_graph(the_map, tmp_path / "m.gexf")
    code, out, err = run("map", "import", str(path), "--site", "Broughton", "--round", "Baseline")
    assert code == 0, err
    assert "2 actors, 1 ties" in out
    code, out, _ = run("map", "list", "--site", "Broughton")
    assert "2 actors" in out
    assert read_map(path).find_actor("Łódź Polish club") is not None


def test_import_bad_file(run, tmp_path):
    run("project", "create", "P")
    bad = tmp_path / "broken.graphml"
    bad.write_text("<graphml><oops")
    code, _, err = run("map", "import", str(bad))
    assert code == 1 and "broken.graphml" in err and "Traceback" not in err


@pytest.mark.parametrize("ext", ["graphml", "gexf", "xlsx"])
def test_exported_site_network_imports_with_duplicate_ties_folded(run, tmp_path, ext):
    """One map says A helps B, another that they help each other: the merged network holds
    both ties, and importing its export folds them into one mutual tie, the stronger."""
    run("project", "create", "P")
    for site in ("Broughton", "Elsewhere"):
        run("site", "add", site)
    run("round", "add", "Baseline")
    for direction, strength, extra in (("one-way", 3, "Ward councillor"), ("mutual", 1, None)):
        the_map = Map(site="", round="")
        a = the_map.add_actor(Actor("Salford City Council", "public"))
        b = the_map.add_actor(Actor("Kersal residents", "residents", kind="group"))
        the_map.add_tie(Tie(a.id, b.id, "support", direction, strength))
        the_map.add_tie(Tie(b.id, a.id, "information", "one-way", 2))
        if extra:
            c = the_map.add_actor(Actor(extra, "public", kind="person"))
            the_map.add_tie(Tie(c.id, a.id, "support", "one-way", 2))
        path = write_graph(the_map, tmp_path / f"{direction}.graphml")
        code, _, err = run("map", "import", str(path), "--site", "Broughton", "--round", "Baseline")
        assert code == 0, err
    out_file = tmp_path / f"net.{ext}"
    code, _, err = run(
        "export", "graph", str(out_file), "--site", "Broughton", "--round", "Baseline"
    )
    assert code == 0, err
    code, out, err = run(
        "map", "import", str(out_file), "--site", "Elsewhere", "--round", "Baseline"
    )
    assert code == 0, err
    assert "3 actors, 3 ties" in out
    assert "folded 1 tie(s)" in out
    assert "'support' tie between" in out
    assert "'Salford City Council'" in out and "'Kersal residents'" in out
    assert "kept one mutual tie of strength 3" in out
    imported = read_map(out_file)  # the reader folds the same way
    support = [t for t in imported.ties.values() if t.type == "support" and t.mutual]
    assert len(support) == 1 and support[0].strength == 3
    assert sum(1 for t in imported.ties.values() if t.type == "information") == 1
    code, out, err = run("map", "metrics", "--site", "Elsewhere", "--round", "Baseline", "--json")
    assert code == 0, err
    assert json.loads(out)["ties"] == 3
