"""sqlite-utils, imported without the numpy and pandas it loads only to accept their values.

The store imports `Database` and `Migrations` from here, never from sqlite_utils directly.

sqlite-utils imports numpy (and pandas, when present) at import time to map their scalar types
to SQL types. fieldkit stores plain Python values only, and numpy costs about 0.2 s of the
app's start-up, so while sqlite-utils loads, those two are marked missing; the mark is removed
at once, so networkx and the layouts still import numpy when they need it.
"""

from __future__ import annotations

import sys

_OPTIONAL = ("numpy", "pandas")


def load() -> None:
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in _OPTIONAL if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` fail fast
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


load()

from sqlite_utils import Database  # noqa: E402
from sqlite_utils.migrations import Migrations  # noqa: E402

__all__ = ["Database", "Migrations", "load"]
