import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldkit.indicators import load_framework, respondent_sector, score_interview
from fieldkit.indicators.scoring import normalise_sector

from .conftest import answers, record, uniform


def test_all_strongly_agree_is_100_and_all_strongly_disagree_is_0(framework):
    top = score_interview(record("a", uniform("pub", "5")), framework)
    bottom = score_interview(record("b", uniform("pub", "1")), framework)
    assert top.scores["pub"] == 100.0
    assert bottom.scores["pub"] == 0.0


def test_mean_is_rescaled_to_0_100(framework):
    # (4 + 2 + 5) / 3 = 11/3; (11/3 - 1) / 4 * 100 = 66.67
    scores = score_interview(record("a", answers("com", "4", "2", "5")), framework)
    assert scores.scores["com"] == pytest.approx(200 / 3)
    assert scores.items_scored["com"] == 3


def test_reverse_item_scores_six_minus_answer(framework):
    # net_3 is reverse-coded: 5, 5, 5 -> 5, 5, 1 -> mean 11/3 -> 66.67
    scores = score_interview(record("a", uniform("net", "5")), framework)
    assert scores.scores["net"] == pytest.approx(200 / 3)
    # 1, 1, 1 -> 1, 1, 5 -> mean 7/3 -> 33.33
    scores = score_interview(record("b", uniform("net", "1")), framework)
    assert scores.scores["net"] == pytest.approx(100 / 3)
    # a forward item is not reversed: only net_3 is
    scores = score_interview(record("c", answers("net", "3", "3", "2")), framework)
    assert scores.scores["net"] == pytest.approx((10 / 3 - 1) / 4 * 100)


def test_dont_know_is_left_out_of_the_mean(framework):
    # 4, dk, 2 -> mean 3 -> 50 (dk is not a zero nor a midpoint)
    scores = score_interview(record("a", answers("pub", "4", "dk", "2")), framework)
    assert scores.scores["pub"] == 50.0
    assert scores.items_scored["pub"] == 2


def test_fewer_than_two_of_three_items_scored_gives_no_score(framework):
    for values in (answers("pub", "4", "dk", "dk"), answers("pub", "5", "", None), {}):
        scores = score_interview(record("a", values), framework)
        assert scores.scores["pub"] is None
    assert (
        score_interview(record("b", answers("pub", "5", "", None)), framework).items_scored["pub"]
        == 1
    )


def test_exactly_two_of_three_is_enough(framework):
    scores = score_interview(record("a", answers("pub", "5", "dk", "4")), framework)
    assert scores.scores["pub"] == pytest.approx(87.5)


def test_numbers_as_stored_values_are_accepted(framework):
    scores = score_interview(record("a", answers("pub", 4, 2.0, " 3 ")), framework)
    assert scores.scores["pub"] == 50.0
    assert scores.problems == ()


def test_values_off_the_scale_are_reported_and_not_scored(framework):
    scores = score_interview(record("u1", answers("pub", "7", "4", "2")), framework)
    assert scores.scores["pub"] == 50.0
    assert len(scores.problems) == 1
    problem = scores.problems[0]
    assert problem.name == "pub_1" and "u1" in problem.message and "'7'" in problem.message
    assert (
        score_interview(record("u2", answers("pub", True, "x", 2.5)), framework).scores["pub"]
        is None
    )


def test_other_indicators_are_independent(framework):
    scores = score_interview(record("a", {**uniform("pub", "5"), **uniform("soc", "1")}), framework)
    assert scores.scores["pub"] == 100.0 and scores.scores["soc"] == 0.0
    assert scores.scores["pwr"] is None
    assert set(scores.scores) == set(framework.indicator_ids)


def test_min_items_comes_from_the_framework(edited_framework):
    path = edited_framework(("| 2 | 5 | 0.95 |", "| 3 | 5 | 0.95 |"))
    strict = load_framework(path)
    assert (
        score_interview(record("a", answers("pub", "5", "dk", "4")), strict).scores["pub"] is None
    )
    assert score_interview(record("a", uniform("pub", "4")), strict).scores["pub"] == 75.0


def test_a_seven_point_scale_rescales_by_its_own_range(edited_framework):
    path = edited_framework(("| 1 | 5 | dk |", "| 1 | 7 | dk |"))
    seven = load_framework(path)
    # 7, 7, 7 -> net_3 reversed to 1 -> mean 5 -> (5 - 1) / 6 * 100
    assert score_interview(record("a", uniform("net", "7")), seven).scores["net"] == pytest.approx(
        200 / 3
    )
    assert score_interview(record("a", uniform("pub", "4")), seven).scores["pub"] == 50.0


def test_respondent_sector_comes_from_consent_profile_or_the_record(framework):
    assert respondent_sector({"sector": "public", "role": "x"}) == "public"
    assert respondent_sector({"sector": " Social "}) == "social"
    assert respondent_sector({}) is None
    assert normalise_sector("martian") is None
    scores = score_interview(record("a", {}, sector="Commercial"), framework)
    assert scores.sector == "commercial"


CODES = ["1", "2", "3", "4", "5", "dk", "", None]


@given(st.lists(st.sampled_from(CODES), min_size=3, max_size=3))
def test_any_answers_score_by_the_formula(values):
    framework = load_framework()
    scores = score_interview(record("a", answers("net", *values)), framework)
    scored = [
        (6 - int(v)) if k == 2 else int(v)
        for k, v in enumerate(values)
        if v not in ("dk", "", None)
    ]
    if len(scored) < 2:
        assert scores.scores["net"] is None
    else:
        expected = (sum(scored) / len(scored) - 1) / 4 * 100
        assert scores.scores["net"] == pytest.approx(expected)
        assert 0 <= scores.scores["net"] <= 100
