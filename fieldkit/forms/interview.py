"""The interview state machine: answers, relevance, screens, repeats, validation, finalize.

Pure Python (no Qt), so the GUI runner, the CLI `interview fill` and the tests drive the same
object. Answers are addressed by string keys, the contract with the store (one row per key):
a top-level question is "name"; inside repeats "rep[0]/name", nested "rep[0]/inner[2]/name"
(0-based instance index). A repeat's own key ("rep", "rep[0]/inner") holds its number of
instances, so `Interview(form, answers=previous.answers_flat())` resumes a draft exactly.

Every change is propagated through the form's dependency graph (fieldkit.forms.depgraph),
visiting only what depends on it, in topological order; `set` returns a `Changes` record so a
view can refresh just the keys that changed. Runtime errors in expressions become messages on
their question, never exceptions.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from fieldkit.errors import FieldkitError, Problem
from fieldkit.forms import depgraph
from fieldkit.forms.answer_keys import Scope, make_key, repeat_chain, split_key
from fieldkit.forms.expr import (
    EvaluationError,
    Expr,
    evaluate,
    to_bool,
    to_number,
    to_string,
)
from fieldkit.forms.expr.values import Value
from fieldkit.forms.interview_context import ChoiceContext, InstanceContext
from fieldkit.forms.model import (
    DEFAULT_LANG,
    INPUT_TYPES,
    METADATA_TYPES,
    SELECT_TYPES,
    Choice,
    Form,
    Node,
    pick_text,
)
from fieldkit.forms.values import BadValue, Stored, coerce

REQUIRED_DEFAULT = "Sorry, this response is required!"
CONSTRAINT_DEFAULT = "Sorry, this response is invalid!"
MAX_REPEAT_COUNT = 1000  # a repeat_count beyond this is an error, not a memory explosion
_META_FROM_CONTEXT = ("deviceid", "username", "phonenumber", "simserial", "subscriberid", "email")


@dataclass
class Changes:
    """What one operation changed, so a view refreshes selectively."""

    values: set[str] = field(default_factory=set)  # keys whose value changed
    relevance: set[str] = field(default_factory=set)  # keys whose relevance flipped
    structure: bool = False  # repeat instances (and so screens) changed
    errors: dict[str, str] = field(default_factory=dict)  # input refused: key -> message
    message: str | None = None  # the validation message of the key just set

    def merge(self, other: Changes) -> None:
        self.values |= other.values
        self.relevance |= other.relevance
        self.structure |= other.structure
        self.errors.update(other.errors)


@dataclass(frozen=True)
class Screen:
    """One screen: a field-list group's questions, or a single question (notes included)."""

    key: str  # the question's key, or the field-list group's key
    keys: tuple[str, ...]  # the question keys shown on it


class Interview:
    """One interview of one form: the answers and everything that follows from them."""

    def __init__(
        self,
        form: Form,
        answers: Mapping[str, object] | None = None,
        *,
        language: str | None = None,
        meta: Mapping[str, str] | None = None,
        now: dt.datetime | None = None,
    ):
        self.form = form
        self.meta = dict(meta or {})
        self._fixed_now = now
        self.graph = depgraph.build(form)
        self._nodes: dict[str, Node] = {node.name: node for node in form.walk()}
        self._chain: dict[str, tuple[str, ...]] = {
            name: repeat_chain(node) for name, node in self._nodes.items()
        }
        self._answers: dict[str, Stored] = {}
        self._counts: dict[str, int] = {}
        self._relevant: dict[str, bool] = {}
        self._read_only: dict[str, bool] = {}
        self._expr_errors: dict[str, dict[str, str]] = {}
        self._input_errors: dict[str, str] = {}
        self._pending_counts: dict[str, int] = {}
        self._screens: list[Screen] | None = None
        self._position = -1
        self.status = "draft"
        self.language = self._initial_language(language)
        if answers is None:
            self._init_instances(())
            self._apply_defaults(())
            self._apply_metadata()
        else:
            self._restore(answers)
        self._recompute_all()

    # -- clock, language -------------------------------------------------------------------
    def _now(self) -> dt.datetime:
        return self._fixed_now or dt.datetime.now().replace(microsecond=0)

    def languages(self) -> list[str]:
        return list(self.form.languages) or [DEFAULT_LANG]

    def _initial_language(self, language: str | None) -> str:
        if language is not None:
            self._check_language(language)
            return language
        if self.form.default_language and self.form.default_language in self.form.languages:
            return self.form.default_language
        return self.form.languages[0] if self.form.languages else DEFAULT_LANG

    def _check_language(self, language: str) -> None:
        if language not in self.languages():
            raise FieldkitError(
                f"the form has no language {language!r} (it has: {', '.join(self.languages())})"
            )

    def set_language(self, language: str) -> Changes:
        """Switch language; calculations using jr:choice-name are recomputed."""
        self._check_language(language)
        self.language = language
        seeds = [
            (name, scope)
            for name, info in self.graph.exprs.items()
            if info.calculation is not None and "jr:choice-name" in info.calculation.functions()
            for scope in self._scopes(name)
        ]
        return self._propagate(seeds, recompute_seeds=True)

    def label(self, key: str) -> str:
        return self._node_for(key).text(self.language)

    def hint(self, key: str) -> str:
        return pick_text(self._node_for(key).hint, self.language)

    # -- structure: scopes and repeat instances -----------------------------------------------
    def _count(self, repeat_key: str) -> int:
        return self._counts.get(repeat_key, 0)

    def _expand(self, base: Scope, repeats: Iterable[str]) -> list[Scope]:
        scopes = [base]
        for repeat in repeats:
            scopes = [
                s + ((repeat, i),) for s in scopes for i in range(self._count(make_key(s, repeat)))
            ]
        return scopes

    def _scopes(self, name: str) -> list[Scope]:
        return self._expand((), self._chain[name])

    def _init_instances(self, scope: Scope, nodes: Iterable[Node] | None = None) -> None:
        """New instances start with one instance of each repeat they hold (as XForms does)."""
        for node in self.form.children if nodes is None else nodes:
            if node.type == "repeat":
                key = make_key(scope, node.name)
                if key not in self._counts:
                    self._counts[key] = 0 if node.repeat_count else 1
                for i in range(self._counts[key]):
                    self._init_instances(scope + ((node.name, i),), node.children)
            elif node.type == "group":
                self._init_instances(scope, node.children)

    def _nodes_in(self, nodes: Iterable[Node], scope: Scope) -> Iterable[tuple[Node, Scope]]:
        for node in nodes:
            if node.type == "repeat":
                for i in range(self._count(make_key(scope, node.name))):
                    yield from self._nodes_in(node.children, scope + ((node.name, i),))
            elif node.type == "group":
                yield from self._nodes_in(node.children, scope)
            else:
                yield node, scope

    def _apply_defaults(self, scope: Scope, nodes: Iterable[Node] | None = None) -> None:
        for node, inner in self._nodes_in(self.form.children if nodes is None else nodes, scope):
            if not node.default or node.type in METADATA_TYPES or node.calculation:
                continue
            key = make_key(inner, node.name)
            if key in self._answers:
                continue
            expr = self.graph.exprs[node.name].default
            raw: object = node.default
            if expr is not None:
                try:
                    raw = to_string(evaluate(expr, InstanceContext(self, node, inner)))
                except EvaluationError as exc:
                    self._expr_errors.setdefault(key, {})["default"] = str(exc)
                    continue
            elif len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":  # type: ignore[index]
                raw = raw[1:-1]  # type: ignore[index]
            try:
                value = coerce(node, raw)
            except BadValue:
                continue
            if value is not None:
                self._answers[key] = value

    def _apply_metadata(self) -> None:
        now = self._now()
        for node, scope in self._nodes_in(self.form.children, ()):
            key = make_key(scope, node.name)
            if node.type not in METADATA_TYPES or key in self._answers:
                continue
            if node.type == "start":
                self._answers[key] = now.isoformat(timespec="seconds")
            elif node.type == "today":
                self._answers[key] = now.date().isoformat()
            elif node.type in _META_FROM_CONTEXT:
                value = self.meta.get(node.type) or self.meta.get(node.name)
                if value:
                    self._answers[key] = str(value)

    def _restore(self, answers: Mapping[str, object]) -> None:
        """Rebuild from answers_flat(): repeat counts first, then every value re-checked."""
        problems: list[Problem] = []
        values: dict[str, tuple[Node, object]] = {}
        inferred: dict[str, int] = {}
        for key, raw in answers.items():
            try:
                name, scope = split_key(str(key))
            except ValueError as exc:
                problems.append(Problem(str(exc), name=str(key)))
                continue
            node = self._nodes.get(name)
            if node is None or tuple(r for r, _ in scope) != self._chain[name]:
                problems.append(Problem("no such question in this form", name=str(key)))
                continue
            for depth in range(len(scope)):
                repeat_key = make_key(scope[:depth], scope[depth][0])
                inferred[repeat_key] = max(inferred.get(repeat_key, 0), scope[depth][1] + 1)
            if node.type == "repeat":
                if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
                    problems.append(Problem("a repeat's count must be a whole number", name=key))
                else:
                    self._counts[str(key)] = raw
            elif not node.is_container:
                values[str(key)] = (node, raw)
        for repeat_key, count in inferred.items():
            self._counts[repeat_key] = max(self._counts.get(repeat_key, 0), count)
        self._init_instances(())
        for key, (node, raw) in values.items():
            try:
                value = coerce(node, raw)
            except BadValue as exc:
                problems.append(Problem(str(exc), name=key, row=node.row))
                continue
            if value is not None:
                self._answers[key] = value
        if problems:
            raise FieldkitError(problems)

    # -- evaluation ------------------------------------------------------------------------
    def _eval(self, expr: Expr, node: Node, scope: Scope, key: str, what: str) -> Value | None:
        try:
            value = evaluate(expr, InstanceContext(self, node, scope))
        except EvaluationError as exc:
            self._expr_errors.setdefault(key, {})[what] = f"{what}: {exc}"
            return None
        errors = self._expr_errors.get(key)
        if errors and what in errors:
            del errors[what]
            if not errors:
                del self._expr_errors[key]
        return value

    def _parent_relevant(self, node: Node, scope: Scope) -> bool:
        parent = node.parent
        if parent is None:
            return True
        parent_scope = scope[: len(self._chain[parent.name])]
        return self._relevant.get(make_key(parent_scope, parent.name), True)

    def _compute(self, name: str, scope: Scope) -> tuple[bool, bool]:
        """Recompute one field instance; returns (value changed, relevance changed)."""
        node = self._nodes[name]
        info = self.graph.exprs[name]
        key = make_key(scope, name)
        relevant = self._parent_relevant(node, scope)
        if relevant and info.relevant is not None:
            result = self._eval(info.relevant, node, scope, key, "relevant")
            relevant = True if result is None else to_bool(result)
        relevance_changed = self._relevant.get(key, True) != relevant
        self._relevant[key] = relevant
        value_changed = False
        if info.calculation is not None and info.trigger is None:
            result = self._eval(info.calculation, node, scope, key, "calculation")
            if result is not None:
                value_changed = self._store_calculated(node, key, result)
        if info.read_only is not None:
            result = self._eval(info.read_only, node, scope, key, "read_only")
            self._read_only[key] = bool(result is not None and to_bool(result))
        if node.type == "repeat" and info.repeat_count is not None:
            result = self._eval(info.repeat_count, node, scope, key, "repeat_count")
            count = to_number(result) if result is not None else 0.0
            count = 0 if count != count or count < 0 else int(count)
            if count > MAX_REPEAT_COUNT:
                self._expr_errors.setdefault(key, {})["repeat_count"] = (
                    f"repeat_count: {count} instances is more than {MAX_REPEAT_COUNT}"
                )
                count = MAX_REPEAT_COUNT
            if count != self._count(key):
                self._pending_counts[key] = count
        return value_changed, relevance_changed

    def _fire_trigger(self, name: str, scope: Scope) -> bool:
        """ODK `trigger`: the trigger changed, so the calculation (or, without one, clearing)
        replaces the answer; the fieldworker may still edit it afterwards."""
        node, info = self._nodes[name], self.graph.exprs[name]
        key = make_key(scope, name)
        if info.calculation is None:
            return self._answers.pop(key, None) is not None
        result = self._eval(info.calculation, node, scope, key, "calculation")
        return result is not None and self._store_calculated(node, key, result)

    def _store_calculated(self, node: Node, key: str, result: Value) -> bool:
        text = to_string(result)
        value: Stored | None
        if node.type in INPUT_TYPES:
            try:
                value = coerce(node, text)
            except BadValue:
                value = text or None
        else:
            value = text or None
        old = self._answers.get(key)
        if old == value:
            return False
        if value is None:
            self._answers.pop(key, None)
        else:
            self._answers[key] = value
        return True

    def _dependent_instances(self, name: str, scope: Scope, dependent: str) -> list[Scope]:
        chain, other = self._chain[name], self._chain[dependent]
        common = 0
        for a, b in zip(chain, other, strict=False):
            if a != b:
                break
            common += 1
        common = min(common, len(scope))
        return self._expand(scope[:common], other[common:])

    def _propagate(
        self, seeds: Iterable[tuple[str, Scope]], recompute_seeds: bool = False
    ) -> Changes:
        """Visit what depends on the seeds, in topological order, stopping where nothing
        changed. Seeds' values are taken as changed (unless recompute_seeds)."""
        order = self.graph.order
        changes = Changes()
        heap: list[tuple[int, str, Scope]] = []
        queued: set[tuple[str, Scope]] = set()

        fired: set[tuple[str, Scope]] = set()

        def push_dependents(name: str, scope: Scope, value_changed: bool, rel_changed: bool):
            targets: list[str] = []
            if value_changed:
                targets.extend(self.graph.dependents_of(name))
                for target in self.graph.triggered_by.get(name, ()):
                    targets.append(target)
                    fired.update(
                        (target, s) for s in self._dependent_instances(name, scope, target)
                    )
            if rel_changed:
                targets.extend(self.graph.children.get(name, ()))
            for target in targets:
                for inner in self._dependent_instances(name, scope, target):
                    item = (target, inner)
                    if item not in queued:
                        queued.add(item)
                        heapq.heappush(heap, (order[target], target, inner))

        for name, scope in seeds:
            if recompute_seeds:
                queued.add((name, scope))
                heapq.heappush(heap, (order[name], name, scope))
            else:
                changes.values.add(make_key(scope, name))
                push_dependents(name, scope, True, False)
        while heap:
            _, name, scope = heapq.heappop(heap)
            value_changed, rel_changed = self._compute(name, scope)
            if (name, scope) in fired:
                value_changed = self._fire_trigger(name, scope) or value_changed
            key = make_key(scope, name)
            if value_changed:
                changes.values.add(key)
            if rel_changed:
                changes.relevance.add(key)
            if value_changed or rel_changed:
                push_dependents(name, scope, value_changed, rel_changed)
        if self._pending_counts:
            changes.merge(self._apply_pending_counts())
        return changes

    def _recompute_all(self) -> Changes:
        """Evaluate everything (start, repeat structure changes, language-wide changes)."""
        before_values, before_relevant = dict(self._answers), dict(self._relevant)
        for _ in range(20):  # repeat_counts may depend on answers inside other repeats
            for name in sorted(self._nodes, key=self.graph.order.__getitem__):
                for scope in self._scopes(name):
                    self._compute(name, scope)
            if not self._pending_counts:
                break
            for key, count in self._pending_counts.items():
                self._resize(key, count)
            self._pending_counts.clear()
            self._screens = None
        changes = Changes()
        changes.values = {
            k
            for k in set(before_values) | set(self._answers)
            if before_values.get(k) != self._answers.get(k)
        }
        changes.relevance = {
            k for k, v in self._relevant.items() if before_relevant.get(k, True) != v
        }
        return changes

    def _apply_pending_counts(self) -> Changes:
        for key, count in self._pending_counts.items():
            self._resize(key, count)
        self._pending_counts.clear()
        changes = self._recompute_all()
        changes.structure = True
        self._screens = None
        return changes

    def _resize(self, repeat_key: str, count: int) -> None:
        while self._count(repeat_key) > count:
            self._drop_instance(repeat_key, self._count(repeat_key) - 1)
        while self._count(repeat_key) < count:
            self._new_instance(repeat_key)

    def _new_instance(self, repeat_key: str) -> int:
        name, scope = split_key(repeat_key)
        repeat = self._nodes[name]
        index = self._count(repeat_key)
        self._counts[repeat_key] = index + 1
        inner = scope + ((name, index),)
        self._init_instances(inner, repeat.children)
        self._apply_defaults(inner, repeat.children)
        return index

    def _drop_instance(self, repeat_key: str, index: int) -> None:
        """Remove instance `index`, renumbering the later ones (keys and nested counts)."""
        prefix = repeat_key + "["
        count = self._count(repeat_key)

        def renumber(key: str) -> str | None:
            if not key.startswith(prefix):
                return key
            number, _, rest = key[len(prefix) :].partition("]")
            position = int(number)
            if position == index:
                return None
            if position > index:
                return f"{prefix}{position - 1}]{rest}"
            return key

        for store in (self._answers, self._counts, self._relevant, self._read_only):
            renamed = {}
            for key, value in store.items():
                new_key = renumber(key)
                if new_key is not None:
                    renamed[new_key] = value
            store.clear()
            store.update(renamed)  # type: ignore[arg-type]
        self._input_errors = {
            k2: v for k, v in self._input_errors.items() if (k2 := renumber(k)) is not None
        }
        self._expr_errors = {
            k2: v for k, v in self._expr_errors.items() if (k2 := renumber(k)) is not None
        }
        self._counts[repeat_key] = count - 1

    # -- reading state ---------------------------------------------------------------------
    def _node_for(self, key: str) -> Node:
        node, _scope = self._locate(key)
        return node

    def _locate(self, key: str) -> tuple[Node, Scope]:
        """The node and instance a key names; FieldkitError if the key is not in this form."""
        try:
            name, scope = split_key(key)
        except ValueError as exc:
            raise FieldkitError(Problem(str(exc), name=key)) from None
        node = self._nodes.get(name)
        if node is None or tuple(r for r, _ in scope) != self._chain[name]:
            raise FieldkitError(Problem("no such question in this form", name=key))
        for depth, (repeat, index) in enumerate(scope):
            if index >= self._count(make_key(scope[:depth], repeat)):
                raise FieldkitError(Problem(f"{repeat} has no instance {index}", name=key))
        return node, scope

    def value(self, key: str) -> Stored | None:
        self._locate(key)
        return self._answers.get(key)

    def is_relevant(self, key: str) -> bool:
        self._locate(key)
        return self._relevant.get(key, True)

    def is_read_only(self, key: str) -> bool:
        node, _ = self._locate(key)
        return node.type in ("calculate", "note") or self._read_only.get(key, False)

    def keys(self) -> list[str]:
        """Every field key (no containers), in form order."""
        return [make_key(s, n.name) for n, s in self._nodes_in(self.form.children, ())]

    def relevant_keys(self) -> list[str]:
        return [k for k in self.keys() if self._relevant.get(k, True)]

    def repeat_count(self, repeat_key: str) -> int:
        node, _ = self._locate(repeat_key)
        if node.type != "repeat":
            raise FieldkitError(Problem("not a repeat", name=repeat_key))
        return self._count(repeat_key)

    def repeat_keys(self) -> list[str]:
        """Every repeat key that exists now ("rep", "rep[0]/inner"...), in form order, so a
        view can offer "add another" even where a repeat has no instance yet."""
        out: list[str] = []

        def visit(nodes: Iterable[Node], scope: Scope) -> None:
            for node in nodes:
                key = make_key(scope, node.name)
                if node.type == "repeat":
                    out.append(key)
                    for i in range(self._count(key)):
                        visit(node.children, scope + ((node.name, i),))
                elif node.type == "group":
                    visit(node.children, scope)

        visit(self.form.children, ())
        return out

    def answers_flat(self) -> dict[str, Stored]:
        """Every stored value plus each repeat's instance count: the draft, exactly."""
        flat: dict[str, Stored] = {k: _copy(v) for k, v in self._answers.items()}
        flat.update(self._counts)
        return flat

    def values(self, include_irrelevant: bool = False) -> dict[str, Stored]:
        """The answers in form order; irrelevant ones left out unless asked for (as ODK)."""
        out: dict[str, Stored] = {}
        for key in self.keys():
            if key in self._answers and (include_irrelevant or self._relevant.get(key, True)):
                out[key] = _copy(self._answers[key])
        return out

    def values_nested(self, include_irrelevant: bool = False) -> dict[str, object]:
        """Values keyed by question name, repeats as lists of objects (the CLI's shape)."""

        def build(nodes: Iterable[Node], scope: Scope, out: dict[str, object]) -> None:
            for node in nodes:
                key = make_key(scope, node.name)
                if node.type == "repeat":
                    out[node.name] = [
                        build(node.children, scope + ((node.name, i),), {})
                        for i in range(self._count(key))
                        if include_irrelevant or self._relevant.get(key, True)
                    ]
                elif node.type == "group":
                    build(node.children, scope, out)
                elif key in self._answers and (include_irrelevant or self._relevant.get(key, True)):
                    out[node.name] = _copy(self._answers[key])
            return out  # type: ignore[return-value]

        return build(self.form.children, (), {})  # type: ignore[return-value]

    # -- changing answers --------------------------------------------------------------------
    def set(self, key: str, raw: object) -> Changes:
        """Set an answer (coerced to the question's type) and refresh what depends on it.
        Input that does not fit is refused with a message in `Changes.errors`, not stored."""
        node, scope = self._locate(key)
        if node.is_container:
            raise FieldkitError(Problem("a group or repeat has no answer", name=key))
        info = self.graph.exprs[node.name]
        if info.calculation is not None and info.trigger is None:
            message = "this value is calculated by the form, not answered"
            return Changes(errors={key: message}, message=message)
        try:
            value = coerce(node, raw)
            if value is not None:
                self._check_choices(node, value)
        except BadValue as exc:
            self._input_errors[key] = str(exc)
            return Changes(errors={key: str(exc)}, message=str(exc))
        self._input_errors.pop(key, None)
        if self._answers.get(key) == value:
            return Changes(message=self.validate(key))
        if value is None:
            self._answers.pop(key, None)
        else:
            self._answers[key] = value
        changes = self._propagate([(node.name, scope)])
        changes.message = self.validate(key)
        return changes

    def clear(self, key: str) -> Changes:
        return self.set(key, None)

    def _check_choices(self, node: Node, value: Stored) -> None:
        if node.type not in SELECT_TYPES or not node.list_name:
            return
        choices = self.form.choices.get(node.list_name)
        if choices is None:  # from_file lists the loader could not read
            return
        names = {choice.name for choice in choices.choices}
        wanted = value if isinstance(value, list) else [str(value)]
        unknown = [v for v in wanted if v not in names]
        if unknown:
            raise BadValue(f"not a choice of {node.list_name}: {', '.join(unknown)}")

    def add_repeat(self, repeat_key: str) -> tuple[int, Changes]:
        """Add an instance at the end; returns its 0-based index and what changed."""
        node, _ = self._locate(repeat_key)
        self._check_editable_repeat(node, repeat_key)
        index = self._new_instance(repeat_key)
        changes = self._recompute_all()
        changes.structure = True
        self._screens = None
        return index, changes

    def remove_repeat(self, repeat_key: str, index: int) -> Changes:
        node, _ = self._locate(repeat_key)
        self._check_editable_repeat(node, repeat_key)
        if not 0 <= index < self._count(repeat_key):
            raise FieldkitError(Problem(f"{repeat_key} has no instance {index}", name=repeat_key))
        self._drop_instance(repeat_key, index)
        changes = self._recompute_all()
        changes.structure = True
        self._screens = None
        return changes

    def _check_editable_repeat(self, node: Node, key: str) -> None:
        if node.type != "repeat":
            raise FieldkitError(Problem("not a repeat", name=key, row=node.row))
        if node.repeat_count:
            raise FieldkitError(
                Problem("its number of instances is set by repeat_count", name=key, row=node.row)
            )

    # -- choices ----------------------------------------------------------------------------
    def choices_for(self, key: str) -> list[Choice]:
        """The choices offered now (choice_filter applied against the current answers)."""
        node, scope = self._locate(key)
        choices = self.form.choices.get(node.list_name or "")
        if choices is None:
            return []
        expr = self.graph.exprs[node.name].choice_filter
        if expr is None:
            return list(choices.choices)
        kept: list[Choice] = []
        errors = self._expr_errors.get(key, {})
        errors.pop("choice_filter", None)
        for choice in choices.choices:
            try:
                if to_bool(evaluate(expr, ChoiceContext(self, node, scope, choice))):
                    kept.append(choice)
            except EvaluationError as exc:
                self._expr_errors.setdefault(key, {})["choice_filter"] = f"choice_filter: {exc}"
                return list(choices.choices)
        return kept

    # -- validation --------------------------------------------------------------------------
    def validate(self, key: str) -> str | None:
        """The message to show on this question now, or None when it is fine."""
        node, scope = self._locate(key)
        if not self._relevant.get(key, True) or node.is_container:
            return None
        if key in self._input_errors:
            return self._input_errors[key]
        info = self.graph.exprs[node.name]
        if info.errors:
            return next(iter(info.errors.values()))
        errors = self._expr_errors.get(key)
        if errors:
            return next(iter(errors.values()))
        value = self._answers.get(key)
        if value is None:
            if info.required is not None:
                result = self._eval(info.required, node, scope, key, "required")
                if result is None:
                    return self._expr_errors[key]["required"]
                if to_bool(result):
                    return pick_text(node.required_message, self.language) or REQUIRED_DEFAULT
            return None
        if info.constraint is not None:
            result = self._eval(info.constraint, node, scope, key, "constraint")
            if result is None:
                return self._expr_errors[key]["constraint"]
            if not to_bool(result):
                return pick_text(node.constraint_message, self.language) or CONSTRAINT_DEFAULT
        return None

    def messages(self, keys: Iterable[str] | None = None) -> dict[str, str]:
        """Validation messages of the given keys (default: every field), in form order."""
        out: dict[str, str] = {}
        for key in self.keys() if keys is None else keys:
            node = self._node_for(key)
            if node.type in METADATA_TYPES:
                continue
            message = self.validate(key)
            if message:
                out[key] = message
        return out

    def finalize(self) -> dict[str, Stored]:
        """Refuse (listing every problem and where) or mark finalized and return the values,
        irrelevant answers excluded, as ODK submits them."""
        problems = [
            Problem(message, name=key, row=self._node_for(key).row)
            for key, message in self.messages().items()
        ]
        if problems:
            raise FieldkitError(problems)
        for node, scope in self._nodes_in(self.form.children, ()):
            if node.type == "end":
                self._answers[make_key(scope, node.name)] = self._now().isoformat(
                    timespec="seconds"
                )
        self.status = "finalized"
        return self.values()

    # -- screens and navigation ----------------------------------------------------------------
    def screens(self) -> list[Screen]:
        """Every screen, relevant or not, in order (recomputed only when repeats change)."""
        if self._screens is None:
            screens: list[Screen] = []
            self._collect_screens(self.form.children, (), screens)
            self._screens = screens
        return self._screens

    def _collect_screens(self, nodes: Iterable[Node], scope: Scope, out: list[Screen]) -> None:
        for node in nodes:
            key = make_key(scope, node.name)
            if node.type == "group" and node.field_list:
                keys = tuple(
                    make_key(s, n.name)
                    for n, s in self._nodes_in(node.children, scope)
                    if n.type in INPUT_TYPES
                )
                if keys:
                    out.append(Screen(key, keys))
            elif node.type == "group":
                self._collect_screens(node.children, scope, out)
            elif node.type == "repeat":
                for i in range(self._count(key)):
                    self._collect_screens(node.children, scope + ((node.name, i),), out)
            elif node.type in INPUT_TYPES:
                out.append(Screen(key, (key,)))

    def screen_relevant(self, screen: Screen) -> bool:
        if not self._relevant.get(screen.key, True):
            return False
        return any(self._relevant.get(k, True) for k in screen.keys)

    def relevant_screens(self) -> list[Screen]:
        return [s for s in self.screens() if self.screen_relevant(s)]

    @property
    def current(self) -> Screen | None:
        screens = self.screens()
        return screens[self._position] if 0 <= self._position < len(screens) else None

    def next(self) -> Screen | None:
        """Move to the next relevant screen; None (and stay past the end) when there is none."""
        screens = self.screens()
        position = self._position + 1
        while position < len(screens) and not self.screen_relevant(screens[position]):
            position += 1
        self._position = min(position, len(screens))
        return self.current

    def previous(self) -> Screen | None:
        screens = self.screens()
        position = min(self._position, len(screens)) - 1
        while position >= 0 and not self.screen_relevant(screens[position]):
            position -= 1
        self._position = max(position, -1)
        return self.current

    def go_to(self, key: str) -> Screen:
        for position, screen in enumerate(self.screens()):
            if screen.key == key or key in screen.keys:
                self._position = position
                return screen
        raise FieldkitError(Problem("no screen shows this question", name=key))


def _copy(value: Stored) -> Stored:
    return list(value) if isinstance(value, list) else value
