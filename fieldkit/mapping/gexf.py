"""GEXF (Gephi): a map or site network, and back into a map.

Colour, position and size (by influence) go in GEXF's own viz elements so Gephi shows them;
the tie type is `link_type`, since GEXF reserves an edge's `type` for its direction. GEXF
has no graph attributes, so the map's own (site, round, focus question, vocabulary) travel as
JSON in the graph's name, the one graph-level field networkx reads back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import networkx as nx

from fieldkit.errors import FieldkitError, Problem
from fieldkit.mapping.graphdata import Graphable, graph_of, map_from_graph
from fieldkit.mapping.model import Map

NODE_SIZE = 10.0  # viz size of an actor without an influence tower
SIZE_PER_INFLUENCE = 2.0


def _rgb(colour: str) -> dict[str, int]:
    value = colour.lstrip("#")
    return {"r": int(value[0:2], 16), "g": int(value[2:4], 16), "b": int(value[4:6], 16)}


def _gexf_graph(item: Graphable, include_sensitive: bool) -> nx.MultiDiGraph:
    graph = graph_of(item, include_sensitive)
    details = dict(graph.graph)
    graph.graph.clear()
    graph.graph["name"] = json.dumps(details, sort_keys=True)
    for _, data in graph.nodes(data=True):
        viz: dict[str, Any] = {
            "color": _rgb(data["colour"]),
            "size": NODE_SIZE + SIZE_PER_INFLUENCE * float(data.get("influence", 0)),
        }
        if "x" in data:
            viz["position"] = {"x": data.pop("x"), "y": data.pop("y"), "z": 0.0}
        data["viz"] = viz
    for _, _, key, data in graph.edges(keys=True, data=True):
        data["id"] = key  # networkx numbers GEXF edges itself unless given an id
    return graph


def write_gexf(item: Graphable, path: str | Path, include_sensitive: bool = False) -> Path:
    path = Path(path)
    try:
        nx.write_gexf(_gexf_graph(item, include_sensitive), path)
    except OSError as err:
        raise FieldkitError(Problem(f"cannot write it ({err.strerror})", file=str(path))) from err
    return path


def _position(data: Mapping[str, Any]) -> tuple[Any, Any]:
    if "x" in data and "y" in data:
        return data["x"], data["y"]
    position = (data.get("viz") or {}).get("position")
    if not position:
        return None, None
    return position.get("x"), position.get("y")


def read_gexf(path: str | Path, report: list[str] | None = None) -> Map:
    path = Path(path)
    if not path.is_file():
        raise FieldkitError(Problem("no such file", file=str(path)))
    try:
        graph = nx.read_gexf(path)
    except (ParseError, nx.NetworkXError, ValueError, KeyError, TypeError) as err:
        raise FieldkitError(
            Problem(f"not a GEXF file fieldkit can read ({err})", file=str(path))
        ) from err
    name = str(graph.graph.pop("name", "") or "")
    if name.startswith("{"):
        try:
            details = json.loads(name)
        except ValueError:
            details = {}
        if isinstance(details, dict):
            graph.graph.update(details)
    return map_from_graph(graph, str(path), position=_position, report=report)
