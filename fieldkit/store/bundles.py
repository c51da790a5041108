"""Bundles: how laptops and the coordinator exchange data with no network.

Two kinds share one file format (fieldkit.store.bundle_format):

- a **data bundle** (`export_bundle`): interviews with their answers, attached files and sync
  history, maps with actors and ties, actions, audit entries and erasure tombstones; whole, or
  only what changed since a time (`since`), or one site;
- a **project kit** (`export_kit`): the project's identity (id, name), forms, sites, rounds and
  the coordinator's public key. `join_kit` makes a new project on a laptop with the *same*
  project id, which is what lets its bundles be imported by the coordinator later; importing a
  kit into an existing project of that id brings new forms, sites and rounds.

Importing (`import_bundle`) happens in two phases. The plan phase only reads: decrypts, checks
the manifest and every checksum, the project id and the schema, decrypts sealed interviews and
decides each record (fieldkit.store.merge). Only then is everything applied in one transaction;
any failure (a full disk included) rolls all of it back.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldkit import __version__
from fieldkit.errors import FieldkitError, Problem
from fieldkit.store import crypto, merge, sealing
from fieldkit.store.bundle_format import (
    FORMAT,
    FORMAT_VERSION,
    BundleReader,
    BundleWriter,
    read_file_bounded,
    sha256,
    write_atomically,
)
from fieldkit.store.clock import new_id, now_iso
from fieldkit.store.repos.forms import form_digest
from fieldkit.store.schema import SCHEMA_VERSION
from fieldkit.store.snapshots import (
    action_snapshot,
    content_hash,
    interview_snapshot,
    map_snapshot,
)

if TYPE_CHECKING:
    from fieldkit.store.project import Project

DATA, KIT = "data", "kit"
KIT_SETTINGS = ("public_key", "retention_days")


@dataclass
class ExportReport:
    path: Path
    bundle_id: str
    counts: dict[str, int]
    encrypted: bool
    since: str | None


@dataclass
class ImportReport:
    path: Path
    bundle_id: str
    kind: str
    device: str | None
    fieldworker: str | None
    counts: Counter = field(default_factory=Counter)
    already_imported: bool = False
    sealing: bool = False  # a kit brought a public key: finalized interviews were encrypted

    def summary(self) -> str:
        c = self.counts
        text = (
            f"{c['new']} new, {c['updated']} updated, {c['unchanged']} unchanged, "
            f"{c['conflict']} conflicts"
        )
        if c["erased"]:
            text += f", {c['erased']} erased"
        return text


# -- export ---------------------------------------------------------------------------------
def parse_since(project: Project, since: str | None) -> str | None:
    """'last' (the previous export), an ISO date/time, or a previous bundle file."""
    if not since:
        return None
    if since == "last":
        return project.settings.get("last_export")  # none yet: everything
    path = Path(since)
    if path.suffix == ".fkb" or path.is_file():
        if not path.is_file():
            raise FieldkitError(Problem("no such bundle to export since", file=str(path)))
        data = read_file_bounded(path)
        if crypto.is_envelope(data):
            created = crypto.envelope_header(data, str(path)).get("created")
        else:
            created = BundleReader(data, str(path)).manifest.get("created")
        if not created:
            raise FieldkitError(Problem("the bundle does not say when it was made", file=str(path)))
        return created
    try:
        stamp = datetime.fromisoformat(since)
    except ValueError as exc:
        raise FieldkitError(
            f"--since takes 'last', a date (2025-03-01), a date-time or a bundle file, not '{since}'"
        ) from exc
    if stamp.tzinfo is None:
        from datetime import UTC

        stamp = stamp.replace(tzinfo=UTC)
    return stamp.isoformat(timespec="microseconds")


def _manifest(project: Project, kind: str, bundle_id: str, created: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "bundle_id": bundle_id,
        "project_id": project.id,
        "project_name": project.name,
        "device": project.device,
        "fieldworker": project.fieldworker_name,
        "schema_version": SCHEMA_VERSION,
        "fieldkit_version": __version__,
        "created": created,
    }


def _ids(project: Project, sql: str, params: list[Any]) -> list[str]:
    return [r[0] for r in project.db.execute(sql, params)]


def _add_places(project: Project, writer: BundleWriter) -> None:
    writer.add_json(
        "records/sites.json", [{"id": r["id"], "name": r["name"]} for r in project.sites.list()]
    )
    writer.add_json(
        "records/rounds.json",
        [
            {"id": r["id"], "name": r["name"], "ordinal": r["ordinal"]}
            for r in project.rounds.list()
        ],
    )


def _add_forms(project: Project, writer: BundleWriter, form_pks: Iterable[str]) -> int:
    records = []
    for pk in sorted(set(form_pks)):
        row = project.forms.record(pk)
        source, _ = project.forms.source(pk)
        writer.add(f"forms/{sha256(source)}", source)
        files = project.forms.files(pk)
        for content in files.values():
            writer.add(f"files/{sha256(content)}", content)
        record = {
            k: row[k]
            for k in ("id", "form_id", "version", "title", "source_name", "source_hash", "imported")
        }
        record["source_sha256"] = sha256(source)
        record["files"] = {name: sha256(content) for name, content in sorted(files.items())}
        records.append(record)
    writer.add_json("records/forms.json", records)
    return len(records)


def _with_consents(project: Project, interview_ids: list[str]) -> list[str]:
    """The chosen interviews plus the consent interviews they were opened from, oldest first.

    An interview rests on its consent record (no consent, no interview data), so a bundle
    always carries it, even when `--since` or `--site` would leave it out: the coordinator
    can then import bundles in any order, and never holds an interview without its consent.
    """
    wanted = json.dumps(interview_ids)
    return _ids(
        project,
        "SELECT id FROM interviews WHERE id IN (SELECT value FROM json_each(?)) "
        "OR id IN (SELECT consent FROM interviews WHERE consent IS NOT NULL "
        "AND id IN (SELECT value FROM json_each(?))) ORDER BY created, id",
        [wanted, wanted],
    )


def export_bundle(
    project: Project, out: Path, since: str | None = None, site: str | None = None
) -> ExportReport:
    """Write a data bundle; encrypted to the project's public key when it has one."""
    since_stamp = parse_since(project, since)
    site_id = project.sites.find(site)["id"] if site else None
    created = now_iso()
    bundle_id = new_id()
    writer = BundleWriter(_manifest(project, DATA, bundle_id, created))
    where, params = ["1 = 1"], []
    if since_stamp:
        where.append("updated > ?")
        params.append(since_stamp)
    if site_id:
        where.append("site = ?")
        params.append(site_id)
    clause = " AND ".join(where)

    interviews, form_pks, exported = [], [], []
    attachments = 0
    for interview_id in _with_consents(
        project, _ids(project, f"SELECT id FROM interviews WHERE {clause}", params)
    ):
        sealed = sealing.envelope(project, interview_id)
        snap = interview_snapshot(project, interview_id)
        assert snap is not None
        form_pks.append(
            project.db.execute(
                "SELECT form FROM interviews WHERE id = ?", [interview_id]
            ).fetchone()[0]
        )
        if sealed:
            digest, envelope = sealed
            writer.add(f"sealed/{interview_id}.bin", envelope)
            snap = {
                k: v for k, v in snap.items() if k not in ("answers", "attachments", "revisions")
            }
            snap["sealed"] = True
        else:
            digest = content_hash("interviews", snap)
            for a in snap["attachments"]:
                name = f"files/{a['sha256']}"
                if not writer.has(name):
                    writer.add(name, project.interviews.attachment_data(a["id"]))
                attachments += 1
        exported.append(("interviews", interview_id, digest))
        snap["hash"] = digest
        interviews.append(snap)

    maps = []
    for map_id in _ids(project, f"SELECT id FROM maps WHERE {clause} ORDER BY created, id", params):
        snap = map_snapshot(project, map_id)
        snap["hash"] = content_hash("maps", snap)
        exported.append(("maps", map_id, snap["hash"]))
        maps.append(snap)

    actions = []
    for action_id in _ids(
        project, f"SELECT id FROM actions WHERE {clause} ORDER BY created, id", params
    ):
        snap = action_snapshot(project, action_id)
        snap["hash"] = content_hash("actions", snap)
        exported.append(("actions", action_id, snap["hash"]))
        actions.append(snap)

    audit_where, audit_params = (["1 = 1"], [])
    if since_stamp:
        audit_where.append("at > ?")
        audit_params.append(since_stamp)
    audit = [
        {k: v for k, v in row.items() if k != "seq"}
        for row in project.db.query(
            f"SELECT * FROM audit WHERE {' AND '.join(audit_where)} ORDER BY seq", audit_params
        )
    ]
    if site_id:
        wanted = {rid for _, rid, _ in exported}
        audit = [a for a in audit if a["record_id"] in wanted]
    erasures = list(
        project.db.query(
            "SELECT record_id, kind, erased FROM erasures"
            + (" WHERE erased > ?" if since_stamp else "")
            + " ORDER BY erased",
            [since_stamp] if since_stamp else [],
        )
    )

    by_record: dict[tuple[str, str], set[str]] = {}
    for row in project.db.query("SELECT kind, record_id, hash FROM sync_history"):
        by_record.setdefault((row["kind"], row["record_id"]), set()).add(row["hash"])
    current = {(kind, record_id): digest for kind, record_id, digest in exported}
    for kind, items in (("interviews", interviews), ("maps", maps), ("actions", actions)):
        for snap in items:
            known = by_record.get((kind, snap["id"]), set()) | {current[(kind, snap["id"])]}
            snap["history"] = sorted(known)

    writer.add_json("records/interviews.json", interviews)
    writer.add_json("records/maps.json", maps)
    writer.add_json("records/actions.json", actions)
    writer.add_json("records/audit.json", audit)
    writer.add_json("records/erasures.json", erasures)
    _add_places(project, writer)
    forms = _add_forms(project, writer, form_pks)
    counts = {
        "interviews": len(interviews),
        "maps": len(maps),
        "actions": len(actions),
        "audit": len(audit),
        "attachments": attachments,
        "forms": forms,
        "erasures": len(erasures),
    }
    writer.manifest |= {"counts": counts, "since": since_stamp, "site": site}
    data = writer.to_bytes()
    public_pem = project.settings.get("public_key")
    if public_pem:
        data = crypto.seal(
            public_pem,
            data,
            kind="bundle",
            project=project.id,
            bundle_id=bundle_id,
            created=created,
        )
    _write(Path(out), data)
    # Only once the bundle is safely written: what we sent becomes part of each record's
    # history (an edit made from it elsewhere is then a descendant, not a conflict).
    try:
        with project.atomic():
            for kind, record_id, digest in exported:
                merge.remember(project, kind, record_id, [digest])
            project.update_settings(last_export=created)
    except sqlite3.OperationalError as exc:
        raise _storage_error(project, exc, f"the bundle {out} was written all the same") from exc
    return ExportReport(Path(out), bundle_id, counts, bool(public_pem), since_stamp)


def export_kit(project: Project, out: Path) -> ExportReport:
    """A project kit for a fieldworker's laptop: identity, forms, sites, rounds, public key."""
    created = now_iso()
    bundle_id = new_id()
    writer = BundleWriter(_manifest(project, KIT, bundle_id, created))
    settings = {k: v for k, v in project.settings.items() if k in KIT_SETTINGS}
    writer.add_json(
        "records/project.json", {"id": project.id, "name": project.name, "settings": settings}
    )
    _add_places(project, writer)
    forms = _add_forms(project, writer, [r["id"] for r in project.forms.list()])
    counts = {
        "forms": forms,
        "sites": len(project.sites.list()),
        "rounds": len(project.rounds.list()),
    }
    writer.manifest |= {"counts": counts}
    _write(Path(out), writer.to_bytes())
    return ExportReport(Path(out), bundle_id, counts, False, None)


def _write(out: Path, data: bytes) -> None:
    """Write the bundle whole or not at all; a full or read-only disk is reported as such."""
    try:
        write_atomically(out, data)
    except OSError as exc:
        raise FieldkitError(
            Problem(
                f"cannot write the bundle: {exc.strerror or exc}; nothing was written",
                file=str(out),
            )
        ) from exc


# -- reading ------------------------------------------------------------------------------------
def read_bundle(path: Path, key: crypto.PrivateKey | None = None) -> BundleReader:
    """Open and fully verify a bundle file (decrypting it first if it is encrypted)."""
    where = str(path)
    data = read_file_bounded(Path(path))
    if crypto.is_envelope(data):
        if key is None:
            head = crypto.envelope_header(data, where)
            raise FieldkitError(
                Problem(
                    f"this bundle is encrypted (key {head.get('key_id')}): import it on the "
                    "coordinator's machine with the private key (--key)",
                    file=where,
                )
            )
        data = crypto.open_envelope(key, data, where)
    return BundleReader(data, where)


def describe(path: Path) -> dict[str, Any]:
    """What a bundle says about itself, for listings (encrypted ones: the clear header only)."""
    data = read_file_bounded(Path(path))
    if crypto.is_envelope(data):
        return crypto.envelope_header(data, str(path)) | {"encrypted": True}
    manifest = BundleReader(data, str(path)).manifest
    return {k: v for k, v in manifest.items() if k != "members"} | {"encrypted": False}


def _upgrade(records: dict[str, list[dict[str, Any]]], from_version: int) -> None:
    """Bring records written by an older schema up to this one (never the other way)."""
    if from_version < 2:  # 0002 added interviews.consent
        for snap in records["interviews"]:
            snap.setdefault("consent", None)
    if from_version < 3:  # 0003 added sync history: an older bundle has none to offer
        for kind in ("interviews", "maps", "actions"):
            for snap in records[kind]:
                snap.setdefault("history", [])
                snap.setdefault("hash", None)


# -- import ---------------------------------------------------------------------------------------
@dataclass
class _Plan:
    reader: BundleReader
    manifest: dict[str, Any]
    records: dict[str, list[dict[str, Any]]]
    decisions: list[tuple[str, str, dict[str, Any], str]]  # kind, decision, snapshot, hash
    sealed_kept: dict[str, tuple[str, bytes]]


def _check_identity(project: Project, manifest: dict[str, Any], where: str) -> None:
    if manifest["project_id"] != project.id:
        raise FieldkitError(
            Problem(
                f"this bundle belongs to another project ('{manifest.get('project_name')}', "
                f"{manifest['project_id']}), not '{project.name}' ({project.id}); refused",
                file=where,
            )
        )
    version = manifest["schema_version"]
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise FieldkitError(
            Problem(
                f"this bundle was made by a newer fieldkit (schema {version}, this build knows "
                f"{SCHEMA_VERSION}); update fieldkit to import it",
                file=where,
            )
        )


def _records(reader: BundleReader) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for kind in ("interviews", "maps", "actions", "audit", "erasures", "sites", "rounds", "forms"):
        value = reader.json(f"records/{kind}.json", [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise FieldkitError(
                Problem(
                    "records are malformed (expected a list of records)",
                    file=reader.where,
                    name=f"records/{kind}.json",
                )
            )
        for item in value:
            if kind in ("interviews", "maps", "actions") and not isinstance(item.get("id"), str):
                raise FieldkitError(
                    Problem("a record has no id", file=reader.where, name=f"records/{kind}.json")
                )
        out[kind] = value
    return out


def _plan(project: Project, path: Path, key: crypto.PrivateKey | None) -> _Plan:
    reader = read_bundle(path, key)
    manifest = reader.manifest
    _check_identity(project, manifest, reader.where)
    records = _records(reader)
    _upgrade(records, manifest["schema_version"])
    for form in records["forms"]:
        members = [f"forms/{form.get('source_sha256') or form.get('source_hash')}"]
        members += [f"files/{digest}" for digest in (form.get("files") or {}).values()]
        if not all(reader.has(member) for member in members):
            raise FieldkitError(
                Problem(
                    "a form's source is missing from the bundle",
                    file=reader.where,
                    name=form.get("form_id"),
                )
            )
    decisions = []
    sealed_kept: dict[str, tuple[str, bytes]] = {}
    carried = {snap["id"] for snap in records["interviews"]}
    erased: set[str] = set()  # records of erased respondents, in this bundle
    for kind in ("interviews", "maps", "actions"):
        for snap in records[kind]:
            declared = snap.get("hash")
            if kind == "interviews" and snap.get("sealed"):
                digest = declared
                if not isinstance(digest, str):
                    raise FieldkitError(
                        Problem(
                            "sealed interview without a hash", file=reader.where, name=snap["id"]
                        )
                    )
            else:
                if kind == "interviews":
                    for a in snap.get("attachments", []):
                        a["data"] = base64.b64encode(reader.read(f"files/{a['sha256']}")).decode(
                            "ascii"
                        )
                digest = content_hash(kind, snap)
                if declared and declared != digest:
                    raise FieldkitError(
                        Problem(
                            "a record does not match its declared hash (altered?); refused",
                            file=reader.where,
                            name=snap["id"],
                        )
                    )
            decision = merge.decide(project, kind, snap["id"], digest, set(snap.get("history", [])))
            if kind == "interviews" and decision != merge.ERASED:
                decision = _check_consent(project, snap, decision, carried, reader.where)
            if kind == "maps" and snap.get("interview"):
                if snap["interview"] in erased or merge.is_erased(project, snap["interview"]):
                    decision = merge.ERASED  # a map drawn by an erased respondent goes too
            if decision == merge.ERASED:
                erased.add(snap["id"])
            if (
                kind == "interviews"
                and snap.get("sealed")
                and decision in (merge.NEW, merge.UPDATED, merge.CONFLICT)
            ):
                envelope = reader.read(f"sealed/{snap['id']}.bin")
                if key is not None:
                    full = sealing.open_sealed(
                        key, envelope, digest, f"{reader.where}: sealed/{snap['id']}.bin"
                    )
                    snap = full | {"history": snap.get("history", [])}
                elif decision == merge.CONFLICT:
                    raise FieldkitError(
                        Problem(
                            "an encrypted interview conflicts with this copy: import the bundle "
                            "on the coordinator's machine with the private key (--key)",
                            file=reader.where,
                            name=snap["id"],
                        )
                    )
                else:
                    head = crypto.envelope_header(envelope, reader.where)
                    sealed_kept[snap["id"]] = (head["key_id"], envelope)
            decisions.append((kind, decision, snap, digest))
    return _Plan(reader, manifest, records, decisions, sealed_kept)


def _check_consent(
    project: Project, snap: dict[str, Any], decision: str, carried: set[str], where: str
) -> str:
    """An interview rests on its consent record: erased with it, refused without it."""
    consent = snap.get("consent")
    if not consent:
        return decision
    if merge.is_erased(project, consent):
        return merge.ERASED  # the respondent was erased here: nothing of theirs comes back
    if consent in carried or decision not in (merge.NEW, merge.UPDATED):
        return decision
    here = project.db.execute("SELECT 1 FROM interviews WHERE id = ?", [consent]).fetchone()
    if here is None:
        raise FieldkitError(
            Problem(
                f"interview {snap['id']} was opened from consent interview {consent}, which is "
                "neither in this bundle nor in the project: import the bundle that holds the "
                "consent first; nothing was imported",
                file=where,
                name=snap["id"],
            )
        )
    return decision


def _apply_places_and_forms(project: Project, plan: _Plan) -> None:
    for site in plan.records["sites"]:
        if site.get("name"):
            merge._ref_id(project, "sites", site["name"])
    for rnd in sorted(plan.records["rounds"], key=lambda r: r.get("ordinal") or 0):
        if rnd.get("name"):
            merge._ref_id(project, "rounds", rnd["name"])
    for form in plan.records["forms"]:
        exists = project.db.execute(
            "SELECT 1 FROM forms WHERE form_id = ? AND source_hash = ?",
            [form["form_id"], form["source_hash"]],
        ).fetchone()
        if exists:
            continue
        source = plan.reader.read(f"forms/{form.get('source_sha256') or form['source_hash']}")
        files = {
            name: plan.reader.read(f"files/{digest}")
            for name, digest in (form.get("files") or {}).items()
        }
        if form_digest(source, files) != form["source_hash"]:
            raise FieldkitError(
                Problem(
                    "a form's source does not match its hash",
                    file=plan.reader.where,
                    name=form["form_id"],
                )
            )
        taken = project.db.execute("SELECT 1 FROM forms WHERE id = ?", [form["id"]]).fetchone()
        form_pk = new_id() if taken else form["id"]
        project.db["forms"].insert(
            {
                "id": form_pk,
                "form_id": form["form_id"],
                "version": form.get("version") or "",
                "title": form.get("title") or form["form_id"],
                "source_name": Path(form.get("source_name") or "form.xlsx").name,
                "source_hash": form["source_hash"],
                "source": source,
                # the version's own import time, so "latest" means the same on every laptop
                "imported": form.get("imported") or now_iso(),
            }
        )
        for name, content in sorted(files.items()):
            project.db["form_files"].insert({"form": form_pk, "name": name, "content": content})


def _apply(project: Project, plan: _Plan, report: ImportReport) -> None:
    from fieldkit.store.erase import apply_tombstone

    source = {k: plan.manifest.get(k) for k in ("device", "fieldworker", "bundle_id")}
    _apply_places_and_forms(project, plan)
    for kind, decision, snap, digest in plan.decisions:
        history = set(snap.get("history", [])) | {digest}
        if decision in (merge.NEW, merge.UPDATED):
            if snap["id"] in plan.sealed_kept:
                key_id, envelope = plan.sealed_kept[snap["id"]]
                merge.write_sealed_interview(project, snap, digest, key_id, envelope)
            else:
                merge.WRITERS[kind](project, snap)
            merge.remember(project, kind, snap["id"], history)
            if decision == merge.UPDATED and snap.get("status") == "finalized":
                project.audit.record(
                    kind,
                    snap["id"],
                    "import-update",
                    bundle=source["bundle_id"],
                    device=source["device"],
                )
            report.counts[decision] += 1
        elif decision == merge.CONFLICT:
            report.counts[
                merge.CONFLICT
                if merge.record_conflict(project, kind, snap, digest, source)
                else merge.UNCHANGED
            ] += 1
        elif decision == merge.UNCHANGED:
            merge.remember(project, kind, snap["id"], history)
            report.counts[decision] += 1
        elif kind in ("interviews", "maps") and not merge.is_erased(project, snap["id"]):
            # its consent interview (or a map's interview) was erased here: so is it
            apply_tombstone(project, {"record_id": snap["id"], "kind": kind})
            report.counts[merge.ERASED] += 1  # kept out (or taken out) by that erasure
        else:  # erased here: it stays erased, whatever an older bundle says
            report.counts[merge.UNCHANGED] += 1
    for tomb in plan.records["erasures"]:
        report.counts[merge.ERASED] += apply_tombstone(project, tomb)
    for entry in plan.records["audit"]:
        if not entry.get("id") or not entry.get("record_table") or not entry.get("action"):
            continue
        project.db.execute(
            "INSERT OR IGNORE INTO audit (id, at, fieldworker, device, record_table, record_id, "
            "action, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                entry["id"],
                entry.get("at") or now_iso(),
                entry.get("fieldworker"),
                entry.get("device"),
                entry["record_table"],
                entry.get("record_id") or "",
                entry["action"],
                entry.get("detail") or "{}",
            ],
        )
    if plan.manifest["kind"] == KIT:
        kit = plan.reader.json("records/project.json", {}) or {}
        wanted = {k: v for k, v in (kit.get("settings") or {}).items() if k in KIT_SETTINGS}
        if wanted.get("public_key") and wanted["public_key"] != project.settings.get("public_key"):
            wanted["encrypt_at_rest"] = True  # a laptop given the coordinator's key: lock up
            report.sealing = True
        if wanted and any(project.settings.get(k) != v for k, v in wanted.items()):
            project.update_settings(**wanted)
    done = project.db.execute(
        "SELECT 1 FROM imports WHERE bundle_id = ?", [plan.manifest["bundle_id"]]
    ).fetchone()
    report.already_imported = done is not None
    if not done:
        project.db["imports"].insert(
            {
                "bundle_id": plan.manifest["bundle_id"],
                "device": plan.manifest.get("device"),
                "fieldworker": plan.manifest.get("fieldworker"),
                "created": plan.manifest.get("created"),
                "imported": now_iso(),
                "counts": json.dumps(dict(report.counts)),
            }
        )


def import_bundle(
    project: Project, path: Path, key: crypto.PrivateKey | None = None
) -> ImportReport:
    """Verify, then apply in one transaction. Refusals leave the project exactly as it was."""
    try:
        plan = _plan(project, Path(path), key)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise _malformed(path, exc) from exc
    report = ImportReport(
        Path(path),
        plan.manifest["bundle_id"],
        plan.manifest["kind"],
        plan.manifest.get("device"),
        plan.manifest.get("fieldworker"),
    )
    for name in ("new", "updated", "unchanged", "conflict", "erased"):
        report.counts[name] += 0
    try:
        with project.atomic():
            project.db.execute("PRAGMA defer_foreign_keys = ON")
            _apply(project, plan, report)
    except sqlite3.OperationalError as exc:
        raise _storage_error(project, exc, "nothing was imported") from exc
    except sqlite3.IntegrityError as exc:
        raise FieldkitError(
            Problem(
                f"the bundle's records are inconsistent ({exc}); nothing was imported",
                file=str(path),
            )
        ) from exc
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise _malformed(path, exc) from exc
    if report.counts[merge.ERASED]:  # erased data must not linger in the WAL's old pages
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if report.sealing:
        sealing.seal_all_finalized(project)
    return report


def _malformed(path: Path, exc: Exception) -> FieldkitError:
    """A bundle that passed its checksums but whose records are not of our shape."""
    detail = f"{type(exc).__name__}: {exc}"[:120]
    return FieldkitError(
        Problem(
            f"the bundle's records are malformed ({detail}); nothing was imported", file=str(path)
        )
    )


def import_bundles(
    project: Project,
    paths: list[Path],
    key: crypto.PrivateKey | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
) -> list[ImportReport | FieldkitError]:
    """Import several bundles, each on its own; one refusal does not stop the others."""
    results: list[ImportReport | FieldkitError] = []
    for index, path in enumerate(paths):
        if progress:
            progress(index, len(paths), Path(path))
        try:
            results.append(import_bundle(project, Path(path), key))
        except FieldkitError as exc:
            results.append(exc)
    if progress:
        progress(len(paths), len(paths), Path(paths[-1]) if paths else Path())
    return results


def _storage_error(project: Project, exc: sqlite3.OperationalError, outcome: str) -> FieldkitError:
    text = str(exc)
    if "full" in text:
        message = f"the disk is full; {outcome} - free some space and try again"
    elif "readonly" in text or "read-only" in text:
        message = f"the project file cannot be written (read-only); {outcome}"
    else:
        message = f"the project file could not be written ({text}); {outcome}"
    return FieldkitError(Problem(message, file=str(project.path)))


# -- kits ---------------------------------------------------------------------------------------------
def join_kit(data_dir: Path, kit_path: Path, name: str | None = None) -> Project:
    """Create a laptop's project from a coordinator's kit: same project id, forms, sites, rounds."""
    from fieldkit.store.project import create_project
    from fieldkit.store.registry import list_projects

    reader = read_bundle(Path(kit_path))
    manifest = reader.manifest
    if manifest["kind"] != KIT:
        raise FieldkitError(
            Problem(
                "this is a data bundle, not a project kit: use `bundle import`", file=reader.where
            )
        )
    if manifest["schema_version"] > SCHEMA_VERSION:
        raise FieldkitError(
            Problem(
                "this kit was made by a newer fieldkit; update fieldkit to join", file=reader.where
            )
        )
    kit = reader.json("records/project.json", {})
    if not isinstance(kit, dict) or kit.get("id") != manifest["project_id"]:
        raise FieldkitError(
            Problem("the kit's project record is missing or inconsistent", file=reader.where)
        )
    for info in list_projects(data_dir):
        from fieldkit.store.connection import inspect

        try:
            inspect(info.path)
            conn = sqlite3.connect(f"{info.path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                row = conn.execute("SELECT id FROM project LIMIT 1").fetchone()
            finally:
                conn.close()
        except (FieldkitError, sqlite3.Error):
            continue
        if row and row[0] == kit["id"]:
            raise FieldkitError(
                Problem(
                    f"this laptop already has the project (as '{info.name}'): import the kit into it",
                    file=reader.where,
                )
            )
    project = create_project(data_dir, name or kit.get("name") or manifest.get("project_name"))
    try:
        with project.atomic():
            project.db.execute("UPDATE project SET id = ?", [kit["id"]])
            settings = {k: v for k, v in (kit.get("settings") or {}).items() if k in KIT_SETTINGS}
            if settings.get("public_key"):
                settings["encrypt_at_rest"] = True
            if settings:
                project.update_settings(**settings)
        import_bundle(project, Path(kit_path))
    except BaseException:
        path = project.path
        project.close()
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return project
