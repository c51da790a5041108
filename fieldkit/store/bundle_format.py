"""The bundle file: a zip with a manifest that names and checksums every member.

Reading is suspicious by design, because a bundle travels on USB sticks between machines: the
member names must match a short whitelist (no `..`, no absolute paths, nothing unexpected),
sizes are bounded before and while reading (a zip bomb is stopped at the limit, not after),
and every member's SHA-256 must match the manifest before a single record is looked at.
Writing goes to a temporary file beside the target and is renamed into place only when
complete, so a full disk leaves no half bundle behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldkit.errors import FieldkitError, Problem

FORMAT = "fieldkit-bundle"
FORMAT_VERSION = 1
SUFFIX = ".fkb"
MANIFEST = "manifest.json"

MAX_BUNDLE_BYTES = 4 * 1024**3  # the file on disk
MAX_MEMBERS = 200_000
MAX_MEMBER_BYTES = 256 * 1024**2  # attachments are at most 200 MB
MAX_TOTAL_BYTES = 2 * 1024**3  # all members, uncompressed
MAX_RATIO = 200  # uncompressed/compressed beyond this (and over 1 MB) is a bomb
_RATIO_FLOOR = 1024**2

_ALLOWED = re.compile(
    r"^(manifest\.json|records/[a-z_]+\.json|forms/[0-9a-f]{64}|files/[0-9a-f]{64}"
    r"|sealed/[0-9A-Za-z-]{1,64}\.bin)$"
)
_CHUNK = 1024 * 1024


def _refuse(where: str, message: str, name: str | None = None) -> FieldkitError:
    return FieldkitError(Problem(message, file=where, name=name))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class BundleWriter:
    """Collects members in memory-light form; `finish` writes the zip and its manifest."""

    manifest: dict[str, Any]
    _members: dict[str, bytes] = field(default_factory=dict)

    def add(self, name: str, data: bytes) -> None:
        if not _ALLOWED.match(name):
            raise ValueError(f"not a bundle member name: {name}")
        self._members[name] = data

    def add_json(self, name: str, value: Any) -> None:
        self.add(name, json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def has(self, name: str) -> bool:
        return name in self._members

    def to_bytes(self) -> bytes:
        manifest = dict(self.manifest)
        manifest["members"] = {name: sha256(data) for name, data in sorted(self._members.items())}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
            for name, data in sorted(self._members.items()):
                zf.writestr(name, data)
        return buffer.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, fsync, rename: the target is either complete or absent."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_file_bounded(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BUNDLE_BYTES:
            raise _refuse(str(path), f"too large for a bundle ({size} bytes); refused")
        return path.read_bytes()
    except OSError as exc:
        raise _refuse(str(path), f"cannot read the bundle: {exc.strerror or exc}") from exc


def _check_name(where: str, name: str) -> None:
    parts = name.replace("\\", "/").split("/")
    if (
        name.startswith(("/", "\\"))
        or ".." in parts
        or re.match(r"^[A-Za-z]:", name)
        or "\\" in name
        or "\x00" in name
    ):
        raise _refuse(where, "member name leaves the bundle (path traversal); refused", name)
    if not _ALLOWED.match(name):
        raise _refuse(where, "unexpected member in the bundle; refused", name)


class BundleReader:
    """A verified bundle: construct it and every check has already passed."""

    def __init__(self, data: bytes, where: str):
        self.where = where
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise _refuse(where, "not a readable bundle (damaged or truncated zip)") from exc
        self._infos = self._check_listing(infos)
        self.manifest = self._load_manifest()
        self._verify_members()

    # -- checks, in order: listing, manifest, checksums -------------------------------
    def _check_listing(self, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
        if len(infos) > MAX_MEMBERS:
            raise _refuse(self.where, f"too many members ({len(infos)}); refused")
        seen: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            _check_name(self.where, info.filename)
            if info.filename in seen:
                raise _refuse(self.where, "member appears twice; refused", info.filename)
            if info.flag_bits & 0x1:
                raise _refuse(
                    self.where, "encrypted zip members are not used; refused", info.filename
                )
            if info.file_size > MAX_MEMBER_BYTES:
                raise _refuse(
                    self.where, f"member too large ({info.file_size} bytes); refused", info.filename
                )
            if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise _refuse(
                    self.where,
                    "member expands suspiciously (zip bomb?); refused",
                    info.filename,
                )
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise _refuse(self.where, "bundle expands beyond the size limit; refused")
            seen[info.filename] = info
        if MANIFEST not in seen:
            raise _refuse(self.where, "no manifest.json: not a fieldkit bundle")
        return seen

    def _read(self, name: str) -> bytes:
        """Read one member, never more than its declared size (the header may lie)."""
        info = self._infos[name]
        out = bytearray()
        try:
            with self._zip.open(info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    out += chunk
                    if len(out) > info.file_size or len(out) > MAX_MEMBER_BYTES:
                        raise _refuse(
                            self.where, "member larger than declared (zip bomb?); refused", name
                        )
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise _refuse(self.where, f"member is damaged ({exc}); refused", name) from exc
        return bytes(out)

    def _load_manifest(self) -> dict[str, Any]:
        try:
            manifest = json.loads(self._read(MANIFEST).decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise _refuse(self.where, "manifest is not valid JSON; refused", MANIFEST) from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise _refuse(self.where, "manifest does not describe a fieldkit bundle", MANIFEST)
        required = (
            "format_version",
            "kind",
            "bundle_id",
            "project_id",
            "schema_version",
            "members",
        )
        missing = [k for k in required if k not in manifest]
        if missing:
            raise _refuse(self.where, f"manifest lacks {', '.join(missing)}; refused", MANIFEST)
        if not isinstance(manifest["members"], dict):
            raise _refuse(self.where, "manifest's member list is malformed", MANIFEST)
        if manifest["format_version"] != FORMAT_VERSION:
            raise _refuse(
                self.where,
                f"bundle format {manifest['format_version']} is not one this fieldkit reads "
                f"({FORMAT_VERSION}); update fieldkit",
                MANIFEST,
            )
        return manifest

    def _verify_members(self) -> None:
        listed = set(self.manifest["members"])
        present = set(self._infos) - {MANIFEST}
        for name in sorted(present - listed):
            raise _refuse(self.where, "member not listed in the manifest; refused", name)
        for name in sorted(listed - present):
            raise _refuse(self.where, "member listed in the manifest is missing; refused", name)
        for name in sorted(listed):
            if sha256(self._read(name)) != self.manifest["members"][name]:
                raise _refuse(self.where, "checksum mismatch (damaged or altered); refused", name)

    # -- access ----------------------------------------------------------------------
    def names(self) -> Iterable[str]:
        return (n for n in self._infos if n != MANIFEST)

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        if name not in self._infos:
            raise _refuse(self.where, "the bundle refers to a member it does not hold", name)
        return self._read(name)

    def json(self, name: str, default: Any = None) -> Any:
        if name not in self._infos:
            return default
        try:
            return json.loads(self._read(name).decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise _refuse(self.where, "records are not valid JSON; refused", name) from exc
