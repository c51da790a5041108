"""A coordinator's own framework, remembered by the project itself.

A path to a file on one laptop is fragile (the file moves, the project is copied to another
machine, a colleague opens it), so the project keeps the framework file's *content* in its
settings. It is checked against the form it scores before it is saved, so a project never
holds a framework that does not fit its form; the dashboard, the packs and `fieldkit summary`
all read it through `project_framework`.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldkit.errors import FieldkitError, Problem
from fieldkit.indicators.framework import (
    Framework,
    framework_from_content,
    load_framework,
    validate_framework,
)

if TYPE_CHECKING:
    from fieldkit.forms.model import Form
    from fieldkit.store import Project

SETTING = "framework"  # the project setting holding the coordinator's framework
_TEXT_SUFFIXES = (".md",)


def scored_form(project: Project, form_id: str) -> Form:
    """The form a framework scores: the project's latest imported version, else the shipped one.

    Read-only on purpose (validating a framework must not import forms into the project).
    """
    from fieldkit.forms.shipped import load_shipped_form

    if any(row["form_id"] == form_id for row in project.forms.list()):
        return project.forms.load(project.forms.latest(form_id)["id"])
    return load_shipped_form(form_id)


def check_against_form(project: Project, framework: Framework) -> None:
    """Refuse a framework whose items are not scale questions of the form it scores."""
    validate_framework(framework, scored_form(project, framework.form_id))


def framework_setting(project: Project) -> dict[str, Any] | None:
    """What the project holds about its coordinator's framework (None: the shipped one)."""
    value = project.settings.get(SETTING)
    return value if isinstance(value, dict) else None


def stored_framework(project: Project) -> Framework | None:
    """The coordinator's framework saved in the project, parsed; None when none is saved."""
    setting = framework_setting(project)
    if setting is None:
        return None
    name = str(setting.get("file") or "framework.md")
    where = f"{name} (the copy saved in project '{project.name}')"
    try:
        data = framework_content(project)
    except (KeyError, ValueError, TypeError) as exc:
        raise FieldkitError(
            Problem(
                f"the saved framework cannot be read ({exc}); set it again with "
                "`fieldkit framework set FILE` or go back with `fieldkit framework reset`",
                file=where,
            )
        ) from exc
    return framework_from_content(data or b"", name, where)


def set_project_framework(project: Project, path: str | Path) -> Framework:
    """Load a coordinator's framework file, check it against its form, and save it in the project.

    Nothing is saved when the file or the check fails.
    """
    path = Path(path)
    framework = load_framework(path)
    check_against_form(project, framework)
    data = path.read_bytes()
    text = path.suffix.lower() in _TEXT_SUFFIXES
    project.update_settings(
        **{
            SETTING: {
                "file": path.name,
                "encoding": "utf-8" if text else "base64",
                "content": data.decode("utf-8") if text else base64.b64encode(data).decode("ascii"),
                "sha256": hashlib.sha256(data).hexdigest(),
                "framework_id": framework.id,
                "title": framework.title,
                "version": framework.version,
                "form_id": framework.form_id,
            }
        }
    )
    return framework


def reset_project_framework(project: Project) -> bool:
    """Go back to the shipped framework; False when the project had no framework of its own."""
    if framework_setting(project) is None:
        return False
    project.update_settings(**{SETTING: None})
    return True


def framework_content(project: Project) -> bytes | None:
    """The saved framework file's bytes (to write it back out for editing)."""
    setting = framework_setting(project)
    if setting is None:
        return None
    if setting.get("encoding") == "base64":
        return base64.b64decode(setting["content"], validate=True)
    return str(setting["content"]).encode("utf-8")
