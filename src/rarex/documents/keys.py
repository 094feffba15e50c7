"""The authority's Ed25519 signing keys, kept under ``RAREX_DATA_DIR/keys``.

Layout (the directory is 0700, every file 0600, nothing of it is ever committed):

- ``signing-<kid>.pem``: the one current private key (PKCS#8 PEM);
- ``keyring.json``: every public key the authority has signed with, in the published format
  of ``GET /.well-known/rarex-keys.json`` (``{"keys": [{"kid", "alg", "public_key",
  "created_at", "retired_at"}]}``, newest last).

The key id (``kid``) is the first 16 hex digits of the SHA-256 of the raw 32-byte public key,
so anyone can recompute it from the published key. The first signature (or the app's start)
creates the first key; creation and rotation hold a file lock (``.lock``), so workers starting
together agree on one key. ``rarex keys rotate`` makes a new current key, marks the old one retired
and deletes its private half: what it signed keeps verifying through its public key, and a
stolen old private key file cannot exist.
"""

from __future__ import annotations

import base64
import datetime as dt
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from rarex.core.settings import get_settings

ALG = "Ed25519"
KEYRING = "keyring.json"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    """Decode unpadded base64url; a ValueError for anything else."""
    if not text or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" for c in text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class PublicKey:
    kid: str
    key: Ed25519PublicKey
    created_at: str
    retired_at: str | None

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            self.key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def as_dict(self) -> dict[str, Any]:
        raw = self.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kid": self.kid, "alg": ALG, "public_key": b64url(raw), "created_at": self.created_at,
                "retired_at": self.retired_at}


class KeyringError(ValueError):
    """A published key set that cannot be read (names the problem)."""


def parse_keyring(data: Any) -> dict[str, PublicKey]:
    """The public keys of a published key set (``keyring.json`` or the well-known document)."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise KeyringError('a key set is a JSON object with a "keys" list')
    out: dict[str, PublicKey] = {}
    for i, k in enumerate(data["keys"]):
        try:
            if k.get("alg") != ALG:
                raise KeyringError(f"key {i}: alg must be {ALG}")
            pub = Ed25519PublicKey.from_public_bytes(unb64url(k["public_key"]))
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise KeyringError(f"key {i} is not an Ed25519 public key: {exc}") from None
        kid = key_id(pub)
        if k.get("kid") != kid:
            raise KeyringError(f"key {i}: kid {k.get('kid')!r} does not match its public key ({kid})")
        out[kid] = PublicKey(kid, pub, str(k.get("created_at", "")), k.get("retired_at"))
    return out


def keys_dir() -> Path:
    return get_settings().data_dir / "keys"


def _write_private(path: Path, data: bytes) -> None:
    """Create ``path`` readable by its owner only; FileExistsError if another process won."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _write_keyring(directory: Path, keys: list[PublicKey]) -> None:
    tmp = directory / f".{KEYRING}.{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"keys": [k.as_dict() for k in keys]}, f, indent=2)
    os.replace(tmp, directory / KEYRING)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Keyring:
    """The keys on disk: the current signing key and every public key."""

    def __init__(self, directory: Path | None = None):
        self.dir = directory or keys_dir()

    def public_keys(self) -> dict[str, PublicKey]:
        path = self.dir / KEYRING
        if not path.exists():
            self.ensure()
        return parse_keyring(json.loads(path.read_text(encoding="utf-8")))

    def published(self) -> dict[str, Any]:
        """The key set anyone may fetch: ``GET /.well-known/rarex-keys.json``."""
        return {"issuer": "rarex", "alg": ALG, "keys": [k.as_dict() for k in self.public_keys().values()]}

    def _current_files(self) -> list[Path]:
        return sorted(self.dir.glob("signing-*.pem"))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Serialise key creation and rotation across processes (workers starting together)."""
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.dir, 0o700)
        fd = os.open(self.dir / ".lock", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _current_kid(self) -> str | None:
        files = self._current_files()
        return files[0].stem.removeprefix("signing-") if files else None

    def ensure(self) -> str:
        """Create the directory and the first key if there is none; return the current kid."""
        kid = self._current_kid()
        if kid is not None and (self.dir / KEYRING).exists():
            return kid
        with self._locked():
            kid = self._current_kid()
            if kid is None:
                return self._create([])
            if not (self.dir / KEYRING).exists():
                raise KeyringError(f"{self.dir / KEYRING} is missing while a signing key exists: restore it from a "
                                   "backup (it holds the retired public keys that old documents verify with)")
            return kid

    def _create(self, older: list[PublicKey]) -> str:
        private = Ed25519PrivateKey.generate()
        kid = key_id(private.public_key())
        pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        _write_private(self.dir / f"signing-{kid}.pem", pem)
        _write_keyring(self.dir, [*older, PublicKey(kid, private.public_key(), _now(), None)])
        return kid

    def signing_key(self) -> tuple[str, Ed25519PrivateKey]:
        kid = self.ensure()
        key = serialization.load_pem_private_key((self.dir / f"signing-{kid}.pem").read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyringError(f"{self.dir}/signing-{kid}.pem is not an Ed25519 private key")
        return kid, key

    def rotate(self) -> tuple[str, str]:
        """A new current key; the old one is retired (its public key stays, its private key goes).
        Returns (old kid, new kid)."""
        self.ensure()
        with self._locked():
            old = self._current_kid()
            if old is None:  # removed between ensure() and the lock: nothing to retire
                raise KeyringError(f"no signing key in {self.dir} to rotate")
            keys = [PublicKey(k.kid, k.key, k.created_at, k.retired_at or (_now() if k.kid == old else None))
                    for k in self.public_keys().values()]
            new = self._create(keys)
            (self.dir / f"signing-{old}.pem").unlink()
        return old, new
