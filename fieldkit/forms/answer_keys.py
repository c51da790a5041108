"""Answer keys: how one answer is addressed, the contract between the engine and the store.

A top-level field is "name"; inside repeats "rep[0]/name", nested "rep[0]/inner[2]/name"
(0-based instance index, outermost repeat first). A *scope* is the repeat path part as a tuple
((repeat name, index), ...). XLSForm names are unique in a form, so the last part is enough to
find the question; the scope says which instance.
"""

from __future__ import annotations

from fieldkit.forms.model import Node

Scope = tuple[tuple[str, int], ...]  # ((repeat name, 0-based index), ...) outermost first


def make_key(scope: Scope, name: str) -> str:
    return "".join(f"{rep}[{index}]/" for rep, index in scope) + name


def split_key(key: str) -> tuple[str, Scope]:
    """'rep[0]/inner[2]/q' -> ('q', (('rep', 0), ('inner', 2))); ValueError if malformed."""
    parts = key.split("/")
    scope: list[tuple[str, int]] = []
    for part in parts[:-1]:
        name, bracket, rest = part.partition("[")
        if not bracket or not rest.endswith("]") or not rest[:-1].isdigit() or not name:
            raise ValueError(f"malformed answer key {key!r}")
        scope.append((name, int(rest[:-1])))
    if not parts[-1]:
        raise ValueError(f"malformed answer key {key!r}")
    return parts[-1], tuple(scope)


def repeat_chain(node: Node) -> tuple[str, ...]:
    """The repeats enclosing a node (not the node itself), outermost first."""
    names: list[str] = []
    parent = node.parent
    while parent is not None:
        if parent.type == "repeat":
            names.append(parent.name)
        parent = parent.parent
    return tuple(reversed(names))
