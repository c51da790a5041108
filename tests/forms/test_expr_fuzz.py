"""Property tests: the parser never fails with anything but its own error."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.forms.expr import (
    EvaluationError,
    ExpressionError,
    MappingContext,
    evaluate,
    parse,
    to_string,
)

_ALPHABET = st.sampled_from(
    list("abcxyz019 .,()[]/'\"${}-+*=!<>|@:_") + ["div", "mod", "and", "or", "${a}", "if("]
)
_TOKENS = st.lists(_ALPHABET, max_size=30).map("".join)
_FUNCS = ["if(", "concat(", "selected(", "count(", "sum(", "round(", "date(", "format-date("]


def _parse_or_refuse(text: str) -> None:
    try:
        expr = parse(text)
    except ExpressionError as exc:
        assert 0 <= exc.position <= len(text)
        assert str(exc)
        return
    assert isinstance(expr.references(), set)
    ctx = MappingContext({"a": "1", "b": 2}, now=dt.datetime(2024, 1, 1))
    try:
        value = evaluate(expr, ctx)
    except EvaluationError:
        return
    to_string(value)  # every value has a string form


@settings(max_examples=600, deadline=None)
@given(st.text(max_size=40))
def test_any_text_parses_or_raises_expression_error(text: str) -> None:
    _parse_or_refuse(text)


@settings(max_examples=600, deadline=None)
@given(_TOKENS)
def test_token_soup_parses_or_raises_expression_error(text: str) -> None:
    _parse_or_refuse(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FUNCS + ["${a}", "1", ",", ")", "'x'", " + "]), max_size=20))
def test_function_soup_parses_or_raises(parts: list[str]) -> None:
    _parse_or_refuse("".join(parts))


@given(st.integers(min_value=1, max_value=400))
def test_deep_nesting_is_refused_cleanly_or_parsed(depth: int) -> None:
    _parse_or_refuse("(" * depth + "1" + ")" * depth)
    _parse_or_refuse("-" * depth + "1")


@given(st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6))
def test_arithmetic_matches_python(a: int, b: int) -> None:
    ctx = MappingContext({"a": a, "b": b})
    assert evaluate(parse("${a} + ${b}"), ctx) == a + b
    assert evaluate(parse("${a} * ${b}"), ctx) == a * b
    assert evaluate(parse("${a} < ${b}"), ctx) is (a < b)
    assert evaluate(parse("${a} = ${b}"), ctx) is (a == b)
