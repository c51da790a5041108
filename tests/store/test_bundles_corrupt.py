"""Corrupt and hostile bundles are refused whole, and the project file stays byte-identical."""

import io
import json
import random
import struct
import zipfile

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.store import bundle_format, create_project
from fieldkit.store.bundles import export_bundle, import_bundle
from tests.store.team_helpers import (
    coordinator,
    digest,
    interview,
    kit_for,
    laptop,
    rewrite,
)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """One coordinator with data, and one good bundle from a laptop (made once: it is slow)."""
    root = tmp_path_factory.mktemp("corrupt")
    coord = coordinator(root)
    kit = kit_for(coord, root)
    lap = laptop(root, kit, "a")
    for n in range(5):
        interview(lap, {"q1": n, "text": "x" * 200})
    export_bundle(lap, root / "good.fkb")
    interview(coord, {"q1": 99})
    export_bundle(lap, root / "seed.fkb")
    import_bundle(coord, root / "seed.fkb")
    lap.close()
    path, data_dir = coord.path, coord.data_dir
    coord.close()
    return root, path, data_dir


def _zip(members: dict[str, bytes], manifest: dict | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        if manifest is not None:
            zf.writestr("manifest.json", json.dumps(manifest))
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _good_manifest(root):
    with zipfile.ZipFile(root / "good.fkb") as zf:
        return json.loads(zf.read("manifest.json"))


def truncated(root, out):
    data = (root / "good.fkb").read_bytes()
    out.write_bytes(data[: len(data) // 2])


def flipped_byte(root, out):
    data = bytearray((root / "good.fkb").read_bytes())
    data[len(data) // 3] ^= 0x40
    out.write_bytes(bytes(data))


def member_changed_manifest_not(root, out):
    def change(members, manifest):
        records = json.loads(members["records/interviews.json"])
        records[0]["answers"]["q1"] = 1000
        members["records/interviews.json"] = json.dumps(records).encode()

    rewrite(root / "good.fkb", out, change, fix_checksums=False)


def record_changed_checksums_redone(root, out):
    def change(members, manifest):
        records = json.loads(members["records/interviews.json"])
        records[0]["answers"]["q1"] = 1000
        members["records/interviews.json"] = json.dumps(records).encode()

    rewrite(root / "good.fkb", out, change)


def record_of_wrong_shape(root, out):
    def change(members, manifest):
        records = json.loads(members["records/interviews.json"])
        records[0]["answers"] = "not a mapping"
        records[0].pop("hash")
        records[1]["form"] = None
        records[1].pop("hash")
        members["records/interviews.json"] = json.dumps(records).encode()

    rewrite(root / "good.fkb", out, change)


def manifest_not_json(root, out):
    with zipfile.ZipFile(root / "good.fkb") as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n != "manifest.json"}
    members["manifest.json"] = b"{not json"
    out.write_bytes(_zip(members))


def manifest_lists_missing_member(root, out):
    def change(members, manifest):
        del members["records/actions.json"]

    rewrite(root / "good.fkb", out, change, fix_checksums=False)


def member_not_in_manifest(root, out):
    def change(members, manifest):
        members["records/extra.json"] = b"[]"

    rewrite(root / "good.fkb", out, change, fix_checksums=False)


def manifest_wrong_format(root, out):
    def change(members, manifest):
        manifest["format"] = "something-else"

    rewrite(root / "good.fkb", out, change)


def no_manifest(root, out):
    with zipfile.ZipFile(root / "good.fkb") as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n != "manifest.json"}
    out.write_bytes(_zip(members))


def newer_schema(root, out):
    def change(members, manifest):
        manifest["schema_version"] += 1

    rewrite(root / "good.fkb", out, change)


def other_project(root, out):
    other = create_project(root / "elsewhere", "Other Programme")
    from tests.store.team_helpers import add_form

    add_form(other)
    other.sites.add("Broughton")
    other.rounds.add("Baseline")
    interview(other, {"q1": 1})
    export_bundle(other, out)
    other.close()


def zip_bomb(root, out):
    manifest = _good_manifest(root)
    bomb = b"\0" * (40 * 1024 * 1024)
    manifest["members"] = {"records/audit.json": bundle_format.sha256(bomb)}
    out.write_bytes(_zip({"records/audit.json": bomb}, manifest))


def lying_size_header(root, out):
    """The central directory claims a small member; the data inflates to far more."""
    manifest = _good_manifest(root)
    payload = b"[" + b" " * (3 * 1024 * 1024) + b"]"
    manifest["members"] = {"records/audit.json": bundle_format.sha256(payload)}
    data = bytearray(_zip({"records/audit.json": payload}, manifest))
    sig = b"PK\x01\x02"
    pos = 0
    while (pos := data.find(sig, pos)) != -1:  # patch each central directory entry's size
        name_len = struct.unpack("<H", data[pos + 28 : pos + 30])[0]
        if data[pos + 46 : pos + 46 + name_len] == b"records/audit.json":
            data[pos + 24 : pos + 28] = struct.pack("<I", 1000)
        pos += 4
    out.write_bytes(bytes(data))


def too_many_bytes_declared(root, out):
    manifest = _good_manifest(root)
    manifest["members"] = {}
    members = {}
    for i in range(3):
        name = f"files/{i:064x}"
        members[name] = random.Random(i).randbytes(3 * 1024 * 1024)  # incompressible
        manifest["members"][name] = bundle_format.sha256(members[name])
    out.write_bytes(_zip(members, manifest))


@pytest.mark.parametrize(
    "name",
    ["../evil.json", "/etc/passwd", "records/../../x.json", "C:/x.json", "records\\..\\x.json"],
)
def test_path_traversal_refused(setup, tmp_path, name):
    root, path, data_dir = setup
    manifest = _good_manifest(root)
    manifest["members"] = {name: bundle_format.sha256(b"[]")}
    bad = tmp_path / "traversal.fkb"
    bad.write_bytes(_zip({name: b"[]"}, manifest))
    _assert_refused(path, data_dir, bad, "path traversal")


def test_unexpected_member_refused(setup, tmp_path):
    root, path, data_dir = setup
    manifest = _good_manifest(root)
    manifest["members"] = {"run.sh": bundle_format.sha256(b"x")}
    bad = tmp_path / "odd.fkb"
    bad.write_bytes(_zip({"run.sh": b"x"}, manifest))
    _assert_refused(path, data_dir, bad, "unexpected member")


CASES = {
    truncated: "damaged or truncated",
    flipped_byte: "damaged|checksum|not a readable",
    member_changed_manifest_not: "checksum mismatch",
    record_changed_checksums_redone: "does not match its declared hash",
    record_of_wrong_shape: "records are malformed",
    manifest_not_json: "not valid JSON",
    manifest_lists_missing_member: "is missing",
    member_not_in_manifest: "not listed in the manifest",
    manifest_wrong_format: "not .*describe a fieldkit bundle",
    no_manifest: "no manifest",
    newer_schema: "newer fieldkit",
    other_project: "belongs to another project",
    zip_bomb: "zip bomb",
    lying_size_header: "zip bomb|damaged",
}


@pytest.mark.parametrize("make", list(CASES), ids=[f.__name__ for f in CASES])
def test_corrupt_bundle_refused_file_untouched(setup, tmp_path, make):
    root, path, data_dir = setup
    bad = tmp_path / f"{make.__name__}.fkb"
    make(root, bad)
    _assert_refused(path, data_dir, bad, CASES[make])


def test_total_size_limit(setup, tmp_path, monkeypatch):
    root, path, data_dir = setup
    monkeypatch.setattr(bundle_format, "MAX_TOTAL_BYTES", 5 * 1024 * 1024)
    bad = tmp_path / "big.fkb"
    too_many_bytes_declared(root, bad)
    _assert_refused(path, data_dir, bad, "beyond the size limit")


def test_member_count_limit(setup, tmp_path, monkeypatch):
    root, path, data_dir = setup
    monkeypatch.setattr(bundle_format, "MAX_MEMBERS", 3)
    _assert_refused(path, data_dir, root / "good.fkb", "too many members")


def test_not_a_zip_refused(setup, tmp_path):
    root, path, data_dir = setup
    bad = tmp_path / "notes.fkb"
    bad.write_text("hello")
    _assert_refused(path, data_dir, bad, "not a readable bundle")


def _assert_refused(path, data_dir, bundle, message):
    before = digest(path)
    from fieldkit.store import open_project_file

    project = open_project_file(path, data_dir, backup=False)
    count = project.db.execute("SELECT COUNT(*) FROM interviews").fetchone()[0]
    try:
        with pytest.raises(FieldkitError, match=message) as info:
            import_bundle(project, bundle)
        assert str(bundle) in str(info.value)  # says where
        assert project.db.execute("SELECT COUNT(*) FROM interviews").fetchone()[0] == count
    finally:
        project.close()
    assert digest(path) == before


def test_good_bundle_still_imports(setup, tmp_path):
    """The control: the same set-up accepts the untouched bundle (so refusals are meaningful)."""
    root, path, data_dir = setup
    copy = tmp_path / "coord.fieldkit"
    copy.write_bytes(path.read_bytes())
    from fieldkit.store import open_project_file

    project = open_project_file(copy, data_dir, backup=False)
    try:
        assert import_bundle(project, root / "good.fkb").counts["unchanged"] == 5
    finally:
        project.close()
