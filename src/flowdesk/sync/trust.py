"""Which publishers a desk trusts, and the check every pack passes before import.

A desk keeps the public keys it trusts as files under ``keys/trusted`` of its
data folder (one ``<key_id>.json`` public key file each), plus any defaults
shipped with the program (``flowdesk.data/trusted-keys/*.json``). A pack is
imported only when its signature verifies with one of them; unsigned packs
only with the explicit authoring switch (``--allow-unsigned``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from flowdesk.files import atomic_write
from flowdesk.paths import TRUSTED_KEYS
from flowdesk.problems import Refused
from flowdesk.sync.keys import PublicKey
from flowdesk.sync.signature import read_signature, verify_signature

UNSIGNED_HINT = "use --allow-unsigned only while authoring packs you built yourself"


def shipped_keys() -> list[Traversable]:
    """Default trusted keys bundled with the program (may be none)."""
    try:
        folder = resources.files("flowdesk.data").joinpath("trusted-keys")
        return [f for f in folder.iterdir() if f.name.endswith(".json")]
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return []


class TrustStore:
    """The trusted publisher keys of one data folder (``DataDir.keys``)."""

    def __init__(self, keys_dir: Path, defaults: Iterable[Traversable] | None = None) -> None:
        self.dir = keys_dir / TRUSTED_KEYS
        self._defaults = list(shipped_keys() if defaults is None else defaults)

    def trust(self, key: PublicKey) -> PublicKey:
        """Add (or rename) a trusted key; idempotent."""
        atomic_write(
            self.dir / f"{key.key_id}.json",
            json.dumps(key.to_json(), ensure_ascii=False, indent=2).encode("utf-8"),
        )
        return key

    def untrust(self, key_id: str) -> None:
        path = self.dir / f"{key_id}.json"
        if not path.exists():
            shipped = any(k.key_id == key_id for k, _ in self.trusted())
            why = "it is shipped with FlowDesk" if shipped else "it is not trusted here"
            raise Refused(f"cannot remove key {key_id}: {why}", file="keys")
        path.unlink()

    def trusted(self) -> list[tuple[PublicKey, str]]:
        """Every trusted key with where it comes from (``"desk"`` or ``"shipped"``).

        A damaged key file is skipped rather than stopping every import; `keys list`
        names it (:meth:`damaged`), and the file stays on disk to inspect.
        """
        return self._read()[0]

    def damaged(self) -> list[tuple[str, str]]:
        """Key files that cannot be read as keys: (file, what is wrong with it)."""
        return self._read()[1]

    def _read(self) -> tuple[list[tuple[PublicKey, str]], list[tuple[str, str]]]:
        found: dict[str, tuple[PublicKey, str]] = {}
        damaged: list[tuple[str, str]] = []
        files: list[tuple[Traversable | Path, str, str]] = [
            (item, item.name, "shipped") for item in self._defaults
        ]
        files += [(path, str(path), "desk") for path in _key_files(self.dir)]
        for item, name, origin in files:
            try:
                key = PublicKey.from_json(json.loads(item.read_bytes().decode("utf-8")), name)
            except (OSError, ValueError, TypeError, AttributeError, Refused) as exc:
                damaged.append((name, _why(exc)))
                continue
            found[key.key_id] = (key, origin)
        return list(found.values()), damaged

    def get(self, key_id: str) -> PublicKey | None:
        for key, _ in self.trusted():
            if key.key_id == key_id:
                return key
        return None


def _key_files(folder: Path) -> list[Path]:
    try:
        return sorted(folder.glob("*.json")) if folder.is_dir() else []
    except OSError:
        return []


def _why(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "bytes that are not UTF-8"
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON ({exc.msg}, line {exc.lineno})"
    if isinstance(exc, IsADirectoryError):
        return "a folder, not a key file"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    if isinstance(exc, Refused):
        return "; ".join(p.message for p in exc.problems)
    return "not a public key file"


def check_trust(
    path: Path, loaded: Any, trust_store: TrustStore, allow_unsigned: bool = False
) -> str | None:
    """Refuse a pack that is not signed by a trusted publisher; returns the signer's key id.

    Called before anything is imported. A pack source folder is authoring input
    and counts as unsigned. ``allow_unsigned`` lets unsigned packs through; it
    never lets through a bad signature or one by an untrusted key: a signature
    that does not check out means the file is not what its publisher made.
    ``loaded`` (the ``LoadedPack`` the caller already read) is accepted so callers
    need not care what the check reads; the signature covers the raw manifest bytes,
    which are read again from ``path`` by name.
    """
    path = Path(path)
    if path.is_dir():
        if allow_unsigned:
            return None
        raise Refused(f"a pack source folder is unsigned; {UNSIGNED_HINT}", file=str(path))
    sig = read_signature(path)
    if sig is None:
        if allow_unsigned:
            return None
        raise Refused(
            f"the pack is not signed; import signed packs from a trusted publisher, "
            f"or {UNSIGNED_HINT}",
            file=str(path),
        )
    key = trust_store.get(sig.key_id)
    if key is None:
        damaged = "".join(f"; {name} is damaged ({why})" for name, why in trust_store.damaged())
        raise Refused(
            f"signed by key {sig.key_id} ({sig.signer or 'unknown signer'}), which this desk "
            f"does not trust; add the publisher's key with `flowdesk keys trust FILE`{damaged}",
            file=str(path),
        )
    verify_signature(path, sig, key.key)
    return key.key_id
