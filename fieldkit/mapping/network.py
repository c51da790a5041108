"""The site network: the maps of one site and round merged into one picture of the area.

Each participant names actors their own way. Actors of different maps are the same actor when
their normalised names agree ("The Council" / "council") or when the coordinator has confirmed
an alias ("MCC" -> "Manchester City Council"). fieldkit only *suggests* aliases
(`suggest_aliases`); merging on a guess would silently invent ties, so only confirmed aliases
are applied.

A merged tie's weight is how many maps report it and its strength the mean of their strengths;
a merged actor's sector is the one most maps give it.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from fieldkit import vocab
from fieldkit.errors import FieldkitError, Problem
from fieldkit.mapping.model import Map
from fieldkit.mapping.names import acronym, name_tokens, normalise_name
from fieldkit.mapping.vocabulary import MapVocabulary

# Below this difflib ratio two names are not offered as the same actor.
SIMILARITY_THRESHOLD = 0.85
ACRONYM_SCORE = 0.95
# A shorter name whose words all occur in a longer one ("the council" in "Manchester City
# Council") scores from CONTAINED_BASE up to CONTAINED_BASE + CONTAINED_SPAN.
CONTAINED_BASE = 0.6
CONTAINED_SPAN = 0.3


@dataclass
class NetworkActor:
    """An actor of the site network: every map's mention of one real actor."""

    key: str  # the normalised canonical name
    name: str  # the spelling most maps use
    sector: str
    kind: str
    influence: float | None  # mean of the influence towers the maps give it
    names: list[str] = field(default_factory=list)  # every spelling seen
    map_ids: list[str] = field(default_factory=list)
    sector_votes: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "sector": self.sector,
            "kind": self.kind,
            "influence": self.influence,
            "names": list(self.names),
            "map_ids": list(self.map_ids),
            "sector_votes": dict(self.sector_votes),
        }


@dataclass
class NetworkTie:
    """A typed tie of the site network; mutual ties have source <= target by key."""

    source: str
    target: str
    type: str
    direction: str
    weight: int  # number of maps reporting it
    strength: float  # mean strength over those maps
    map_ids: list[str] = field(default_factory=list)

    @property
    def mutual(self) -> bool:
        return self.direction == "mutual"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "type": self.type,
            "direction": self.direction,
            "weight": self.weight,
            "strength": self.strength,
            "map_ids": list(self.map_ids),
        }


@dataclass
class SiteNetwork:
    site: str
    round: str
    map_ids: list[str]
    actors: dict[str, NetworkActor]
    ties: list[NetworkTie]
    aliases: dict[str, str] = field(default_factory=dict)  # normalised alias -> canonical key
    vocabulary: MapVocabulary = field(default_factory=MapVocabulary.default)

    def to_dict(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "round": self.round,
            "map_ids": list(self.map_ids),
            "aliases": dict(self.aliases),
            "vocabulary": self.vocabulary.to_dict(),
            "actors": [actor.to_dict() for actor in self.actors.values()],
            "ties": [tie.to_dict() for tie in self.ties],
        }


def resolve_aliases(aliases: Mapping[str, str] | None) -> dict[str, str]:
    """Confirmed aliases as normalised name -> final canonical normalised name.

    Chains are followed (a -> b -> c gives a -> c); a cycle is refused, since it cannot say
    which spelling is the actor's name.
    """
    direct: dict[str, str] = {}
    problems: list[Problem] = []
    for alias, canonical in (aliases or {}).items():
        a, c = normalise_name(str(alias)), normalise_name(str(canonical))
        if not a or not c:
            problems.append(Problem("an alias and its actor both need a name", name=str(alias)))
        elif a != c:
            direct[a] = c
    if problems:
        raise FieldkitError(problems)
    resolved: dict[str, str] = {}
    for start in direct:
        seen = [start]
        current = direct[start]
        while current in direct:
            if current in seen:
                raise FieldkitError(
                    Problem(f"aliases go round in a circle: {' -> '.join(seen + [current])}")
                )
            seen.append(current)
            current = direct[current]
        resolved[start] = current
    return resolved


def _most_common(counter: Counter[str], order: Sequence[str] = ()) -> str:
    """The most frequent value; ties go to the earlier in `order`, then the first seen."""
    rank = {value: i for i, value in enumerate(order)}
    best = max(counter.values())
    candidates = [value for value, count in counter.items() if count == best]
    return min(candidates, key=lambda value: rank.get(value, len(rank)))


def merge_maps(
    maps: Sequence[Map],
    aliases: Mapping[str, str] | None = None,
    *,
    site: str | None = None,
    round: str | None = None,
) -> SiteNetwork:
    """Merge the maps of one site and round; `aliases` maps an alias name to its actor's name."""
    sites = {m.site for m in maps}
    rounds = {m.round for m in maps}
    if len(sites) > 1 or len(rounds) > 1:
        raise FieldkitError(
            "only the maps of one site and round merge into a site network "
            f"(got sites {sorted(sites)} and rounds {sorted(rounds)})"
        )
    site = site if site is not None else (maps[0].site if maps else "")
    round = round if round is not None else (maps[0].round if maps else "")
    resolved = resolve_aliases(aliases)

    spellings: dict[str, Counter[str]] = {}
    sectors: dict[str, Counter[str]] = {}
    kinds: dict[str, Counter[str]] = {}
    influence: dict[str, list[int]] = {}
    actor_maps: dict[str, list[str]] = {}
    tie_strengths: dict[tuple[str, str, str, str], dict[str, int]] = {}

    for the_map in maps:
        key_of: dict[str, str] = {}
        for actor in the_map.actors.values():
            plain = normalise_name(actor.name)
            key = resolved.get(plain, plain)
            key_of[actor.id] = key
            spellings.setdefault(key, Counter())[actor.name.strip()] += 1
            sectors.setdefault(key, Counter())[actor.sector] += 1
            kinds.setdefault(key, Counter())[actor.kind] += 1
            if actor.influence is not None:
                influence.setdefault(key, []).append(actor.influence)
            listed = actor_maps.setdefault(key, [])
            if the_map.id not in listed:
                listed.append(the_map.id)
        for tie in the_map.ties.values():
            source, target = key_of[tie.source], key_of[tie.target]
            if source == target:  # two actors of one map that the merge made one
                continue
            if tie.mutual:
                source, target = sorted((source, target))
            tie_key = (source, target, tie.type, tie.direction)
            per_map = tie_strengths.setdefault(tie_key, {})
            per_map[the_map.id] = max(per_map.get(the_map.id, 0), tie.strength)

    actors: dict[str, NetworkActor] = {}
    for key, counter in spellings.items():
        actors[key] = NetworkActor(
            key=key,
            name=_most_common(counter),
            sector=_most_common(sectors[key], vocab.SECTORS),
            kind=_most_common(kinds[key], vocab.ACTOR_KINDS),
            influence=fmean(influence[key]) if key in influence else None,
            names=sorted(counter),
            map_ids=actor_maps[key],
            sector_votes=dict(sectors[key]),
        )
    ties = [
        NetworkTie(
            source=source,
            target=target,
            type=link_type,
            direction=direction,
            weight=len(per_map),
            strength=fmean(per_map.values()),
            map_ids=list(per_map),
        )
        for (source, target, link_type, direction), per_map in tie_strengths.items()
    ]
    return SiteNetwork(
        site=site,
        round=round,
        map_ids=[m.id for m in maps],
        actors=actors,
        ties=ties,
        aliases=resolved,
        vocabulary=maps[0].vocabulary if maps else MapVocabulary.default(),
    )


def network_of_map(the_map: Map) -> SiteNetwork:
    """One map seen as a network, so the live metrics of the canvas use the same code."""
    return merge_maps([the_map])


def actor_ids_by_key(the_map: Map) -> dict[str, str]:
    """Network actor key -> the map's actor id (names are unique on a map, so this is exact).

    Lets a canvas highlight the brokers or single points of failure that metrics name by key.
    """
    return {normalise_name(actor.name): actor.id for actor in the_map.actors.values()}


@dataclass(frozen=True)
class AliasSuggestion:
    """'`alias` may be another name for `canonical`', for the coordinator to confirm."""

    alias: str
    canonical: str
    score: float  # 0-1, higher is surer
    reason: str  # "acronym", "contained" or "similar"

    def to_dict(self) -> dict[str, Any]:
        return {
            "alias": self.alias,
            "canonical": self.canonical,
            "score": self.score,
            "reason": self.reason,
        }


def _compare(short: NetworkActor, long: NetworkActor) -> tuple[float, str] | None:
    short_compact = short.key.replace(" ", "")
    if acronym(long.name) and acronym(long.name) == short_compact:
        return ACRONYM_SCORE, "acronym"
    short_words, long_words = name_tokens(short.name), name_tokens(long.name)
    if short_words and len(short_words) < len(long_words) and set(short_words) <= set(long_words):
        return CONTAINED_BASE + CONTAINED_SPAN * len(short_words) / len(long_words), "contained"
    matcher = difflib.SequenceMatcher(None, short.key, long.key, autojunk=False)
    if (
        matcher.real_quick_ratio() >= SIMILARITY_THRESHOLD
        and matcher.quick_ratio() >= SIMILARITY_THRESHOLD
    ):
        ratio = matcher.ratio()
        if ratio >= SIMILARITY_THRESHOLD:
            return ratio, "similar"
    return None


def _canonical_first(a: NetworkActor, b: NetworkActor) -> tuple[NetworkActor, NetworkActor]:
    """(canonical, alias): the name more maps use, else the longer, else the first in order."""

    def rank(actor: NetworkActor) -> tuple[int, int, str]:
        return (-len(actor.map_ids), -len(actor.key), actor.key)

    return (a, b) if rank(a) <= rank(b) else (b, a)


def suggest_aliases(
    network: SiteNetwork, rejected: Iterable[tuple[str, str]] = ()
) -> list[AliasSuggestion]:
    """Pairs of actors that may be one actor, surest first, for the coordinator to confirm.

    `rejected` holds pairs of names the coordinator has said are different actors.
    """
    refused = {frozenset((normalise_name(a), normalise_name(b))) for a, b in rejected}
    actors = list(network.actors.values())
    found: list[AliasSuggestion] = []
    for i, first in enumerate(actors):
        for second in actors[i + 1 :]:
            if frozenset((first.key, second.key)) in refused:
                continue
            short, long = sorted((first, second), key=lambda a: (len(a.key), a.key))
            result = _compare(short, long)
            if result is None:
                continue
            score, reason = result
            if reason == "similar":
                canonical, alias = _canonical_first(first, second)
            else:
                canonical, alias = long, short
            found.append(AliasSuggestion(alias.name, canonical.name, round(score, 3), reason))
    found.sort(key=lambda s: (-s.score, s.canonical.casefold(), s.alias.casefold()))
    return found
