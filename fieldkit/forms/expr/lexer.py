"""Tokenizer for the XLSForm/ODK XPath subset.

XPath's lexical rules are context dependent: `*`, `div`, `mod`, `and` and `or` are operators
only after something that ends an operand, and `-` belongs to a name (`count-selected`) when
it sits inside one. The tokenizer applies those rules so the parser sees unambiguous tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fieldkit.forms.expr.errors import ExpressionError

# Token kinds.
NUMBER = "number"
STRING = "string"
REF = "ref"  # ${name}
NAME = "name"  # QName: a path step or a function name
OP = "op"  # punctuation and operators, including the operator words
EOF = "eof"

OPERATOR_WORDS = frozenset({"and", "or", "div", "mod"})
_NAME_START = r"[A-Za-z_\u00C0-\uFFFF]"
_NAME_CHAR = r"[A-Za-z0-9_.\-\u00B7\u00C0-\uFFFF]"
_NCNAME = f"{_NAME_START}{_NAME_CHAR}*"
_NAME_RE = re.compile(f"{_NCNAME}(?::{_NCNAME})?")
_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+", re.ASCII)
REF_RE = re.compile(r"\$\{\s*([^{}\s]+)\s*\}")  # ${name}, as the tokens below read it
_SPACE_RE = re.compile(r"\s+")
_PUNCT = ("!=", "<=", ">=", "//", "..", "(", ")", "[", "]", ",", "/", ".", "|", "+", "-",
          "*", "=", "<", ">", "@")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    value: str
    pos: int


def _ends_operand(tok: Token | None) -> bool:
    """XPath 1.0 §3.7: after these, `*` and operator names are operators."""
    if tok is None:
        return False
    if tok.kind in (NUMBER, STRING, REF, NAME):
        return True
    return tok.kind == OP and tok.value in (")", "]", ".", "..")


# One pattern for every token, tried in the order the rules need (a number before `.`, `..`
# before `.`): one regex match per token instead of a test per character class.
_TOKEN_RE = re.compile(
    r"(?P<space>\s+)"
    r"|\$\{\s*(?P<ref>[^{}\s]+)\s*\}"
    r"|'(?P<sq>[^']*)'"
    r'|"(?P<dq>[^"]*)"'
    r"|(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    f"|(?P<name>{_NCNAME}(?::{_NCNAME})?)"
    r"|(?P<punct>!=|<=|>=|//|\.\.|[()\[\],/.|+\-*=<>@])"
)


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, ending with an EOF token; ExpressionError on an unknown character."""
    tokens: list[Token] = []
    pos = 0
    n = len(text)
    match = _TOKEN_RE.match
    prev: Token | None = None
    while pos < n:
        m = match(text, pos)
        if m is None:
            ch = text[pos]
            if ch == "$":
                raise ExpressionError("malformed ${...} reference", text, pos)
            if ch in "'\"":
                raise ExpressionError("unterminated string", text, pos)
            raise ExpressionError(f"unexpected character {ch!r}", text, pos)
        kind = m.lastgroup
        if kind == "space":
            pos = m.end()
            continue
        if kind == "name":
            word = m.group("name")
            # A trailing '.' or '-' is never part of a name in practice (`a.`, `x -1`).
            while word and word[-1] in ".-" and len(word) > 1:
                word = word[:-1]
            if word in OPERATOR_WORDS and _ends_operand(prev):
                prev = Token(OP, word, pos)
            else:
                prev = Token(NAME, word, pos)
            pos += len(word)
        else:
            if kind == "ref":
                prev = Token(REF, m.group("ref"), pos)
            elif kind == "sq" or kind == "dq":
                prev = Token(STRING, m.group(kind), pos)
            elif kind == "number":
                prev = Token(NUMBER, m.group("number"), pos)
            else:
                prev = Token(OP, m.group("punct"), pos)
            pos = m.end()
        tokens.append(prev)
    tokens.append(Token(EOF, "", n))
    return tokens
