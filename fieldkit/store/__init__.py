"""The project file: SQLite schema and migrations, repositories, backups, bundles.

The only package that speaks SQL. Import from here: `create_project`, `open_project`,
`open_default_project`, `list_projects`, `Project`.
"""

from fieldkit.store import _sqlite_utils

_sqlite_utils.load()  # before anything below imports sqlite_utils (see the module's docstring)

from fieldkit.store.project import (  # noqa: E402
    Project,
    create_project,
    open_default_project,
    open_project,
    open_project_file,
)
from fieldkit.store.registry import list_projects, resolve_project  # noqa: E402

__all__ = [
    "Project",
    "create_project",
    "list_projects",
    "open_default_project",
    "open_project",
    "open_project_file",
    "resolve_project",
]
