"""An expression's *shape*: its text with every ${reference} and string made neutral.

Why: a form is checked every time it is loaded, and whether an expression parses depends only
on its token kinds, operators, names and functions, never on which field a ${reference} names
or what a literal holds. Real forms repeat a handful of shapes (`${x} = 'yes'`,
`selected(${x}, 'a')`, `${age} >= 18`), so the load-time checks parse once per shape and read
the rest with one regex pass per condition. Each text is still parsed in full (and cached) when
an interview first evaluates it, and a text whose shape fails is re-parsed for its own message.

Tokens keep their kinds and order: references become `${_0}`, `${_1}`... (so the tree still
says which of them the expression reads) and strings become `' '` (a space, so no neutral
string can join what follows into a reference; those holding a `${` stay whole:
jr:choice-name reads the names inside them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from fieldkit.forms.expr.errors import ExpressionError
from fieldkit.forms.expr.lexer import REF_RE
from fieldkit.forms.expr.nodes import Binary, Call, Literal, Node, Path, Ref, string_refs
from fieldkit.forms.expr.parser import parse_tree

# The tokens a shape neutralises, as the tokenizer spells them (fieldkit.forms.expr.lexer). A
# `$`, `'` or `"` can only start a token (no name, number or operator holds one), so matching
# anywhere finds exactly the tokenizer's references and strings. Numbers stay as written:
# telling a number from the digits of a name would need the tokenizer's own pass.
_NEUTRAL_RE = re.compile(r"\$\{\s*([^{}\s]+)\s*\}|'[^']*'|\"[^\"]*\"")
# ${name} and ODK's ${last-saved#name} wherever written (pyxform's textual substitution).
MENTION_RE = re.compile(r"\$\{(?:last-saved#)?([^}]*)\}")
_SINGLE_QUOTED_RE = re.compile(r"'[^']*'")


class Reads(NamedTuple):
    """What an expression reads, for the dependency and cycle checks."""

    names: frozenset[str]  # ${names}, jr:choice-name's names and paths' target names
    reads_current: bool  # `.`: the field the expression belongs to
    union: bool  # `a | b`: JavaRosa parses it but cannot evaluate it
    filter_path: bool  # a path after a value, a call or `( )`: refused by JavaRosa
    # every ${name} written in the text, strings included, as pyxform substitutes them
    mentions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Analysis:
    """One tree's reads, with the ${reference} names as the tree spells them."""

    ref_names: tuple[str, ...]
    other_names: frozenset[str]  # jr:choice-name's names and paths' target names
    reads_current: bool
    union: bool
    filter_path: bool
    continues: bool  # `x ${a}`: a reference that continues a path instead of being read


def _analysis(tree: Node) -> _Analysis:
    refs: list[str] = []
    other: set[str] = set()
    reads_current = union = filter_path = continues = False
    for node in tree.walk():
        if isinstance(node, Ref):
            refs.append(node.name)
        elif isinstance(node, Call):
            if node.name == "jr:choice-name" and len(node.args) > 1:
                second = node.args[1]
                if isinstance(second, Literal) and isinstance(second.value, str):
                    other |= string_refs(second.value)
        elif isinstance(node, Binary):
            union = union or node.op == "|"
        elif isinstance(node, Path):
            filter_path = filter_path or node.filter_base
            continues = continues or any(step.startswith("${") for step in node.steps)
            if node.base is None:
                if node.target_name:
                    other.add(node.target_name)
                elif not node.absolute and node.steps == (".",):
                    reads_current = True
    return _Analysis(tuple(refs), frozenset(other), reads_current, union, filter_path, continues)


def shape_of(text: str) -> tuple[str, tuple[str, ...]]:
    """(the shape of `text`, the names of its ${reference} tokens in order)."""
    refs: list[str] = []

    def neutral(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is not None:
            refs.append(name)
            return f"${{_{len(refs) - 1}}}"
        whole = match.group(0)
        return whole if "${" in whole else f"{whole[0]} {whole[0]}"

    return _NEUTRAL_RE.sub(neutral, text), tuple(refs)


@lru_cache(maxsize=4096)
def _analyse(shape: str) -> _Analysis | None:
    """A shape's reads, or None when it does not parse."""
    try:
        return _analysis(parse_tree(shape))
    except ExpressionError:
        return None


def _plain_shape(text: str) -> tuple[str, list[str]] | None:
    """The shape with every reference as `${_}`, made by C-speed substitutions, when that
    loses nothing: no double quotes, no quote inside a reference, no `${` inside a string (so
    every `'` delimits a string, as the tokenizer reads it). None: use shape_of."""
    if '"' in text:
        return None
    refs = REF_RE.findall(text)
    stripped = text
    if "'" in text:
        if any("'" in name for name in refs):
            return None
        stripped = _SINGLE_QUOTED_RE.sub("' '", text)
        # a `${` inside a string, or a reference the stripping made (`${a'x y'}` -> `${a''}`)
        # a `${` inside a string, or a reference the stripping made (never, as strings keep a
        # space, but it is checked for the price of one more pass)
        if stripped.count("${") != text.count("${") or REF_RE.findall(stripped) != refs:
            return None
    return REF_RE.sub("${_}", stripped), refs


@lru_cache(maxsize=8192)
def examine(text: str) -> Reads | None:
    """What `text` reads, or None when it does not parse; decided once per shape."""
    plain = _plain_shape(text)
    if plain is not None:
        analysis = _analyse(plain[0])
        if analysis is None:
            return None
        if not analysis.continues:  # every reference is read: the names are the references
            refs = plain[1]
            names = frozenset(refs)
            if analysis.other_names:
                names |= analysis.other_names
            return Reads(
                names, analysis.reads_current, analysis.union, analysis.filter_path,
                _mentions(text, refs),
            )  # fmt: skip
    shape, refs = shape_of(text)  # references numbered: the tree says which ones are read
    analysis = _analyse(shape)
    if analysis is None:
        return None
    names = {refs[int(slot[1:])] for slot in analysis.ref_names} | analysis.other_names
    return Reads(
        frozenset(names), analysis.reads_current, analysis.union, analysis.filter_path,
        mentions(text),
    )  # fmt: skip


class Batch(NamedTuple):
    """What many expressions read, taken together (see survey)."""

    parses: bool  # every text parses
    mentions: frozenset[str]  # every ${name} written in any of them
    # each text reads exactly its ${references}: no `.`, union, path after a filter, path
    # continuing a reference, jr:choice-name names or absolute path read in any of them
    plain: bool


# Joins a batch's texts. No reference, string or mention token can span it: the `{` is the
# only character the patterns below accept only after `$`, and the NULs end a string match.
_SEPARATOR = "\x00{\x00"
_BATCH_STRING_RE = re.compile("'[^'\x00]*'")


def survey(texts: list[str]) -> Batch | None:
    """examine() for many texts at once, in a few C-speed passes over them joined, and one
    analysis per distinct shape: a form's checks ask first whether all its expressions parse
    and name fields that exist, and usually they do. None: the batch holds what only a text
    by text look decides (double quotes, a `${` that is no reference, ${last-saved#...}, a
    NUL); ask examine() for each text then."""
    if not texts:
        return Batch(True, frozenset(), True)
    joined = _SEPARATOR.join(texts)
    if '"' in joined or "last-saved#" in joined or joined.count("\x00") != 2 * (len(texts) - 1):
        return None
    quoted = "'" in joined
    stripped = _BATCH_STRING_RE.sub("' '", joined) if quoted else joined
    # No reference overlaps a neutral string (`' '`: a name holds no space, and only spaces
    # may stand between a name and its braces), so the references of `stripped` are
    # references of `joined`; as many as its `${`, they are all of them, and no string held
    # a `${`.
    parts = REF_RE.split(stripped)  # text, name, text, name, ..., text
    refs = parts[1::2]
    if len(refs) != joined.count("${"):
        return None  # a `${` in a string, or one that opens no reference
    if quoted and any("'" in name for name in refs):
        return None  # a quote inside a reference: the tokenizer reads it text by text
    plain = True
    for shape in set("${_}".join(parts[::2]).split(_SEPARATOR)):
        analysis = _analyse(shape)
        if analysis is None:
            return Batch(False, frozenset(refs), False)
        if plain and (
            analysis.continues
            or analysis.other_names
            or analysis.reads_current
            or analysis.union
            or analysis.filter_path
        ):
            plain = False
    return Batch(True, frozenset(refs), plain)


def mentions(text: str) -> tuple[str, ...]:
    """Every ${name} written in `text`, strings included (pyxform substitutes them all)."""
    return tuple(m.strip() for m in MENTION_RE.findall(text))


def _mentions(text: str, refs: list[str]) -> tuple[str, ...]:
    """mentions(), from the tokenizer's references when they are the same: every `${` opened a
    reference token and none is ${last-saved#...}."""
    if len(refs) == text.count("${") and "last-saved#" not in text:
        return tuple(refs)
    return mentions(text)


def clear_caches() -> None:
    """Forget every shape and text seen (the benchmark measures a first load with it)."""
    examine.cache_clear()
    _analyse.cache_clear()
