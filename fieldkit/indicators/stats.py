"""Small-sample statistics without scipy: Student's t quantile and the t-interval of a mean.

Site/round/sector groups are often small (5-30 interviews), where a normal interval would
overstate how sure we are, so intervals use Student's t. scipy is not a dependency, so the t
distribution is computed here: the CDF by its exact finite series for integer degrees of
freedom (Abramowitz & Stegun 26.7.3-4), inverted by safeguarded Newton steps. Accurate to
~1e-12, and cached because a summary asks for few distinct degrees of freedom.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from statistics import NormalDist

_LARGE_DF = 1_000_000  # beyond this t and the normal distribution agree to ~1e-7


def t_cdf(t: float, df: int) -> float:
    """P(T <= t) for Student's t with `df` (integer >= 1) degrees of freedom."""
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if df >= _LARGE_DF:
        return NormalDist().cdf(t)
    theta = math.atan(t / math.sqrt(df))
    cos2 = math.cos(theta) ** 2
    if df % 2 == 1:
        # A(t|df) = 2/pi * (theta + sin cos (1 + 2/3 cos^2 + 2*4/(3*5) cos^4 + ...))
        series, term = 0.0, 1.0
        if df > 1:
            series = 1.0
            for k in range(1, (df - 3) // 2 + 1):
                term *= cos2 * (2 * k) / (2 * k + 1)
                series += term
        a = 2 / math.pi * (theta + math.sin(theta) * math.cos(theta) * series)
    else:
        # A(t|df) = sin (1 + 1/2 cos^2 + 1*3/(2*4) cos^4 + ...)
        series, term = 1.0, 1.0
        for k in range(1, (df - 2) // 2 + 1):
            term *= cos2 * (2 * k - 1) / (2 * k)
            series += term
        a = math.sin(theta) * series
    # A is P(|T| <= |t|) signed with t, so P(T <= t) = (1 + A) / 2
    return 0.5 * (1.0 + a)


def t_pdf(t: float, df: int) -> float:
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_c - (df + 1) / 2 * math.log1p(t * t / df))


@lru_cache(maxsize=4096)
def t_quantile(p: float, df: int) -> float:
    """The t value with P(T <= t) = p, e.g. t_quantile(0.975, 4) = 2.7764."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be strictly between 0 and 1")
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if p == 0.5:
        return 0.0
    if df == 1:  # Cauchy: exact
        return math.tan(math.pi * (p - 0.5))
    if df == 2:  # exact closed form
        return (2 * p - 1) * math.sqrt(2 / (4 * p * (1 - p)))
    if df >= _LARGE_DF:
        return NormalDist().inv_cdf(p)
    # Newton from the normal quantile (t is heavier-tailed, so start above it), kept in a
    # bracket [low, high] that always holds the root.
    low, high = 0.0, max(1.0, NormalDist().inv_cdf(p))
    while t_cdf(high, df) < p:
        low, high = high, high * 2
    x = high
    for _ in range(100):
        f = t_cdf(x, df) - p
        if abs(f) < 1e-15:
            break
        if f > 0:
            high = x
        else:
            low = x
        step = f / t_pdf(x, df)
        candidate = x - step
        if not low < candidate < high:
            candidate = (low + high) / 2
        if abs(candidate - x) < 1e-13 * max(1.0, abs(x)):
            x = candidate
            break
        x = candidate
    return x


def mean_and_sd(values: Sequence[float]) -> tuple[float, float | None]:
    """Mean and sample standard deviation (None for fewer than 2 values).

    math.fsum is exactly rounded, so the result does not depend on the order of the values:
    the same interviews always give the same figure.
    """
    n = len(values)
    mean = math.fsum(values) / n
    if n < 2:
        return mean, None
    variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, math.sqrt(variance)


def t_interval(
    values: Sequence[float], confidence: float = 0.95
) -> tuple[float, float | None, float | None]:
    """(mean, low, high) of the t-interval for the mean; no interval for fewer than 2 values."""
    mean, sd = mean_and_sd(values)
    if sd is None:
        return mean, None, None
    half = half_width(sd, len(values), confidence)
    return mean, mean - half, mean + half


def half_width(sd: float, n: int, confidence: float = 0.95) -> float:
    """Half the width of the t-interval of a mean of n values (n >= 2) with sample sd."""
    return t_quantile(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n)
