"""Ties a file gives twice, folded into one on import.

A Map refuses two ties of one type between one pair that say the same thing (see
`model.ties_clash`). Files from elsewhere do say it twice, and so does fieldkit's own export of
a site network: one participant drew "A helps B", another "A and B help each other", and the
merged network keeps both. Importing that file must still work, so before the Map is built the
duplicates are folded: a mutual tie absorbs the one-way ties of its type between the same pair,
and repeated one-way ties in one direction become one. The kept tie is the strongest seen; notes
are joined. Each fold is described in words for the user.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fieldkit import vocab

NOTE_JOINER = "; "


def _describe(group: list[dict[str, Any]], kept: dict[str, Any], names: Mapping[str, str]) -> str:
    a, b = names.get(kept["source"], kept["source"]), names.get(kept["target"], kept["target"])
    mutual = sum(1 for tie in group if tie["direction"] == "mutual")
    parts = [f"{mutual} mutual"] if mutual else []
    if len(group) - mutual:
        parts.append(f"{len(group) - mutual} one-way")
    return (
        f"the {kept['type']!r} tie between {a!r} and {b!r} was given {len(group)} times "
        f"({' and '.join(parts)}): kept one {kept['direction']} tie of strength "
        f"{kept['strength']} (the strongest)"
    )


def _fold(group: list[dict[str, Any]]) -> dict[str, Any]:
    """One tie standing for the group: the first mutual one (else the first), strongest."""
    base = next((tie for tie in group if tie["direction"] == "mutual"), group[0])
    kept = dict(base)
    strengths = [tie["strength"] for tie in group if isinstance(tie["strength"], int | float)]
    if strengths:
        kept["strength"] = max(strengths)
    notes: list[str] = []
    for tie in group:
        note = str(tie.get("note") or "").strip()
        if note and note not in notes:
            notes.append(note)
    kept["note"] = NOTE_JOINER.join(notes)
    return kept


def fold_duplicate_ties(
    ties: list[dict[str, Any]], names: Mapping[str, str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The ties (dicts as `Tie.to_dict()` gives) with duplicates folded, and what was folded.

    `names` maps actor ids to names, for the messages. Ties with a direction that is not one of
    vocab.DIRECTIONS are left alone, so the Map still refuses them by name. Order is kept.
    """
    groups: dict[tuple[frozenset[str], str], list[int]] = {}
    for index, tie in enumerate(ties):
        if tie.get("direction") in vocab.DIRECTIONS:
            pair = frozenset((tie["source"], tie["target"]))
            groups.setdefault((pair, tie["type"]), []).append(index)
    replaced: dict[int, dict[str, Any] | None] = {}
    messages: list[str] = []
    for indices in groups.values():
        members = [ties[i] for i in indices]
        if any(tie["direction"] == "mutual" for tie in members):
            batches = [indices]  # a mutual tie covers both directions
        else:
            by_source: dict[str, list[int]] = {}
            for i in indices:
                by_source.setdefault(ties[i]["source"], []).append(i)
            batches = list(by_source.values())
        for batch in batches:
            if len(batch) < 2:
                continue
            group = [ties[i] for i in batch]
            kept = _fold(group)
            messages.append(_describe(group, kept, names))
            first = min(batch, key=lambda i: (ties[i]["direction"] != "mutual", i))
            for i in batch:
                replaced[i] = kept if i == first else None
    folded = [replaced.get(i, tie) for i, tie in enumerate(ties)]
    return [tie for tie in folded if tie is not None], messages
