"""Recursive-descent parser for the XPath 1.0 subset XLSForms use (ODK flavour).

Grammar (lowest precedence first), as in XPath 1.0 §3:
    or > and > (= !=) > (< <= > >=) > (+ -) > (* div mod) > unary - > | > path/filter
Function names are checked against the ODK function library and their arity, as ODK Validate
does, so a typo (`iff(...)`) is a syntax error at load time rather than a surprise mid-interview.
"""

from __future__ import annotations

from fieldkit.forms.expr.errors import ExpressionError
from fieldkit.forms.expr.lexer import EOF, NAME, NUMBER, OP, REF, STRING, Token, tokenize
from fieldkit.forms.expr.nodes import Binary, Call, Literal, Negate, Node, Path, Ref

_LEVELS: tuple[tuple[str, ...], ...] = (
    ("or",),
    ("and",),
    ("=", "!="),
    ("<", "<=", ">", ">="),
    ("+", "-"),
    ("*", "div", "mod"),
)
_NODE_TYPES = frozenset({"node", "text", "comment", "processing-instruction"})
_MAX_DEPTH = 200


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    # -- token helpers -----------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def at_op(self, *values: str) -> bool:
        return self.tok.kind == OP and self.tok.value in values

    def advance(self) -> Token:
        tok = self.tok
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        if not self.at_op(value):
            self.fail(f"expected '{value}'")
        self.advance()

    def fail(self, message: str, tok: Token | None = None) -> None:
        tok = tok or self.tok
        found = "end of expression" if tok.kind == EOF else repr(tok.value)
        raise ExpressionError(f"{message}, found {found}", self.text, tok.pos)

    # -- grammar -----------------------------------------------------------------------
    def parse(self) -> Node:
        if self.tok.kind == EOF:
            raise ExpressionError("empty expression", self.text, 0)
        node = self.expression()
        if self.tok.kind != EOF:
            self.fail("unexpected text after the expression")
        return node

    def expression(self, level: int = 0) -> Node:
        if level == len(_LEVELS):
            return self.unary()
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise ExpressionError("expression nested too deeply", self.text, self.tok.pos)
        node = self.expression(level + 1)
        while self.at_op(*_LEVELS[level]):
            op = self.advance().value
            node = Binary(op, node, self.expression(level + 1))
        self.depth -= 1
        return node

    def unary(self) -> Node:
        if self.at_op("-"):
            self.advance()
            self.depth += 1
            if self.depth > _MAX_DEPTH:
                raise ExpressionError("expression nested too deeply", self.text, self.tok.pos)
            node = Negate(self.unary())
            self.depth -= 1
            return node
        node = self.path_expr()
        while self.at_op("|"):
            self.advance()
            node = Binary("|", node, self.path_expr())
        return node

    def path_expr(self) -> Node:
        tok = self.tok
        if tok.kind in (NUMBER, STRING, REF) or self.at_op("("):
            return self.filter_expr()
        if tok.kind == NAME and self.peek().kind == OP and self.peek().value == "(":
            if tok.value not in _NODE_TYPES:
                return self.filter_expr()
        if self.at_op("/", "//", ".", "..", "@", "*") or tok.kind == NAME:
            return self.location_path()
        self.fail("expected a value, a ${reference}, a path or a function call")
        raise AssertionError  # unreachable

    def filter_expr(self) -> Node:
        node = self.primary()
        predicates: list[Node] = []
        while self.at_op("["):
            predicates.append(self.predicate())
        if self.at_op("/", "//"):
            steps, more = self.relative_steps(leading=True)
            return Path(False, tuple(steps), base=node, predicates=tuple(predicates + more))
        if predicates:
            return Path(False, (), base=node, predicates=tuple(predicates))
        return node

    def primary(self) -> Node:
        tok = self.advance()
        if tok.kind == NUMBER:
            return Literal(float(tok.value))
        if tok.kind == STRING:
            return Literal(tok.value)
        if tok.kind == REF:
            return Ref(tok.value)
        if tok.kind == OP and tok.value == "(":
            node = self.expression()
            self.expect(")")
            return node
        return self.call(tok)

    def call(self, name_tok: Token) -> Node:
        from fieldkit.forms.expr.functions import FUNCTIONS

        function = FUNCTIONS.get(name_tok.value)
        if function is None:
            raise ExpressionError(f"unknown function {name_tok.value}()", self.text, name_tok.pos)
        self.expect("(")
        args: list[Node] = []
        if not self.at_op(")"):
            args.append(self.expression())
            while self.at_op(","):
                self.advance()
                args.append(self.expression())
        self.expect(")")
        problem = function.arity_error(len(args))
        if problem:
            raise ExpressionError(problem, self.text, name_tok.pos)
        return Call(name_tok.value, tuple(args))

    def predicate(self) -> Node:
        self.expect("[")
        node = self.expression()
        self.expect("]")
        return node

    def location_path(self) -> Node:
        absolute = False
        steps: list[str] = []
        if self.at_op("/", "//"):
            absolute = True
            if self.advance().value == "//":
                steps.append("")
            if not self._at_step():
                return Path(True, tuple(steps))
        more_steps, predicates = self.relative_steps(leading=False)
        return Path(absolute, tuple(steps + more_steps), predicates=tuple(predicates))

    def _at_step(self) -> bool:
        return self.at_op(".", "..", "@", "*") or self.tok.kind == NAME

    def relative_steps(self, leading: bool) -> tuple[list[str], list[Node]]:
        steps: list[str] = []
        predicates: list[Node] = []
        if not leading:
            self.step(steps, predicates)
        while self.at_op("/", "//"):
            if self.advance().value == "//":
                steps.append("")
            self.step(steps, predicates)
        return steps, predicates

    def step(self, steps: list[str], predicates: list[Node]) -> None:
        if self.at_op(".", ".."):
            steps.append(self.advance().value)
            return
        prefix = ""
        if self.at_op("@"):
            self.advance()
            prefix = "@"
        if self.at_op("*"):
            self.advance()
            steps.append(prefix + "*")
        elif self.tok.kind == NAME:
            name = self.advance().value
            if name in _NODE_TYPES and self.at_op("("):
                self.advance()
                self.expect(")")
                name += "()"
            steps.append(prefix + name)
        else:
            self.fail("expected a path step")
        while self.at_op("["):
            predicates.append(self.predicate())


def parse_tree(text: str) -> Node:
    """The syntax tree of `text`; ExpressionError (with .position) on bad syntax."""
    if not isinstance(text, str):
        raise ExpressionError(f"expected text, got {type(text).__name__}")
    return _Parser(text).parse()
