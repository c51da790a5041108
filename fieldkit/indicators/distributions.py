"""The answers behind an indicator: how often each scale point was chosen, per item.

The dashboard opens an indicator to show its items and their distributions; counting lives
here, not in the GUI, so it is tested headless. Raw answers are counted (before reverse
coding) because that is what respondents said; the framework says which items are reversed.
"""

from __future__ import annotations

from collections.abc import Iterable

from fieldkit.indicators.framework import Framework
from fieldkit.indicators.scoring import InterviewRecord

UNANSWERED = "unanswered"
OTHER = "other"  # a stored value not on the scale (reported as a warning by the summary)


def item_distributions(
    records: Iterable[InterviewRecord],
    framework: Framework,
    indicator_id: str,
    *,
    site: str | None = None,
    round_: str | None = None,
) -> dict[str, dict[str, int]]:
    """item name -> {scale code, not-scored code, "unanswered", "other": count}, in form order."""
    indicator = framework.indicator(indicator_id)
    codes = (*framework.scale.codes, *framework.scale.not_scored)
    result = {item.name: dict.fromkeys((*codes, UNANSWERED, OTHER), 0) for item in indicator.items}
    for record in records:
        if (site is not None and record.site != site) or (
            round_ is not None and record.round != round_
        ):
            continue
        for item in indicator.items:
            raw = record.values.get(item.name)
            text = "" if raw is None else str(raw).strip()
            if isinstance(raw, float) and raw.is_integer():
                text = str(int(raw))
            if text == "":
                key = UNANSWERED
            elif text in result[item.name]:
                key = text
            else:
                key = OTHER
            result[item.name][key] += 1
    return result
