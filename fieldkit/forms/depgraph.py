"""The dependency graph of a form's expressions, built once per form.

Nodes are field names (names are unique in an XLSForm). An edge A -> B means "B must be
recomputed when A changes": B's relevant/calculation/repeat_count/read_only/choice_filter
reads A, A is B's `trigger`, or A is the group B sits in (relevance is inherited). The Interview walks only the
part of the graph downstream of a change, in topological order, so answering one question
costs what depends on it, not the size of the form. Cycles (which ODK Validate refuses) do not
crash anything: strongly connected parts are ordered by form order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from fieldkit.forms.expr import Expr, ExpressionError, parse
from fieldkit.forms.model import Form, Node

# Expressions recomputed incrementally (constraint and required are checked on demand).
LIVE_ATTRIBUTES = ("relevant", "calculation", "repeat_count", "read_only")


@dataclass
class NodeExprs:
    """The parsed expressions of one survey row, and the syntax errors among them."""

    relevant: Expr | None = None
    calculation: Expr | None = None
    constraint: Expr | None = None
    required: Expr | None = None
    read_only: Expr | None = None
    repeat_count: Expr | None = None
    choice_filter: Expr | None = None
    default: Expr | None = None
    trigger: Expr | None = None
    errors: dict[str, str] = field(default_factory=dict)


def _parse(text: str | None, attribute: str, errors: dict[str, str]) -> Expr | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        return parse(str(text))
    except ExpressionError as exc:
        errors[attribute] = f"{attribute}: {exc}"
        return None


def node_exprs(node: Node) -> NodeExprs:
    result = NodeExprs()
    for attribute in (
        "relevant",
        "calculation",
        "constraint",
        "required",
        "read_only",
        "repeat_count",
        "choice_filter",
        "trigger",
    ):
        setattr(result, attribute, _parse(getattr(node, attribute), attribute, result.errors))
    result.default = dynamic_default(node.default)
    return result


def dynamic_default(text: str | None) -> Expr | None:
    """A default is an expression only when it reads something (${x}, a function); else a
    literal, as pyxform decides (so `yes` or `2024-01-01` stay plain values)."""
    if not text:
        return None
    try:
        expr = parse(str(text))
    except ExpressionError:
        return None
    if expr.references() or expr.functions():
        return expr
    return None


def expr_dependencies(expr: Expr | None, *, bare_names_are_fields: bool = True) -> set[str]:
    if expr is None:
        return set()
    names = expr.references()
    if bare_names_are_fields:
        names |= expr.path_names()
    return names


@dataclass
class DependencyGraph:
    exprs: dict[str, NodeExprs]
    order: dict[str, int]  # topological position of each name
    value_dependents: dict[str, tuple[str, ...]]  # names whose expressions read this name
    children: dict[str, tuple[str, ...]]  # a container's direct children
    graph: nx.DiGraph
    triggered_by: dict[str, tuple[str, ...]] = field(default_factory=dict)  # trigger -> fields

    def dependents_of(self, name: str) -> tuple[str, ...]:
        return self.value_dependents.get(name, ())


def build(form: Form) -> DependencyGraph:
    """Parse every expression once and order the fields so dependents come after their inputs."""
    nodes = list(form.walk())
    names = {node.name for node in nodes}
    graph: nx.DiGraph = nx.DiGraph()
    exprs: dict[str, NodeExprs] = {}
    value_dependents: dict[str, set[str]] = {}
    for position, node in enumerate(nodes):
        graph.add_node(node.name, position=position)
    triggered_by: dict[str, set[str]] = {}
    for node in nodes:
        info = exprs[node.name] = node_exprs(node)
        for dep in expr_dependencies(info.trigger):
            if dep in names and dep != node.name:
                graph.add_edge(dep, node.name)
                triggered_by.setdefault(dep, set()).add(node.name)
        for attribute in LIVE_ATTRIBUTES:
            if attribute == "calculation" and info.trigger is not None:
                continue  # a triggered calculation runs only when its trigger changes
            for dep in expr_dependencies(getattr(info, attribute)):
                if dep in names and dep != node.name:
                    graph.add_edge(dep, node.name)
                    value_dependents.setdefault(dep, set()).add(node.name)
        for dep in expr_dependencies(info.choice_filter, bare_names_are_fields=False):
            if dep in names and dep != node.name:
                value_dependents.setdefault(dep, set()).add(node.name)
        if node.parent is not None:
            graph.add_edge(node.parent.name, node.name)
    order = _topological_order(graph)
    children = {
        node.name: tuple(child.name for child in node.children) for node in nodes if node.children
    }
    return DependencyGraph(
        exprs=exprs,
        order=order,
        value_dependents={
            name: tuple(sorted(deps, key=order.__getitem__))
            for name, deps in value_dependents.items()
        },
        children=children,
        graph=graph,
        triggered_by={
            name: tuple(sorted(targets, key=order.__getitem__))
            for name, targets in triggered_by.items()
        },
    )


def _topological_order(graph: nx.DiGraph) -> dict[str, int]:
    """A topological order that tolerates cycles (each cycle kept together, in form order)."""
    condensed = nx.condensation(graph)
    order: dict[str, int] = {}
    for component in nx.lexicographical_topological_sort(
        condensed,
        key=lambda c: min(graph.nodes[n]["position"] for n in condensed.nodes[c]["members"]),
    ):
        members = sorted(
            condensed.nodes[component]["members"], key=lambda n: graph.nodes[n]["position"]
        )
        for name in members:
            order[name] = len(order)
    return order


def cycles(graph: DependencyGraph) -> list[list[str]]:
    """Circular references (ODK Validate refuses them); for the loader's checks."""
    return [sorted(c) for c in nx.simple_cycles(graph.graph)]
