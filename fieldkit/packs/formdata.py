"""Interview data as tables: one table per form and one per repeat group, as KoboToolbox exports.

The Excel pack and the CSV export read the same tables, so a column never differs between the
two. A form's table has one row per finalized interview (uuid, site, round, fieldworker, dates,
then one column per question); a select_multiple question has its joined answer and also one
0/1 column per choice (`question/choice`), so analysts can count choices without parsing. A
repeat group's table has one row per instance, linked to its interview by the parent uuid.

Cells hold real types (int, float, date, datetime) so a spreadsheet can sum and sort them.
Sensitive questions (the XLSForm `sensitive` column, on the question or a group around it) are
left out unless the coordinator asks for personal data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from fieldkit.errors import FieldkitError
from fieldkit.forms.model import (
    ATTACHMENT_TYPES,
    DEFAULT_LANG,
    METADATA_TYPES,
    MULTI_TYPES,
    SELECT_TYPES,
    Form,
    Node,
)

# Columns every interview row starts with, before its questions.
BASE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("uuid", "text"),
    ("site", "text"),
    ("round", "text"),
    ("fieldworker", "text"),
    ("respondent_code", "text"),
    ("respondent_sector", "text"),
    ("language", "text"),
    ("form_version", "text"),
    ("started", "datetime"),
    ("finalized", "datetime"),
)
REPEAT_BASE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("parent_uuid", "text"),
    ("parent_instance", "text"),
    ("instance", "number"),
)
# Types that never hold an answer worth a column.
_NO_COLUMN = frozenset({"note"})
_NUMBER_TYPES = frozenset({"integer", "decimal", "range"})
_KEY_STEP = re.compile(r"^(?P<name>[^\[/]+)\[(?P<index>\d+)\]$")


@dataclass(frozen=True)
class ExportOptions:
    """What the coordinator chose in the Export dialog (or on the command line)."""

    labels: bool = True  # choice labels (True) or choice values (False)
    language: str | None = None  # a form language ("English (en)", "en" or "English")
    include_personal_data: bool = False


DEFAULT_OPTIONS = ExportOptions()


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # "text", "number", "date", "datetime", "flag"
    question: str | None = None  # the question's name, None for the base columns
    choice: str | None = None  # for the 0/1 column of one select_multiple choice


@dataclass
class TableSpec:
    """One output table: a form's interviews, or one repeat group's instances."""

    name: str  # unique, safe as a sheet or file name stem
    title: str
    columns: list[Column]
    repeat: tuple[str, ...] = ()  # the repeat names from the top, empty for the form table


@dataclass
class _Question:
    node: Node
    form: Form  # the version the node was taken from (for its choices)
    repeats: tuple[str, ...]  # enclosing repeat names, outermost first


def is_sensitive(node: Node) -> bool:
    """A question is sensitive when it, or any group or repeat around it, is marked so."""
    current: Node | None = node
    while current is not None:
        if current.sensitive:
            return True
        current = current.parent
    return False


def resolve_language(form: Form, wanted: str | None) -> str | None:
    """The form's own language name for "English (en)", "en" or "English"; None for default."""
    if not wanted:
        return form.default_language or (form.languages[0] if form.languages else None)
    if not form.languages or wanted in form.languages:
        return wanted
    folded = wanted.strip().casefold()
    for lang in form.languages:
        name, _, code = lang.partition("(")
        if folded in (name.strip().casefold(), code.rstrip(")").strip().casefold()):
            return lang
    raise FieldkitError(
        f"form '{form.form_id}' has no language '{wanted}' (it has: {', '.join(form.languages)})"
    )


def _repeat_names(node: Node) -> tuple[str, ...]:
    names: list[str] = []
    current = node.repeat
    while current is not None:
        names.append(current.name)
        current = current.repeat
    return tuple(reversed(names))


def _exported(node: Node, include_personal_data: bool) -> bool:
    if node.is_container or node.type in _NO_COLUMN:
        return False
    if not (node.is_input or node.type in ("calculate", "hidden") or node.type in METADATA_TYPES):
        return False
    return include_personal_data or not is_sensitive(node)


def _kind(node: Node) -> str:
    if node.type in _NUMBER_TYPES:
        return "number"
    if node.type in ("date", "today"):
        return "date"
    if node.type in ("dateTime", "start", "end"):
        return "datetime"
    return "text"


def _sheet_safe(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", text)


class FormTables:
    """The tables of one form (all its imported versions), and the rows of each interview.

    Columns come from the newest version first, then any question only older versions have, so
    interviews from every version line up under one header.
    """

    def __init__(self, versions: Sequence[Form], options: ExportOptions = DEFAULT_OPTIONS):
        if not versions:
            raise FieldkitError("no form to export")
        self.form = versions[0]
        self.options = options
        self.language = resolve_language(self.form, options.language)
        questions: dict[tuple[tuple[str, ...], str], _Question] = {}
        repeats: dict[tuple[str, ...], Node] = {}
        for version in versions:
            for node in version.walk():
                if node.type == "repeat":
                    repeats.setdefault((*_repeat_names(node), node.name), node)
                elif _exported(node, options.include_personal_data):
                    key = (_repeat_names(node), node.name)
                    questions.setdefault(key, _Question(node, version, key[0]))
        self._questions = questions
        self._repeat_order = list(repeats)
        self._repeat_set = frozenset(repeats)
        self._by_table: dict[tuple[str, ...], list[_Question]] = {(): []}
        for path in self._repeat_order:
            self._by_table[path] = []
        for question in questions.values():
            self._by_table.setdefault(question.repeats, []).append(question)
        self.tables = [self._spec(())] + [self._spec(path) for path in self._repeat_order]
        # Per table, each question's answer key and its cell maker, decided once here so a
        # row of 150 answers costs one call per cell and no type tests or choice look-ups.
        self._plans: dict[tuple[str, ...], list[tuple[str, Callable[[Any], Any], bool]]] = {
            path: [(q.node.name, self._cell_maker(q), q.node.type in MULTI_TYPES) for q in qs]
            for path, qs in self._by_table.items()
        }
        seen: set[str] = set()
        for spec in self.tables:  # two repeats with one name in different groups
            if spec.name.casefold() in seen:
                spec.name = _sheet_safe("-".join((self.form.form_id, *spec.repeat)))
            seen.add(spec.name.casefold())

    # -- columns ----------------------------------------------------------------------------
    def _question_columns(self, question: _Question) -> list[Column]:
        node = question.node
        columns = [Column(node.name, _kind(node), node.name)]
        if node.type in MULTI_TYPES:
            for choice in self._choices(question):
                columns.append(Column(f"{node.name}/{choice}", "flag", node.name, choice))
        return columns

    def _choices(self, question: _Question) -> list[str]:
        listed = question.form.choices.get(question.node.list_name or "")
        return [c.name for c in listed.choices] if listed else []

    def _spec(self, path: tuple[str, ...]) -> TableSpec:
        base = BASE_COLUMNS if not path else REPEAT_BASE_COLUMNS
        columns = [Column(name, kind) for name, kind in base]
        taken = {name for name, _ in base}
        for question in self._by_table.get(path, []):
            for column in self._question_columns(question):
                if column.header in taken:  # a question named like a base column, e.g.
                    # respondent_code asked again: keep both, but never two equal headers
                    column = replace(column, header=f"{column.header} (answer)")
                taken.add(column.header)
                columns.append(column)
        name = _sheet_safe(self.form.form_id if not path else f"{self.form.form_id}-{path[-1]}")
        title = self.form.title if not path else f"{self.form.title}: {path[-1]}"
        return TableSpec(name=name, title=title, columns=columns, repeat=path)

    # -- cells ------------------------------------------------------------------------------
    def _chooser(self, question: _Question) -> Callable[[str], Any]:
        """A choice's cell: its label in the chosen language, or its value (a number when it
        is one), from a table built once per question."""
        listed = question.form.choices.get(question.node.list_name or "")
        choices = listed.choices if listed else []
        if self.options.labels:
            labels = {c.name: c.text(self.language) for c in choices}
            return lambda value: labels.get(value, value)
        return _code

    def _cell_maker(self, question: _Question) -> Callable[[Any], Any]:
        """The function from a stored answer to its cell (to its cells, for select_multiple)."""
        node = question.node
        choose = self._chooser(question)
        if node.type in MULTI_TYPES:
            names = self._choices(question)
            separator = "; " if self.options.labels else " "
            blank = [None] * (len(names) + 1)

            def multi(value: Any) -> list[Any]:
                if value is None:
                    return blank
                chosen = value if isinstance(value, list) else str(value).split()
                joined = separator.join(str(choose(str(v))) for v in chosen)
                return [joined, *[int(name in chosen) for name in names]]

            return multi
        if node.type in SELECT_TYPES:

            def select(value: Any) -> Any:
                if value is None:
                    return None
                if isinstance(value, list):  # rank
                    return " ".join(str(choose(str(v))) for v in value)
                return choose(str(value))

            return select
        if node.type in _NUMBER_TYPES:
            return lambda value: None if value is None else _number(value)
        if node.type in ("date", "today"):
            return lambda value: None if value is None else _date(value)
        if node.type in ("dateTime", "start", "end"):
            return _datetime
        if node.type in ATTACHMENT_TYPES:
            return lambda value: None if value is None else str(value)
        return _plain

    # -- rows -------------------------------------------------------------------------------
    def rows(self, interview: Any, answers: dict[str, Any]) -> Iterator[tuple[int, list[Any]]]:
        """(table index, row) for the interview and each of its repeat instances."""
        main = [
            interview.id,
            interview.site_name,
            interview.round_name,
            interview.fieldworker_name,
            interview.respondent_code,
            interview.respondent_sector,
            interview.language,
            getattr(interview, "form_version", None),
            _datetime(interview.created),
            _datetime(interview.finalized),
        ]
        for name, cell, multi in self._plans[()]:
            if multi:
                main.extend(cell(answers.get(name)))
            else:
                main.append(cell(answers.get(name)))
        yield 0, main
        if len(self.tables) == 1:
            return
        instances = _instances(answers, self._repeat_set)
        for index, path in enumerate(self._repeat_order, start=1):
            for scope in instances.get(path, ()):
                prefix = "".join(f"{name}[{i}]/" for name, i in scope)
                parent = "".join(f"{name}[{i}]/" for name, i in scope[:-1]).rstrip("/")
                row: list[Any] = [interview.id, parent or None, scope[-1][1] + 1]
                for name, cell, multi in self._plans[path]:
                    if multi:
                        row.extend(cell(answers.get(prefix + name)))
                    else:
                        row.append(cell(answers.get(prefix + name)))
                yield index, row


def _instances(
    answers: dict[str, Any], repeats: frozenset[tuple[str, ...]]
) -> dict[tuple[str, ...], list[tuple[tuple[str, int], ...]]]:
    """Every repeat instance the answer keys mention, by repeat path, in order."""
    found: dict[tuple[str, ...], set[tuple[tuple[str, int], ...]]] = {}
    for key, value in answers.items():
        steps = key.split("/")
        scope: list[tuple[str, int]] = []
        for step in steps[:-1]:
            match = _KEY_STEP.match(step)
            if not match:
                break
            scope.append((match["name"], int(match["index"])))
            found.setdefault(tuple(n for n, _ in scope), set()).add(tuple(scope))
        # A repeat's own key holds its instance count ("rep" or "rep[0]/inner").
        path = tuple(n for n, _ in scope) + (steps[-1],)
        if path in repeats and isinstance(value, int) and len(scope) == len(steps) - 1:
            for i in range(min(value, 1000)):
                found.setdefault(path, set()).add((*scope, (steps[-1], i)))
    return {
        path: sorted(scopes, key=lambda s: tuple(i for _, i in s)) for path, scopes in found.items()
    }


def _code(value: str) -> int | str:
    """A choice value as Excel should hold it: a number when it is a short run of digits."""
    return int(value) if value.isdigit() and len(value) < 10 else value


def _plain(value: Any) -> Any:
    """A text (or calculated) answer: numbers stay numbers, anything else becomes text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)


def _number(value: Any) -> int | float | str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def _date(value: Any) -> dt.date | str:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)


def _datetime(value: Any) -> dt.datetime | str | None:
    """A naive UTC datetime (Excel has no time zones); None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        stamp = value
    else:
        try:
            stamp = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return str(value)
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return stamp


@dataclass
class FormExport:
    """One form's tables and where its rows come from (the store, or a benchmark's iterator)."""

    tables: FormTables
    interviews: Iterable[tuple[Any, dict[str, Any]]]  # (InterviewRow-like, answers)
    count: int = 0  # how many interviews, for progress
    extra: dict[str, Any] = field(default_factory=dict)


def codebook_rows(
    form: Form, options: ExportOptions, languages: Sequence[str]
) -> Iterator[list[Any]]:
    """Every question of a form: name, type, labels per language, choices, relevance, indicator.

    `languages` are the label columns of the sheet (codebook_languages), shared by every form.
    """
    for node in form.walk():
        if node.type in ("group",) and not node.label:
            continue
        listed = form.choices.get(node.list_name or "")
        choices = (
            "; ".join(f"{c.name} = {c.text(form.default_language)}" for c in listed.choices)
            if listed
            else ""
        )
        yield [
            form.form_id,
            "/".join(node.path),
            node.name,
            node.type + (f" {node.list_name}" if node.list_name else ""),
            *[node.label.get(lang, "") for lang in languages],
            choices,
            node.relevant or "",
            node.extra.get("indicator", "") or "",
            "yes" if is_sensitive(node) else "",
            "left out"
            if (is_sensitive(node) and not options.include_personal_data)
            else ("" if node.is_container or node.type in _NO_COLUMN else "exported"),
        ]


def codebook_languages(forms: Iterable[Form]) -> list[str]:
    languages: list[str] = []
    for form in forms:
        for lang in form.languages or [DEFAULT_LANG]:
            if lang not in languages:
                languages.append(lang)
    return languages


def codebook_header(languages: Sequence[str]) -> list[str]:
    return (
        ["form", "path", "name", "type"]
        + [f"label ({lang})" for lang in languages]
        + ["choices", "relevant", "indicator", "sensitive", "in this pack"]
    )
