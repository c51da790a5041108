"""The syntax tree of an expression, and its compilation to Python closures.

Each node compiles once into a closure `fn(ctx) -> Value`; evaluating an expression is then a
chain of plain function calls, with no tree walking or dispatch on node type. That is what
keeps "apply one answer and refresh relevance" within the 2 ms budget on large forms.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from fieldkit.forms.expr.errors import EvaluationError
from fieldkit.forms.expr.lexer import REF_RE
from fieldkit.forms.expr.values import NodeSet, Value, compare, to_bool, to_number

Compiled = Callable[[object], Value]
UNION_UNSUPPORTED = "unsupported construct: the union operator | (ODK Collect cannot evaluate it)"
FILTER_UNSUPPORTED = (
    "unsupported construct: a path after a value, a function call or a parenthesised"
    " expression (ODK Collect cannot evaluate it)"
)


class Node:
    """Base of the syntax tree nodes."""

    __slots__ = ()

    def children(self) -> tuple[Node, ...]:
        return ()

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children():
            yield from child.walk()

    def compile(self) -> Compiled:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Literal(Node):
    value: str | float

    def compile(self) -> Compiled:
        value = self.value
        return lambda ctx: value


@dataclass(frozen=True, slots=True)
class Ref(Node):
    """`${name}`."""

    name: str

    def compile(self) -> Compiled:
        name = self.name
        return lambda ctx: ctx.ref(name)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Path(Node):
    """A location path: `.`, `..`, `../x`, `/data/x`, a bare name, or `base/steps`."""

    absolute: bool
    steps: tuple[str, ...]
    base: Node | None = None  # a filter expression the path continues (`instance('x')/a`)
    predicates: tuple[Node, ...] = ()
    # base is a literal, a call or a parenthesised expression (`(${a})/x`, `1 ${a}`): JavaRosa
    # parses a path after one but cannot evaluate it (${a} itself is a path, so `${a}/x` is not)
    filter_base: bool = False

    def children(self) -> tuple[Node, ...]:
        return ((self.base,) if self.base else ()) + self.predicates

    def compile(self) -> Compiled:
        if self.filter_base:

            def filter_unsupported(ctx: object) -> Value:
                raise EvaluationError(FILTER_UNSUPPORTED)

            return filter_unsupported
        if any(step.startswith("${") for step in self.steps):
            # `not ${a}`: the path continues into ${a}'s absolute path, where no node is
            return lambda ctx: NodeSet(())
        if self.base is not None or self.predicates:
            text = "/".join(self.steps)

            def unsupported(ctx: object) -> Value:
                raise EvaluationError(f"path with a filter or predicate is not supported: {text}")

            return unsupported
        absolute, steps = self.absolute, self.steps
        return lambda ctx: ctx.path(absolute, steps)  # type: ignore[attr-defined]

    @property
    def target_name(self) -> str | None:
        """The field a path such as `../x` or `/data/g/x` names (None for `.`, `..`)."""
        last = self.steps[-1] if self.steps else ""
        if last in ("", ".", "..", "*") or last.startswith(("@", "${")):
            return None
        return last


def _div(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _mod(a: float, b: float) -> float:
    if b == 0 or math.isinf(a):
        return math.nan
    return math.fmod(a, b)


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "div": _div,
    "mod": _mod,
}


def _safe(op: Callable[[float, float], float]) -> Callable[[float, float], float]:
    def run(a: float, b: float) -> float:
        try:
            return op(a, b)
        except OverflowError:
            return math.inf
        except (ValueError, ArithmeticError):
            return math.nan

    return run


@dataclass(frozen=True, slots=True)
class Binary(Node):
    op: str
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)

    def compile(self) -> Compiled:
        left, right, op = self.left.compile(), self.right.compile(), self.op
        if op == "or":
            return lambda ctx: to_bool(left(ctx)) or to_bool(right(ctx))
        if op == "and":
            return lambda ctx: to_bool(left(ctx)) and to_bool(right(ctx))
        if op in ("=", "!=", "<", "<=", ">", ">="):
            return lambda ctx: compare(op, left(ctx), right(ctx))
        if op == "|":
            # JavaRosa parses the union but cannot evaluate it ("XPath evaluation: unsupported
            # construct"): ODK Collect fails the same way, so fieldkit does not pretend to.
            def union(ctx: object) -> Value:
                raise EvaluationError(UNION_UNSUPPORTED)

            return union
        arith = _safe(_ARITHMETIC[op])
        return lambda ctx: arith(to_number(left(ctx)), to_number(right(ctx)))


@dataclass(frozen=True, slots=True)
class Negate(Node):
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    def compile(self) -> Compiled:
        operand = self.operand.compile()
        return lambda ctx: -to_number(operand(ctx))


@dataclass(frozen=True, slots=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.args

    def compile(self) -> Compiled:
        from fieldkit.forms.expr.functions import FUNCTIONS

        function = FUNCTIONS[self.name]
        return function.bind(self.args)


def string_refs(text: str) -> set[str]:
    """The `${name}`s written inside a string literal (jr:choice-name's second argument)."""
    return set(REF_RE.findall(text))
