"""The project file: SQLite schema and migrations, repositories, backups, bundles.

The only package that speaks SQL. Import from here: `create_project`, `open_project`,
`open_default_project`, `list_projects`, `Project`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Loaded on first use (PEP 562), so `fieldkit.store.registry` (which projects exist) costs
# nothing at start-up: the app's window can show before sqlite-utils and the schema load.
_EXPORTS = {
    "Project": "fieldkit.store.project",
    "create_project": "fieldkit.store.project",
    "open_default_project": "fieldkit.store.project",
    "open_project": "fieldkit.store.project",
    "open_project_file": "fieldkit.store.project",
    "list_projects": "fieldkit.store.registry",
    "resolve_project": "fieldkit.store.registry",
}

if TYPE_CHECKING:
    from fieldkit.store.project import (
        Project,
        create_project,
        open_default_project,
        open_project,
        open_project_file,
    )
    from fieldkit.store.registry import list_projects, resolve_project


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'fieldkit.store' has no attribute {name!r}")


__all__ = [
    "Project",
    "create_project",
    "list_projects",
    "open_default_project",
    "open_project",
    "open_project_file",
    "resolve_project",
]
