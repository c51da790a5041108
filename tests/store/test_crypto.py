"""Encryption to the coordinator's key: envelopes, interviews sealed at rest, encrypted bundles."""

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.store import crypto, open_project_file
from fieldkit.store.bundles import export_bundle, export_kit, import_bundle, join_kit
from fieldkit.store.merge import Conflicts
from tests.store.team_helpers import add_form, coordinator, digest, interview, reopen_and_set

PASS = "correct horse battery"


@pytest.fixture(scope="module")
def pair():
    return crypto.generate_keypair(PASS)


@pytest.fixture(scope="module")
def other_pair():
    return crypto.generate_keypair("another passphrase")


@pytest.fixture
def key(pair):
    return crypto.PrivateKey.load(pair.private_pem, PASS)


def test_envelope_round_trip(pair, key):
    blob = crypto.seal(pair.public_pem, b"secret answers", kind="test")
    assert b"secret answers" not in blob
    assert crypto.envelope_header(blob)["key_id"] == pair.key_id == key.key_id
    assert crypto.open_envelope(key, blob) == b"secret answers"


def test_fresh_key_per_envelope(pair):
    a = crypto.seal(pair.public_pem, b"same")
    b = crypto.seal(pair.public_pem, b"same")
    assert (
        a != b
        and crypto.envelope_header(a)["wrapped_key"] != crypto.envelope_header(b)["wrapped_key"]
    )


def test_wrong_key_refused(pair, other_pair):
    blob = crypto.seal(pair.public_pem, b"secret")
    wrong = crypto.PrivateKey.load(other_pair.private_pem, "another passphrase")
    with pytest.raises(FieldkitError, match="encrypted for another key"):
        crypto.open_envelope(wrong, blob)


@pytest.mark.parametrize("where", ["ciphertext", "header"])
def test_tampering_detected(pair, key, where):
    blob = bytearray(crypto.seal(pair.public_pem, b"secret" * 100, note="hello"))
    if where == "ciphertext":
        blob[-20] ^= 1
    else:
        at = bytes(blob).index(b"hello")
        blob[at] = ord("j")
    with pytest.raises(FieldkitError, match="altered or damaged"):
        crypto.open_envelope(key, bytes(blob))


def test_wrong_passphrase_and_short_passphrase(pair):
    with pytest.raises(FieldkitError, match="wrong passphrase"):
        crypto.PrivateKey.load(pair.private_pem, "not it at all")
    with pytest.raises(FieldkitError, match="at least"):
        crypto.generate_keypair("short")
    assert b"ENCRYPTED PRIVATE KEY" in pair.private_pem


def test_damaged_envelope_header_refused(key):
    with pytest.raises(FieldkitError, match="bad header"):
        crypto.open_envelope(key, crypto.MAGIC + b"\xff\xff\xff\xff rubbish")


def test_public_key_file_checked(tmp_path, pair):
    good = tmp_path / "pub.pem"
    good.write_bytes(pair.public_pem)
    assert crypto.load_public_key_file(good) == pair.public_pem.decode()
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    with pytest.raises(FieldkitError, match="not a public key"):
        crypto.load_public_key_file(bad)


@pytest.fixture
def secure_team(tmp_path, pair):
    coord = coordinator(tmp_path)
    coord.update_settings(public_key=pair.public_pem.decode(), encrypt_at_rest=False)
    export_kit(coord, tmp_path / "kit.fkb")
    lap = join_kit(tmp_path / "laptop", tmp_path / "kit.fkb")
    yield tmp_path, coord, lap
    coord.close()
    lap.close()


def test_laptop_holds_only_public_key_and_seals_finalized(secure_team, tmp_path):
    root, coord, lap = secure_team
    assert lap.settings["encrypt_at_rest"] is True and "PRIVATE" not in str(lap.settings)
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"PHOTO-OF-A-PERSON" * 10)
    iid = interview(lap, {"name_note": "MRS-SECRET-SMITH", "q1": 4}, finalize=False)
    lap.interviews.attach(iid, "photo", photo)
    lap.interviews.finalize(iid, lap.interviews.answers(iid), respondent_code="R9")
    draft = interview(lap, {"q1": "DRAFT-STAYS-PLAIN"}, finalize=False)
    assert lap.interviews.answers(iid) == {}  # sealed: not readable on the laptop
    assert lap.interviews.attachments(iid) == []
    assert lap.interviews.answers(draft) == {"q1": "DRAFT-STAYS-PLAIN"}
    assert lap.interviews.get(iid).status == "finalized"
    with pytest.raises(FieldkitError, match="only they can reopen"):
        lap.interviews.reopen(iid)
    wal = lap.path.with_name(lap.path.name + "-wal")
    raw = lap.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"MRS-SECRET-SMITH" not in raw and b"PHOTO-OF-A-PERSON" not in raw
    assert b"DRAFT-STAYS-PLAIN" in raw


def test_encrypted_bundle_needs_the_private_key(secure_team, key, other_pair):
    root, coord, lap = secure_team
    iid = interview(lap, {"q1": "MRS-SECRET-SMITH"}, code="R1")
    report = export_bundle(lap, root / "lap.fkb")
    assert report.encrypted
    assert b"MRS-SECRET-SMITH" not in (root / "lap.fkb").read_bytes()

    coord.close()
    before = digest(coord.path)
    coord = open_project_file(coord.path, coord.data_dir, backup=False)
    with pytest.raises(FieldkitError, match="encrypted.*private key"):
        import_bundle(coord, root / "lap.fkb")
    wrong = crypto.PrivateKey.load(other_pair.private_pem, "another passphrase")
    with pytest.raises(FieldkitError, match="another key"):
        import_bundle(coord, root / "lap.fkb", key=wrong)
    tampered = bytearray((root / "lap.fkb").read_bytes())
    tampered[len(tampered) // 2] ^= 0x01
    (root / "bad.fkb").write_bytes(bytes(tampered))
    with pytest.raises(FieldkitError, match="altered or damaged"):
        import_bundle(coord, root / "bad.fkb", key=key)
    coord.close()
    assert digest(coord.path) == before

    coord = open_project_file(coord.path, coord.data_dir, backup=False)
    result = import_bundle(coord, root / "lap.fkb", key=key)
    assert result.counts["new"] == 1
    assert coord.interviews.answers(iid) == {"q1": "MRS-SECRET-SMITH"}
    assert import_bundle(coord, root / "lap.fkb", key=key).counts["unchanged"] == 1
    coord.close()


def test_sealed_conflicts_resolved_on_coordinator(secure_team, key):
    """A record the coordinator reopened and a laptop's copy: both kept, decrypted."""
    root, coord, lap = secure_team
    iid = interview(lap, {"q1": 1, "q2": "a"})
    export_bundle(lap, root / "one.fkb")
    import_bundle(coord, root / "one.fkb", key=key)
    reopen_and_set(coord, iid, {"q1": 2})
    assert coord.interviews.answers(iid)["q1"] == 2  # the coordinator never seals
    assert import_bundle(coord, root / "one.fkb", key=key).counts["unchanged"] == 1
    coord.db.execute("DELETE FROM sync_history")  # forget the lineage: now it must conflict
    assert import_bundle(coord, root / "one.fkb", key=key).counts["conflict"] == 1
    conflicts = Conflicts(coord)
    [c] = conflicts.list()
    assert [(d.key, d.local, d.incoming) for d in conflicts.differences(c["id"])] == [("q1", 2, 1)]
    conflicts.resolve(c["id"], "incoming")
    assert coord.interviews.answers(iid) == {"q1": 1, "q2": "a"}


def test_a_later_kit_brings_the_key_to_a_laptop(tmp_path, pair):
    coord = coordinator(tmp_path)
    export_kit(coord, tmp_path / "kit1.fkb")
    lap = join_kit(tmp_path / "laptop", tmp_path / "kit1.fkb")
    iid = interview(lap, {"q1": "PLAIN-BEFORE-KEY"})
    assert lap.interviews.answers(iid) == {"q1": "PLAIN-BEFORE-KEY"}
    coord.update_settings(public_key=pair.public_pem.decode(), encrypt_at_rest=False)
    export_kit(coord, tmp_path / "kit2.fkb")
    report = import_bundle(lap, tmp_path / "kit2.fkb")
    assert report.sealing and lap.settings["encrypt_at_rest"] is True
    assert lap.interviews.answers(iid) == {}
    raw = lap.path.read_bytes()
    assert b"PLAIN-BEFORE-KEY" not in raw
    assert not import_bundle(coord, tmp_path / "kit2.fkb").sealing  # its own kit: no change
    assert coord.settings["encrypt_at_rest"] is False
    coord.close()
    lap.close()


def test_sealed_interviews_keep_their_consent_link(tmp_path, pair, key):
    """Encrypted at rest and in the bundle, an interview still names its consent interview."""
    coord = coordinator(tmp_path)
    add_form(coord, "consent_profile")
    coord.update_settings(public_key=pair.public_pem.decode(), encrypt_at_rest=False)
    export_kit(coord, tmp_path / "kit.fkb")
    lap = join_kit(tmp_path / "laptop", tmp_path / "kit.fkb")
    consent = lap.interviews.create(lap.forms.latest("consent_profile")["id"], site="Broughton")
    lap.interviews.finalize(
        consent.id, {"consent": "yes"}, respondent_code="R-1", respondent_sector="public"
    )
    main = lap.interviews.create(lap.forms.latest("household")["id"], consent=consent.id)
    lap.interviews.finalize(main.id, {"q1": "SEALED-ANSWER"})
    assert lap.interviews.answers(main.id) == {}  # sealed on the laptop
    export_bundle(lap, tmp_path / "lap.fkb")
    assert import_bundle(coord, tmp_path / "lap.fkb", key=key).counts["new"] == 2
    assert coord.interviews.answers(main.id) == {"q1": "SEALED-ANSWER"}
    assert coord.interviews.get(main.id).consent == consent.id
    assert coord.interviews.get(main.id).respondent_code == "R-1"
    coord.close()
    lap.close()
