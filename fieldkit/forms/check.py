"""fieldkit's own checks on a loaded form, reaching the verdicts of pyxform + ODK Validate.

pyxform checks the sheets as it reads them; ODK Validate (JavaRosa) then rejects what pyxform
lets through but cannot run: references to names that do not exist, expressions that do not
parse (bad_calc.xlsx in the corpus). fieldkit has no Java, so it makes those checks itself,
with fieldkit's own expression parser, and says where (sheet, row, column). It stays as
tolerant as JavaRosa: a name used in two different groups is only a warning, as it is there,
until an expression refers to it ambiguously.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import networkx as nx
from pyxform.utils import default_is_dynamic

from fieldkit.errors import FieldkitError, Problem
from fieldkit.forms.expr import ExpressionError, parse
from fieldkit.forms.expr.nodes import Path as PathNode
from fieldkit.forms.model import METADATA_TYPES, SELECT_TYPES, Form, Node

# ${name}, and ODK's ${last-saved#name} (the value from the last saved record).
_REFERENCE = re.compile(r"\$\{(?:last-saved#)?([^}]*)\}")
# Expression columns, as (Node attribute, XLSForm column name).
_EXPRESSION_COLUMNS = (
    ("relevant", "relevant"),
    ("constraint", "constraint"),
    ("calculation", "calculation"),
    ("required", "required"),
    ("read_only", "read_only"),
    ("choice_filter", "choice_filter"),
    ("repeat_count", "repeat_count"),
)
_TEXT_COLUMNS = (
    ("label", "label"),
    ("hint", "hint"),
    ("constraint_message", "constraint_message"),
    ("required_message", "required_message"),
)
_FROM_FILE = {"select_one_from_file", "select_multiple_from_file"}
# What JavaRosa computes as a graph (its "triggerables"): a cycle through these is refused.
# constraint, choice_filter, default and repeat_count are evaluated on demand, outside it.
_GRAPH_COLUMNS = (
    ("relevant", "relevant"),
    ("calculation", "calculation"),
    ("read_only", "read_only"),
    ("required", "required"),
)


@dataclass
class CheckResult:
    """A form that passed every check, with the warnings that did not stop it."""

    form: Form
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        nodes = list(self.form.walk())
        return {
            "questions": sum(1 for n in nodes if n.is_input),
            "calculations": sum(1 for n in nodes if n.type in ("calculate", "hidden")),
            "metadata": sum(1 for n in nodes if n.type in METADATA_TYPES),
            "groups": sum(1 for n in nodes if n.type == "group"),
            "repeats": sum(1 for n in nodes if n.type == "repeat"),
            "languages": len(self.form.languages),
            "warnings": len(self.warnings),
        }

    def summary(self) -> str:
        """One line for `forms check`: what the form holds and how many warnings it raised."""
        c = self.counts()
        version = f" v{self.form.version}" if self.form.version else ""
        langs = ", ".join(self.form.languages)

        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (
            f"{self.form.form_id}{version}: {n(c['questions'], 'question')}, "
            f"{n(c['groups'], 'group')}, {n(c['repeats'], 'repeat')}, "
            f"{n(c['languages'], 'language')}{f' ({langs})' if langs else ''}, "
            f"{n(c['warnings'], 'warning')}"
        )


def references(text: str | None) -> list[str]:
    """The names a text or expression refers to with ${...}."""
    return [m.strip() for m in _REFERENCE.findall(text or "")]


class _Checker:
    def __init__(self, form: Form):
        self.form = form
        self.file = form.source
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.nodes = list(form.walk())  # walked once: checks run on every load
        self.name_count = Counter(n.name for n in self.nodes if n.row is not None)
        self.names = {n.name for n in self.nodes}

    def problem(self, message: str, node: Node | None, column: str | None, sheet="survey"):
        self.problems.append(
            Problem(
                message,
                file=self.file,
                sheet=sheet,
                row=node.row if node else None,
                column=column,
                name=node.name if node else None,
            )
        )

    def check_references(self, text: str | None, node: Node | None, column: str, sheet="survey"):
        if not text or "${" not in text:
            return
        for name in references(text):
            if name not in self.names:
                self.problem(f"unknown reference ${{{name}}}", node, column, sheet)
            elif self.name_count[name] > 1 and not self.same_row_copies(name):
                self.problem(
                    f"ambiguous reference ${{{name}}}: more than one question has that name",
                    node,
                    column,
                    sheet,
                )

    def same_row_copies(self, name: str) -> bool:
        """Copies made from one authored row (a loop's groups) are one name, not a clash."""
        return len({n.row for n in self.nodes if n.name == name}) == 1

    def check_expression(self, text: str | None, node: Node | None, column: str, sheet="survey"):
        if not text:
            return
        try:
            parse(text)
        except ExpressionError as exc:
            self.problem(f"expression error: {exc}", node, column, sheet)

    def run(self) -> None:
        form = self.form
        for node in self.nodes:
            self.check_node(node)
        self.check_duplicates()
        if not self.problems:  # cycles are only meaningful once every expression parses
            self.check_cycles()
        instance_name = form.settings.get("instance_name")
        if instance_name:
            self.check_references(instance_name, None, "instance_name", "settings")
            self.check_expression(instance_name, None, "instance_name", "settings")
        for choice_list in form.choices.values():
            for choice in choice_list.choices:
                for lang, text in choice.label.items():
                    column = "label" if lang == "default" else f"label::{lang}"
                    for name in references(text):
                        if name not in self.names:
                            self.problems.append(
                                Problem(
                                    f"unknown reference ${{{name}}}",
                                    file=self.file,
                                    sheet="choices",
                                    column=column,
                                    name=f"{choice_list.name}/{choice.name}",
                                )
                            )

    def check_node(self, node: Node) -> None:
        for attr, column in _EXPRESSION_COLUMNS:
            text = getattr(node, attr)
            if not text or text == "true()":
                continue
            self.check_references(text, node, column)
            self.check_expression(text, node, column)
        if node.default:
            self.check_references(node.default, node, "default")
            if default_is_dynamic(node.default, node.type):
                self.check_expression(node.default, node, "default")
        if node.trigger:
            self.check_references(node.trigger, node, "trigger")
        for attr, column in _TEXT_COLUMNS:
            for lang, text in getattr(node, attr).items():
                col = column if lang == "default" else f"{column}::{lang}"
                self.check_references(text, node, col)
        if node.type in SELECT_TYPES and node.type not in _FROM_FILE:
            choice_list = self.form.choices.get(node.list_name or "")
            if choice_list is None or not choice_list.choices:
                self.problem(f"select list '{node.list_name}' has no choices", node, "type")

    def check_cycles(self) -> None:
        """Refuse circular logic as ODK Validate does ("Cycle detected in form's relevant and
        calculation logic"): a field whose relevant/calculation/read_only/required reads itself
        (`.` or its own name), or fields that read each other in a loop. A group passes its
        relevance on to what is inside it, so a group's relevant may not read its own children.
        """
        graph: nx.DiGraph = nx.DiGraph()
        self_reads: list[tuple[Node, str]] = []
        for node in self.nodes:
            in_graph = False
            for attr, column in _GRAPH_COLUMNS:
                text = getattr(node, attr)
                if not text or text == "true()":
                    continue
                if attr == "calculation" and node.trigger:
                    continue  # a triggered calculation is a one-off action, not a dependency
                in_graph = True
                reads, reads_current = _reads(text)
                if reads_current or node.name in reads:
                    self_reads.append((node, column))
                for name in reads:
                    if name != node.name and name in self.names:
                        graph.add_edge(name, node.name)
            if in_graph and node.is_container:
                # its relevance/read_only reaches everything inside it
                for inner in node.walk():
                    if inner is not node:
                        graph.add_edge(node.name, inner.name)
        for node, column in self_reads:
            self.problem(
                "circular reference: the expression reads the field it belongs to "
                "(ODK Collect refuses cycles in relevant, calculation, read_only and required)",
                node,
                column,
            )
        order = {node.name: index for index, node in enumerate(self.nodes)}
        by_name = {node.name: node for node in self.nodes}
        for component in nx.strongly_connected_components(graph):
            if len(component) < 2:
                continue
            members = sorted(component, key=order.__getitem__)
            self.problem(
                "circular reference between "
                + ", ".join(f"${{{name}}}" for name in members)
                + " (ODK Collect refuses cycles in relevant, calculation, read_only and required)",
                by_name[members[0]],
                None,
            )

    def check_duplicates(self) -> None:
        """Same container: refused (pyxform does too). Elsewhere: a warning, as in JavaRosa."""
        siblings: dict[int, Counter[str]] = defaultdict(Counter)
        containers = [None, *(n for n in self.form.walk() if n.is_container)]
        for container in containers:
            kids = self.form.children if container is None else container.children
            counts = Counter(k.name for k in kids)
            siblings[id(container)] = counts
            for kid in kids:
                if counts[kid.name] > 1:
                    self.problem(f"duplicate name '{kid.name}' in the same group", kid, "name")
                    counts[kid.name] = 0  # once per name
        by_name: dict[str, list[Node]] = defaultdict(list)
        for node in self.form.walk():
            if node.row is not None:
                by_name[node.name].append(node)
        for name, nodes in by_name.items():
            rows = sorted({n.row for n in nodes if n.row is not None})
            if len(rows) > 1:
                shown = ", ".join(str(r) for r in rows)
                self.warnings.append(f"the name '{name}' is used on rows {shown}")


@lru_cache(maxsize=4096)
def _reads(text: str) -> tuple[frozenset[str], bool]:
    """Field names an expression reads (${name}s, bare and relative paths like `../x`), and
    whether it reads its own field through `.`; one walk of the parsed tree, cached by text.
    """
    expr = parse(text)
    names = set(expr.references())
    reads_current = False
    for node in expr.tree.walk():  # the rules of Expr.path_names, in the same single walk
        if isinstance(node, PathNode) and node.base is None:
            if node.target_name:
                names.add(node.target_name)
            elif not node.absolute and node.steps == (".",):
                reads_current = True
    return frozenset(names), reads_current


def check_loaded(form: Form) -> CheckResult:
    """Run fieldkit's checks on a Form already read; refuse with every problem found."""
    checker = _Checker(form)
    checker.run()
    if checker.problems:
        raise FieldkitError(checker.problems)
    form.warnings.extend(checker.warnings)
    return CheckResult(form=form, warnings=list(form.warnings))


def check_form(path: str | Path) -> CheckResult:
    """Read, convert and check one XLSForm file: the verdict of `fieldkit forms check`."""
    from fieldkit.forms.load import read_form

    return check_loaded(read_form(path))
