import math

import pytest

from fieldkit.indicators.stats import half_width, t_cdf, t_interval, t_quantile

# Two-sided critical values from standard t tables (3 decimals)
TABLE_95 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    10: 2.228,
    20: 2.086,
    30: 2.042,
    60: 2.000,
    120: 1.980,
}
TABLE_99 = {1: 63.657, 5: 4.032, 10: 3.169, 30: 2.750}


@pytest.mark.parametrize(("df", "expected"), sorted(TABLE_95.items()))
def test_t_quantile_matches_95_table(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=5e-4)


@pytest.mark.parametrize(("df", "expected"), sorted(TABLE_99.items()))
def test_t_quantile_matches_99_table(df, expected):
    assert t_quantile(0.995, df) == pytest.approx(expected, abs=5e-4)


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [
        (0.975, 4, 2.7764451051977987),
        (0.975, 10, 2.2281388519649385),
        (0.975, 30, 2.0422724563012373),
        (0.95, 7, 1.8945786050613054),
        (0.9, 3, 1.6377443536962102),
    ],
)
def test_t_quantile_is_accurate_to_many_digits(p, df, expected):
    assert t_quantile(p, df) == pytest.approx(expected, rel=1e-9)


def test_t_quantile_tends_to_the_normal():
    assert t_quantile(0.975, 10_000) == pytest.approx(1.96020, abs=1e-4)
    assert t_quantile(0.975, 2_000_000) == pytest.approx(1.959964, abs=1e-5)


@pytest.mark.parametrize("df", [1, 2, 3, 4, 7, 12, 55, 301])
@pytest.mark.parametrize("p", [0.6, 0.9, 0.975, 0.999])
def test_cdf_inverts_the_quantile_and_is_symmetric(p, df):
    t = t_quantile(p, df)
    assert t_cdf(t, df) == pytest.approx(p, abs=1e-10)
    assert t_quantile(1 - p, df) == pytest.approx(-t)
    assert t_cdf(-t, df) == pytest.approx(1 - p, abs=1e-10)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        t_quantile(1.0, 4)
    with pytest.raises(ValueError):
        t_quantile(0.975, 0)


def test_t_interval_hand_computed():
    # mean 60, sd sqrt(250), se sqrt(50); half = 2.7764451 * 7.0710678 = 19.6324
    mean, low, high = t_interval([40, 50, 60, 70, 80])
    assert mean == 60
    assert low == pytest.approx(60 - 19.63243, abs=1e-4)
    assert high == pytest.approx(60 + 19.63243, abs=1e-4)
    assert half_width(math.sqrt(250), 5) == pytest.approx(19.63243, abs=1e-4)


def test_t_interval_needs_two_values():
    assert t_interval([42.0]) == (42.0, None, None)
