"""Where things live: the user's data dir, and the data shipped inside the package.

Shipped data (resources/, forms/) is reached through importlib.resources as the packages
`fieldkit.resources` and `fieldkit.instruments`, so an installed or frozen fieldkit finds it
exactly as a source checkout does.

The app's start imports this module, so platformdirs loads only when no data dir is given, and
importlib.resources only where a file is reached by path (the start reads its two text files
through the package's loader, which costs less).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.abc import Traversable

APP_NAME = "fieldkit"
DATA_DIR_ENV = "FIELDKIT_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data dir: --data-dir, else $FIELDKIT_DATA_DIR, else the platform's user data dir."""
    if override:
        path = Path(override)
    elif os.environ.get(DATA_DIR_ENV):
        path = Path(os.environ[DATA_DIR_ENV])
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return path.expanduser()


def resource(name: str) -> Traversable:
    from importlib import resources

    return resources.files("fieldkit.resources").joinpath(name)


def resource_text(name: str) -> str:
    """A shipped text file (the stylesheet, the palette), read as the app starts.

    Read by the package's own loader, as `pkgutil.get_data` does: the same file in a checkout,
    an install or the frozen app. Not through importlib.resources, which imports zipfile and
    tempfile, nor pkgutil (+zipimport): ~5 ms and ~2 ms before the first frame.
    """
    import importlib

    package = importlib.import_module("fieldkit.resources")
    loader = package.__spec__.loader
    if getattr(package, "__file__", None) and hasattr(loader, "get_data"):
        path = os.path.join(os.path.dirname(package.__file__), *name.split("/"))
        return loader.get_data(path).decode("utf-8")
    return resource(name).read_text(encoding="utf-8")  # a loader without files


def instrument(name: str) -> Traversable:
    """A shipped instrument or framework file in forms/."""
    from importlib import resources

    return resources.files("fieldkit.instruments").joinpath(name)


def instrument_names() -> list[str]:
    from importlib import resources

    return sorted(
        p.name
        for p in resources.files("fieldkit.instruments").iterdir()
        if p.is_file() and not p.name.startswith(("_", "."))
    )
