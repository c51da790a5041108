"""The expression engine against the ODK operators-and-functions documentation."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest

from fieldkit.forms.expr import (
    EvaluationError,
    ExpressionError,
    MappingContext,
    NodeSet,
    evaluate,
    parse,
    to_string,
)

NOW = dt.datetime(2024, 3, 5, 14, 7, 9)
VALUES = {
    "age": 20,
    "empty": "",
    "name": "Ann Smith",
    "pets": ["dog", "cat"],
    "dob": "2000-02-29",
    "when": "2024-03-05T08:30:00",
    "score": 2.5,
    "ages": NodeSet((3.0, 40.0, 7.0)),
    "names": NodeSet(("a", "b", "c")),
    "blank_set": NodeSet(("1", "")),
}


def ev(text: str, current: object = "") -> object:
    ctx = MappingContext(VALUES, current=current, now=NOW, labels={("pets", "dog"): "Dog"})
    return evaluate(parse(text), ctx)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # arithmetic and operator precedence
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 div 4", 2.5),
        ("7 mod 3", 1.0),
        ("-7 mod 3", -1.0),
        ("5 - -2", 7.0),
        ("1 div 0", math.inf),
        ("-1 div 0", -math.inf),
        ("${age} * 2", 40.0),
        ("${empty} + 1", "nan"),
        # comparisons: XPath 1.0 coercions
        ("${age} > 18", True),
        ("${age} = '20'", True),
        ("${age} = 20.0", True),
        ("${empty} = ''", True),
        ("${empty} > 5", False),
        ("${empty} < 5", False),
        ("'abc' = 'abc'", True),
        ("'10' < '9'", False),
        ("true() = 'x'", True),
        ("false() = ''", True),
        ("1 = true()", True),
        ("${names} = 'b'", True),
        ("${names} != 'a'", True),
        ("${ages} > 30", True),
        # dates compare as dates
        ("${dob} < today()", True),
        ("${dob} = date('2000-02-29')", True),
        ("today() = '2024-03-05'", True),
        ("date('2024-03-06') > today()", True),
        ("'2023-12-31' < '2024-01-01'", True),
        # logic
        ("1 and 0", False),
        ("1 or 0", True),
        ("not(${empty})", True),
        ("boolean('false')", True),
        ("boolean(0)", False),
        ("boolean-from-string('true')", True),
        ("boolean-from-string('yes')", False),
        ("if(${age} >= 18, 'adult', 'minor')", "adult"),
        ("true()", True),
        # selects
        ("selected(${pets}, 'cat')", True),
        ("selected(${pets}, 'ca')", False),
        ("selected(${empty}, 'cat')", False),
        ("count-selected(${pets})", 2.0),
        ("count-selected(${empty})", 0.0),
        ("selected-at(${pets}, 1)", "cat"),
        ("selected-at(${pets}, 5)", ""),
        ("jr:choice-name('dog', '${pets}')", "Dog"),
        ("jr:choice-name(${empty}, '${pets}')", ""),
        # strings
        ("concat('a', 1, true(), ${empty}, 2.5)", "a1true2.5"),
        ("concat(${names})", "abc"),
        ("join(', ', ${names})", "a, b, c"),
        ("coalesce(${empty}, 'fallback')", "fallback"),
        ("coalesce(${name}, 'fallback')", "Ann Smith"),
        ("string(1.0)", "1"),
        ("string(0.1 + 0.2)", "0.30000000000000004"),
        ("string(1 div 0)", "Infinity"),
        ("string(number('x'))", "NaN"),
        ("string-length(${name})", 9.0),
        ("substr('abcdef', 1, 3)", "bc"),
        ("substr('abcdef', 2)", "cdef"),
        ("substring('12345', 2, 3)", "234"),
        ("substring-before('1999/04/01', '/')", "1999"),
        ("substring-after('1999/04/01', '/')", "04/01"),
        ("contains(${name}, 'Smi')", True),
        ("starts-with(${name}, 'Ann')", True),
        ("ends-with(${name}, 'th')", True),
        ("normalize-space('  a   b ')", "a b"),
        ("translate('bar', 'abc', 'ABC')", "BAr"),
        ("translate('--aaa--', 'abc-', 'ABC')", "AAA"),
        ("regex('abc123', '[0-9]+')", True),
        ("regex('abc', '^[0-9]+$')", False),
        # numbers
        ("number('12.5')", 12.5),
        ("number(' 7 ')", 7.0),
        ("int(3.9)", 3.0),
        ("int(-3.9)", -3.0),
        ("round(2.5)", 3.0),
        ("round(-2.5)", -2.0),
        ("round(3.14159, 2)", 3.14),
        ("round(-1.005, 1)", -1.0),
        ("abs(-4)", 4.0),
        ("pow(2, 10)", 1024.0),
        ("sqrt(16)", 4.0),
        ("string(sqrt(-1))", "NaN"),
        ("log(1)", 0.0),
        ("exp(0)", 1.0),
        ("min(${ages})", 3.0),
        ("max(${ages}, 100)", 100.0),
        ("string(min(${empty}))", "NaN"),
        ("sum(${ages})", 50.0),
        ("string(sum(${blank_set}))", "NaN"),
        ("count(${ages})", 3.0),
        ("floor(2.7)", 2.0),
        ("ceiling(2.1)", 3.0),
        # dates and times
        ("today()", dt.date(2024, 3, 5)),
        ("now()", NOW),
        ("decimal-date-time('1970-01-02')", 1.0),
        ("decimal-date-time('1970-01-01T12:00:00')", 0.5),
        ("date(19787)", dt.date(2024, 3, 5)),
        ("format-date(date('2024-03-05'), '%Y-%m-%d')", "2024-03-05"),
        ("format-date('2024-03-05', '%e %b %Y, %a')", "5 Mar 2024, Tue"),
        ("format-date('2024-01-09', '%y/%n/%d')", "24/1/09"),
        ("format-date(${when}, '%H:%M:%S %h')", "08:30:00 8"),
        ("format-date-time(${when}, '%Y-%m-%d %H:%M')", "2024-03-05 08:30"),
        ("format-date(${empty}, '%Y')", ""),
        ("today() + 1", 19788.0),
        ("format-date(today() + 1, '%Y-%m-%d')", "2024-03-06"),
        ("decimal-time('06:00:00')", 0.25),
        # the current node
        (". > 3", True),
        ("string-length(.)", 1.0),
        ("once(concat('x', 'y'))", "5"),
    ],
)
def test_documented_values(text: str, expected: object) -> None:
    value = ev(text, current="5")
    if expected == "nan":
        assert isinstance(value, float) and math.isnan(value)
    else:
        assert value == expected
        assert type(value) is type(expected)


def test_once_computes_when_empty() -> None:
    assert ev("once(concat('x', 'y'))", current="") == "xy"


def test_uuid_shapes() -> None:
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", ev("uuid()")
    )
    assert re.fullmatch(r"[A-Za-z0-9]{6}", ev("uuid(6)"))
    assert ev("uuid()") != ev("uuid()")


def test_references_and_functions() -> None:
    expr = parse("if(selected(${a}, 'x'), ${b} + 1, jr:choice-name(${c}, '${c}'))")
    assert expr.references() == {"a", "b", "c"}
    assert expr.functions() == {"if", "selected", "jr:choice-name"}
    assert parse("../x + /data/g/y + .").path_names() == {"x", "y"}
    assert parse("count(${rep_field}) > 0").references() == {"rep_field"}


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("", 0, "empty expression"),
        ("1 +", 3, "expected a value"),
        ("iff(1, 2, 3)", 0, "unknown function iff()"),
        ("if(1, 2)", 0, "if() takes 3 argument(s), got 2"),
        ("concat('a'", 10, "expected ')'"),
        ("${a", 0, "malformed ${...} reference"),
        ("'abc", 0, "unterminated string"),
        ("1 2", 2, "unexpected text after the expression"),
        ("${a} # 2", 5, "unexpected character '#'"),
        ("selected(${a})", 0, "selected() takes 2"),
    ],
)
def test_syntax_errors_say_what_and_where(text: str, position: int, fragment: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.position == position
    assert fragment in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "text",
    [
        "${x} - 1",
        "count-selected(${a})",
        "/data/group/q = 'x'",
        "position(..) = 1",
        "${a} div 2 mod 3",
        "a/b[c = 1]",
        "instance('list')/root/item[name = ${x}]/label",
        "not(${a}) and (${b} or -${c} > 2)",
        "@id",
        "${a}|${b}",
    ],
)
def test_valid_syntax_parses(text: str) -> None:
    parse(text)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("pulldata('f', 'a', 'b', 'c')", "unsupported"),
        ("regex('a', '(')", "bad pattern"),
        ("date('not a date')", "is not a date"),
        ("${missing}", "unknown reference"),
        ("position(..)", "repeat"),
    ],
)
def test_runtime_errors_are_evaluation_errors(text: str, fragment: str) -> None:
    with pytest.raises(EvaluationError, match=re.escape(fragment)):
        ev(text)


def test_node_set_string_is_first_node() -> None:
    assert to_string(NodeSet(("x", "y"))) == "x"
    assert to_string(NodeSet()) == ""


def test_parse_is_cached() -> None:
    assert parse("${a} + 1") is parse("${a} + 1")
