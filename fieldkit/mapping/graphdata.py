"""What GraphML and GEXF files share: a map or site network as a networkx multigraph, and back.

Attributes: actors carry label, sector, kind, influence, goals, notes, notes_sensitive, x, y and
the sector's colour; ties carry link_type, direction, strength, note and the type's colour.
A site network's file also carries each tie's weight (maps reporting it).
"""

from __future__ import annotations

import dataclasses
import json
import math
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from fieldkit import vocab
from fieldkit.errors import FieldkitError, Problem
from fieldkit.mapping.duplicates import fold_duplicate_ties
from fieldkit.mapping.model import Map
from fieldkit.mapping.network import SiteNetwork
from fieldkit.mapping.vocabulary import MapVocabulary

GOAL_SEPARATOR = "|"
# Graph-level attribute carrying the map's vocabulary (custom link types survive a round trip).
VOCABULARY_ATTR = "fieldkit_vocabulary"
MAP_ATTRS = ("site", "round", "focus_question", "interview_id", "created", "updated")

Graphable = Map | SiteNetwork


def located(err: FieldkitError, **where: Any) -> FieldkitError:
    """The same problems, each also naming the file (and sheet) they were found in."""
    return FieldkitError(
        [
            dataclasses.replace(p, **{k: v for k, v in where.items() if getattr(p, k) is None})
            for p in err.problems
        ]
    )


def clean(value: Any) -> Any:
    """Text without the control characters XML and Excel cannot hold (others unchanged).

    A note pasted from elsewhere may carry them; the export must still be a valid file.
    """
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def whole_number(value: Any) -> int | None:
    """An integer from a file's cell or attribute ('3', 3.0, 3); None when blank.

    Raises ValueError for anything else, so the caller can say where.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return int(math.floor(number + 0.5))


def graph_of(item: Graphable, include_sensitive: bool = False) -> nx.MultiDiGraph:
    """A networkx multigraph with every attribute the formats carry (no None values)."""
    if isinstance(item, SiteNetwork):
        return _network_graph(item)
    the_map = item
    graph = nx.MultiDiGraph()
    graph.graph["fieldkit_map_id"] = the_map.id
    for name in MAP_ATTRS:
        value = getattr(the_map, name)
        if value is not None:
            graph.graph[name] = clean(value)
    graph.graph[VOCABULARY_ATTR] = json.dumps(the_map.vocabulary.to_dict())
    for actor in the_map.actors.values():
        attrs: dict[str, Any] = {
            "label": actor.name,
            "sector": actor.sector,
            "kind": actor.kind,
            "goals": GOAL_SEPARATOR.join(actor.goals),
            "notes_sensitive": actor.notes_sensitive,
            "colour": vocab.sector_colour(actor.sector),
        }
        if include_sensitive or not actor.notes_sensitive:
            attrs["notes"] = actor.notes
        if actor.influence is not None:
            attrs["influence"] = int(actor.influence)
        if actor.x is not None and actor.y is not None:
            attrs["x"], attrs["y"] = float(actor.x), float(actor.y)
        graph.add_node(actor.id, **{k: clean(v) for k, v in attrs.items()})
    for tie in the_map.ties.values():
        graph.add_edge(
            tie.source,
            tie.target,
            key=tie.id,
            link_type=tie.type,
            direction=tie.direction,
            strength=int(tie.strength),
            note=clean(tie.note),
            colour=the_map.vocabulary.colour(tie.type),
        )
    return graph


def _network_graph(network: SiteNetwork) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(site=network.site, round=network.round)
    graph.graph[VOCABULARY_ATTR] = json.dumps(network.vocabulary.to_dict())
    for actor in network.actors.values():
        attrs: dict[str, Any] = {
            "label": clean(actor.name),
            "sector": actor.sector,
            "kind": actor.kind,
            "maps": len(actor.map_ids),
            "colour": vocab.sector_colour(actor.sector),
        }
        if actor.influence is not None:
            attrs["influence"] = float(actor.influence)
        graph.add_node(actor.key, **attrs)
    for number, tie in enumerate(network.ties):
        graph.add_edge(
            tie.source,
            tie.target,
            key=f"t{number}",
            link_type=tie.type,
            direction=tie.direction,
            strength=float(tie.strength),
            weight=int(tie.weight),
            colour=network.vocabulary.colour(tie.type),
        )
    return graph


def map_from_graph(
    graph: nx.Graph,
    file: str,
    position: Callable[[Mapping[str, Any]], tuple[Any, Any]] | None = None,
    report: list[str] | None = None,
) -> Map:
    """Build a Map from a graph read from `file`; refuse it whole, naming the file, if bad.

    Node and edge ids that are UUIDs (fieldkit's own files) are kept, others replaced. Ties
    given twice are folded into one (fieldkit.mapping.duplicates); `report` gets a line for each.
    """
    problems: list[Problem] = []
    vocabulary = None
    if graph.graph.get(VOCABULARY_ATTR):
        try:
            vocabulary = MapVocabulary.from_dict(json.loads(graph.graph[VOCABULARY_ATTR]))
        except (ValueError, FieldkitError) as err:
            raise FieldkitError(
                Problem(f"its fieldkit vocabulary is unreadable ({err})", file=file)
            ) from err
    ids: dict[Any, str] = {}
    actors = []
    for node, data in graph.nodes(data=True):
        ids[node] = str(node) if is_uuid(str(node)) else str(uuid.uuid4())
        where = str(data.get("label") or node)
        try:
            influence = whole_number(data.get("influence"))
        except ValueError:
            problems.append(
                Problem(
                    f"influence {data.get('influence')!r} is not a number", file=file, name=where
                )
            )
            influence = None
        x, y = position(data) if position else (data.get("x"), data.get("y"))
        try:
            x, y = (None, None) if x is None or y is None else (float(x), float(y))
        except (TypeError, ValueError):
            problems.append(
                Problem(f"position ({x!r}, {y!r}) is not numbers", file=file, name=where)
            )
            x = y = None
        goals = str(data.get("goals") or "")
        actors.append(
            {
                "id": ids[node],
                "name": str(data.get("label") or node),
                "sector": str(data.get("sector") or "other").strip().lower(),
                "kind": str(data.get("kind") or "organisation").strip().lower(),
                "influence": influence,
                "goals": [g.strip() for g in goals.split(GOAL_SEPARATOR) if g.strip()],
                "notes": str(data.get("notes") or ""),
                "notes_sensitive": bool(data.get("notes_sensitive", False)),
                "x": x,
                "y": y,
            }
        )
    ties = []
    seen_keys: set[str] = set()
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    for edge in edges:
        source, target, data = edge[0], edge[1], edge[-1]
        key = str(data.get("id") or (edge[2] if graph.is_multigraph() else ""))
        tie_id = key if is_uuid(key) and key not in seen_keys else str(uuid.uuid4())
        seen_keys.add(tie_id)
        where = f"{source} -> {target}"
        link_type = data.get("link_type") or data.get("type")
        if not link_type:
            problems.append(Problem("the tie has no link_type", file=file, name=where))
            continue
        default_direction = "one-way" if graph.is_directed() else "mutual"
        try:
            strength = whole_number(data.get("strength"))
        except ValueError:
            problems.append(
                Problem(f"strength {data.get('strength')!r} is not a number", file=file, name=where)
            )
            continue
        ties.append(
            {
                "id": tie_id,
                "source": ids[source],
                "target": ids[target],
                "type": str(link_type).strip(),
                "direction": str(data.get("direction") or default_direction).strip().lower(),
                "strength": 2 if strength is None else strength,
                "note": str(data.get("note") or ""),
            }
        )
    if problems:
        raise FieldkitError(problems)
    ties, folded = fold_duplicate_ties(ties, {actor["id"]: actor["name"] for actor in actors})
    if report is not None:
        report.extend(folded)
    map_id = str(graph.graph.get("fieldkit_map_id") or "")
    data = {
        "id": map_id if is_uuid(map_id) else None,
        "vocabulary": vocabulary.to_dict() if vocabulary else None,
        "actors": actors,
        "ties": ties,
    }
    for name in MAP_ATTRS:
        if graph.graph.get(name) is not None:
            data[name] = str(graph.graph[name])
    try:
        return Map.from_dict(data)
    except FieldkitError as err:
        raise located(err, file=file) from err
