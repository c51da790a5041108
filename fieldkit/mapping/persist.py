"""Maps in the project file: load, save, autosave each edit, and the site networks they make.

The Map model stays free of storage; this module is the bridge. `MapAutosave` subscribes to a
Map and writes each event as one small row change (an actor moved, a tie added), so a canvas
edit is durable the moment the model accepts it, exactly like an interview answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fieldkit.mapping import model as m
from fieldkit.mapping.model import Map
from fieldkit.mapping.names import normalise_name
from fieldkit.mapping.network import AliasSuggestion, SiteNetwork, merge_maps, suggest_aliases
from fieldkit.mapping.vocabulary import MapVocabulary

if TYPE_CHECKING:
    from fieldkit.store import Project

RELATIONSHIP_FORM = "relationship_map"
# Project setting: [alias, canonical] name pairs the coordinator said are different actors.
# The store has no table for them; the settings keep them so they are not suggested again.
REJECTED_ALIASES = "rejected_aliases"


def vocabulary_for(project: Project) -> MapVocabulary:
    """Link types and goals from the project's relationship_map form (else the defaults)."""
    try:
        from fieldkit.fieldwork import form_record

        record = form_record(project, RELATIONSHIP_FORM)
        return MapVocabulary.from_form(project.forms.load(record["id"]))
    except Exception:  # no such form or an unreadable one: the framework's defaults serve
        return MapVocabulary.default()


def new_map(
    project: Project,
    site: str | None,
    round: str | None,
    focus_question: str = "",
    interview_id: str | None = None,
    vocabulary: MapVocabulary | None = None,
) -> Map:
    vocabulary = vocabulary or vocabulary_for(project)
    data = project.maps.create(
        site=site,
        round=round,
        interview_id=interview_id,
        focus_question=focus_question,
        vocabulary=vocabulary.to_dict(),
    )
    return load_map(project, data["id"])


def load_map(project: Project, map_id: str) -> Map:
    data = project.maps.load(map_id)
    return Map.from_dict(_model_dict(data))


def _model_dict(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": m.MAP_FORMAT_VERSION,
        "id": data["id"],
        "interview_id": data.get("interview_id"),
        "site": data.get("site") or "",
        "round": data.get("round") or "",
        "focus_question": data.get("focus_question") or "",
        "created": data.get("created"),
        "updated": data.get("updated"),
        "vocabulary": data.get("vocabulary") or None,
        "actors": data.get("actors", []),
        "ties": data.get("ties", []),
    }


def save_map(project: Project, the_map: Map) -> None:
    """Write a whole map in one transaction (imports, merges, copies)."""
    project.maps.save(the_map.to_dict())


def load_maps(project: Project, site: str | None = None, round: str | None = None) -> list[Map]:
    return [Map.from_dict(_model_dict(d)) for d in project.maps.load_many(site, round)]


def site_network(project: Project, site: str, round: str) -> SiteNetwork:
    """The maps of one site and round merged, with the coordinator's confirmed aliases."""
    return merge_maps(
        load_maps(project, site, round), project.maps.aliases(), site=site, round=round
    )


def site_networks(project: Project) -> list[SiteNetwork]:
    """Every site and round that has at least one map."""
    pairs = sorted(
        {
            (r["site_name"], r["round_name"])
            for r in project.maps.list()
            if r["site_name"] and r["round_name"]
        }
    )
    return [site_network(project, site, round) for site, round in pairs]


class MapAutosave:
    """Writes every accepted edit of a Map to the store as it happens."""

    def __init__(self, project: Project, the_map: Map, on_saved: Callable[[], None] | None = None):
        self.project = project
        self.map = the_map
        self.on_saved = on_saved
        self._unsubscribe = the_map.subscribe(self._event)

    def _event(self, event: str, obj: Any) -> None:
        maps = self.project.maps
        if event in (m.ACTOR_ADDED, m.ACTOR_CHANGED):
            maps.upsert_actor(self.map.id, obj.to_dict())
        elif event == m.ACTOR_REMOVED:
            maps.delete_actor(self.map.id, obj.id)
        elif event in (m.TIE_ADDED, m.TIE_CHANGED):
            maps.upsert_tie(self.map.id, obj.to_dict())
        elif event == m.TIE_REMOVED:
            maps.delete_tie(self.map.id, obj.id)
        elif event == m.MAP_CHANGED:
            maps.update_meta(self.map.id, focus_question=self.map.focus_question)
        if self.on_saved:
            self.on_saved()

    def close(self) -> None:
        self._unsubscribe()


def _pair(alias: str, canonical: str) -> frozenset[str]:
    return frozenset((normalise_name(alias), normalise_name(canonical)))


def rejected_aliases(project: Project) -> list[tuple[str, str]]:
    """The pairs of names the coordinator said are different actors, as they were shown."""
    pairs = project.settings.get(REJECTED_ALIASES) or []
    return [(str(p[0]), str(p[1])) for p in pairs if isinstance(p, list | tuple) and len(p) == 2]


def reject_alias(project: Project, alias: str, canonical: str) -> None:
    """Remember that `alias` is not `canonical`, so the pair is not suggested again."""
    pairs = rejected_aliases(project)
    if all(_pair(*p) != _pair(alias, canonical) for p in pairs):
        pairs.append((alias, canonical))
        project.update_settings(**{REJECTED_ALIASES: [list(p) for p in pairs]})


def unreject_alias(project: Project, alias: str, canonical: str) -> None:
    """Suggest the pair again (the coordinator changed their mind)."""
    pairs = rejected_aliases(project)
    kept = [p for p in pairs if _pair(*p) != _pair(alias, canonical)]
    if len(kept) != len(pairs):
        project.update_settings(**{REJECTED_ALIASES: [list(p) for p in kept]})


def alias_suggestions(project: Project, network: SiteNetwork) -> list[AliasSuggestion]:
    """`suggest_aliases` for a site network, leaving out the pairs the coordinator rejected."""
    return suggest_aliases(network, rejected_aliases(project))
