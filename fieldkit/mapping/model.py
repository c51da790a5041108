"""A relationship map (Net-Map style): actors, typed ties, influence towers, goals.

The Map is the one place edits happen. The canvas does not keep its own copy: it subscribes to
the map (`Map.subscribe`) and mirrors the events, and its undo commands call the same methods
with the values the methods hand back (the old values of an update, the ties a deleted actor
took with it). Every method validates first and changes nothing when it refuses, so an undo
stack never holds half an edit.
"""

from __future__ import annotations

import dataclasses
import math
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fieldkit import vocab
from fieldkit.errors import FieldkitError, Problem
from fieldkit.mapping.names import normalise_name
from fieldkit.mapping.vocabulary import MapVocabulary

MAP_FORMAT_VERSION = 1

# Events a Map sends to its subscribers, with the object concerned.
ACTOR_ADDED = "actor_added"
ACTOR_CHANGED = "actor_changed"
ACTOR_REMOVED = "actor_removed"
TIE_ADDED = "tie_added"
TIE_CHANGED = "tie_changed"
TIE_REMOVED = "tie_removed"
MAP_CHANGED = "map_changed"  # site, round, focus question or interview changed

Listener = Callable[[str, Any], None]


def new_id() -> str:
    return str(uuid.uuid4())


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _listed(value: Any) -> Any:
    """A list copied; anything else passed on as it is, for validation to name."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else value


@dataclass
class Actor:
    """Someone who makes things happen in the area, as one participant sees them."""

    name: str
    sector: str = "other"
    kind: str = "organisation"
    influence: int | None = None  # the influence tower, 0-10; None until it is asked
    goals: list[str] = field(default_factory=list)
    notes: str = ""
    notes_sensitive: bool = False
    x: float | None = None  # canvas position; None until placed
    y: float | None = None
    id: str = field(default_factory=new_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "sector": self.sector,
            "kind": self.kind,
            "influence": self.influence,
            "goals": list(self.goals),
            "notes": self.notes,
            "notes_sensitive": self.notes_sensitive,
            "x": self.x,
            "y": self.y,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Actor:
        return cls(
            id=data.get("id") or new_id(),
            name=data.get("name", ""),
            sector=data.get("sector", "other"),
            kind=data.get("kind", "organisation"),
            influence=data.get("influence"),
            goals=_listed(data.get("goals")),
            notes=data.get("notes") or "",
            notes_sensitive=bool(data.get("notes_sensitive", False)),
            x=data.get("x"),
            y=data.get("y"),
        )


@dataclass
class Tie:
    """A typed relationship from one actor to another; 'mutual' when it runs both ways."""

    source: str
    target: str
    type: str
    direction: str = "one-way"
    strength: int = 2
    note: str = ""
    id: str = field(default_factory=new_id)

    @property
    def mutual(self) -> bool:
        return self.direction == "mutual"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "target": self.target,
            "type": self.type,
            "direction": self.direction,
            "strength": self.strength,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tie:
        return cls(
            id=data.get("id") or new_id(),
            source=data.get("source", ""),
            target=data.get("target", ""),
            type=data.get("type", ""),
            direction=data.get("direction", "one-way"),
            strength=data.get("strength", 2),
            note=data.get("note") or "",
        )


ACTOR_FIELDS = frozenset(f.name for f in dataclasses.fields(Actor)) - {"id"}
TIE_FIELDS = frozenset(f.name for f in dataclasses.fields(Tie)) - {"id"}
MAP_DETAIL_FIELDS = frozenset({"site", "round", "focus_question", "interview_id"})


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_coordinate(value: Any) -> bool:
    if value is None:
        return True
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def actor_problems(actor: Actor, vocabulary: MapVocabulary) -> list[Problem]:
    """Everything wrong with one actor on its own (uniqueness is the map's business)."""
    label = actor.name if isinstance(actor.name, str) and actor.name.strip() else actor.id
    problems: list[Problem] = []

    def bad(message: str, column: str) -> None:
        problems.append(Problem(message, column=column, name=label))

    if not isinstance(actor.id, str) or not actor.id:
        bad("an actor needs an id", "id")
    if not isinstance(actor.name, str) or not normalise_name(actor.name):
        bad("an actor needs a name", "name")
    if actor.sector not in vocab.SECTORS:
        bad(f"unknown sector {actor.sector!r} (one of: {', '.join(vocab.SECTORS)})", "sector")
    if actor.kind not in vocab.ACTOR_KINDS:
        bad(f"unknown kind {actor.kind!r} (one of: {', '.join(vocab.ACTOR_KINDS)})", "kind")
    low, high = vocab.INFLUENCE_RANGE
    if actor.influence is not None and not (
        _is_int(actor.influence) and low <= actor.influence <= high
    ):
        bad(
            f"influence {actor.influence!r} is not a whole number from {low} to {high}", "influence"
        )
    if not isinstance(actor.goals, list) or not all(isinstance(g, str) and g for g in actor.goals):
        bad("goals must be a list of goal codes", "goals")
    elif vocabulary.goals:
        known = vocabulary.goal_names()
        for goal in actor.goals:
            if goal not in known:
                bad(f"unknown goal {goal!r} (one of: {', '.join(known)})", "goals")
    if not isinstance(actor.notes, str):
        bad("notes must be text", "notes")
    if not isinstance(actor.notes_sensitive, bool):
        bad("notes_sensitive must be true or false", "notes_sensitive")
    for axis in ("x", "y"):
        if not _is_coordinate(getattr(actor, axis)):
            bad(f"position {axis}={getattr(actor, axis)!r} is not a finite number", axis)
    return problems


def tie_problems(
    tie: Tie, vocabulary: MapVocabulary, actor_names: Mapping[str, str]
) -> list[Problem]:
    """Everything wrong with one tie given the map's actors (id -> name)."""
    problems: list[Problem] = []
    source = actor_names.get(tie.source)
    target = actor_names.get(tie.target)
    label = f"{source or tie.source} -> {target or tie.target}"

    def bad(message: str, column: str) -> None:
        problems.append(Problem(message, column=column, name=label))

    if not isinstance(tie.id, str) or not tie.id:
        bad("a tie needs an id", "id")
    if source is None:
        bad(f"the tie starts at actor {tie.source!r}, which is not on the map", "source")
    if target is None:
        bad(f"the tie ends at actor {tie.target!r}, which is not on the map", "target")
    if tie.source == tie.target:
        bad("a tie must join two different actors", "target")
    names = vocabulary.link_type_names()
    if tie.type not in names:
        bad(f"unknown link type {tie.type!r} (one of: {', '.join(names)})", "type")
    if tie.direction not in vocab.DIRECTIONS:
        bad(
            f"unknown direction {tie.direction!r} (one of: {', '.join(vocab.DIRECTIONS)})",
            "direction",
        )
    if not (_is_int(tie.strength) and tie.strength in vocab.STRENGTHS):
        bad(
            f"strength {tie.strength!r} is out of range "
            f"({min(vocab.STRENGTHS)}-{max(vocab.STRENGTHS)})",
            "strength",
        )
    if not isinstance(tie.note, str):
        bad("the note must be text", "note")
    return problems


def ties_clash(a: Tie, b: Tie) -> bool:
    """Two ties of one type between one pair say the same thing twice.

    Several types between a pair are fine (multiplex), and so are one-way ties of one type in
    each direction; a mutual tie already covers both directions.
    """
    if a.type != b.type or {a.source, a.target} != {b.source, b.target}:
        return False
    return a.mutual or b.mutual or (a.source == b.source)


class Map:
    """One participant's relationship map, with the operations a canvas and an undo stack use."""

    def __init__(
        self,
        site: str = "",
        round: str = "",
        focus_question: str = "",
        interview_id: str | None = None,
        *,
        id: str | None = None,
        created: str | None = None,
        updated: str | None = None,
        vocabulary: MapVocabulary | None = None,
    ) -> None:
        self.id = id or new_id()
        self.site = site
        self.round = round
        self.focus_question = focus_question
        self.interview_id = interview_id
        self.created = created or now_iso()
        self.updated = updated or self.created
        self.vocabulary = vocabulary or MapVocabulary.default()
        self.actors: dict[str, Actor] = {}
        self.ties: dict[str, Tie] = {}
        self._listeners: list[Listener] = []

    # -- observers ---------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(event, obj)` after every change; returns the way to unsubscribe."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _changed(self, event: str, obj: Any) -> None:
        self.updated = now_iso()
        for listener in list(self._listeners):
            listener(event, obj)

    # -- reading -----------------------------------------------------------------------------

    def actor(self, actor_id: str) -> Actor:
        try:
            return self.actors[actor_id]
        except KeyError:
            raise FieldkitError(Problem("no such actor on this map", name=actor_id)) from None

    def tie(self, tie_id: str) -> Tie:
        try:
            return self.ties[tie_id]
        except KeyError:
            raise FieldkitError(Problem("no such tie on this map", name=tie_id)) from None

    def find_actor(self, name: str) -> Actor | None:
        """The actor whose name matches `name` once both are normalised."""
        key = normalise_name(name)
        for actor in self.actors.values():
            if normalise_name(actor.name) == key:
                return actor
        return None

    def ties_of(self, actor_id: str) -> list[Tie]:
        return [t for t in self.ties.values() if actor_id in (t.source, t.target)]

    def ties_between(self, a: str, b: str) -> list[Tie]:
        return [t for t in self.ties.values() if {t.source, t.target} == {a, b}]

    # -- actors ------------------------------------------------------------------------------

    def _check_actor(self, actor: Actor, replacing: str | None = None) -> None:
        problems = actor_problems(actor, self.vocabulary)
        if replacing is None and actor.id in self.actors:
            problems.append(Problem("an actor with this id is already on the map", name=actor.id))
        if isinstance(actor.name, str) and not problems:
            twin = self.find_actor(actor.name)
            if twin is not None and twin.id != (replacing or actor.id):
                problems.append(
                    Problem(
                        f"there is already an actor called {twin.name!r} on this map",
                        column="name",
                        name=actor.name,
                    )
                )
        if problems:
            raise FieldkitError(problems)

    def add_actor(self, actor: Actor) -> Actor:
        """Add an actor (its name without surrounding spaces, as every file format keeps it)."""
        if isinstance(actor.name, str):
            actor.name = actor.name.strip()
        self._check_actor(actor)
        self.actors[actor.id] = actor
        self._changed(ACTOR_ADDED, actor)
        return actor

    def update_actor(self, actor_id: str, **changes: Any) -> dict[str, Any]:
        """Change fields of an actor; returns their old values (what undo passes back)."""
        actor = self.actor(actor_id)
        unknown = set(changes) - ACTOR_FIELDS
        if unknown:
            raise FieldkitError(
                Problem(f"actors have no field(s) {', '.join(sorted(unknown))}", name=actor.name)
            )
        if isinstance(changes.get("name"), str):
            changes["name"] = changes["name"].strip()
        candidate = dataclasses.replace(actor, **changes)
        self._check_actor(candidate, replacing=actor_id)
        old = {name: getattr(actor, name) for name in changes}
        for name, value in changes.items():
            setattr(actor, name, list(value) if name == "goals" else value)
        self._changed(ACTOR_CHANGED, actor)
        return old

    def move_actor(self, actor_id: str, x: float, y: float) -> dict[str, Any]:
        return self.update_actor(actor_id, x=x, y=y)

    def remove_actor(self, actor_id: str) -> list[Tie]:
        """Delete an actor and its ties; returns the ties so undo can restore them."""
        actor = self.actor(actor_id)
        removed = self.ties_of(actor_id)
        for tie in removed:
            del self.ties[tie.id]
            self._changed(TIE_REMOVED, tie)
        del self.actors[actor_id]
        self._changed(ACTOR_REMOVED, actor)
        return removed

    def restore_actor(self, actor: Actor, ties: Iterable[Tie] = ()) -> None:
        """Put back an actor removed with `remove_actor`, with the ties it took (undo)."""
        ties = list(ties)
        self._check_actor(actor)
        names = {aid: a.name for aid, a in self.actors.items()}
        names[actor.id] = actor.name
        problems = [p for tie in ties for p in self._tie_problems(tie, names)]
        if problems:
            raise FieldkitError(problems)
        self.add_actor(actor)
        for tie in ties:
            self.add_tie(tie)

    # -- ties --------------------------------------------------------------------------------

    def _tie_problems(
        self, tie: Tie, names: Mapping[str, str], replacing: str | None = None
    ) -> list[Problem]:
        problems = tie_problems(tie, self.vocabulary, names)
        if replacing is None and tie.id in self.ties:
            problems.append(Problem("a tie with this id is already on the map", name=tie.id))
        if not problems:
            for other in self.ties.values():
                if other.id != (replacing or tie.id) and ties_clash(tie, other):
                    problems.append(
                        Problem(
                            f"there is already a {tie.type!r} tie between "
                            f"{names[tie.source]!r} and {names[tie.target]!r}",
                            column="type",
                            name=f"{names[tie.source]} -> {names[tie.target]}",
                        )
                    )
                    break
        return problems

    def _actor_names(self) -> dict[str, str]:
        return {actor_id: actor.name for actor_id, actor in self.actors.items()}

    def add_tie(self, tie: Tie) -> Tie:
        problems = self._tie_problems(tie, self._actor_names())
        if problems:
            raise FieldkitError(problems)
        self.ties[tie.id] = tie
        self._changed(TIE_ADDED, tie)
        return tie

    def update_tie(self, tie_id: str, **changes: Any) -> dict[str, Any]:
        """Change fields of a tie; returns their old values (what undo passes back)."""
        tie = self.tie(tie_id)
        unknown = set(changes) - TIE_FIELDS
        if unknown:
            raise FieldkitError(
                Problem(f"ties have no field(s) {', '.join(sorted(unknown))}", name=tie_id)
            )
        candidate = dataclasses.replace(tie, **changes)
        problems = self._tie_problems(candidate, self._actor_names(), replacing=tie_id)
        if problems:
            raise FieldkitError(problems)
        old = {name: getattr(tie, name) for name in changes}
        for name, value in changes.items():
            setattr(tie, name, value)
        self._changed(TIE_CHANGED, tie)
        return old

    def remove_tie(self, tie_id: str) -> Tie:
        tie = self.tie(tie_id)
        del self.ties[tie_id]
        self._changed(TIE_REMOVED, tie)
        return tie

    # -- the map itself ----------------------------------------------------------------------

    def update_details(self, **changes: Any) -> dict[str, Any]:
        """Change site, round, focus question or interview; returns the old values."""
        unknown = set(changes) - MAP_DETAIL_FIELDS
        if unknown:
            raise FieldkitError(Problem(f"maps have no field(s) {', '.join(sorted(unknown))}"))
        problems = [
            Problem(f"{name} must be text", name=name)
            for name, value in changes.items()
            if not (isinstance(value, str) or (name == "interview_id" and value is None))
        ]
        if problems:
            raise FieldkitError(problems)
        old = {name: getattr(self, name) for name in changes}
        for name, value in changes.items():
            setattr(self, name, value)
        self._changed(MAP_CHANGED, self)
        return old

    def problems(self) -> list[Problem]:
        """Everything wrong with the map as a whole (used when reading one from outside)."""
        problems: list[Problem] = []
        for name in ("site", "round", "focus_question"):
            if not isinstance(getattr(self, name), str):
                problems.append(Problem(f"{name} must be text", name=name))
        seen: dict[str, Actor] = {}
        for actor in self.actors.values():
            found = actor_problems(actor, self.vocabulary)
            problems.extend(found)
            if not found:
                key = normalise_name(actor.name)
                if key in seen:
                    problems.append(
                        Problem(
                            f"two actors are called {seen[key].name!r} and {actor.name!r}",
                            column="name",
                            name=actor.name,
                        )
                    )
                seen[key] = actor
        names = self._actor_names()
        checked: dict[tuple[frozenset[str], str], list[Tie]] = {}
        for tie in self.ties.values():
            found = tie_problems(tie, self.vocabulary, names)
            problems.extend(found)
            if found:
                continue
            same_pair = checked.setdefault((frozenset((tie.source, tie.target)), tie.type), [])
            for other in same_pair:
                if ties_clash(tie, other):
                    problems.append(
                        Problem(
                            f"the {tie.type!r} tie between {names[tie.source]!r} and "
                            f"{names[tie.target]!r} is given twice",
                            name=f"{names[tie.source]} -> {names[tie.target]}",
                        )
                    )
                    break
            same_pair.append(tie)
        return problems

    def to_dict(self) -> dict[str, Any]:
        """Everything about the map, JSON-able, in a stable order (store and bundles)."""
        return {
            "format": MAP_FORMAT_VERSION,
            "id": self.id,
            "interview_id": self.interview_id,
            "site": self.site,
            "round": self.round,
            "focus_question": self.focus_question,
            "created": self.created,
            "updated": self.updated,
            "vocabulary": self.vocabulary.to_dict(),
            "actors": [actor.to_dict() for actor in self.actors.values()],
            "ties": [tie.to_dict() for tie in self.ties.values()],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], vocabulary: MapVocabulary | None = None) -> Map:
        """Read a map back; refuses (listing every problem) rather than half-load it.

        The vocabulary saved with the map wins; `vocabulary` serves for data that has none.
        """
        if not isinstance(data, Mapping):
            raise FieldkitError("a map must be a JSON object")
        version = data.get("format", MAP_FORMAT_VERSION)
        if version != MAP_FORMAT_VERSION:
            raise FieldkitError(
                Problem(f"map format {version!r} is not one this fieldkit reads", name="format")
            )
        if data.get("vocabulary"):
            vocabulary = MapVocabulary.from_dict(data["vocabulary"])
        actors_data = data.get("actors") or []
        ties_data = data.get("ties") or []
        if not isinstance(actors_data, list) or not isinstance(ties_data, list):
            raise FieldkitError("a map's actors and ties must be lists")
        try:
            actors = [Actor.from_dict(item) for item in actors_data]
            ties = [Tie.from_dict(item) for item in ties_data]
        except (AttributeError, TypeError) as err:
            raise FieldkitError(f"an actor or tie of the map is malformed ({err})") from err
        the_map = cls(
            site=data.get("site") or "",
            round=data.get("round") or "",
            focus_question=data.get("focus_question") or "",
            interview_id=data.get("interview_id"),
            id=data.get("id"),
            created=data.get("created"),
            updated=data.get("updated"),
            vocabulary=vocabulary,
        )
        problems: list[Problem] = []
        for actor in actors:
            if actor.id in the_map.actors:
                problems.append(Problem("two actors share this id", name=actor.id))
            the_map.actors[actor.id] = actor
        for tie in ties:
            if tie.id in the_map.ties:
                problems.append(Problem("two ties share this id", name=tie.id))
            the_map.ties[tie.id] = tie
        problems.extend(the_map.problems())
        if problems:
            raise FieldkitError(problems)
        return the_map

    def copy(self, new_ids: bool = False) -> Map:
        """An independent copy (no subscribers); with fresh ids when importing a second time."""
        data = self.to_dict()
        if new_ids:
            fresh = {actor["id"]: new_id() for actor in data["actors"]}
            data["id"] = new_id()
            for actor in data["actors"]:
                actor["id"] = fresh[actor["id"]]
            for tie in data["ties"]:
                tie["id"] = new_id()
                tie["source"] = fresh.get(tie["source"], tie["source"])
                tie["target"] = fresh.get(tie["target"], tie["target"])
        return Map.from_dict(data)

    def comparable(self) -> dict[str, Any]:
        """to_dict() with actors and ties keyed by id: equal maps, whatever their order."""
        data = self.to_dict()
        data["actors"] = {a["id"]: a for a in data["actors"]}
        data["ties"] = {t["id"]: t for t in data["ties"]}
        return data

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Map) and self.comparable() == other.comparable()

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return (
            f"Map(id={self.id!r}, site={self.site!r}, round={self.round!r}, "
            f"actors={len(self.actors)}, ties={len(self.ties)})"
        )
