"""network_parts: the network components of a site network, via fieldkit.mapping.metrics."""

from types import SimpleNamespace

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.indicators import network_parts, site_network_parts, summarise
from fieldkit.mapping.model import Actor, Map, Tie
from fieldkit.mapping.network import merge_maps

from .conftest import record, uniform


class FakeMetrics:
    def __init__(self, coverage=50.0, bridging=60.0, redundancy=90.0):
        self.calls = []
        self.values = (coverage, bridging, redundancy)

    def coverage_score(self, network, a, b):
        self.calls.append(("coverage", a, b))
        return self.values[0]

    def bridging_score(self, network):
        self.calls.append(("bridging",))
        return self.values[1]

    def redundancy_score(self, network):
        self.calls.append(("redundancy",))
        return self.values[2]


def test_every_component_the_framework_asks_for(framework):
    metrics = FakeMetrics()
    network = SimpleNamespace(map_ids=["m2", "m1"])
    parts = network_parts(network, framework, metrics=metrics)
    assert parts.map_ids == ("m1", "m2")
    assert parts.components == {
        "pub_soc": {"coverage": 50.0},
        "pub_com": {"coverage": 50.0},
        "com_soc": {"coverage": 50.0},
        "com_res": {"coverage": 50.0},
        "net": {"bridging": 60.0, "redundancy": 90.0},
    }
    assert ("coverage", "commercial", "residents") in metrics.calls
    assert metrics.calls.count(("bridging",)) == 1


def test_a_metric_on_the_wrong_scale_is_refused(framework):
    with pytest.raises(FieldkitError, match="not a number from 0 to 100"):
        network_parts(SimpleNamespace(), framework, metrics=FakeMetrics(coverage=0.5 * 1000))


def _map(map_id):
    the_map = Map("Cheetham Hill", "baseline", id=map_id)
    council = the_map.add_actor(Actor("Council", "public"))
    food = the_map.add_actor(Actor("Food bank", "social"))
    the_map.add_actor(Actor("Mosque", "social"))
    shop = the_map.add_actor(Actor("Corner shop", "commercial"))
    the_map.add_tie(Tie(council.id, food.id, "information", "mutual"))
    the_map.add_tie(Tie(food.id, shop.id, "money"))
    return the_map


def test_with_the_real_mapping_metrics(framework):
    network = merge_maps([_map("m1")])
    parts = site_network_parts([network], framework)[("Cheetham Hill", "baseline")]
    # public + social actors: council, food bank, mosque; tied across: council, food bank
    assert parts.components["pub_soc"]["coverage"] == pytest.approx(200 / 3)
    # commercial + social: food bank, mosque, shop; tied across: food bank, shop
    assert parts.components["com_soc"]["coverage"] == pytest.approx(200 / 3)
    # no residents on the map: nothing can be said
    assert parts.components["com_res"]["coverage"] is None
    assert parts.map_ids == ("m1",)
    records = [record(f"u{i}", uniform("pub_soc", "3")) for i in range(5)]
    figure = (
        summarise(records, framework, networks={("Cheetham Hill", "baseline"): parts})
        .get("Cheetham Hill", "baseline")
        .indicators["pub_soc"]
    )
    assert figure.score == pytest.approx(0.7 * 50 + 0.3 * 200 / 3)
    assert figure.provenance.map_ids == ("m1",)
