"""Publisher keys: Ed25519 key pairs, their ids, and where the private half lives.

A process owner generates one key pair and signs every pack with it. The
private key is never stored in the clear: either in the OS keyring, or in an
encrypted PKCS#8 file (``keys/private/<key_id>.pem``) that needs a passphrase.
The public half travels as a small JSON *public key file* that desks trust
(see :mod:`flowdesk.sync.trust`).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from flowdesk import secrets
from flowdesk.files import atomic_write
from flowdesk.paths import PRIVATE_KEYS
from flowdesk.problems import Refused

PUBLIC_KEY_FORMAT = "flowdesk-key/1"
ALGORITHM = "ed25519"
MIN_PASSPHRASE = 8

Storage = Literal["file", "keyring"]


def key_id_of(public: Ed25519PublicKey) -> str:
    """A short, stable id: the first 16 hex digits of SHA-256 over the raw public key."""
    return hashlib.sha256(raw_public(public)).hexdigest()[:16]


def raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class PublicKey:
    """A publisher's public key as desks keep and trust it."""

    key_id: str
    name: str
    key: Ed25519PublicKey

    def to_json(self) -> dict[str, str]:
        return {
            "format": PUBLIC_KEY_FORMAT,
            "key_id": self.key_id,
            "algorithm": ALGORITHM,
            "name": self.name,
            "public_key": base64.b64encode(raw_public(self.key)).decode("ascii"),
        }

    @classmethod
    def from_json(cls, data: object, file: str) -> PublicKey:
        """Read a public key file's object; refuses anything malformed, naming the key."""
        if not isinstance(data, dict):
            raise Refused("a public key file must be a JSON object", file=file)
        if data.get("format") != PUBLIC_KEY_FORMAT:
            raise Refused(f"format: expected {PUBLIC_KEY_FORMAT!r}", file=file)
        if data.get("algorithm") != ALGORITHM:
            raise Refused(f"algorithm: only {ALGORITHM!r} is supported", file=file)
        try:
            raw = base64.b64decode(str(data.get("public_key", "")), validate=True)
            key = Ed25519PublicKey.from_public_bytes(raw)
        except (ValueError, UnsupportedAlgorithm):
            raise Refused("public_key: not a base64 Ed25519 public key", file=file) from None
        kid = key_id_of(key)
        if data.get("key_id") not in (None, kid):
            raise Refused(f"key_id: does not match the key (expected {kid})", file=file)
        name = data.get("name")
        return cls(kid, name if isinstance(name, str) and name else kid, key)

    @classmethod
    def read(cls, path: Path, name: str | None = None) -> PublicKey:
        """A public key from a FlowDesk public key file or a PEM ``PUBLIC KEY`` file."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise Refused(f"cannot read the key file: {exc.strerror}", file=str(path)) from None
        if raw.lstrip().startswith(b"-----BEGIN"):
            try:
                key = serialization.load_pem_public_key(raw)
            except (ValueError, UnsupportedAlgorithm):
                raise Refused("not a PEM public key", file=str(path)) from None
            if not isinstance(key, Ed25519PublicKey):
                raise Refused("only Ed25519 keys can sign packs", file=str(path))
            kid = key_id_of(key)
            return cls(kid, name or kid, key)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise Refused(f"not a public key file (JSON): {exc}", file=str(path)) from None
        key = cls.from_json(data, str(path))
        return cls(key.key_id, name, key.key) if name else key


@dataclass(frozen=True)
class PrivateKeyInfo:
    """What the data folder knows about one of the publisher's own keys (not the secret)."""

    key_id: str
    name: str
    storage: Storage
    created: str


class PublisherKeys:
    """The publisher's own key pairs, under ``keys/private`` of a data folder."""

    def __init__(self, keys_dir: Path) -> None:
        self.dir = keys_dir / PRIVATE_KEYS

    def generate(
        self, name: str, storage: Storage, passphrase: str | None = None
    ) -> tuple[PrivateKeyInfo, PublicKey]:
        """Make a new key pair and store the private half; refuses a weak or missing passphrase."""
        private = Ed25519PrivateKey.generate()
        public = PublicKey(key_id_of(private.public_key()), name, private.public_key())
        info = PrivateKeyInfo(public.key_id, name, storage, datetime.now(UTC).isoformat())
        if storage == "file":
            if passphrase is None or len(passphrase) < MIN_PASSPHRASE:
                raise Refused(
                    f"a passphrase of at least {MIN_PASSPHRASE} characters protects the key file",
                    file="passphrase",
                )
            pem = private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
            )
            atomic_write(self.dir / f"{info.key_id}.pem", pem)
        else:
            pem = private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            secrets.set_secret(
                secrets.KEY_SERVICE,
                info.key_id,
                pem.decode("ascii"),
                hint="generate the key with --storage file (an encrypted file) instead",
            )
        meta = {"key_id": info.key_id, "name": name, "storage": storage, "created": info.created}
        meta["public"] = public.to_json()
        atomic_write(self.dir / f"{info.key_id}.json", json.dumps(meta, indent=2).encode())
        return info, public

    def list(self) -> list[tuple[PrivateKeyInfo, PublicKey]]:
        found = []
        for meta_path in sorted(self.dir.glob("*.json")):
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                public = PublicKey.from_json(meta["public"], str(meta_path))
                info = PrivateKeyInfo(
                    meta["key_id"], meta["name"], meta["storage"], meta.get("created", "")
                )
            except (OSError, ValueError, KeyError, TypeError, Refused):
                continue  # a damaged entry is skipped here; using it by id reports why
            found.append((info, public))
        return found

    def resolve(self, key_id: str | None) -> PrivateKeyInfo:
        """The key to sign with: the one named, or the only one there is."""
        keys = [info for info, _ in self.list()]
        if key_id is None:
            if len(keys) == 1:
                return keys[0]
            if not keys:
                raise Refused("no publisher key here; run `flowdesk keys generate` first", "keys")
            ids = ", ".join(k.key_id for k in keys)
            raise Refused(f"several publisher keys ({ids}); choose one with --key", file="keys")
        for info in keys:
            if info.key_id == key_id or info.name == key_id:
                return info
        raise Refused(f"no publisher key {key_id!r} in this data folder", file="keys")

    def load(self, info: PrivateKeyInfo, passphrase: str | None) -> Ed25519PrivateKey:
        """The private key itself; refuses a wrong passphrase or a missing secret clearly."""
        if info.storage == "file":
            path = self.dir / f"{info.key_id}.pem"
            if passphrase is None:
                raise Refused("the key file needs its passphrase", file=str(path))
            try:
                key = serialization.load_pem_private_key(
                    path.read_bytes(), password=passphrase.encode("utf-8")
                )
            except OSError as exc:
                raise Refused(f"cannot read the key file: {exc.strerror}", str(path)) from None
            except (ValueError, TypeError, UnsupportedAlgorithm):
                raise Refused("wrong passphrase, or a damaged key file", file=str(path)) from None
        else:
            pem = secrets.get_secret(
                secrets.KEY_SERVICE,
                info.key_id,
                hint="this key lives in the keyring; sign on a desk where the keyring works",
            )
            if pem is None:
                raise Refused(f"key {info.key_id} is not in the OS keyring", file="keyring")
            try:
                key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
            except (ValueError, TypeError, UnsupportedAlgorithm):
                raise Refused(f"key {info.key_id} in the keyring is damaged", "keyring") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise Refused(f"key {info.key_id} is not an Ed25519 key", file="keys")
        return key
