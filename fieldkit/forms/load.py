"""XLSForm file -> fieldkit Form: pyxform's reading, fieldkit's model.

pyxform decides what every cell means (aliases, languages, `or_other`, `table-list`, loops);
this module only re-expresses its JSON as fieldkit's Form, adding what the JSON lacks: the
survey-sheet row of every node (for messages that say where), the authored `repeat_count`
instead of pyxform's generated `<repeat>_count` calculation, and refusals ("unsupported: ...")
for the few features a desktop app cannot honour. `load_form` then runs fieldkit's own checks
(fieldkit.forms.check), so a Form that loads is one the engine can run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyxform import aliases, constants
from pyxform.errors import PyXFormError
from pyxform.parsing.parameters import parse as parse_parameters

from fieldkit.errors import FieldkitError, Problem
from fieldkit.forms.check_facts import (
    CHECKED_SELECTS,
    EXPRESSION_COLUMNS,
    FormFacts,
    facts_of,
    has_reference,
)
from fieldkit.forms.model import DEFAULT_LANG, SELECT_TYPES, Choice, ChoiceList, Form, Node
from fieldkit.forms.types import ResolvedType, UnsupportedType, resolve_type
from fieldkit.forms.xlsform_read import (
    RawRow,
    Workbook,
    cell_text,
    raw_paths,
    read_workbook,
)

# JSON keys the loader maps onto Node fields; any other key is a kept extra column.
_NODE_KEYS = frozenset(
    {
        "type",
        "name",
        "label",
        "hint",
        "bind",
        "control",
        "choices",
        "itemset",
        "list_name",
        "parameters",
        "default",
        "choice_filter",
        "trigger",
        "children",
        "columns",
        "__row",
    }
)
_BIND_FIELDS = {
    "required": "required",
    "relevant": "relevant",
    "constraint": "constraint",
    "calculate": "calculation",
    "readonly": "read_only",
}
# Keys of a node with nothing but a type, a name, a label and a choice list.
_PLAIN_KEYS = frozenset({"type", "name", "label", "list_name", "itemset", "choices"})
# Keys most nodes lack: one set test skips all their lookups.
_OPTIONAL_KEYS = frozenset({"hint", "parameters", "control", "default", "choice_filter", "trigger"})
_BIND_BOOLEANS = frozenset({"required", "readonly"})  # yes/no cells, or expressions
# The usual question (see _Builder.simple): these keys at most (parameters empty, as pyxform
# gives every select), and binds that are all expressions or yes/no cells.
_SIMPLE_KEYS = _PLAIN_KEYS | {"bind", "parameters"}
_EXPRESSION_BINDS = _BIND_FIELDS.keys()
_COLUMN_RANK = {column: rank for rank, column in enumerate(EXPRESSION_COLUMNS)}
_BIND_TEXTS = {"jr:constraintMsg": "constraint_message", "jr:requiredMsg": "required_message"}
# Bind/control entries pyxform derives from the type or other columns: not authored extras.
_BIND_DERIVED = {"jr:preload", "jr:preloadParams", "type"}
_CONTROL_DERIVED = {"appearance", "jr:count", "bodyless", "tag", "mediatype"}
_OPENING = frozenset({constants.GROUP, constants.REPEAT, constants.LOOP})  # rows: begin ...
_MEDIA_KEYS = ("image", "big-image", "audio", "video")
# Files a select_*_from_file may name; only CSV has a desktop reader here.
_FROM_FILE_SUFFIXES = (".csv",)
# Unsupported sheets: their meaning lives on a server, not in the form.
_UNSUPPORTED_SHEETS = {"entities": "entities sheet (ODK Central entity lists)"}


def texts(value: Any) -> dict[str, str]:
    """pyxform's str-or-{language: str} as fieldkit's {language: str}."""
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        return {str(lang): str(text) for lang, text in value.items() if text not in (None, "")}
    return {DEFAULT_LANG: str(value)}


def _flatten(prefix: str, value: Any, out: dict[str, str]) -> None:
    """Nested pyxform values as XLSForm column names: {"image": {"en": x}} -> image::en."""
    if isinstance(value, dict):
        for key, sub in value.items():
            if key == DEFAULT_LANG and not isinstance(sub, dict):
                _flatten(prefix, sub, out)
            else:
                _flatten(f"{prefix}::{key}" if prefix else str(key), sub, out)
    elif value not in (None, ""):
        out[prefix] = str(value) if not isinstance(value, bool) else ("yes" if value else "no")


def _boolean_expression(value: Any) -> str | None:
    """`required`/`read_only` cells: yes/true -> "true()", no/false -> None, else the expression."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true()" if value else None
    text = str(value).strip()
    flag = aliases.yes_no.get(text)
    if flag is True:
        return "true()"
    if flag is False:
        return None
    return text


# An authored row claimed for a node: (sheet row, dealiased type, authored repeat_count).
Claimed = tuple[int, str, str | None]


class _Builder:
    """Walks pyxform's JSON tree once, building Nodes and noting unsupported features.

    Each node takes its authored row. While pyxform's tree and the sheet agree, row after row
    (the usual case), rows are claimed in step with the walk; from the first node where they
    part (one pyxform generated or moved, a loop), the rest are found by their name path.
    The checks' FormFacts are gathered on the way, so a load walks its nodes once.
    """

    def __init__(self, book: Workbook):
        self.book = book
        self.file = str(book.path)
        self.sheet = sheet = book.survey
        # only an authored repeat_count makes pyxform generate a `<repeat>_count` sibling
        self.repeat_counts = sheet.counts is not None and any(map(cell_text, sheet.counts))
        self.cursor: int | None = 0  # sheet index of the next row to claim in step; None
        # once rows are found by path
        self.open: list[str] = []  # the groups open at the cursor
        self._paths: dict[tuple[str, ...], list[RawRow]] | None = None
        self.facts = FormFacts()
        self.problems: list[Problem] = []
        self.has_from_file = False  # any select_*_from_file: only then look for its CSV
        self._last_names: set[str] | None = None
        self.moved = False  # a node put back at its row: the facts are then not in form order

    def by_path(self) -> dict[tuple[str, ...], list[RawRow]]:
        """The unclaimed authored rows by name path; from now on rows are found by path."""
        if self._paths is None:
            self._paths = raw_paths(self.sheet.rows(self.cursor or 0), tuple(self.open))
            self.cursor = None
        return self._paths

    def _by_last_name(self, name: str) -> list[tuple[str, ...]]:
        """Paths of authored rows named `name` that are still unclaimed (for moved nodes)."""
        if self._last_names is None:  # path keys are never added, so this set stays a bound
            self._last_names = {k[-1] for k in self.by_path() if k}
        if name not in self._last_names:
            return []  # the usual case: pyxform's own meta/instanceID has no authored row
        return [k for k, found in self.by_path().items() if k and k[-1] == name and found]

    # -- rows ---------------------------------------------------------------------------
    def claim(
        self, parent_path: tuple[str, ...], name: str, opens: bool, moved: bool = False
    ) -> Claimed | None:
        """The authored row of a node (`opens`: a group, repeat or loop, whose row is a
        `begin`); for one pyxform `moved` (audit into meta), found by name."""
        cursor = self.cursor
        if cursor is not None and not moved:
            sheet = self.sheet
            end = len(sheet.types)
            while cursor < end:  # the next authored row: pyxform skips rows with no type
                row_type, control = sheet.kind(cursor)
                if row_type is None:
                    cursor += 1
                    continue
                if control > 0 if opens else control == 0:
                    cell = sheet.names[cursor]
                    text = cell.strip() if type(cell) is str else cell_text(cell) or ""
                    if text == name:
                        self.cursor = cursor + 1
                        if control:
                            self.open.append(name)
                        counts = sheet.counts
                        count = cell_text(counts[cursor]) if counts is not None else None
                        return cursor + 2, row_type, count
                break
        paths = self.by_path()
        found = paths.get((*parent_path, name))
        if not found and moved:
            matches = self._by_last_name(name)
            if len(matches) == 1:
                found = paths[matches[0]]
        if found:
            raw = found.pop(0)
            return raw.row, raw.type, raw.repeat_count
        return None

    def close(self) -> None:
        """A container's children are built: in step, its `end` row comes next."""
        cursor = self.cursor
        if cursor is None:
            return
        sheet = self.sheet
        while cursor < len(sheet.types):
            row_type, control = sheet.kind(cursor)
            if row_type is not None:
                if control < 0:
                    self.cursor = cursor + 1
                    self.open.pop()
                    return
                break
            cursor += 1
        self.by_path()  # out of step: find the rest by path

    def unsupported(self, feature: str, row: int | None, sheet: str = constants.SURVEY) -> None:
        self.problems.append(
            Problem(f"unsupported: {feature}", file=self.file, sheet=sheet, row=row)
        )

    # -- tree ---------------------------------------------------------------------------
    def children(
        self, items: list[dict[str, Any]], parent_path: tuple[str, ...], parent_row: int | None
    ) -> list[Node]:
        nodes: list[Node] = []
        generated_counts = (
            self._generated_repeat_counts(items, parent_path) if self.repeat_counts else None
        )
        for item in items:
            if generated_counts and str(item.get("name", "")) in generated_counts:
                continue  # folded back into its repeat's repeat_count
            if item.get("type") == constants.GROUP and item.get("control", {}).get("bodyless"):
                for lifted in self._lift_meta(item, parent_path):
                    _insert_by_row(nodes, lifted)
                    self.moved = True
                continue
            # a node pyxform generated takes the row of the authored row that made it
            node = self.node(item, parent_path, nodes[-1].row if nodes else parent_row)
            if node is not None:
                nodes.append(node)
        return nodes

    def _generated_repeat_counts(
        self, items: list[dict[str, Any]], parent_path: tuple[str, ...]
    ) -> dict[str, str]:
        """pyxform turns a non-reference repeat_count into a sibling `<name>_count` calculate."""
        out: dict[str, str] = {}
        counted = [
            item
            for item in items
            if item.get("type") == constants.REPEAT and item.get("control", {}).get("jr:count")
        ]
        if not counted:
            return out
        names = {str(i.get("name")) for i in items}
        for item in counted:
            count = item["control"]["jr:count"]
            generated = f"{item['name']}_count"
            if count == f"${{{generated}}}" and generated in names:
                if (*parent_path, generated) not in self.by_path():
                    for sibling in items:
                        if sibling.get("name") == generated:
                            out[generated] = str(sibling.get("bind", {}).get("calculate", ""))
        return out

    def _lift_meta(self, meta: dict[str, Any], parent_path: tuple[str, ...]) -> list[Node]:
        """pyxform's bodyless `meta` group: keep authored rows (audit), drop its own fields."""
        lifted = []
        for item in meta.get("children", []):
            path = (*parent_path, str(item.get("name")))
            if self.by_path().get(path) or self._by_last_name(path[-1]):
                node = self.node(item, parent_path, None, moved=True)
                if node is not None:
                    lifted.append(node)
        return lifted

    def node(
        self,
        item: dict[str, Any],
        parent_path: tuple[str, ...],
        parent_row: int | None,
        moved: bool = False,
    ) -> Node | None:
        """One pyxform JSON node as a Node (a hot path: one call per row of a big form)."""
        get = item.get
        name = get("name", "")
        if type(name) is not str:
            name = str(name)
        kind = get("type")
        opens = kind in _OPENING
        claimed = self.claim(parent_path, name, opens, moved)
        if claimed is None:  # pyxform-generated: the row of the authored row that made it
            row, raw_type, authored_count = parent_row, None, None
        else:
            row, raw_type, authored_count = claimed
        if kind == constants.LOOP:
            return self._loop(item, (*parent_path, name), row)
        label = get("label")  # given to Node: a default label dict replaced at once is waste
        if label and type(label) is str:
            detailed = "${" in label
            label = {DEFAULT_LANG: label}
        else:
            label = texts(label)
            detailed = has_reference(label)
        if raw_type is not None and not opens and item.keys() <= _SIMPLE_KEYS:
            simple = _simple_type(raw_type)
            bind = get("bind")
            if (
                simple is not None
                and (not bind or bind.keys() <= _EXPRESSION_BINDS)
                and not get("parameters")
            ):
                return self.simple(item, name, simple, row, bind, label, detailed)
        if opens:
            node = Node(name, kind, label, row=row)
            detailed = True
        else:
            try:
                resolved, special = _type_of(raw_type or self._generated_type(item))
            except UnsupportedType as exc:
                self.unsupported(str(exc), row)
                return None
            list_name = resolved.list_name or get("list_name") or get("itemset")
            node = Node(name, resolved.type, label, list_name=list_name, row=row)
            if special:  # implied constraint or hint, or a select
                detailed = True
                if resolved.implied_constraint and not get("bind", {}).get("constraint"):
                    node.constraint = resolved.implied_constraint
                if resolved.implied_hint and not get("hint"):
                    node.hint = {DEFAULT_LANG: resolved.implied_hint}
                if resolved.type.endswith("_from_file"):
                    self.has_from_file = True
                    if list_name and not list_name.lower().endswith(_FROM_FILE_SUFFIXES):
                        self.unsupported(
                            f"{resolved.type} from '{list_name}' (only .csv files are read)", row
                        )
                        return None
        if self._fill(node, item, label_done=True):
            detailed = True
        if kind == constants.REPEAT:
            count = authored_count or get("control", {}).get("jr:count")
            if count:
                node.repeat_count = str(count)
        self.facts.add(node, detailed)  # before its children: the facts keep form order
        if opens:
            children = node.children = self.children(get("children", []), (*parent_path, name), row)
            for child in children:
                child.parent = node
            if claimed is not None:
                self.close()
        return node

    def simple(
        self,
        item: dict[str, Any],
        name: str,
        resolved: ResolvedType,
        row: int,
        bind: dict[str, Any] | None,
        label: dict[str, str],
        detailed: bool,
    ) -> Node:
        """node() for the usual question, most of a big form's rows: an authored row with a
        plain type, a label, a choice list and expression binds, nothing else. Builds what
        node() builds and notes the facts FormFacts.note would, without the general path's
        lookups of what such a row cannot hold. `detailed`: its label holds a ${reference}."""
        kind = resolved.type
        list_name = resolved.list_name or item.get("list_name") or item.get("itemset")
        node = Node(name, kind, label, list_name=list_name, row=row)
        facts = self.facts
        facts.nodes.append(node)
        if bind:
            cells = facts.cells
            start = len(cells)
            for key, value in bind.items():
                if key in _BIND_BOOLEANS:
                    value = _boolean_expression(value)
                if value is not None and value != "":
                    column = _BIND_FIELDS[key]
                    text = value if type(value) is str else str(value)
                    setattr(node, column, text)
                    if text != "true()":
                        cells.append((node, column, text))
            if len(cells) > start + 1:  # in the checks' column order
                cells[start:] = sorted(cells[start:], key=lambda cell: _COLUMN_RANK[cell[1]])
        if kind in CHECKED_SELECTS:
            facts.selects.append(node)
        if detailed:
            facts.details.append(node)
        return node

    @staticmethod
    def _generated_type(item: dict[str, Any]) -> str:
        """Type of a node pyxform generated (or_other's text, table-list's label row)."""
        kind = str(item.get("type", ""))
        if kind in (constants.SELECT_ONE, constants.SELECT_ALL_THAT_APPLY, constants.RANK):
            return f"{kind} {item.get('itemset') or item.get('list_name')}"
        return kind

    def _fill(self, node: Node, item: dict[str, Any], label_done: bool = False) -> bool:
        """Copy one pyxform JSON node's content onto `node` (a hot loop on big forms: most
        nodes have a label, a few binds and nothing else, so absent keys cost one lookup).
        True when it copied anything the checks read (binds, hint, default, trigger...)."""
        keys = item.keys()
        if label_done and keys <= _PLAIN_KEYS:
            return False  # type, name, label and a choice list: nothing more to copy
        get = item.get
        label = None if label_done else get("label")
        if label is not None:
            node.label = {DEFAULT_LANG: label} if label and isinstance(label, str) else texts(label)
        extra = node.extra
        bind = get("bind")
        if bind:
            for key, value in bind.items():
                field_name = _BIND_FIELDS.get(key)
                if field_name is not None:
                    if key in _BIND_BOOLEANS:
                        value = _boolean_expression(value)
                    if value is not None and value != "":
                        setattr(node, field_name, str(value))
                elif key in _BIND_TEXTS:
                    setattr(node, _BIND_TEXTS[key], texts(value))
                elif key not in _BIND_DERIVED:
                    _flatten(f"bind::{key}", value, extra)
        optional = not keys.isdisjoint(_OPTIONAL_KEYS)
        if optional:
            hint = get("hint")
            if hint:
                node.hint = texts(hint)
            parameters = get("parameters")
            if isinstance(parameters, str):  # pyxform keeps an audit's as written
                parameters = _parameters(parameters, node, extra)
            if parameters:
                node.parameters = {str(k): str(v) for k, v in parameters.items()}
            control = get("control")
            if control:
                node.appearance = str(control.get("appearance", "") or "")
                for key, value in control.items():
                    if key not in _CONTROL_DERIVED and node.parameters.get(key) != str(value):
                        _flatten(f"body::{key}", value, extra)
        if not keys <= _NODE_KEYS:  # extra columns
            for key, value in item.items():
                if key in _NODE_KEYS:
                    continue
                if key == "instance":
                    for sub, sub_value in value.items():
                        _flatten(f"instance::{sub}", sub_value, extra)
                elif key == "media":
                    for media_key in _MEDIA_KEYS:
                        _flatten(media_key, value.get(media_key), extra)
                else:
                    _flatten(str(key), value, extra)
        if optional:
            default = get("default")
            if default is not None and default != "":
                node.default = str(default)
            choice_filter = get("choice_filter")
            if choice_filter:
                node.choice_filter = str(choice_filter)
            trigger = get("trigger")
            if trigger:  # pyxform parses "${a}" into ["a"]; fieldkit keeps the authored form
                names = trigger if isinstance(trigger, list | tuple) else [trigger]
                node.trigger = " ".join(
                    n if str(n).startswith("${") else f"${{{n}}}" for n in names
                )
        return bool(bind) or optional

    def _loop(self, item: dict[str, Any], path: tuple[str, ...], row: int | None) -> Node:
        """`begin loop over L`: one group per choice of L, labels' %(label)s filled in."""
        loop = Node(name=path[-1], type="group", row=row)
        self._fill(loop, item)
        self.facts.add(loop)
        template = item.get("children", [])
        for column in item.get("columns", []):
            if column.get("name") == "none":
                continue  # pyxform skips select_multiple's "none" option here too
            group = Node(name=str(column["name"]), type="group", row=row, parent=loop)
            group.label = texts(column.get("label"))
            self.facts.add(group)
            saved = {k: list(v) for k, v in self.by_path().items()}
            children = self.children(_substitute(template, column), path, row)
            self._paths = saved  # every copy reads the same authored rows
            group.children = children
            for child in children:
                child.parent = group
            loop.children.append(group)
        for key in list(self.by_path()):
            if key[: len(path)] == path and len(key) > len(path):
                self.by_path()[key] = []
        return loop


@lru_cache(maxsize=1024)
def _type_of(raw_type: str) -> tuple[ResolvedType, bool]:
    """A type cell resolved, and whether it is special: a select, or a type that implies a
    constraint or a hint (cached: a big form repeats a handful of type spellings)."""
    resolved = resolve_type(raw_type)
    special = bool(
        resolved.type in SELECT_TYPES or resolved.implied_constraint or resolved.implied_hint
    )
    return resolved, special


@lru_cache(maxsize=1024)
def _simple_type(raw_type: str) -> ResolvedType | None:
    """The resolved type when it implies nothing beyond itself (no constraint, hint or CSV
    file): a row _Builder.simple can build; None sends the row down the general path."""
    try:
        resolved = resolve_type(raw_type)
    except UnsupportedType:
        return None
    if resolved.implied_constraint or resolved.implied_hint:
        return None
    return None if resolved.type.endswith("_from_file") else resolved


def _parameters(text: str, node: Node, extra: dict[str, str]) -> dict[str, str]:
    """A parameters cell pyxform left as text (an audit's), read by pyxform's own parser;
    one it cannot read is kept as written, as an extra column."""
    try:
        return parse_parameters(text, node.row or 0)
    except PyXFormError:
        extra["parameters"] = text
        return {}


def _insert_by_row(nodes: list[Node], node: Node) -> None:
    """Put a node pyxform moved (into `meta`) back where its row stands on the sheet."""
    for index, other in enumerate(nodes):
        if node.row is not None and other.row is not None and other.row > node.row:
            nodes.insert(index, node)
            return
    nodes.append(node)


def _substitute(template: list[dict[str, Any]], column: dict[str, Any]) -> list[dict[str, Any]]:
    """pyxform's loop substitution: %(name)s and %(label)s per language."""
    labels = column.get("label")

    def fill(value: Any, lang: str | None) -> Any:
        if isinstance(value, str):
            label = labels.get(lang, "") if isinstance(labels, dict) else (labels or "")
            try:
                return value % {"name": column.get("name", ""), "label": label}
            except (KeyError, ValueError, TypeError):
                return value
        if isinstance(value, dict):
            return {k: fill(v, k if isinstance(labels, dict) else lang) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v, lang) for v in value]
        return value

    return [fill(child, None) for child in template]


def _choice(item: dict[str, Any]) -> Choice:
    extra: dict[str, str] = {}
    for key, value in item.items():
        if key in ("name", "label", "media", "__row"):
            continue
        _flatten(str(key), value, extra)
    for key in _MEDIA_KEYS:
        _flatten(key, (item.get("media") or {}).get(key), extra)
    return Choice(name=str(item.get("name", "")), label=texts(item.get("label")), extra=extra)


def _file_choices(
    form_dir: Path, file_name: str, files: Mapping[str, bytes] | None = None
) -> ChoiceList | None:
    """A select_*_from_file CSV, read as ODK Collect reads it (name, label, other columns).

    From `files` (name -> bytes: what a project kept beside an imported form) when given,
    else from the file beside the form.
    """
    try:
        if files is not None and file_name in files:
            text = files[file_name].decode("utf-8-sig")
        else:
            path = form_dir / file_name
            if not path.is_file():
                return None
            text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FieldkitError(
            Problem(f"choices file {file_name} is not UTF-8 text: {exc.reason}", file=file_name)
        ) from None
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        choices = []
        for record in reader:
            label: dict[str, str] = {}
            extra: dict[str, str] = {}
            for key, value in record.items():
                if key is None or value in (None, "") or key == "name":
                    continue
                if key == "label":
                    label[DEFAULT_LANG] = value
                elif key.startswith("label::"):
                    label[key[len("label::") :]] = value
                else:
                    extra[key] = value
            choices.append(Choice(name=str(record.get("name", "")), label=label, extra=extra))
    return ChoiceList(name=file_name, choices=choices)


def _languages(form: Form, book: Workbook) -> list[str]:
    """The form's languages: the default language first, then in the order of the columns."""
    seen: dict[str, None] = {}
    if form.default_language:
        seen[form.default_language] = None
    seen.update(dict.fromkeys(book.languages))
    return list(seen) or [DEFAULT_LANG]


def from_file_names(form: Form) -> list[str]:
    """The files the form's select_*_from_file questions take their choices from."""
    return list(
        dict.fromkeys(
            n.list_name for n in form.walk() if n.type.endswith("_from_file") and n.list_name
        )
    )


def attached_files(form: Form, form_dir: str | Path) -> dict[str, bytes]:
    """The choice files beside a form (name -> bytes), for a project to keep with the form."""
    out: dict[str, bytes] = {}
    for name in from_file_names(form):
        path = Path(form_dir) / name
        if path.is_file():
            out[name] = path.read_bytes()
    return out


def build_form(book: Workbook, files: Mapping[str, bytes] | None = None) -> Form:
    """The Form for one pyxform-read workbook; refuses unsupported features, all at once.

    `files` (name -> bytes) supplies select_*_from_file CSVs kept apart from the form file.
    """
    return build_form_and_facts(book, files)[0]


def build_form_and_facts(
    book: Workbook, files: Mapping[str, bytes] | None = None
) -> tuple[Form, FormFacts]:
    """build_form, with the FormFacts gathered on the way for fieldkit's checks."""
    data = book.json
    builder = _Builder(book)
    for sheet, feature in _UNSUPPORTED_SHEETS.items():
        if getattr(book.definition, sheet, None):
            builder.unsupported(feature, None, sheet=sheet)
    children = builder.children(data.get("children", []), (), None)
    if builder.problems:
        raise FieldkitError(builder.problems)
    default_language = data.get(constants.DEFAULT_LANGUAGE_KEY)
    form = Form(
        form_id=str(data.get(constants.ID_STRING, "")),
        title=str(data.get(constants.TITLE, "")),
        version=str(data.get("version", "") or ""),
        default_language=(
            str(default_language)
            if default_language and default_language != constants.DEFAULT_LANGUAGE_VALUE
            else None
        ),
        children=children,
        choices={
            str(name): ChoiceList(name=str(name), choices=[_choice(c) for c in items])
            for name, items in (data.get("choices") or {}).items()
        },
        settings=dict(book.settings),
        source=str(book.path),
        source_hash=book.source_hash,
        warnings=list(book.warnings),
    )
    for node in form.walk() if builder.has_from_file else ():
        if node.type.endswith("_from_file") and node.list_name not in form.choices:
            found = _file_choices(book.path.parent, node.list_name or "", files)
            if found is None:
                form.warnings.append(
                    f"row {node.row}: '{node.name}' takes its choices from {node.list_name},"
                    " which is not beside the form"
                )
            else:
                form.choices[found.name] = found
    form.languages = _languages(form, book)
    # a node pyxform moved (an audit, into meta) was built last: gather the facts in form order
    return form, (facts_of(form) if builder.moved else builder.facts)


def read_form(path: str | Path, files: Mapping[str, bytes] | None = None) -> Form:
    """Read a form through pyxform into a Form, without fieldkit's own checks."""
    return build_form(read_workbook(path), files)


def load_form(path: str | Path, files: Mapping[str, bytes] | None = None) -> Form:
    """Load an XLSForm (.xlsx, .xls, pyxform .md) as a Form the engine can run.

    Refuses (FieldkitError, one located Problem each) whatever pyxform rejects, features with
    no desktop meaning ("unsupported: ..."), and what fieldkit's checks find (unknown
    ${references}, expression syntax errors, select lists with no choices, duplicate names).
    Warnings that do not stop the form are kept in Form.warnings. `files` (name -> bytes)
    supplies select_*_from_file CSVs when they are not beside the file (a stored form).
    """
    from fieldkit.forms.check import check_form

    return check_form(path, files).form
