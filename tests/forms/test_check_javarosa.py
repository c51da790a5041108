"""Where JavaRosa's tolerance is odd, fieldkit follows it (verdicts taken from ODK Validate).

Each case below was run through pyxform + ODK Validate (the jar pyxform ships); the same
cases are re-checked against it in test_check_oracle.py where Java is installed. These tests
hold the verdicts without Java.
"""

from __future__ import annotations

import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.errors import FieldkitError
from fieldkit.forms.check import check_form, strongly_connected
from fieldkit.forms.expr import EvaluationError, MappingContext, NodeSet, evaluate, parse
from fieldkit.forms.expr.nodes import FILTER_UNSUPPORTED, UNION_UNSUPPORTED, Path

HEADER = ["type", "name", "label", "relevant", "constraint", "required"]


def verdict(write_form, column: str, expression: str) -> list[str]:
    row = {"type": "integer", "name": "q", "label": "Q", column: expression.replace("|", "\\|")}
    path = write_form(
        HEADER,
        [["integer", "a", "A"], ["integer", "b", "B"], [row.get(h, "") for h in HEADER]],
    )
    try:
        check_form(path)
    except FieldkitError as exc:
        return [p.message for p in exc.problems]
    return []


@pytest.mark.parametrize(
    "text", ["not ${a}", "${a} ${b}", ".. ${a}", "* ${a}", "x[1] ${a}", "${a}[1] ${b}"]
)
def test_a_reference_after_a_path_step_continues_the_path(text):
    # pyxform writes ${a} as /data/a: JavaRosa reads `not /data/a` as the path not/data/a
    expr = parse(text)
    [path] = [n for n in expr.tree.walk() if isinstance(n, Path)]
    assert path.steps[-1].startswith("${") and not path.filter_base
    assert path.target_name is None  # it names no field of the form


def test_such_a_path_reads_nothing_as_in_odk_collect():
    ctx = MappingContext({"a": "3", "b": "1"})
    assert evaluate(parse("not ${a}"), ctx) == NodeSet(())
    assert evaluate(parse("boolean(not ${a})"), ctx) is False
    assert evaluate(parse("not ${a} or ${b} = 1"), ctx) is True
    assert "a" not in parse("not ${a}").references()


@pytest.mark.parametrize("text", ["1 ${a}", "'x' ${a}", "today() ${a}", "(${a}) ${b}", "(${a})/x"])
def test_a_path_after_a_value_or_call_parses_but_cannot_be_evaluated(text):
    with pytest.raises(EvaluationError, match="unsupported construct"):
        evaluate(parse(text), MappingContext({"a": 1, "b": 2}))


def test_the_union_parses_but_cannot_be_evaluated():
    expr = parse("count(${a} | ${b})")
    with pytest.raises(EvaluationError) as caught:
        evaluate(expr, MappingContext({"a": 1, "b": 2}))
    assert str(caught.value) == UNION_UNSUPPORTED


@pytest.mark.parametrize(
    ("column", "expression", "refusal"),
    [
        ("relevant", "not ${a}", None),
        ("relevant", "not ${a} and ${b} > 1", None),
        ("constraint", "not ${a}", None),
        ("relevant", "${a} | ${a}", UNION_UNSUPPORTED),
        ("required", "count(${a} | ${b}) > 0", UNION_UNSUPPORTED),
        ("relevant", "false() and count(${a} | ${b}) > 0", None),  # never evaluated
        ("relevant", "if(false(), count(${a} | ${b}), 0) > 0", None),
        ("constraint", "${a} | ${a}", None),  # not evaluated on the blank form
        ("relevant", "1 ${a}", FILTER_UNSUPPORTED),
        ("relevant", "(${a})/x", FILTER_UNSUPPORTED),
        ("relevant", "false() and (${a})/x = 1", FILTER_UNSUPPORTED),  # refused unevaluated
        ("constraint", "today() ${a}", None),
        ("relevant", "today() ${a} ${b}", FILTER_UNSUPPORTED),
    ],
)
def test_verdicts_of_odk_validate(write_form, column, expression, refusal):
    problems = verdict(write_form, column, expression)
    assert problems == ([refusal] if refusal else [])


def test_refusal_says_where(write_form):
    path = write_form(HEADER, [["integer", "a", "A"], ["integer", "q", "Q", "${a} \\| ${a}"]])
    with pytest.raises(FieldkitError) as caught:
        check_form(path)
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.name) == (3, "relevant", "q")


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 30), st.integers(0, 80))
def test_strongly_connected_agrees_with_networkx(seed, nodes, edges):
    rng = random.Random(seed)
    graph: dict[str, set[str]] = {}
    reference = nx.DiGraph()
    for n in range(nodes):
        reference.add_node(str(n))
        graph.setdefault(str(n), set())
    for _ in range(edges):
        a, b = str(rng.randrange(nodes)), str(rng.randrange(nodes))
        graph[a].add(b)
        reference.add_edge(a, b)
    ours = {frozenset(c) for c in strongly_connected(graph)}
    assert ours == {frozenset(c) for c in nx.strongly_connected_components(reference)}


def test_strongly_connected_handles_a_long_chain_without_recursion():
    chain = {str(i): {str(i + 1)} for i in range(5000)}
    chain["5000"] = {"0"}
    [component] = strongly_connected(chain)
    assert len(component) == 5001
