"""Shared set-up for the team-data tests: a coordinator, laptops joined from its kit, interviews."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from fieldkit.forms.model import Form
from fieldkit.store import Project, create_project, open_project_file
from fieldkit.store.bundles import export_kit, join_kit


def digest(path: Path) -> str:
    """The project file and its WAL, as bytes: what 'nothing changed' is checked against."""
    h = hashlib.sha256(Path(path).read_bytes())
    wal = Path(f"{path}-wal")
    if wal.exists():
        h.update(wal.read_bytes())
    return h.hexdigest()


def add_form(project: Project, form_id: str = "household") -> str:
    record, _ = project.forms.add(
        Form(form_id=form_id, title=form_id.title()), f"source of {form_id}".encode(), "x.md"
    )
    return record["id"]


def coordinator(root: Path, name: str = "Programme") -> Project:
    project = create_project(root / "coordinator", name)
    add_form(project)
    project.sites.add("Broughton")
    project.sites.add("Cheetham Hill")
    project.rounds.add("Baseline")
    return project


def laptop(root: Path, kit: Path, name: str) -> Project:
    return join_kit(root / name, kit)


def kit_for(project: Project, root: Path) -> Path:
    path = root / "kit.fkb"
    export_kit(project, path)
    return path


def interview(
    project: Project,
    answers: dict[str, Any],
    code: str | None = None,
    site: str | None = "Broughton",
    finalize: bool = True,
    interview_id: str | None = None,
) -> str:
    form = project.forms.latest("household")["id"]
    row = project.interviews.create(form, site=site, round="Baseline", interview_id=interview_id)
    project.interviews.set_answers(row.id, answers)
    if finalize:
        project.interviews.finalize(
            row.id, answers, respondent_code=code, respondent_sector="residents"
        )
    return row.id


def reopen_and_set(project: Project, interview_id: str, changes: dict[str, Any]) -> None:
    project.interviews.reopen(interview_id, reason="correction")
    answers = project.interviews.answers(interview_id) | changes
    project.interviews.set_answers(interview_id, changes)
    project.interviews.finalize(interview_id, answers)


def reopen_file(project: Project) -> Project:
    path, data_dir = project.path, project.data_dir
    project.close()
    return open_project_file(path, data_dir, backup=False)


def rewrite(src: Path, dst: Path, change, fix_checksums: bool = True) -> None:
    """Copy a bundle, letting `change(members, manifest)` alter it; checksums redone unless told."""
    import json
    import zipfile

    from fieldkit.store.bundle_format import sha256

    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n != "manifest.json"}
        manifest = json.loads(zf.read("manifest.json"))
    change(members, manifest)
    if fix_checksums:
        manifest["members"] = {n: sha256(d) for n, d in members.items()}
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, data in members.items():
            zf.writestr(name, data)
