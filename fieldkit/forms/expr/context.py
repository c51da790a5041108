"""What an expression needs from the world it is evaluated in: the context protocol.

The evaluator never looks at answers directly; it asks a `Context`. Subclass `Context` and
override what your setting supports (the Interview overrides everything; a choice_filter
context answers bare names from the choice row). Every method has a safe default, so a minimal
context (e.g. `MappingContext` for tests and the loader's dry runs) stays tiny.

Methods (all return expression values, see fieldkit.forms.expr.values):
- `ref(name)`: the value of `${name}` seen from the node being evaluated. Inside the same
  repeat instance it is one value; from outside a repeat it is a NodeSet of every instance.
- `path(absolute, steps)`: a location path such as `.`, `..`, `../x` or `/data/x` (steps are
  the raw step names, '.' and '..' included). A bare name `x` (choice_filter) has
  absolute=False, steps=('x',).
- `position(steps)`: `position(..)` -- the 1-based index of the repeat instance the path
  points to.
- `indexed(name, indexes)`: `indexed-repeat(${name}, ${rep}, i, ...)`; indexes is a tuple of
  (repeat name, 1-based index) from the outermost repeat in.
- `choice_label(field, value)`: `jr:choice-name(value, '${field}')` in the current language.
- `now()`: the current local time (injectable for tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from fieldkit.forms.expr.errors import EvaluationError
from fieldkit.forms.expr.values import NodeSet, Value


class Context:
    """Defaults: nothing is known. Subclasses answer what their setting can."""

    def ref(self, name: str) -> Value:
        raise EvaluationError(f"unknown reference ${{{name}}}")

    def path(self, absolute: bool, steps: tuple[str, ...]) -> Value:
        shown = ("/" if absolute else "") + "/".join(steps)
        raise EvaluationError(f"path {shown} cannot be used here")

    def position(self, steps: tuple[str, ...]) -> int:
        raise EvaluationError("position() is only meaningful inside a repeat")

    def indexed(self, name: str, indexes: tuple[tuple[str, int], ...]) -> Value:
        raise EvaluationError("indexed-repeat() is only meaningful in a form with repeats")

    def choice_label(self, field: str, value: str) -> str:
        raise EvaluationError(f"jr:choice-name: ${{{field}}} is not a select question")

    def now(self) -> dt.datetime:
        return dt.datetime.now().replace(microsecond=0)


def to_value(raw: object) -> Value:
    """A stored (JSON-able) answer as an expression value: None -> '', list -> space-joined."""
    if raw is None:
        return ""
    if isinstance(raw, bool | str | float | dt.date | NodeSet):
        return raw
    if isinstance(raw, int):
        return float(raw)
    if isinstance(raw, list | tuple):
        return " ".join(str(x) for x in raw)
    return str(raw)


class MappingContext(Context):
    """Answers from a plain dict (name -> stored value); `.` is `current`. For tests and tools."""

    def __init__(
        self,
        values: Mapping[str, object] | None = None,
        current: object = "",
        now: dt.datetime | None = None,
        labels: Mapping[tuple[str, str], str] | None = None,
    ):
        self.values = dict(values or {})
        self.current = current
        self._now = now
        self.labels = dict(labels or {})

    def ref(self, name: str) -> Value:
        if name not in self.values:
            return super().ref(name)
        raw = self.values[name]
        if isinstance(raw, NodeSet):
            return raw
        return to_value(raw)

    def path(self, absolute: bool, steps: tuple[str, ...]) -> Value:
        if not absolute and steps == (".",):
            return to_value(self.current)
        if not absolute and len(steps) == 1 and steps[0] in self.values:
            return to_value(self.values[steps[0]])
        return super().path(absolute, steps)

    def choice_label(self, field: str, value: str) -> str:
        return self.labels.get((field, value), value)

    def now(self) -> dt.datetime:
        return self._now or super().now()
