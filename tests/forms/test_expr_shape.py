"""Load-time verdicts by shape agree with the full parse of every text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.forms.expr import ExpressionError, parse
from fieldkit.forms.expr.nodes import Binary, Path
from fieldkit.forms.expr.shape import examine, mentions, shape_of, survey

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


def _batch_agrees(texts: list[str]) -> None:
    """survey() of a batch says what examine() of each of its texts says, or declines."""
    batch = survey(texts)
    if batch is None:
        return
    found = [examine(text) for text in texts]
    assert batch.parses == all(f is not None for f in found), texts
    if not batch.parses:
        return
    assert batch.mentions == {name for f in found for name in f.mentions}, texts
    if batch.plain:
        for text, f in zip(texts, found, strict=True):
            assert not (f.reads_current or f.union or f.filter_path), text
            assert f.names == frozenset(f.mentions), text


# Mostly well-formed expressions, so batches that parse are common (random pieces rarely do).
_TERMS = st.sampled_from(
    ["${a}", "${ b }", "${c}", "1", "2.5", "'x'", "'${a}'", "'it'", "''", ".", "../x",
     "/data/q", "${last-saved#a}", '"y"', "x ${a}", "${a'}"]
)  # fmt: skip
_EXPRESSIONS = st.recursive(
    _TERMS,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([" = ", " != ", " > ", " and ", " or ", " | ", " + ",
                                          " div ", "="]), inner).map("".join),
        st.tuples(st.sampled_from(["selected(", "not(", "count-selected(", "jr:choice-name(",
                                   "concat("]), inner).map(lambda p: f"{p[0]}{p[1]})"),
        st.tuples(st.just("selected("), inner, st.just(", "), inner, st.just(")")).map("".join),
    ),
    max_leaves=6,
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(_TEXTS, max_size=6))
def test_a_batch_is_judged_as_its_texts_are(texts):
    _batch_agrees(texts)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.one_of(_EXPRESSIONS, _TEXTS), max_size=8))
def test_a_batch_of_mostly_sound_expressions_is_judged_as_its_texts_are(texts):
    _batch_agrees(texts)


@pytest.mark.parametrize(
    "texts",
    [
        ["${a} = 'x", "y' = ${b}"],  # an unclosed string does not reach the next text
        ["${a", "b} = 1"],  # nor does an unclosed reference
        ["${a} = '", "'"],
        ["x = '$", "{a}'"],
        ["${a'b}", "'c'"],
        ["${a} > 1", "${b} > 1", "${a} | ${b}"],
        ["${a} > 1", ". > 2"],
        ["jr:choice-name(${a}, '${b}')"],
        ["${a} = 1", "${a} = = 1"],
        ["${a}\x00", "1"],
        [],
    ],
)
def test_batches_agree_on_the_tricky_cases(texts):
    _batch_agrees(texts)


def test_a_usual_batch_is_decided_in_bulk():
    batch = survey(["${a} > 2", "selected(${b}, 'c') and ${a} != 5", "${c} = 'it'"])
    assert batch == (True, frozenset({"a", "b", "c"}), True)
    assert survey(["${a} > 2", ". > ${b}"]).plain is False
    assert survey(["${a} > 2", "${b} = = 1"]).parses is False
