"""fieldkit's own form model: what a loaded XLSForm *means*, independent of pyxform's JSON.

The loader (fieldkit.forms.load) builds it from pyxform's output; the Interview engine, the
GUI, the scoring and the packs read only this. Translatable texts are dicts keyed by the
XLSForm language name (e.g. "English (en)"); a form without language columns uses the single
key DEFAULT_LANG.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

DEFAULT_LANG = "default"

# Normalised question types (XLSForm spellings, aliases resolved by the loader).
INPUT_TYPES = frozenset(
    {
        "text",
        "integer",
        "decimal",
        "range",
        "select_one",
        "select_multiple",
        "select_one_from_file",
        "select_multiple_from_file",
        "rank",
        "note",
        "acknowledge",
        "date",
        "time",
        "dateTime",
        "geopoint",
        "geotrace",
        "geoshape",
        "image",
        "audio",
        "video",
        "file",
        "barcode",
    }
)
SELECT_TYPES = frozenset(
    {"select_one", "select_multiple", "select_one_from_file", "select_multiple_from_file", "rank"}
)
MULTI_TYPES = frozenset({"select_multiple", "select_multiple_from_file"})
ATTACHMENT_TYPES = frozenset({"image", "audio", "video", "file"})
GEO_TYPES = frozenset({"geopoint", "geotrace", "geoshape"})
VALUE_TYPES = frozenset({"calculate", "hidden"})
METADATA_TYPES = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "username",
        "audit",
        "phonenumber",
        "simserial",
        "subscriberid",
        "email",
        "start-geopoint",
        "background-audio",
    }
)
CONTAINER_TYPES = frozenset({"group", "repeat"})


@dataclass
class Choice:
    name: str
    label: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)  # other columns (filters, media...)

    def text(self, lang: str | None = None) -> str:
        return pick_text(self.label, lang) or self.name


@dataclass
class ChoiceList:
    name: str
    choices: list[Choice] = field(default_factory=list)

    def get(self, name: str) -> Choice | None:
        for choice in self.choices:
            if choice.name == name:
                return choice
        return None


@dataclass(init=False)
class Node:
    """A survey row: a question, a calculation, a metadata field, a group or a repeat.

    Built once per row on every load, so its constructor (below) stores only what it is
    given: a field left at its default reads the class's value, set when first assigned, and
    the texts most rows lack (hint, messages, parameters, extra columns) get their own empty
    dict when first read (see __getattr__).
    """

    name: str
    type: str
    label: dict[str, str] = field(default_factory=dict)
    hint: dict[str, str] = field(default_factory=dict)
    required: str | None = None  # an expression; "true()" for a plain "yes"
    required_message: dict[str, str] = field(default_factory=dict)
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: dict[str, str] = field(default_factory=dict)
    calculation: str | None = None
    default: str | None = None
    choice_filter: str | None = None
    read_only: str | None = None
    trigger: str | None = None
    repeat_count: str | None = None
    appearance: str = ""
    parameters: dict[str, str] = field(default_factory=dict)
    list_name: str | None = None  # select types: the choice list (or the CSV file name)
    children: list[Node] = field(default_factory=list)  # groups and repeats
    row: int | None = None  # 1-based row on the survey sheet (header is row 1)
    extra: dict[str, str] = field(
        default_factory=dict
    )  # kept extra columns: sensitive, indicator...
    parent: Node | None = field(default=None, repr=False, compare=False)

    def __init__(
        self,
        name: str,
        type: str,  # the XLSForm column's name
        label: dict[str, str] | None = None,
        *,
        list_name: str | None = None,
        row: int | None = None,
        **fields: Any,
    ) -> None:
        self.name = name
        self.type = type
        self.label = {} if label is None else label
        self.children = []  # read by every walk of the form: made at once
        if list_name is not None:
            self.list_name = list_name
        if row is not None:
            self.row = row
        if fields:
            for key, value in fields.items():
                if key not in _NODE_FIELDS:
                    raise TypeError(f"Node() got an unexpected keyword argument '{key}'")
                setattr(self, key, value)

    def __getattr__(self, name: str) -> Any:
        """A dict field not yet set (only then does Python call this): its own empty dict,
        kept, so reading and then filling it works as it would on a dict made at once."""
        if name not in _LAZY_DICTS:
            raise AttributeError(f"'Node' object has no attribute '{name}'")
        value: dict[str, str] = {}
        self.__dict__[name] = value
        return value

    @property
    def is_container(self) -> bool:
        return self.type in CONTAINER_TYPES

    @property
    def is_input(self) -> bool:
        return self.type in INPUT_TYPES

    @property
    def sensitive(self) -> bool:
        return str(self.extra.get("sensitive", "")).strip().lower() in {"yes", "true", "1", "y"}

    @property
    def field_list(self) -> bool:
        return self.type == "group" and "field-list" in self.appearance.split()

    def text(self, lang: str | None = None) -> str:
        return pick_text(self.label, lang)

    def walk(self) -> Iterator[Node]:
        """This node and every descendant, in form order (a stack, not nested generators:
        forms are walked on every load, and deep nesting made each step cost its depth)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            if node.children:
                stack.extend(reversed(node.children))

    @property
    def path(self) -> tuple[str, ...]:
        names: list[str] = []
        node: Node | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return tuple(reversed(names))

    @property
    def repeat(self) -> Node | None:
        """The innermost repeat this node sits in (None at top level)."""
        node = self.parent
        while node is not None:
            if node.type == "repeat":
                return node
            node = node.parent
        return None


_NODE_FIELDS = frozenset(f.name for f in dataclasses.fields(Node))
_LAZY_DICTS = frozenset({"hint", "required_message", "constraint_message", "parameters", "extra"})


@dataclass
class Form:
    form_id: str
    title: str
    version: str = ""
    default_language: str | None = None
    languages: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    choices: dict[str, ChoiceList] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    source: str | None = None  # the file it was loaded from
    source_hash: str | None = None  # SHA-256 of that file
    warnings: list[str] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        """Every node, in form order."""
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            yield node
            if node.children:
                stack.extend(reversed(node.children))

    def nodes_by_name(self) -> dict[str, Node]:
        return {node.name: node for node in self.walk()}

    def node(self, name: str) -> Node:
        for node in self.walk():
            if node.name == name:
                return node
        raise KeyError(name)

    def questions(self) -> list[Node]:
        """Every non-container node, in form order."""
        return [n for n in self.walk() if not n.is_container]


def pick_text(texts: dict[str, str], lang: str | None) -> str:
    """The text in `lang`, else the default-language text, else any text, else ''."""
    if not texts:
        return ""
    if lang and texts.get(lang):
        return texts[lang]
    if texts.get(DEFAULT_LANG):
        return texts[DEFAULT_LANG]
    for value in texts.values():
        if value:
            return value
    return ""
