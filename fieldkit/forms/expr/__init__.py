"""The XLSForm/ODK expression engine: parse once, evaluate many times.

    from fieldkit.forms.expr import parse, evaluate, MappingContext
    expr = parse("${age} >= 18 and selected(${consent}, 'yes')")
    expr.references()            # {'age', 'consent'}
    evaluate(expr, MappingContext({"age": 20, "consent": "yes"}))   # True

`parse` raises `ExpressionError` (a ValueError with `.position`) on bad syntax; it is cached,
so parsing the same text twice is free. `evaluate` returns an expression value (str, float,
bool, date, datetime or NodeSet; see `values`) and raises `EvaluationError` for a runtime
failure, which callers show as a message rather than crash. The world an expression sees
(answers, repeat positions, choice labels, the clock) is a `Context`; see `context`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from fieldkit.forms.expr.context import Context, MappingContext, to_value
from fieldkit.forms.expr.errors import EvaluationError, ExpressionError
from fieldkit.forms.expr.nodes import Call, Compiled, Literal, Node, Path, Ref, string_refs
from fieldkit.forms.expr.parser import parse_tree
from fieldkit.forms.expr.values import (
    NodeSet,
    Value,
    to_bool,
    to_date,
    to_number,
    to_string,
)


@dataclass(frozen=True, eq=False)
class Expr:
    """A parsed expression: its source text, syntax tree and compiled form."""

    text: str
    tree: Node
    _fn: Compiled = field(repr=False)

    def references(self) -> set[str]:
        """The `${names}` it uses (including the one named in jr:choice-name's string)."""
        names: set[str] = set()
        for node in self.tree.walk():
            if isinstance(node, Ref):
                names.add(node.name)
            elif isinstance(node, Call) and node.name == "jr:choice-name" and len(node.args) > 1:
                second = node.args[1]
                if isinstance(second, Literal) and isinstance(second.value, str):
                    names |= string_refs(second.value)
        return names

    def path_names(self) -> set[str]:
        """Field names reached by location paths (`../x`, `/data/x`); not `.` or `..`."""
        return {
            node.target_name
            for node in self.tree.walk()
            if isinstance(node, Path) and node.base is None and node.target_name
        }

    def functions(self) -> set[str]:
        return {node.name for node in self.tree.walk() if isinstance(node, Call)}

    def uses_current(self) -> bool:
        """True when it reads the node it belongs to (`.`, or string()/once() without path)."""
        for node in self.tree.walk():
            if isinstance(node, Path) and node.base is None and node.steps[:1] == (".",):
                return True
            if isinstance(node, Call) and node.name == "once":
                return True
            if isinstance(node, Call) and not node.args and node.name in _CURRENT_DEFAULT:
                return True
        return False

    def evaluate(self, ctx: Context) -> Value:
        return evaluate(self, ctx)


_CURRENT_DEFAULT = frozenset({"string", "string-length", "normalize-space", "number"})


@lru_cache(maxsize=8192)
def parse(text: str) -> Expr:
    """Parse an XLSForm expression; ExpressionError (with .position) on bad syntax."""
    tree = parse_tree(text)
    return Expr(text, tree, tree.compile())


def evaluate(expr: Expr | str, ctx: Context) -> Value:
    """Evaluate; any runtime failure becomes EvaluationError (never another exception)."""
    if isinstance(expr, str):
        expr = parse(expr)
    try:
        return expr._fn(ctx)
    except EvaluationError:
        raise
    except RecursionError:
        raise EvaluationError("expression too deeply nested to evaluate") from None
    except (ValueError, TypeError, ArithmeticError, OverflowError, IndexError, KeyError) as exc:
        raise EvaluationError(f"could not evaluate {expr.text!r}: {exc}") from None


__all__ = [
    "Context",
    "EvaluationError",
    "Expr",
    "ExpressionError",
    "MappingContext",
    "NodeSet",
    "Value",
    "evaluate",
    "parse",
    "to_bool",
    "to_date",
    "to_number",
    "to_string",
    "to_value",
]
