"""Per-interview scoring: one finalized interview's answers -> a 0-100 score per indicator.

Pure functions over plain data. The store hands over `InterviewRecord`s (its own rows adapted
to this shape), so scoring never touches SQL and is tested with hand-made records. The rules
are FRAMEWORK.md's: "Don't know" (and any not-scored code) is left out, reverse items score
(min + max) - answer, an indicator is kept only when at least `min_items` of its items are
scored, and the mean is rescaled to 0-100.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fieldkit.errors import Problem
from fieldkit.indicators.framework import Framework
from fieldkit.vocab import SECTORS

SECTOR_FIELD = "sector"  # the consent_profile question holding the respondent sector


@dataclass(frozen=True)
class InterviewRecord:
    """One finalized community_dna interview, as the store hands it to scoring."""

    uuid: str
    site: str
    round: str
    fieldworker: str | None
    respondent_sector: str | None
    values: Mapping[str, Any]  # question name -> stored answer ("1".."5", "dk", "" ...)
    finalized_at: str | datetime | None = None


@dataclass(frozen=True)
class InterviewScores:
    """One interview's indicator scores (None: fewer than min_items items scored)."""

    uuid: str
    site: str
    round: str
    sector: str | None
    scores: Mapping[str, float | None]
    items_scored: Mapping[str, int]
    problems: tuple[Problem, ...] = field(default=())


def normalise_sector(value: Any) -> str | None:
    """A respondent sector of vocab.SECTORS, or None when missing or unrecognised."""
    if value is None:
        return None
    text = str(value).strip().lower()
    return text if text in SECTORS else None


def respondent_sector(consent_values: Mapping[str, Any]) -> str | None:
    """The respondent sector from a consent_profile interview's values (its `sector` answer)."""
    return normalise_sector(consent_values.get(SECTOR_FIELD))


class _CompiledFramework:
    """The framework flattened for the hot loop: lookups instead of parsing per answer."""

    def __init__(self, framework: Framework):
        scale = framework.scale
        self.codes: dict[str, int] = {str(v): v for v in range(scale.minimum, scale.maximum + 1)}
        self.not_scored = frozenset(scale.not_scored)
        self.indicators = [
            (
                indicator.id,
                [(item.name, item.reverse) for item in indicator.items],
                indicator.min_items,
            )
            for indicator in framework.indicators
        ]
        self.low = scale.minimum
        self.span = scale.maximum - scale.minimum
        self.reverse_sum = scale.minimum + scale.maximum


_CACHE: dict[int, tuple[Framework, _CompiledFramework]] = {}


def _compiled(framework: Framework) -> _CompiledFramework:
    cached = _CACHE.get(id(framework))
    if cached is None or cached[0] is not framework:
        cached = (framework, _CompiledFramework(framework))
        _CACHE.clear()  # one framework at a time in practice; never grow without bound
        _CACHE[id(framework)] = cached
    return cached[1]


def _answer(raw: Any, compiled: _CompiledFramework) -> int | None | bool:
    """The scored value of a stored answer: int, None (not scored / unanswered), or False
    (a value that is not on the scale: reported, not scored)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return False
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not (math.isfinite(raw) and raw.is_integer()):
            return False
        raw = str(int(raw))
    text = str(raw).strip()
    if text == "" or text in compiled.not_scored:
        return None
    value = compiled.codes.get(text)
    return False if value is None else value


def score_interview(record: InterviewRecord, framework: Framework) -> InterviewScores:
    """Each indicator's 0-100 score for one interview, with the count of items scored."""
    compiled = _compiled(framework)
    values = record.values
    scores: dict[str, float | None] = {}
    counts: dict[str, int] = {}
    problems: list[Problem] = []
    for indicator_id, items, min_items in compiled.indicators:
        total = 0
        scored = 0
        for name, reverse in items:
            value = _answer(values.get(name), compiled)
            if value is None:
                continue
            if value is False:
                problems.append(
                    Problem(
                        f"interview {record.uuid}: answer {values.get(name)!r} is not on the "
                        "scale; left out",
                        name=name,
                    )
                )
                continue
            total += compiled.reverse_sum - value if reverse else value
            scored += 1
        counts[indicator_id] = scored
        if scored >= min_items:
            mean = total / scored
            scores[indicator_id] = (mean - compiled.low) / compiled.span * 100.0
        else:
            scores[indicator_id] = None
    return InterviewScores(
        uuid=record.uuid,
        site=record.site,
        round=record.round,
        sector=normalise_sector(record.respondent_sector),
        scores=scores,
        items_scored=counts,
        problems=tuple(problems),
    )
