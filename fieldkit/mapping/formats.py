"""Maps in other tools' files, chosen by extension: .graphml, .gexf, .xlsx (Kumu).

Every reader returns a standalone Map (no interview; copy it with `new_ids=True` to import the
same file twice) and refuses a bad file whole, naming the file and the element, sheet or row
at fault. Writers take a Map or a SiteNetwork; notes marked sensitive are personal data and
are left out unless `include_sensitive=True`.
"""

from __future__ import annotations

from pathlib import Path

from fieldkit.errors import FieldkitError, Problem
from fieldkit.mapping.gexf import read_gexf, write_gexf
from fieldkit.mapping.graphdata import Graphable
from fieldkit.mapping.graphml import read_graphml, write_graphml
from fieldkit.mapping.kumu import read_kumu, write_kumu
from fieldkit.mapping.model import Map

WRITERS = {"graphml": write_graphml, "gexf": write_gexf, "xlsx": write_kumu}
READERS = {"graphml": read_graphml, "gexf": read_gexf, "xlsx": read_kumu}


def format_of(path: Path) -> str:
    extension = path.suffix.lower().lstrip(".")
    if extension not in WRITERS:
        raise FieldkitError(
            Problem(
                f"cannot tell the format from the extension (use .{', .'.join(WRITERS)})",
                file=str(path),
            )
        )
    return extension


def write_graph(item: Graphable, path: str | Path, include_sensitive: bool = False) -> Path:
    """Write a map or a site network as GraphML, GEXF or a Kumu spreadsheet."""
    path = Path(path)
    return WRITERS[format_of(path)](item, path, include_sensitive=include_sensitive)


def read_map(path: str | Path, report: list[str] | None = None) -> Map:
    """Read a GraphML, GEXF or Kumu spreadsheet into a standalone Map.

    Ties the file gives twice are folded into one; `report`, if given, gets a line for each.
    """
    path = Path(path)
    return READERS[format_of(path)](path, report=report)
