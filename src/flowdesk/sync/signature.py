"""The signed layout of a built pack: an Ed25519 signature in the zip comment.

``manifest.json`` pins the SHA-256 of every other member, and the pack reader
refuses any changed, missing or extra member, so signing the exact bytes of
``manifest.json`` signs the whole pack. The signature travels in the zip
archive *comment* (not a member), so the member list the contract fixes stays
exactly as built and one ``.flowpack`` file carries everything. See
``docs/signing.md``.
"""

from __future__ import annotations

import base64
import binascii
import json
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from flowdesk.files import replacing
from flowdesk.packs.archive import MANIFEST, MAX_MANIFEST_BYTES, check_bounds
from flowdesk.problems import Refused
from flowdesk.sync.keys import ALGORITHM, key_id_of

SIGNATURE_FORMAT = "flowdesk-signature/1"


@dataclass(frozen=True)
class PackSignature:
    """The signature block found in a pack's zip comment."""

    key_id: str
    signature: bytes
    signer: str | None = None

    def to_comment(self) -> bytes:
        data = {
            "format": SIGNATURE_FORMAT,
            "algorithm": ALGORITHM,
            "key_id": self.key_id,
            "signature": base64.b64encode(self.signature).decode("ascii"),
        }
        if self.signer:
            data["signer"] = self.signer
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _open_zip(path: Path) -> zipfile.ZipFile:
    """Open a pack file as a zip once its bounds hold (before zipfile parses anything)."""
    try:
        check_bounds(path)
    except Refused as refused:
        why = refused.problems[0].message
        raise Refused(f"not a readable pack file (zip): {why}", file=str(path)) from None
    return zipfile.ZipFile(path)


def read_manifest_bytes(path: Path) -> bytes:
    """The exact bytes of the one ``manifest.json`` member (read by name, never extracted)."""
    try:
        with _open_zip(path) as archive:
            infos = [i for i in archive.infolist() if i.filename == MANIFEST]
            if len(infos) != 1:
                raise Refused(f"expected exactly one {MANIFEST}, found {len(infos)}", str(path))
            if infos[0].file_size > MAX_MANIFEST_BYTES:
                raise Refused(f"{MANIFEST} is implausibly large", file=str(path))
            return archive.read(infos[0])
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise Refused(f"not a readable pack file (zip): {exc}", file=str(path)) from None


def read_signature(path: Path) -> PackSignature | None:
    """The signature block, None for an unsigned pack; Refused for a damaged one."""
    try:
        with _open_zip(path) as archive:
            comment = archive.comment
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise Refused(f"not a readable pack file (zip): {exc}", file=str(path)) from None
    if not comment.strip():
        return None
    where = f"{path.name} (signature)"
    try:
        data = json.loads(comment.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Refused("the zip comment is not a FlowDesk signature", file=where) from None
    if not isinstance(data, dict) or data.get("format") != SIGNATURE_FORMAT:
        raise Refused(f"format: expected {SIGNATURE_FORMAT!r}", file=where)
    if data.get("algorithm") != ALGORITHM:
        raise Refused(f"algorithm: only {ALGORITHM!r} is accepted", file=where)
    key_id = data.get("key_id")
    if not isinstance(key_id, str) or not key_id:
        raise Refused("key_id: missing", file=where)
    try:
        raw = base64.b64decode(str(data.get("signature", "")), validate=True)
    except (binascii.Error, ValueError):
        raise Refused("signature: not base64", file=where) from None
    if len(raw) != 64:
        raise Refused("signature: an Ed25519 signature is 64 bytes", file=where)
    signer = data.get("signer")
    return PackSignature(key_id, raw, signer if isinstance(signer, str) else None)


def sign_with_key(
    path: Path, keys_dir: Path, key_id: str | None, passphrase: Callable[[], str | None]
) -> str:
    """Sign ``path`` with one of the publisher keys in ``keys_dir``; returns its key id.

    ``key_id`` None: the only key there. ``passphrase`` is asked only for a
    key kept in an encrypted file (one in the OS keyring needs none).
    """
    from flowdesk.sync.keys import PublisherKeys

    keys = PublisherKeys(keys_dir)
    info = keys.resolve(key_id)
    secret = passphrase() if info.storage == "file" else None
    sign_pack(path, keys.load(info, secret), signer=info.name)
    return info.key_id


def sign_pack(path: Path, key: Ed25519PrivateKey, signer: str | None = None) -> PackSignature:
    """Sign a built pack in place (atomically: a crash leaves the unsigned file whole).

    A pack already signed is re-signed: the new signature replaces the old.
    """
    manifest = read_manifest_bytes(path)
    sig = PackSignature(key_id_of(key.public_key()), key.sign(manifest), signer)
    with replacing(path) as tmp:
        shutil.copyfile(path, tmp)
        with zipfile.ZipFile(tmp, "a") as archive:
            archive.comment = sig.to_comment()
    return sig


def verify_signature(path: Path, sig: PackSignature, public: Ed25519PublicKey) -> None:
    """Refuses unless ``sig`` is the key's signature over this pack's manifest bytes."""
    try:
        public.verify(sig.signature, read_manifest_bytes(path))
    except InvalidSignature:
        raise Refused(
            f"bad signature: the pack was changed after signing, or not signed by key {sig.key_id}",
            file=str(path),
        ) from None
