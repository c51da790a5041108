"""GraphML (yEd, Gephi, Cytoscape, networkx): a map or site network, and back into a map."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import ParseError

import networkx as nx

from fieldkit.errors import FieldkitError, Problem
from fieldkit.mapping.graphdata import Graphable, graph_of, map_from_graph
from fieldkit.mapping.model import Map


def write_graphml(item: Graphable, path: str | Path, include_sensitive: bool = False) -> Path:
    path = Path(path)
    try:
        nx.write_graphml(graph_of(item, include_sensitive), path)
    except OSError as err:
        raise FieldkitError(Problem(f"cannot write it ({err.strerror})", file=str(path))) from err
    return path


def read_graphml(path: str | Path, report: list[str] | None = None) -> Map:
    path = Path(path)
    if not path.is_file():
        raise FieldkitError(Problem("no such file", file=str(path)))
    try:
        graph = nx.read_graphml(path, force_multigraph=True)
    except (ParseError, nx.NetworkXError, ValueError, KeyError, TypeError) as err:
        raise FieldkitError(
            Problem(f"not a GraphML file fieldkit can read ({err})", file=str(path))
        ) from err
    return map_from_graph(graph, str(path), report=report)
