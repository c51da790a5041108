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
_REF_RE = re.compile(r"\$\{\s*([^{}\s]+)\s*\}")
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


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, ending with an EOF token; ExpressionError on an unknown character."""
    tokens: list[Token] = []
    pos = 0
    n = len(text)
    while pos < n:
        ch = text[pos]
        if ch.isspace():
            pos = _SPACE_RE.match(text, pos).end()  # type: ignore[union-attr]
            continue
        prev = tokens[-1] if tokens else None
        if ch == "$":
            m = _REF_RE.match(text, pos)
            if not m:
                raise ExpressionError("malformed ${...} reference", text, pos)
            tokens.append(Token(REF, m.group(1), pos))
            pos = m.end()
            continue
        if ch in "'\"":
            end = text.find(ch, pos + 1)
            if end < 0:
                raise ExpressionError("unterminated string", text, pos)
            tokens.append(Token(STRING, text[pos + 1 : end], pos))
            pos = end + 1
            continue
        m = _NUMBER_RE.match(text, pos)
        if m:
            tokens.append(Token(NUMBER, m.group(0), pos))
            pos = m.end()
            continue
        if ch == "*" and _ends_operand(prev):
            tokens.append(Token(OP, "*", pos))
            pos += 1
            continue
        m = _NAME_RE.match(text, pos)
        if m:
            word = m.group(0)
            # A trailing '.' or '-' is never part of a name in practice (`a.`, `x -1`).
            while word and word[-1] in ".-" and len(word) > 1:
                word = word[:-1]
            if word in OPERATOR_WORDS and _ends_operand(prev):
                tokens.append(Token(OP, word, pos))
            else:
                tokens.append(Token(NAME, word, pos))
            pos += len(word)
            continue
        for punct in _PUNCT:
            if text.startswith(punct, pos):
                tokens.append(Token(OP, punct, pos))
                pos += len(punct)
                break
        else:
            raise ExpressionError(f"unexpected character {ch!r}", text, pos)
    tokens.append(Token(EOF, "", n))
    return tokens
