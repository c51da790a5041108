"""Encryption to the coordinator's key, as ODK does it: laptops can lock, only the coordinator unlocks.

Every sealed thing (a bundle, a finalized interview at rest) gets a fresh 256-bit AES-GCM key;
that key is wrapped with the coordinator's RSA public key (OAEP, SHA-256). A laptop holds only
the public key, so a lost laptop reveals no finalized interview. The private key lives on the
coordinator's machine, PEM-encrypted with a passphrase.

Envelope layout: MAGIC, a 4-byte big-endian header length, a JSON header (key id, wrapped key,
nonce, what is sealed and for which project), then the ciphertext. The header is the GCM
associated data, so a changed header is detected as surely as a changed ciphertext.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fieldkit.errors import FieldkitError, Problem

MAGIC = b"FKENC1\n"
RSA_BITS = 3072
MIN_PASSPHRASE = 8
_OAEP = padding.OAEP(
    mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)


@dataclass(frozen=True)
class KeyPair:
    private_pem: bytes  # encrypted with the passphrase
    public_pem: bytes
    key_id: str


def key_id(public_pem: bytes | str) -> str:
    """A short fingerprint of a public key: what a bundle names so a wrong key is told apart."""
    key = _load_public(public_pem)
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()[:16]


def generate_keypair(passphrase: str) -> KeyPair:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise FieldkitError(
            f"the passphrase must have at least {MIN_PASSPHRASE} characters: it is all that "
            "protects the private key"
        )
    private = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return KeyPair(private_pem, public_pem, key_id(public_pem))


def _load_public(public_pem: bytes | str):
    data = public_pem.encode("ascii") if isinstance(public_pem, str) else public_pem
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise FieldkitError("not a public key (expected a PEM 'PUBLIC KEY' block)") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise FieldkitError("the public key must be an RSA key")
    return key


def load_public_key_file(path: Path) -> str:
    """Read and check a public key file; returns the PEM text to keep in project settings."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FieldkitError(
            Problem(f"cannot read the key: {exc.strerror}", file=str(path))
        ) from exc
    try:
        _load_public(data)
    except FieldkitError as exc:
        raise FieldkitError(Problem(exc.problems[0].message, file=str(path))) from exc
    return data.decode("ascii")


class PrivateKey:
    """The coordinator's unlocked private key (kept in memory only for one operation)."""

    def __init__(self, key: rsa.RSAPrivateKey):
        self._key = key
        public_pem = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.key_id = key_id(public_pem)

    @classmethod
    def load(cls, pem: bytes, passphrase: str, where: str = "private key") -> PrivateKey:
        try:
            key = serialization.load_pem_private_key(pem, password=passphrase.encode("utf-8"))
        except (ValueError, TypeError) as exc:
            raise FieldkitError(
                Problem("wrong passphrase, or not a fieldkit private key", file=where)
            ) from exc
        if not isinstance(key, rsa.RSAPrivateKey):
            raise FieldkitError(Problem("the private key must be an RSA key", file=where))
        return cls(key)

    @classmethod
    def from_file(cls, path: Path, passphrase: str) -> PrivateKey:
        try:
            pem = path.read_bytes()
        except OSError as exc:
            raise FieldkitError(
                Problem(f"cannot read the private key: {exc.strerror}", file=str(path))
            ) from exc
        return cls.load(pem, passphrase, where=str(path))

    def unwrap(self, wrapped: bytes) -> bytes:
        return self._key.decrypt(wrapped, _OAEP)


def is_envelope(data: bytes) -> bool:
    return data[: len(MAGIC)] == MAGIC


def seal(public_pem: bytes | str, plaintext: bytes, **header: Any) -> bytes:
    """Encrypt with a fresh AES-256-GCM key wrapped for the public key."""
    public = _load_public(public_pem)
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(12)
    head = {
        "alg": "RSA-OAEP-256+A256GCM",
        "key_id": key_id(public_pem),
        "wrapped_key": base64.b64encode(public.encrypt(data_key, _OAEP)).decode("ascii"),
        "nonce": base64.b64encode(nonce).decode("ascii"),
    } | header
    head_bytes = json.dumps(head, sort_keys=True).encode("utf-8")
    prefix = MAGIC + struct.pack(">I", len(head_bytes)) + head_bytes
    return prefix + AESGCM(data_key).encrypt(nonce, plaintext, prefix)


def envelope_header(data: bytes, where: str = "envelope") -> dict[str, Any]:
    """The clear (but authenticated) header: which key, which project, what is inside."""
    return _split(data, where)[0]


def _split(data: bytes, where: str) -> tuple[dict[str, Any], bytes, bytes]:
    damaged = FieldkitError(Problem("encrypted data is damaged (bad header)", file=where))
    if not is_envelope(data) or len(data) < len(MAGIC) + 4:
        raise damaged
    (length,) = struct.unpack(">I", data[len(MAGIC) : len(MAGIC) + 4])
    end = len(MAGIC) + 4 + length
    if length > 64 * 1024 or end > len(data):
        raise damaged
    try:
        head = json.loads(data[len(MAGIC) + 4 : end].decode("utf-8"))
    except ValueError as exc:
        raise damaged from exc
    if not isinstance(head, dict) or not {"key_id", "wrapped_key", "nonce"} <= set(head):
        raise damaged
    return head, data[:end], data[end:]


def open_envelope(key: PrivateKey, data: bytes, where: str = "envelope") -> bytes:
    """Decrypt; a wrong key or any changed byte is refused with a message saying which."""
    head, prefix, ciphertext = _split(data, where)
    if head["key_id"] != key.key_id:
        raise FieldkitError(
            Problem(
                f"encrypted for another key ({head['key_id']}); this private key is {key.key_id}",
                file=where,
            )
        )
    try:
        data_key = key.unwrap(base64.b64decode(head["wrapped_key"]))
        return AESGCM(data_key).decrypt(base64.b64decode(head["nonce"]), ciphertext, prefix)
    except (InvalidTag, ValueError) as exc:
        raise FieldkitError(
            Problem("encrypted data has been altered or damaged; refused", file=where)
        ) from exc
