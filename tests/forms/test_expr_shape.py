"""Load-time verdicts by shape agree with the full parse of every text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.forms.expr import ExpressionError, parse
from fieldkit.forms.expr.nodes import Binary, Path
from fieldkit.forms.expr.shape import examine, mentions, shape_of

_PIECES = st.sampled_from(
    [*"abxy019 .,()[]/'\"${}-+*=!<>|@:_", "div", "mod", "and", "or", "${a}", "${b c}",
     "${ q1 }", "'${a}'", "'x'", '"y"', "if(", "selected(", "jr:choice-name(", "count(",
     "../", "/data/", "not(", "1.5", "${last-saved#a}", "${a}${b}", "$x", "${a'", "' '"]
)  # fmt: skip
_TEXTS = st.lists(_PIECES, max_size=25).map("".join)


def _full_reads(text: str):
    """What the checks read of an expression, from its own full parse (the reference)."""
    expr = parse(text)
    names = set(expr.references())
    reads_current = union = filter_path = False
    for node in expr.tree.walk():
        if isinstance(node, Binary) and node.op == "|":
            union = True
        elif isinstance(node, Path):
            filter_path = filter_path or node.filter_base
            if node.base is None:
                if node.target_name:
                    names.add(node.target_name)
                elif not node.absolute and node.steps == (".",):
                    reads_current = True
    return frozenset(names), reads_current, union, filter_path


def _agrees(text: str) -> None:
    found = examine(text)
    try:
        expected = _full_reads(text)
    except ExpressionError:
        assert found is None, text
        return
    assert found is not None, text
    assert (found.names, found.reads_current, found.union, found.filter_path) == expected, text
    assert found.mentions == mentions(text), text


@settings(max_examples=1500, deadline=None)
@given(_TEXTS)
def test_a_shape_parses_exactly_when_its_text_does(text):
    _agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        "${a'b} = 'x'",  # a quote inside a reference
        "${a'x y'} = 1",  # not a reference, until its string is made neutral
        "${a '}'",
        "jr:choice-name(${a}, '${b}')",  # a reference inside a string
        "concat('${a}', ${b})",
        "not ${a}",  # a reference continuing a path: not read
        "x ${a} = ${b}",
        '${a} = "it\'s"',
        "'${a}' = ${a",
        "${a} | ${b}",
        "../x = 'y'",
        ". > ${a}",
        "${last-saved#a} = ${a}",
        "${ a } = ${a b}",
    ],
)
def test_shapes_agree_on_the_tricky_cases(text):
    _agrees(text)


def test_references_and_strings_become_neutral_but_names_and_numbers_stay():
    assert shape_of("${age} >= 18 and selected(${consent}, 'yes')") == (
        "${_0} >= 18 and selected(${_1}, ' ')",
        ("age", "consent"),
    )
    assert shape_of("q1 + 'it''s'") == ("q1 + ' '' '", ())
    # a string holding a ${name} stays whole: jr:choice-name reads the name inside it
    assert shape_of("jr:choice-name(${a}, '${a}')") == ("jr:choice-name(${_0}, '${a}')", ("a",))


def test_texts_of_one_shape_share_one_parse():
    examine.cache_clear()
    from fieldkit.forms.expr import shape

    shape._analyse.cache_clear()
    for i in range(50):
        assert examine(f"${{q{i}}} = 'v{i}'").names == {f"q{i}"}
    assert shape._analyse.cache_info().misses == 1


def test_a_bad_text_is_refused_whatever_its_references_hold():
    assert examine("${a} = = 'x'") is None
    assert examine("${a} = 'x") is None
    assert examine("${a} = 'x'") is not None
