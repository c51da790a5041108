"""The data dir: which projects exist, which was opened last, this device's identity.

Layout: DATA/projects/<slug>.fieldkit (one SQLite file per project), DATA/backups/<slug>/,
DATA/fieldkit.json (last project, device id, fieldworker name). Nothing else is written there.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldkit.errors import FieldkitError, Problem

PROJECT_SUFFIX = ".fieldkit"
STATE_FILE = "fieldkit.json"
FIELDWORKER_ENV = "FIELDKIT_FIELDWORKER"


@dataclass(frozen=True)
class ProjectInfo:
    name: str  # the file stem; the display name lives inside the file
    path: Path


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text


def validate_name(name: str, what: str = "project") -> str:
    name = (name or "").strip()
    if not name:
        raise FieldkitError(f"a {what} needs a name")
    if len(name) > 120:
        raise FieldkitError(f"{what} name too long (120 characters at most): {name[:30]}...")
    if what == "project" and not slugify(name):
        raise FieldkitError(f"project name '{name}' needs at least one letter or digit")
    return name


def projects_dir(data_dir: Path) -> Path:
    return data_dir / "projects"


def project_path(data_dir: Path, name: str) -> Path:
    return projects_dir(data_dir) / f"{slugify(name)}{PROJECT_SUFFIX}"


def list_projects(data_dir: Path) -> list[ProjectInfo]:
    folder = projects_dir(data_dir)
    if not folder.is_dir():
        return []
    return [ProjectInfo(p.stem, p) for p in sorted(folder.glob(f"*{PROJECT_SUFFIX}"))]


def read_state(data_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((data_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_state(data_dir: Path, **changes: Any) -> dict[str, Any]:
    """Update the state file atomically (write aside, then rename)."""
    state = read_state(data_dir)
    state.update(changes)
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = data_dir / f".{STATE_FILE}.tmp"
    tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
    os.replace(tmp, data_dir / STATE_FILE)
    return state


def device_id(data_dir: Path) -> str:
    """A stable id for this laptop's data dir, made once."""
    state = read_state(data_dir)
    if not state.get("device_id"):
        import uuid  # here, not at the top: the app's start reads the registry

        state = write_state(data_dir, device_id=str(uuid.uuid4()))
    return state["device_id"]


def fieldworker_name(data_dir: Path) -> str:
    return os.environ.get(FIELDWORKER_ENV) or read_state(data_dir).get("fieldworker") or _os_user()


def _os_user() -> str:
    try:
        import getpass  # here, not at the top: the app's start reads the registry

        return getpass.getuser()
    except Exception:  # no user database (containers): still a usable label
        return "fieldworker"


def resolve_project(data_dir: Path, name: str | None) -> ProjectInfo:
    """The project a command acts on: the named one, else the only one, else the last opened."""
    projects = list_projects(data_dir)
    if name:
        wanted = slugify(name)
        for info in projects:
            if info.name == wanted:
                return info
        known = ", ".join(p.name for p in projects) or "none yet"
        raise FieldkitError(
            Problem(f"no project named '{name}' (projects: {known})", file=str(data_dir))
        )
    if not projects:
        raise FieldkitError(
            Problem(
                "no project yet: create one with `fieldkit project create NAME`", file=str(data_dir)
            )
        )
    if len(projects) == 1:
        return projects[0]
    last = read_state(data_dir).get("last_project")
    for info in projects:
        if info.name == last:
            return info
    names = ", ".join(p.name for p in projects)
    raise FieldkitError(f"several projects ({names}): name one with --project")
