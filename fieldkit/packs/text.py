"""The plain-English summary a partner reads first: sentences made from the figures.

Each function takes the summary dict of one site and round (Summary.to_dict()'s entry) and
returns sentences, so the PDF, and later the dashboard, say the same thing in the same words.
Nothing here invents a figure: every number in a sentence is one of the summary's, rounded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fieldkit import vocab

# A change smaller than this (points on 0-100) is not called a change in the summary.
NOTABLE_CHANGE = 3.0
# A perception gap smaller than this is not worth a sentence.
NOTABLE_GAP = 10.0
HOW_MANY = 2


def points(value: float) -> str:
    return f"{abs(value):.0f} point{'s' if round(abs(value)) != 1 else ''}"


def score_words(figure: Mapping[str, Any]) -> str:
    """'72 (Resilient)' or '41 (low base, 3 answers)': the score with its band in words."""
    score = figure.get("score")
    if score is None:
        return "no score"
    if figure.get("low_base"):
        return f"{score:.0f} (low base: {figure.get('n', 0)} answers, not banded)"
    label = figure.get("band_label") or _band_label(figure.get("band"))
    return f"{score:.0f} ({label})" if label else f"{score:.0f}"


def _band_label(band_id: str | None) -> str | None:
    for band in vocab.DEFAULT_BANDS:
        if band.id == band_id:
            return band.label
    return None


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _scored(indicators: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, Mapping[str, Any]]]:
    return [
        (iid, fig)
        for iid, fig in indicators.items()
        if fig.get("score") is not None and not fig.get("low_base")
    ]


def strongest_and_weakest(indicators: Mapping[str, Mapping[str, Any]]) -> list[str]:
    scored = sorted(_scored(indicators), key=lambda item: -item[1]["score"])
    if not scored:
        return ["No indicator has enough answers to be scored yet."]
    top = scored[:HOW_MANY]
    bottom = [item for item in scored[::-1][:HOW_MANY] if item not in top]
    sentences = [
        "The strongest scores are "
        + _join([f"{fig['name']} at {score_words(fig)}" for _, fig in top])
        + "."
    ]
    if bottom:
        sentences.append(
            "The most brittle are "
            + _join([f"{fig['name']} at {score_words(fig)}" for _, fig in bottom])
            + "."
        )
    return sentences


def biggest_changes(indicators: Mapping[str, Mapping[str, Any]]) -> list[str]:
    changes = [
        (fig, fig["change"])
        for _, fig in _scored(indicators)
        if fig.get("change") and fig["change"].get("delta") is not None
    ]
    if not changes:
        return ["This is the first round here, so there is no change to report yet."]
    changes.sort(key=lambda item: -abs(item[1]["delta"]))
    notable = [item for item in changes if abs(item[1]["delta"]) >= NOTABLE_CHANGE][:HOW_MANY]
    previous = changes[0][1].get("previous_round") or "the previous round"
    if not notable:
        return [f"No indicator moved by {NOTABLE_CHANGE:g} points or more since {previous}."]
    sentences = []
    for fig, change in notable:
        direction = "rose" if change["delta"] > 0 else "fell"
        sentence = f"{fig['name']} {direction} by {points(change['delta'])} since {previous}"
        if change.get("ci_overlap"):
            sentence += " (the intervals overlap, so this may be chance)"
        if change.get("same_basis") is False:
            sentence += " (the two rounds were scored on a different basis)"
        sentences.append(sentence + ".")
    return sentences


def biggest_gaps(indicators: Mapping[str, Mapping[str, Any]]) -> list[str]:
    gaps = [
        (fig, fig["gap"])
        for fig in indicators.values()
        if fig.get("gap") and (fig["gap"].get("difference") or 0) >= NOTABLE_GAP
    ]
    if not gaps:
        return [
            "The sectors broadly agree: no perception gap of "
            f"{NOTABLE_GAP:g} points or more between respondent sectors."
        ]
    gaps.sort(key=lambda item: -item[1]["difference"])
    sentences = []
    for fig, gap in gaps[:HOW_MANY]:
        high = vocab.SECTOR_LABELS.get(gap["high_sector"], gap["high_sector"])
        low = vocab.SECTOR_LABELS.get(gap["low_sector"], gap["low_sector"])
        sentences.append(
            f"{high} respondents rate {fig['name']} {points(gap['difference'])} higher than "
            f"{low.lower() if low.endswith('sector') else low} respondents do."
        )
    return sentences


def network_sentences(view: Mapping[str, Any] | None, names: Mapping[str, str]) -> list[str]:
    if not view:
        return [
            "No relationship maps were made here this round, so the figures rest on the "
            "interviews alone."
        ]
    m = view.get("metrics") or {}
    sentences = [
        f"{view.get('map_count', 0)} relationship maps were merged into one picture of "
        f"{m.get('actors', 0)} actors and {m.get('ties', 0)} ties."
    ]
    brokers = [names.get(k, k) for k in (m.get("brokers") or [])[:3]]
    if brokers:
        sentences.append(f"The main go-betweens (brokers) are {_join(brokers)}.")
    fragile = [names.get(k, k) for k in (m.get("articulation_points") or [])]
    if fragile:
        shown = _join(fragile[:4]) + (f" and {len(fragile) - 4} more" if len(fragile) > 4 else "")
        sentences.append(
            f"If {shown} stepped back, parts of the network would be cut off from each other "
            "(single points of failure)."
        )
    else:
        sentences.append("No single actor holds the network together on its own.")
    return sentences


def summary_paragraphs(
    entry: Mapping[str, Any], view: Mapping[str, Any] | None, names: Mapping[str, str]
) -> dict[str, list[str]]:
    """The summary page's paragraphs, by heading."""
    indicators = entry.get("indicators") or {}
    low = [fig["name"] for fig in indicators.values() if fig.get("low_base")]
    overview = [
        f"This summary rests on {entry.get('n_interviews', 0)} interviews"
        + (f" and {entry.get('maps', 0)} relationship maps." if entry.get("maps") else ".")
    ]
    if low:
        overview.append(
            f"{_join(low)} had fewer than {vocab.LOW_BASE_THRESHOLD} answers (low base): "
            "shown, but not banded."
        )
    return {
        "In short": overview,
        "Strongest and most brittle": strongest_and_weakest(indicators),
        "Biggest changes": biggest_changes(indicators),
        "Biggest perception gaps": biggest_gaps(indicators),
        "How the sectors connect": network_sentences(view, names),
    }
