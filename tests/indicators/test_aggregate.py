import json
import random

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.indicators import NetworkParts, summarise
from fieldkit.indicators.aggregate import estimate, order_rounds

from .conftest import answers, record, uniform


def _group(n, values, prefix="r", **kwargs):
    return [record(f"{prefix}{i:02d}", values, **kwargs) for i in range(n)]


# -- low base and bands ------------------------------------------------------------------------


def test_low_base_below_five_is_shown_with_n_but_not_banded(framework):
    summary = summarise(_group(4, uniform("pub", "5")), framework)
    figure = summary.get("Cheetham Hill", "baseline").indicators["pub"]
    assert figure.score == 100.0 and figure.n == 4
    assert figure.low_base is True and figure.band is None
    out = summary.to_dict()["sites"]["Cheetham Hill"]["baseline"]["indicators"]["pub"]
    assert out["band"] is None and out["low_base"] is True and out["n"] == 4


def test_five_interviews_are_banded(framework):
    figure = (
        summarise(_group(5, uniform("pub", "5")), framework)
        .get("Cheetham Hill", "baseline")
        .indicators["pub"]
    )
    assert figure.low_base is False and figure.band.id == "resilient"


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0.0, "brittle"),
        (39.99, "brittle"),
        (40.0, "vulnerable"),
        (54.9, "vulnerable"),
        (55.0, "steady"),
        (69.9, "steady"),
        (70.0, "resilient"),
        (100.0, "resilient"),
    ],
)
def test_bands_at_their_edges(framework, score, band):
    result = estimate([(f"u{i}", score) for i in range(5)], framework)
    assert result.band.id == band
    assert result.mean == pytest.approx(score)


def test_no_scores_no_estimate(framework):
    result = estimate([], framework)
    assert result.mean is None and result.n == 0 and result.band is None and result.low_base


# -- confidence interval ------------------------------------------------------------------------


def test_interval_is_a_t_interval(framework):
    # pub scores 0, 25, 50, 75, 100: mean 50, sd sqrt(1562.5), se 17.6777, t(.975, 4) 2.776445
    values = ["1", "2", "3", "4", "5"]
    records = [record(f"u{i}", uniform("pub", v)) for i, v in enumerate(values)]
    figure = summarise(records, framework).get("Cheetham Hill", "baseline").indicators["pub"]
    assert figure.score == 50.0
    assert figure.ci_low == pytest.approx(50 - 49.0806, abs=1e-3)
    assert figure.ci_high == pytest.approx(50 + 49.0806, abs=1e-3)
    assert figure.interviews.sd == pytest.approx(39.5285, abs=1e-3)


def test_interval_is_clipped_to_the_scale(framework):
    # 100 x4 and 75: mean 95, sd 11.18, half 13.88 -> upper bound 108.9 clipped to 100
    records = _group(4, uniform("pub", "5")) + [record("z", uniform("pub", "4"))]
    figure = summarise(records, framework).get("Cheetham Hill", "baseline").indicators["pub"]
    assert figure.score == 95.0
    assert figure.ci_high == 100.0
    assert figure.ci_low == pytest.approx(95 - 2.776445 * 11.18034 / 5**0.5, abs=1e-3)


def test_one_interview_has_no_interval(framework):
    figure = (
        summarise([record("a", uniform("pub", "3"))], framework)
        .get("Cheetham Hill", "baseline")
        .indicators["pub"]
    )
    assert figure.score == 50.0 and figure.ci_low is None and figure.ci_high is None


# -- by sector and perception gap ----------------------------------------------------------------


def test_by_sector_and_the_largest_gap_between_non_low_base_sectors(framework):
    records = (
        _group(5, uniform("pub_soc", "4"), prefix="p", sector="public")  # 75
        + _group(5, uniform("pub_soc", "2"), prefix="s", sector="social")  # 25
        + _group(6, uniform("pub_soc", "3"), prefix="r", sector="residents")  # 50
        + _group(2, uniform("pub_soc", "5"), prefix="c", sector="commercial")  # 100, low base
    )
    figure = summarise(records, framework).get("Cheetham Hill", "baseline").indicators["pub_soc"]
    assert list(figure.by_sector) == ["public", "social", "commercial", "residents"]
    assert figure.by_sector["commercial"].low_base and figure.by_sector["commercial"].band is None
    assert figure.by_sector["public"].mean == 75.0 and figure.by_sector["public"].n == 5
    assert figure.gap.high_sector == "public" and figure.gap.low_sector == "social"
    assert figure.gap.difference == 50.0
    assert figure.n == 18


def test_no_gap_with_fewer_than_two_usable_sectors(framework):
    records = _group(5, uniform("pub", "4"), sector="public") + _group(
        3, uniform("pub", "1"), prefix="s", sector="social"
    )
    figure = summarise(records, framework).get("Cheetham Hill", "baseline").indicators["pub"]
    assert figure.gap is None


def test_interviews_without_a_sector_count_in_totals_only(framework):
    records = _group(5, uniform("pub", "4"), sector=None)
    summary = summarise(records, framework)
    figure = summary.get("Cheetham Hill", "baseline").indicators["pub"]
    assert figure.n == 5 and figure.by_sector == {}
    assert any("no recognised respondent sector" in w for w in summary.warnings)


# -- change between rounds -------------------------------------------------------------------------


def test_change_since_the_previous_round_with_interval_overlap(framework):
    base = [record(f"b{i}", uniform("pub", v), round_="baseline") for i, v in enumerate("22233")]
    follow = [record(f"f{i}", uniform("pub", v), round_="follow-up") for i, v in enumerate("44455")]
    summary = summarise(base + follow, framework, rounds=["baseline", "follow-up"])
    first = summary.get("Cheetham Hill", "baseline").indicators["pub"]
    second = summary.get("Cheetham Hill", "follow-up").indicators["pub"]
    assert first.change is None
    assert first.score == 35.0 and second.score == 85.0  # (2,2,2,3,3) -> 2.4; (4,4,4,5,5) -> 4.4
    assert second.change.previous_round == "baseline"
    assert second.change.delta == 50.0
    assert second.change.ci_overlap is False
    assert second.change.same_basis is True


def test_overlapping_intervals_are_reported(framework):
    base = [record(f"b{i}", uniform("pub", v), round_="r1") for i, v in enumerate("12345")]
    follow = [record(f"f{i}", uniform("pub", v), round_="r2") for i, v in enumerate("22345")]
    figure = (
        summarise(base + follow, framework, rounds=["r1", "r2"])
        .get("Cheetham Hill", "r2")
        .indicators["pub"]
    )
    assert figure.change.delta == pytest.approx(5.0)
    assert figure.change.ci_overlap is True


def test_rounds_are_ordered_as_given_else_by_first_finalization(framework):
    late = record("a", {}, round_="baseline", finalized_at="2026-01-05T10:00:00")
    early = record("b", {}, round_="follow-up", finalized_at="2025-01-05T10:00:00")
    assert order_rounds([late, early], None) == ["follow-up", "baseline"]
    assert order_rounds([late, early], ["baseline", "follow-up"]) == ["baseline", "follow-up"]
    assert order_rounds([late, early], ["baseline"]) == ["baseline", "follow-up"]
    summary = summarise([late, early], framework, rounds=["follow-up", "baseline"])
    assert summary.round_order == ("follow-up", "baseline")
    assert summary.get("Cheetham Hill", "baseline").indicators["pub"].change.previous_round == (
        "follow-up"
    )


def test_change_skips_a_round_the_site_was_not_visited(framework):
    records = [
        record("a", uniform("pub", "3"), round_="r1"),
        record("b", uniform("pub", "3"), round_="r2", site="Broughton"),
        record("c", uniform("pub", "4"), round_="r3"),
    ]
    summary = summarise(records, framework, rounds=["r1", "r2", "r3"])
    change = summary.get("Cheetham Hill", "r3").indicators["pub"].change
    assert change.previous_round == "r1" and change.delta == 25.0
    assert change.ci_overlap is None  # one interview each: no intervals
    assert summary.get("Broughton", "r2").indicators["pub"].change is None


# -- blend with the site network -----------------------------------------------------------------


def _five(values):
    return _group(5, values)


def test_relationship_indicator_blends_70_30_with_coverage(framework):
    networks = {
        ("Cheetham Hill", "baseline"): NetworkParts({"pub_soc": {"coverage": 80.0}}, ("m1", "m2"))
    }
    summary = summarise(_five(uniform("pub_soc", "3")), framework, networks=networks)
    figure = summary.get("Cheetham Hill", "baseline").indicators["pub_soc"]
    assert figure.score == pytest.approx(0.7 * 50 + 0.3 * 80)  # 59
    assert figure.interviews.mean == 50.0
    assert figure.interviews_only is False
    assert figure.band.id == "steady"
    assert figure.ci_low == pytest.approx(59.0) and figure.ci_high == pytest.approx(59.0)
    assert figure.provenance.map_ids == ("m1", "m2")
    out = summary.to_dict()["sites"]["Cheetham Hill"]["baseline"]["indicators"]["pub_soc"]
    assert out["components"] == {
        "interviews": {"score": 50.0, "weight": 0.7},
        "network": {"coverage": {"score": 80.0, "weight": 0.3}},
    }
    assert out["provenance"]["maps"] == 2


def test_net_blends_40_30_30_with_bridging_and_redundancy(framework):
    # interviews: 4, 4, 4 with net_3 reversed -> 4, 4, 2 -> 10/3 -> 58.33
    networks = {("Cheetham Hill", "baseline"): {"net": {"bridging": 60.0, "redundancy": 100.0}}}
    figure = (
        summarise(_five(uniform("net", "4")), framework, networks=networks)
        .get("Cheetham Hill", "baseline")
        .indicators["net"]
    )
    assert figure.interviews.mean == pytest.approx(175 / 3)
    assert figure.score == pytest.approx(0.4 * 175 / 3 + 0.3 * 60 + 0.3 * 100)
    assert "interviews 40 %" in figure.basis and "redundancy 30 %" in figure.basis


def test_without_a_network_the_figure_is_interviews_only_and_says_so(framework):
    summary = summarise(_five(uniform("pub_soc", "3")), framework)
    figure = summary.get("Cheetham Hill", "baseline").indicators["pub_soc"]
    assert figure.score == 50.0 and figure.interviews_only is True
    assert "no site network" in figure.basis
    assert figure.provenance.map_ids == ()
    out = summary.to_dict()["sites"]["Cheetham Hill"]["baseline"]["indicators"]["pub_soc"]
    assert out["components"]["network"] == {"coverage": {"score": None, "weight": 0.0}}
    assert out["components"]["interviews"]["weight"] == 1.0


def test_a_missing_network_component_falls_back_and_names_it(framework):
    networks = {("Cheetham Hill", "baseline"): {"net": {"bridging": 60.0, "redundancy": None}}}
    figure = (
        summarise(_five(uniform("net", "4")), framework, networks=networks)
        .get("Cheetham Hill", "baseline")
        .indicators["net"]
    )
    assert figure.interviews_only and figure.score == pytest.approx(175 / 3)
    assert "redundancy not available" in figure.basis


def test_indicators_without_network_component_ignore_the_network(framework):
    networks = {("Cheetham Hill", "baseline"): {"pub_soc": {"coverage": 80.0}}}
    figure = (
        summarise(_five(uniform("pub", "3")), framework, networks=networks)
        .get("Cheetham Hill", "baseline")
        .indicators["pub"]
    )
    assert figure.score == 50.0 and figure.interviews_only
    assert "no network component" in figure.basis


def test_a_network_alone_gives_no_score(framework):
    networks = {("Broughton", "baseline"): {"pub_soc": {"coverage": 80.0}}}
    summary = summarise([], framework, networks=networks)
    entry = summary.get("Broughton", "baseline")
    assert entry.n_interviews == 0 and entry.has_network
    assert entry.indicators["pub_soc"].score is None
    assert entry.indicators["pub_soc"].basis == "no scored interviews"


@pytest.mark.parametrize("bad", [0.8 * 1000, -1.0, float("nan"), "80"])
def test_network_values_off_0_100_are_refused(framework, bad):
    networks = {("Cheetham Hill", "baseline"): {"pub_soc": {"coverage": bad}}}
    with pytest.raises(FieldkitError, match="Cheetham Hill.*coverage of 'pub_soc'"):
        summarise(_five(uniform("pub_soc", "3")), framework, networks=networks)


def test_change_says_when_the_basis_differs(framework):
    base = _group(5, uniform("pub_soc", "3"), round_="baseline")
    follow = _group(5, uniform("pub_soc", "3"), prefix="f", round_="follow-up")
    networks = {("Cheetham Hill", "follow-up"): {"pub_soc": {"coverage": 100.0}}}
    figure = (
        summarise(base + follow, framework, networks=networks, rounds=["baseline", "follow-up"])
        .get("Cheetham Hill", "follow-up")
        .indicators["pub_soc"]
    )
    assert figure.change.delta == pytest.approx(15.0)
    assert figure.change.same_basis is False


# -- provenance, output, determinism ---------------------------------------------------------------


def test_provenance_names_scored_and_unscored_interviews(framework):
    records = [
        record("b", uniform("pub", "4")),
        record("a", answers("pub", "4", "dk", "dk")),
        record("c", uniform("pub", "2")),
    ]
    summary = summarise(records, framework)
    figure = summary.get("Cheetham Hill", "baseline").indicators["pub"]
    assert figure.provenance.interview_uuids == ("b", "c")
    assert figure.provenance.unscored_uuids == ("a",)
    assert figure.provenance.framework_version == framework.version
    out = summary.to_dict(include_ids=True)["sites"]["Cheetham Hill"]["baseline"]["indicators"][
        "pub"
    ]
    assert out["provenance"] == {
        "interviews": 2,
        "interviews_unscored": 1,
        "maps": 0,
        "framework_version": framework.version,
        "interview_uuids": ["b", "c"],
        "unscored_uuids": ["a"],
        "map_ids": [],
    }


def _realistic(seed):
    rng = random.Random(seed)
    codes = ["1", "2", "3", "4", "5", "dk", ""]
    records = []
    for i in range(120):
        values = {
            f"{ind}_{k}": rng.choice(codes) for ind in ("pub", "pub_soc", "net") for k in (1, 2, 3)
        }
        records.append(
            record(
                f"u{i:03d}",
                values,
                site=rng.choice(["Cheetham Hill", "Broughton"]),
                round_=rng.choice(["baseline", "follow-up"]),
                sector=rng.choice(["public", "social", "commercial", "residents", None]),
            )
        )
    return records


def test_to_dict_has_every_field_the_cli_prints(framework):
    summary = summarise(_realistic(1), framework, rounds=["baseline", "follow-up"])
    data = json.loads(json.dumps(summary.to_dict()))
    assert data["framework"]["version"] == framework.version
    assert data["rounds"] == ["baseline", "follow-up"]
    follow = data["sites"]["Broughton"]["follow-up"]
    assert set(follow["indicators"]) == set(framework.indicator_ids)
    pub = follow["indicators"]["pub"]
    for key in (
        "score",
        "n",
        "ci_low",
        "ci_high",
        "band",
        "low_base",
        "change",
        "gap",
        "components",
        "provenance",
    ):
        assert key in pub
    assert pub["change"]["previous_round"] == "baseline"
    assert pub["ci_low"] <= pub["score"] <= pub["ci_high"]
    assert follow["indicators"]["adapt"]["score"] is None  # nobody answered adapt


def test_summary_is_deterministic_whatever_the_input_order(framework):
    records = _realistic(2)
    first = summarise(records, framework).to_dict(include_ids=True)
    shuffled = list(records)
    random.Random(3).shuffle(shuffled)
    assert summarise(shuffled, framework).to_dict(include_ids=True) == first


def test_select_keeps_one_site_and_round(framework):
    summary = summarise(_realistic(4), framework, rounds=["baseline", "follow-up"])
    chosen = summary.select(site="Broughton", round_="follow-up").to_dict()
    assert list(chosen["sites"]) == ["Broughton"]
    assert list(chosen["sites"]["Broughton"]) == ["follow-up"]
    assert chosen["sites"]["Broughton"]["follow-up"]["indicators"]["pub"]["change"] is not None


def test_values_off_the_scale_become_warnings_not_failures(framework):
    summary = summarise(_five(answers("pub", "9", "4", "4")), framework)
    assert summary.get("Cheetham Hill", "baseline").indicators["pub"].score == 75.0
    assert len(summary.warnings) == 5 and "pub_1" in summary.warnings[0]
