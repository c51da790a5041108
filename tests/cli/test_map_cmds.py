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
    for key in ("density", "brokers", "articulation_points", "isolates", "ei_index", "mixing", "coverage"):
        assert key in data
    code, out, _ = run("map", "metrics", "--site", "Broughton", "--round", "Baseline")
    assert "brokers:" in out and "single points of failure:" in out


@pytest.mark.parametrize("ext", ["graphml", "gexf", "xlsx"])
def test_export_graph(run, demo, tmp_path, ext):
    out = tmp_path / f"net.{ext}"
    code, text, err = run("export", "graph", str(out), "--site", "Cheetham Hill", "--round", "Baseline")
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
