"""What an expression sees while an interview runs: the Context of one field instance.

`${name}` is resolved relative to the instance being evaluated, as ODK does: inside the same
repeat instance it is that instance's value; from outside a repeat it is a NodeSet of every
instance (for sum(), count(), join()...). choice_filter expressions get a ChoiceContext, where
bare names are the columns of the choice row being tested.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from fieldkit.forms.answer_keys import Scope, make_key
from fieldkit.forms.expr import Context, EvaluationError, NodeSet, to_value
from fieldkit.forms.expr.values import Value
from fieldkit.forms.model import Choice, Node

if TYPE_CHECKING:
    from fieldkit.forms.interview import Interview


class InstanceContext(Context):
    """The world seen by an expression of one field instance."""

    __slots__ = ("iv", "node", "scope")

    def __init__(self, iv: Interview, node: Node, scope: Scope):
        self.iv = iv
        self.node = node
        self.scope = scope

    def ref(self, name: str) -> Value:
        iv = self.iv
        chain = iv._chain.get(name)
        if chain is None:
            raise EvaluationError(f"unknown reference ${{{name}}}")
        if not chain:
            return to_value(iv._answers.get(name))
        own = iv._chain[self.node.name]
        if self.node.type == "repeat":
            own = own + (self.node.name,)
        common = 0
        for a, b in zip(chain, own, strict=False):
            if a != b or common >= len(self.scope):
                break
            common += 1
        base = self.scope[:common]
        if common == len(chain):
            return to_value(iv._answers.get(make_key(base, name)))
        return NodeSet(
            to_value(iv._answers.get(make_key(s, name))) for s in iv._expand(base, chain[common:])
        )

    def path(self, absolute: bool, steps: tuple[str, ...]) -> Value:
        if not absolute and steps == (".",):
            return to_value(self.iv._answers.get(make_key(self.scope, self.node.name)))
        last = steps[-1] if steps else ""
        if last in ("", ".", ".."):
            return ""
        return self.ref(last)

    def position(self, steps: tuple[str, ...]) -> int:
        target: Node | None = self.node
        for step in steps:
            if step == "..":
                target = target.parent if target else None
            elif step != ".":
                raise EvaluationError("position() takes '..' or '.'")
        if target is None:
            raise EvaluationError("position(): the path leaves the form")
        repeat = target if target.type == "repeat" else target.repeat
        if repeat is None:
            raise EvaluationError("position() is only meaningful inside a repeat")
        for name, index in self.scope:
            if name == repeat.name:
                return index + 1
        raise EvaluationError(f"position(): not inside an instance of {repeat.name}")

    def indexed(self, name: str, indexes: tuple[tuple[str, int], ...]) -> Value:
        chain = self.iv._chain.get(name)
        if chain is None:
            raise EvaluationError(f"indexed-repeat(): unknown field ${{{name}}}")
        wanted = dict(indexes)
        current = dict(self.scope)
        scope: list[tuple[str, int]] = []
        for repeat in chain:
            if repeat in wanted:
                index = wanted[repeat] - 1
            else:
                index = current.get(repeat, 0)
            if not 0 <= index < self.iv._count(make_key(tuple(scope), repeat)):
                return ""
            scope.append((repeat, index))
        return to_value(self.iv._answers.get(make_key(tuple(scope), name)))

    def choice_label(self, field_name: str, value: str) -> str:
        node = self.iv._nodes.get(field_name)
        if node is None or not node.list_name:
            raise EvaluationError(f"jr:choice-name: ${{{field_name}}} is not a select question")
        choices = self.iv.form.choices.get(node.list_name)
        choice = choices.get(value) if choices else None
        return choice.text(self.iv.language) if choice else ""

    def now(self) -> dt.datetime:
        return self.iv._now()


class ChoiceContext(InstanceContext):
    """choice_filter: bare names are the columns of the choice row being tested."""

    __slots__ = ("choice",)

    def __init__(self, iv: Interview, node: Node, scope: Scope, choice: Choice):
        super().__init__(iv, node, scope)
        self.choice = choice

    def path(self, absolute: bool, steps: tuple[str, ...]) -> Value:
        if not absolute and len(steps) == 1 and steps[0] not in (".", ".."):
            column = steps[0]
            if column == "name":
                return self.choice.name
            if column == "label":
                return self.choice.text(self.iv.language)
            return str(self.choice.extra.get(column, ""))
        return super().path(absolute, steps)
