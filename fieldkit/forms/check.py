"""fieldkit's own checks on a loaded form, reaching the verdicts of pyxform + ODK Validate.

pyxform checks the sheets as it reads them; ODK Validate (JavaRosa) then rejects what pyxform
lets through but cannot run: references to names that do not exist, expressions that do not
parse (bad_calc.xlsx in the corpus). fieldkit has no Java, so it makes those checks itself,
with fieldkit's own expression parser, and says where (sheet, row, column). It stays as
tolerant as JavaRosa: a name used in two different groups is only a warning, as it is there,
until an expression refers to it ambiguously.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyxform.utils import default_is_dynamic

from fieldkit.errors import FieldkitError, Problem
from fieldkit.forms.check_facts import (
    TEXT_COLUMNS,
    FormFacts,
    facts_of,
    has_reference,
    text_cells,
)
from fieldkit.forms.expr import EvaluationError, ExpressionError, evaluate, parse, shape
from fieldkit.forms.expr.nodes import FILTER_UNSUPPORTED, UNION_UNSUPPORTED
from fieldkit.forms.model import METADATA_TYPES, Form, Node

# What JavaRosa computes as a graph (its "triggerables"): a cycle through these is refused.
# constraint, choice_filter, default and repeat_count are evaluated on demand, outside it.
_GRAPH_COLUMNS = frozenset({"relevant", "calculation", "read_only", "required"})


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
    return list(_reference_names(text or ""))


@lru_cache(maxsize=8192)
def _reference_names(text: str) -> tuple[str, ...]:
    """references(), cached by text like the parse itself: a form is checked on every load."""
    return shape.mentions(text)


class _Checker:
    def __init__(self, form: Form, facts: FormFacts | None = None):
        self.form = form
        self.file = form.source
        self.problems: list[Problem] = []
        self.problem_nodes: list[Node | None] = []  # the node of each problem, if any
        self.warnings: list[str] = []
        self.facts = facts = facts if facts is not None else facts_of(form)
        self.rows_by_name = rows_by_name = facts.rows_by_name  # names more than one node has
        self.names = facts.names
        self.ambiguous = {name for name, rows in rows_by_name.items() if len(set(rows)) > 1}
        # the reference problems of each distinct text (real forms repeat their conditions)
        self._reference_messages: dict[str, list[str]] = {}
        self._expression_messages: dict[str, list[str]] = {}  # the same, with syntax errors
        # graph expressions with a union, which JavaRosa parses but cannot evaluate
        self.unsupported: list[tuple[Node, str, str]] = []
        # (node, column, expression) of what JavaRosa computes as a graph, noted by check_node
        self.graph_cells: list[tuple[Node, str, str]] = []
        self.batch: shape.Batch | None = None  # what the expression cells read, taken together

    def problem(self, message: str, node: Node | None, column: str | None, sheet="survey"):
        self.problem_nodes.append(node)
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
        messages = self._reference_messages.get(text)
        if messages is None:
            messages = self._references_of(text)
        for message in messages:
            self.problem(message, node, column, sheet)

    def _expression_verdict(self, text: str) -> list[str]:
        """The problems of one expression cell, as check_references then check_expression
        find them: computed once per distinct text (real forms repeat their conditions)."""
        found = shape.examine(text)  # None: it does not parse (decided once per shape)
        names = found.mentions if found is not None else _reference_names(text)
        messages = self._reference_problems(names) if names else []
        if found is None:  # the message is the text's own
            try:
                parse(text)
            except ExpressionError as exc:
                messages.append(f"expression error: {exc}")
        return messages

    def _references_of(self, text: str) -> list[str]:
        messages = self._reference_messages[text] = self._reference_problems(_reference_names(text))
        return messages

    def _reference_problems(self, names: tuple[str, ...]) -> list[str]:
        messages = []
        for name in names:
            if name not in self.names:
                messages.append(f"unknown reference ${{{name}}}")
            elif name in self.ambiguous:
                messages.append(
                    f"ambiguous reference ${{{name}}}: more than one question has that name"
                )
        return messages

    def check_expression(self, text: str | None, node: Node | None, column: str, sheet="survey"):
        if not text:
            return
        try:
            parse(text)
        except ExpressionError as exc:
            self.problem(f"expression error: {exc}", node, column, sheet)

    def run(self) -> None:
        form = self.form
        self.check_nodes()
        self.check_duplicates()
        if not self.problems:  # cycles are only meaningful once every expression parses
            self.check_cycles()
        if not self.problems and self.unsupported:  # the engine needs a form that passed the rest
            self.check_unsupported_constructs()
        instance_name = form.settings.get("instance_name")
        if instance_name:
            self.check_references(instance_name, None, "instance_name", "settings")
            self.check_expression(instance_name, None, "instance_name", "settings")
        for choice_list in form.choices.values():
            for choice in choice_list.choices:
                for lang, text in choice.label.items():
                    if "${" not in text:
                        continue
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

    def check_nodes(self) -> None:
        """Expression cells, then defaults, triggers, ${} texts and select lists; problems in
        the order of the rows they are on."""
        cells = self.facts.cells
        self.graph_cells = [cell for cell in cells if cell[1] in _GRAPH_COLUMNS]
        if not self._cells_are_sound(cells):  # find which cells, and say why
            verdicts = self._expression_messages
            for node, column, text in cells:
                messages = verdicts.get(text)
                if messages is None:
                    messages = verdicts[text] = self._expression_verdict(text)
                for message in messages:
                    self.problem(message, node, column)
        for node in self.facts.details:
            self.check_details(node)
        if self.facts.selects:
            listed = {name for name, found in self.form.choices.items() if found.choices}
            for node in self.facts.selects:
                if (node.list_name or "") not in listed:
                    self.problem(f"select list '{node.list_name}' has no choices", node, "type")
        if self.problems:  # in form order, node by node (loop copies share a row)
            order = {id(node): index for index, node in enumerate(self.facts.nodes)}
            ranked = sorted(  # stable: a node's own problems stay in column order
                zip(self.problem_nodes, self.problems, strict=True),
                key=lambda pair: order.get(id(pair[0]), len(order)),
            )
            self.problem_nodes = [node for node, _ in ranked]
            self.problems = [problem for _, problem in ranked]

    def _cells_are_sound(self, cells: list[tuple[Node, str, str]]) -> bool:
        """The usual verdict, reached for all cells at once: every expression parses and names
        only fields that exist, once each."""
        batch = self.batch = shape.survey([text for _, _, text in cells])
        if batch is not None:
            mentioned: frozenset[str] | set[str] = batch.mentions
            if not batch.parses:
                return False
        else:
            mentioned = set()
            for _, _, text in cells:
                found = shape.examine(text)
                if found is None:
                    return False
                mentioned.update(found.mentions)
        return mentioned <= self.names and mentioned.isdisjoint(self.ambiguous)

    def check_details(self, node: Node) -> None:
        default = node.default
        if default:
            self.check_references(default, node, "default")
            if default_is_dynamic(default, node.type):
                self.check_expression(default, node, "default")
        if node.trigger:
            self.check_references(node.trigger, node, "trigger")
        # translated texts: a quick look for "${" first, as few labels hold a reference
        if (
            has_reference(node.label)
            or node.hint
            or node.constraint_message
            or node.required_message
        ):
            for column, texts in zip(TEXT_COLUMNS, text_cells(node), strict=False):
                for lang, text in texts.items():
                    if "${" in text:
                        col = column if lang == "default" else f"{column}::{lang}"
                        self.check_references(text, node, col)

    def check_cycles(self) -> None:
        """Refuse circular logic as ODK Validate does ("Cycle detected in form's relevant and
        calculation logic"): a field whose relevant/calculation/read_only/required reads itself
        (`.` or its own name), or fields that read each other in a loop. A group passes its
        relevance on to what is inside it, so a group's relevant may not read its own children.
        """
        graph: dict[str, set[str]] = defaultdict(set)  # name -> names that read it
        self_reads: list[tuple[Node, str]] = []
        containers: dict[int, Node] = {}
        # a triggered calculation is a one-off action, not a dependency
        cells = [c for c in self.graph_cells if not (c[1] == "calculation" and c[0].trigger)]
        # A cycle runs only through fields that read something (those inside a group with a
        # relevance read the group's): edges from any other field cannot close one.
        readers = {node.name for node, _, _ in cells}
        for container in self.facts.containers:  # a name too many only keeps an edge
            if container.name in readers:
                readers.update(inner.name for inner in container.walk() if inner is not container)
        batch = self.batch
        if (
            batch is not None
            and batch.plain
            and batch.mentions.isdisjoint(readers)
            and len(self.names) == len(self.facts.nodes)
        ):
            # Every cell reads only its ${references}, none of them a field that reads: no
            # edge, no self-read and no construct to refuse. A group's edges alone run down
            # its tree, and with every name used once (the graph is keyed by name) a tree
            # closes no cycle.
            return
        for node, column, text in cells:
            found = shape.examine(text)
            if found is None:  # unreachable: check_cycles runs once every expression parsed
                continue
            reads = found.names
            if found.filter_path:  # refused by JavaRosa's dependency analysis, evaluated or not
                self.problem(FILTER_UNSUPPORTED, node, column)
            elif found.union:  # refused by JavaRosa only when it is evaluated
                self.unsupported.append((node, column, text))
            if found.reads_current or node.name in reads:
                self_reads.append((node, column))
            for name in reads:
                if name != node.name and name in readers:
                    graph[name].add(node.name)
            if node.is_container:
                containers[id(node)] = node
        for container in containers.values():
            # its relevance/read_only reaches everything inside it
            for inner in container.walk():
                if inner is not container:
                    graph[container.name].add(inner.name)
        for node, column in self_reads:
            self.problem(
                "circular reference: the expression reads the field it belongs to "
                "(ODK Collect refuses cycles in relevant, calculation, read_only and required)",
                node,
                column,
            )
        cycles = [c for c in strongly_connected(_cyclable(graph)) if len(c) > 1]
        if not cycles:
            return
        nodes = list(self.form.walk())
        order = {node.name: index for index, node in enumerate(nodes)}
        by_name = {node.name: node for node in nodes}
        # in form order (the search's own order follows set iteration, which varies by run)
        for members in sorted(
            (sorted(component, key=order.__getitem__) for component in cycles),
            key=lambda members: order[members[0]],
        ):
            self.problem(
                "circular reference between "
                + ", ".join(f"${{{name}}}" for name in members)
                + " (ODK Collect refuses cycles in relevant, calculation, read_only and required)",
                by_name[members[0]],
                None,
            )

    def check_unsupported_constructs(self) -> None:
        """Refuse a union `|` where ODK Validate would evaluate it, as it does.

        JavaRosa parses `a | b` but cannot evaluate it ("unsupported construct"), and ODK
        Validate evaluates every relevant, calculation, read_only and required once on the
        blank form: a union reached then refuses the form, one behind `false() and ...` does
        not. So the same evaluation is made here, on the engine, for the few expressions that
        hold one. (A path after a filter expression, `(${a})/x`, is refused before any
        evaluation, by check_cycles, as JavaRosa's dependency analysis refuses it.)
        """
        from fieldkit.forms.interview import Interview
        from fieldkit.forms.interview_context import InstanceContext

        interview = Interview(self.form)
        for node, column, text in self.unsupported:
            try:
                evaluate(parse(text), InstanceContext(interview, node, ()))
            except EvaluationError as exc:
                if str(exc) == UNION_UNSUPPORTED:
                    self.problem(UNION_UNSUPPORTED, node, column)

    def check_duplicates(self) -> None:
        """Same container: refused (pyxform does too). Elsewhere: a warning, as in JavaRosa."""
        if len(self.names) == len(self.facts.nodes):
            return  # the usual form: every name once
        containers = [
            self.form.children,
            *(n.children for n in self.facts.containers if len(n.children) > 1),
        ]
        for kids in containers:
            if len(kids) < 2 or len({k.name for k in kids}) == len(kids):
                continue  # the common case: every name once
            counts = Counter(k.name for k in kids)
            for kid in kids:
                if counts[kid.name] > 1:
                    self.problem(f"duplicate name '{kid.name}' in the same group", kid, "name")
                    counts[kid.name] = 0  # once per name
        for name, rows in self.rows_by_name.items():
            if len(rows) > 1:
                distinct = sorted(set(rows))
                if len(distinct) > 1:
                    shown = ", ".join(str(r) for r in distinct)
                    self.warnings.append(f"the name '{name}' is used on rows {shown}")


def _cyclable(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The part of `graph` a cycle can lie in: nodes that are both read and read something.

    Most fields of a real form are only answered or only read, so this leaves little to search.
    """
    readers: set[str] = set()
    for successors in graph.values():
        readers |= successors
    keep = readers.intersection(graph)
    return {name: graph[name] & keep for name in keep}


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of `graph` (node -> successors): Tarjan's algorithm,
    iterative so a long chain of calculations cannot hit Python's recursion limit.

    A plain dict graph rather than networkx: the check runs on every form load, and building a
    networkx DiGraph for thousands of edges cost more than the whole search.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    empty: set[str] = set()
    counter = 0
    for root in list(graph):
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph.get(root, empty)))]
        while work:
            node, successors = work[-1]
            advanced = False
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(graph.get(succ, empty))))
                    advanced = True
                    break
                if succ in on_stack and index[succ] < low[node]:
                    low[node] = index[succ]
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[node] < low[parent]:
                    low[parent] = low[node]
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


def check_loaded(form: Form, facts: FormFacts | None = None) -> CheckResult:
    """Run fieldkit's checks on a Form already read; refuse with every problem found.

    `facts`: the form's FormFacts when the loader gathered them (else they are gathered here).
    """
    checker = _Checker(form, facts)
    checker.run()
    if checker.problems:
        raise FieldkitError(checker.problems)
    form.warnings.extend(checker.warnings)
    return CheckResult(form=form, warnings=list(form.warnings))


def check_form(path: str | Path, files: Mapping[str, bytes] | None = None) -> CheckResult:
    """Read, convert and check one XLSForm file: the verdict of `fieldkit forms check`.

    `files` (name -> bytes) supplies select_*_from_file CSVs kept apart from the form file.
    """
    from fieldkit.forms.load import build_form_and_facts
    from fieldkit.forms.xlsform_read import read_workbook

    with collector_paused():
        return check_loaded(*build_form_and_facts(read_workbook(path), files))


def clear_caches() -> None:
    """Forget every expression text and shape seen, so the next load is a first load.

    The checks cache by text (a form is checked on every load, and real forms repeat their
    conditions); the benchmark clears them to measure what a user's first load costs.
    """
    shape.clear_caches()
    _reference_names.cache_clear()
    parse.cache_clear()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while a form is read, converted and checked.

    Why: reading and building a big form allocates tens of thousands of small objects, and
    each allocation burst made the collector re-traverse everything alive (pyxform's JSON,
    the parsed expressions, the Form so far): on a 2,000-question form that was most of
    fieldkit's load time. pyxform's JSON is a tree that reference counting frees; the Form's
    parent links are cycles, but they live on. So the collector finds nothing to reclaim here,
    and it runs again once the form is built, over what is left.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
