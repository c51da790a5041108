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

# Binary operators by precedence (XPath 1.0 §3: or < and < equality < relational < additive <
# multiplicative); `|` binds tighter than all of them and is parsed with the paths.
_PRECEDENCE = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}
_NODE_TYPES = frozenset({"node", "text", "comment", "processing-instruction"})
_MAX_DEPTH = 100


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.tok: Token = self.tokens[0]  # the current token, kept as a field: parsing is hot
        self.depth = 0

    # -- token helpers -----------------------------------------------------------------
    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def at_op(self, *values: str) -> bool:
        return self.tok.kind == OP and self.tok.value in values

    def advance(self) -> Token:
        tok = self.tok
        if tok.kind != EOF:
            self.i += 1
            self.tok = self.tokens[self.i]
        return tok

    def expect(self, value: str) -> None:
        if not self.at_op(value):
            self.fail(f"expected '{value}'")
        self.advance()

    def fail(self, message: str, tok: Token | None = None) -> None:
        tok = tok or self.tok
        found = "end of expression" if tok.kind == EOF else repr(tok.value)
        raise ExpressionError(f"{message}, found {found}", self.text, tok.pos)

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise ExpressionError("expression nested too deeply", self.text, self.tok.pos)

    # -- grammar -----------------------------------------------------------------------
    def parse(self) -> Node:
        if self.tok.kind == EOF:
            raise ExpressionError("empty expression", self.text, 0)
        node = self.expression()
        if self.tok.kind != EOF:
            self.fail("unexpected text after the expression")
        return node

    def expression(self, min_precedence: int = 1) -> Node:
        """Precedence climbing over _PRECEDENCE: left-associative, one call per operand."""
        self.deeper()
        node = self.unary()
        while True:
            tok = self.tok
            if tok.kind != OP:
                break
            precedence = _PRECEDENCE.get(tok.value, 0)
            if precedence < min_precedence:
                break
            self.advance()
            node = Binary(tok.value, node, self.expression(precedence + 1))
        self.depth -= 1
        return node

    def unary(self) -> Node:
        if self.at_op("-"):
            self.advance()
            self.deeper()
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
            node = self.filter_expr()
        elif (
            tok.kind == NAME
            and self.peek().kind == OP
            and self.peek().value == "("
            and tok.value not in _NODE_TYPES
        ):
            node = self.filter_expr()
        elif self.at_op("/", "//", ".", "..", "@", "*") or tok.kind == NAME:
            node = self.location_path()
        else:
            self.fail("expected a value, a ${reference}, a path or a function call")
            raise AssertionError  # unreachable
        while self.tok.kind == REF:  # JavaRosa reads `x ${a}` as the path x/data/a
            node = _continue_path(node, self.advance().value, filter_base=tok.kind != REF)
            while self.at_op("["):
                node = _with_predicate(node, self.predicate())
        return node

    def filter_expr(self) -> Node:
        filter_base = self.tok.kind != REF  # ${a} is a path to JavaRosa; 'x', f(), (e) are not
        node = self.primary()
        predicates: list[Node] = []
        while self.at_op("["):
            predicates.append(self.predicate())
        if self.at_op("/", "//"):
            steps, more = self.relative_steps(leading=True)
            return Path(
                False,
                tuple(steps),
                base=node,
                predicates=tuple(predicates + more),
                filter_base=filter_base,
            )
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


def _continue_path(node: Node, name: str, filter_base: bool) -> Path:
    """`node ${name}` as JavaRosa reads it: the path goes on into ${name}'s absolute path.

    The step keeps the `${name}` spelling (no field name can contain `$`), so the path names
    no field: it reads an empty node-set, as not/data/a does in ODK Collect. After a value, a
    call or a parenthesised expression (`1 ${a}`) it is a filter expression, which JavaRosa
    parses but cannot evaluate.
    """
    step = f"${{{name}}}"
    if isinstance(node, Path) and (node.base is None or node.filter_base or not filter_base):
        return Path(
            node.absolute,
            (*node.steps, step),
            base=node.base,
            predicates=node.predicates,
            filter_base=node.filter_base,
        )
    if isinstance(node, Ref) and not filter_base:
        return Path(True, (f"${{{node.name}}}", step))
    return Path(False, (step,), base=node, filter_base=True)


def _with_predicate(node: Path, predicate: Node) -> Path:
    return Path(
        node.absolute,
        node.steps,
        base=node.base,
        predicates=(*node.predicates, predicate),
        filter_base=node.filter_base,
    )


def parse_tree(text: str) -> Node:
    """The syntax tree of `text`; ExpressionError (with .position) on bad syntax."""
    if not isinstance(text, str):
        raise ExpressionError(f"expected text, got {type(text).__name__}")
    return _Parser(text).parse()
