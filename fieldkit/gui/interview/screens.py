"""The runner's stops over one interview, and how far along each is. No Qt here.

The engine's screens (a question, or a field-list group) plus, after each repeat the
fieldworker sizes, a prompt to add another. Relevance is re-filtered cheaply after each answer;
the full list is rebuilt only when repeat instances change, and a stop's status (answered,
unanswered, invalid) is recomputed only for the stops an answer touched, so a 2,000-question
form refreshes as fast as a short one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fieldkit.errors import FieldkitError
from fieldkit.forms.interview import Interview, Screen, make_key, split_key
from fieldkit.forms.model import METADATA_TYPES, Node

ANSWERED, UNANSWERED, INVALID = "answered", "unanswered", "invalid"
MARKS = {ANSWERED: "✓", UNANSWERED: "○", INVALID: "⚠"}
TITLE_LENGTH = 70
_OUTPUT = re.compile(r"\$\{([A-Za-z_][\w.-]*)\}")
_NOT_ANSWERABLE = frozenset({"note", "calculate", "hidden"}) | METADATA_TYPES


@dataclass(frozen=True)
class Entry:
    """A stop in the runner: an engine screen, or the add-another prompt of a repeat."""

    screen: Screen
    repeat: str | None = None  # the repeat key when this is a repeat prompt

    @property
    def key(self) -> str:
        return self.screen.key


def fill_outputs(engine: Interview, key: str, text: str) -> str:
    """${name} in a label shows that field's value (the nearest instance), as ODK does."""
    if "${" not in text:
        return text
    _, scope = split_key(key)

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        for depth in range(len(scope), -1, -1):
            try:
                found = engine.value(make_key(scope[:depth], name))
            except FieldkitError:
                continue
            if isinstance(found, list):
                return " ".join(found)
            return "" if found is None else str(found)
        return ""

    return _OUTPUT.sub(value, text)


def instance_suffix(key: str) -> str:
    """' [2]' for the second instance of a repeat (one per nesting level)."""
    _, scope = split_key(key)
    return "".join(f" [{index + 1}]" for _, index in scope)


class ScreenPlan:
    """Every stop (relevant or not), the relevant ones in order, and each one's status."""

    def __init__(self, engine: Interview):
        self.engine = engine
        self.nodes: dict[str, Node] = engine.form.nodes_by_name()
        self.all_entries: list[Entry] = []
        self.entries: list[Entry] = []  # the relevant ones: what Next walks
        self.index: dict[str, int] = {}  # entry key -> position in entries
        self.row: dict[str, int] = {}  # entry key -> position in all_entries
        self.entry_of: dict[str, str] = {}  # question key -> entry key
        self.status: dict[str, str] = {}
        self.visited: set[str] = set()
        self.shown: set[str] = set()  # question keys whose messages are on display
        self.rebuild()

    # -- the stops ---------------------------------------------------------------------
    def rebuild(self) -> None:
        """After repeat instances change; statuses already known are kept."""
        engine = self.engine
        by_key = {s.key: s for s in engine.screens()}
        entries: list[Entry] = []

        def walk(nodes: list[Node], scope: tuple) -> None:
            for node in nodes:
                key = make_key(scope, node.name)
                if node.type == "repeat":
                    for index in range(engine.repeat_count(key)):
                        walk(node.children, scope + ((node.name, index),))
                    if not node.repeat_count:
                        entries.append(Entry(Screen(key, ()), repeat=key))
                elif node.type == "group" and not node.field_list:
                    walk(node.children, scope)
                elif key in by_key:
                    entries.append(Entry(by_key[key]))

        walk(engine.form.children, ())
        self.all_entries = entries
        self.row = {e.key: row for row, e in enumerate(entries)}
        self.entry_of = {k: e.key for e in entries for k in e.screen.keys}
        self.status = {e.key: self.status[e.key] for e in entries if e.key in self.status}
        self.filter_relevant()

    def is_relevant(self, entry: Entry) -> bool:
        if entry.repeat:
            return self.engine.is_relevant(entry.repeat)
        return self.engine.screen_relevant(entry.screen)

    def filter_relevant(self) -> set[str]:
        """Re-filter after relevance changed; returns the entry keys that flipped."""
        before = set(self.index)
        self.entries = [e for e in self.all_entries if self.is_relevant(e)]
        self.index = {e.key: i for i, e in enumerate(self.entries)}
        for entry in self.entries:
            if entry.key not in self.status:
                self.status[entry.key] = self.compute_status(entry)
        return before ^ set(self.index)

    def entries_of(self, question_keys: set[str]) -> set[str]:
        return {self.entry_of[k] for k in question_keys if k in self.entry_of}

    def position_of(self, key: str | None) -> int | None:
        """The position in `entries` of a stop, or of the stop showing a question."""
        if key in self.index:
            return self.index[key]  # type: ignore[index]
        entry = self.entry_of.get(key or "")
        return self.index.get(entry) if entry else None

    def resume_index(self, position: str | None) -> int:
        """Where a stored position resumes; the stops before it count as visited."""
        index = self.position_of(position) or 0
        self.visited.update(e.key for e in self.entries[:index])
        return index

    # -- questions on a stop --------------------------------------------------------------
    def answerable(self, key: str) -> bool:
        node = self.nodes[split_key(key)[0]]
        return node.type not in _NOT_ANSWERABLE and not self.engine.is_read_only(key)

    def relevant_keys(self, entry: Entry) -> list[str]:
        return [k for k in entry.screen.keys if self.engine.is_relevant(k)]

    def problems(self, entry: Entry) -> dict[str, str]:
        return {} if entry.repeat else self.engine.messages(self.relevant_keys(entry))

    # -- status and titles -----------------------------------------------------------------
    def compute_status(self, entry: Entry) -> str:
        engine = self.engine
        if entry.repeat:
            return ANSWERED if engine.repeat_count(entry.repeat) else UNANSWERED
        answerable = [k for k in self.relevant_keys(entry) if self.answerable(k)]
        for key in answerable:
            if engine.value(key) is not None or key in self.shown:
                if engine.validate(key):
                    return INVALID
        if not answerable:
            return ANSWERED if entry.key in self.visited else UNANSWERED
        return ANSWERED if any(engine.value(k) is not None for k in answerable) else UNANSWERED

    def update_status(self, key: str) -> None:
        entry = self.all_entries[self.row[key]]
        self.status[key] = self.compute_status(entry)

    def progress(self) -> tuple[int, int]:
        """(screens answered, relevant screens): repeat prompts are not screens."""
        screens = [e for e in self.entries if not e.repeat]
        done = sum(1 for e in screens if self.status.get(e.key) == ANSWERED)
        return done, len(screens)

    def repeat_label(self, repeat_key: str) -> str:
        return self.engine.label(repeat_key) or split_key(repeat_key)[0]

    def title(self, entry: Entry) -> str:
        """One line for the screen list: the question or group label, with instance numbers."""
        engine = self.engine
        if entry.repeat:
            count = engine.repeat_count(entry.repeat)
            return f"{self.repeat_label(entry.repeat)}: {count} entered"
        label = engine.label(entry.key) or split_key(entry.key)[0]
        text = " ".join(fill_outputs(engine, entry.key, label).split())
        if len(text) > TITLE_LENGTH:
            text = text[: TITLE_LENGTH - 2] + "…"
        return text + instance_suffix(entry.key)
