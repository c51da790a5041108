"""What fieldkit's form checks read of each node, gathered in one pass (FormFacts).

A form is checked on every load. The loader (fieldkit.forms.load) gathers these facts while it
builds the nodes, so a load walks its nodes once; `facts_of` gathers the same from any Form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter

from fieldkit.forms.model import CONTAINER_TYPES, SELECT_TYPES, Form, Node

# Expression columns (XLSForm names, also the Node attributes), read in one attrgetter call:
# the checks run on every row of every form loaded.
EXPRESSION_COLUMNS = (
    "relevant",
    "constraint",
    "calculation",
    "required",
    "read_only",
    "choice_filter",
    "repeat_count",
)
_expression_cells = attrgetter(*EXPRESSION_COLUMNS)  # Node attributes share the names
TEXT_COLUMNS = ("label", "hint", "constraint_message", "required_message")
text_cells = attrgetter(*TEXT_COLUMNS)
_FROM_FILE = {"select_one_from_file", "select_multiple_from_file"}
CHECKED_SELECTS = SELECT_TYPES - _FROM_FILE  # their choices must be on the choices sheet
_NO_EXPRESSIONS = (None,) * len(EXPRESSION_COLUMNS)


def has_reference(texts: dict[str, str]) -> bool:
    """Whether any translation of a text holds a ${reference}."""
    for text in texts.values():
        if "${" in text:
            return True
    return False


@dataclass
class FormFacts:
    """What the checks read of a form's nodes, gathered in one pass over them.

    Only `note` decides what a node gives the checks, so the loader's facts and `facts_of`'s
    agree (tests/forms/test_form_facts.py).
    """

    nodes: list[Node] = field(default_factory=list)  # every node, in form order
    cells: list[tuple[Node, str, str]] = field(default_factory=list)  # expression cells
    details: list[Node] = field(default_factory=list)  # defaults, triggers, hints, ${} texts
    selects: list[Node] = field(default_factory=list)  # their choices must be on the sheet
    containers: list[Node] = field(default_factory=list)

    def add(self, node: Node, detailed: bool = True) -> None:
        """Count a node; `detailed=False` (from the loader) for a row it knows to be plain:
        no expression, default, trigger or ${} in its label, and not a select or container."""
        self.nodes.append(node)
        if detailed:
            self.note(node)

    @cached_property
    def names(self) -> set[str]:
        return {node.name for node in self.nodes}

    @cached_property
    def rows_by_name(self) -> dict[str, list[int]]:
        """The rows of each name more than one node has (most forms: none), in form order."""
        if len(self.names) == len(self.nodes):
            return {}
        rows: dict[str, list[int]] = {}
        for node in self.nodes:
            if node.row is not None:
                rows.setdefault(node.name, []).append(node.row)
        return {name: found for name, found in rows.items() if len(found) > 1}

    def note(self, node: Node) -> None:
        cells = _expression_cells(node)
        if cells != _NO_EXPRESSIONS:  # most rows hold no expression at all
            for column, text in zip(EXPRESSION_COLUMNS, cells, strict=False):
                if text and text != "true()":
                    self.cells.append((node, column, text))
        kind = node.type
        if kind in CONTAINER_TYPES:
            self.containers.append(node)
        if kind in CHECKED_SELECTS:
            self.selects.append(node)
        if (
            node.default
            or node.trigger
            or node.hint
            or node.constraint_message
            or node.required_message
            or has_reference(node.label)
        ):
            self.details.append(node)


def facts_of(form: Form) -> FormFacts:
    """The FormFacts of any Form, from one walk of its nodes."""
    facts = FormFacts()
    for node in form.walk():
        facts.add(node)
    return facts
