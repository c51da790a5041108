"""Where things live: the user's data dir, and the data shipped inside the package.

Shipped data (resources/, forms/) is reached through importlib.resources as the packages
`fieldkit.resources` and `fieldkit.instruments`, so an installed or frozen fieldkit finds it
exactly as a source checkout does.
"""

from __future__ import annotations

import os
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import platformdirs

APP_NAME = "fieldkit"
DATA_DIR_ENV = "FIELDKIT_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data dir: --data-dir, else $FIELDKIT_DATA_DIR, else the platform's user data dir."""
    if override:
        path = Path(override)
    elif os.environ.get(DATA_DIR_ENV):
        path = Path(os.environ[DATA_DIR_ENV])
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return path.expanduser()


def resource(name: str) -> Traversable:
    return resources.files("fieldkit.resources").joinpath(name)


def resource_text(name: str) -> str:
    return resource(name).read_text(encoding="utf-8")


def instrument(name: str) -> Traversable:
    """A shipped instrument or framework file in forms/."""
    return resources.files("fieldkit.instruments").joinpath(name)


def instrument_names() -> list[str]:
    return sorted(
        p.name
        for p in resources.files("fieldkit.instruments").iterdir()
        if p.is_file() and not p.name.startswith(("_", "."))
    )
