"""Signed packs and the trust check every import passes."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from flowdesk.packs import load_pack
from flowdesk.problems import Refused
from flowdesk.sync.keys import PublicKey, key_id_of
from flowdesk.sync.signature import read_signature, sign_pack
from flowdesk.sync.trust import TrustStore, check_trust


def test_signed_pack_loads_and_passes_the_trust_check(publisher, trust) -> None:
    path = publisher.build(2)
    loaded = load_pack(path)
    assert loaded.ok, loaded.problems  # the signature does not disturb the member check
    assert check_trust(path, loaded, trust) == publisher.info.key_id
    sig = read_signature(path)
    assert sig is not None and sig.signer == "流程管理室"


def test_unsigned_pack_is_refused_unless_authoring(publisher, trust) -> None:
    path = publisher.build(2, sign=False)
    with pytest.raises(Refused, match="not signed") as caught:
        check_trust(path, load_pack(path), trust)
    assert "--allow-unsigned" in str(caught.value)
    assert check_trust(path, load_pack(path), trust, allow_unsigned=True) is None


def test_source_folder_counts_as_unsigned(tmp_path, trust, pack_source) -> None:
    with pytest.raises(Refused, match="source folder is unsigned"):
        check_trust(pack_source, load_pack(pack_source), trust)
    assert check_trust(pack_source, None, trust, allow_unsigned=True) is None


def test_untrusted_key_is_refused_even_when_authoring(publisher, desk_data) -> None:
    path = publisher.build(2)
    empty = TrustStore(desk_data.keys, defaults=[])
    for allow in (False, True):
        with pytest.raises(Refused, match="does not trust") as caught:
            check_trust(path, None, empty, allow_unsigned=allow)
        assert publisher.info.key_id in str(caught.value)


def test_tampered_pack_fails_the_signature(publisher, trust, tmp_path) -> None:
    """Rebuild the zip with a changed flow and a consistent manifest, keep the old signature."""
    path = publisher.build(2)
    forged = tmp_path / "forged.flowpack"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(forged, "w") as out:
        manifest = json.loads(src.read("manifest.json"))
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "flows/query/bill.yaml":
                data = data.replace("话费".encode(), "话费（已篡改）".encode())
                import hashlib

                manifest["members"][info.filename] = hashlib.sha256(data).hexdigest()
            if info.filename != "manifest.json":
                out.writestr(info.filename, data)
        out.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        out.comment = src.comment
    assert load_pack(forged).ok  # internally consistent: only the signature can tell
    with pytest.raises(Refused, match="bad signature"):
        check_trust(forged, None, trust, allow_unsigned=True)


def test_signature_by_another_key_claiming_the_trusted_id(publisher, trust, tmp_path) -> None:
    path = publisher.build(2)
    copy = tmp_path / "copy.flowpack"
    shutil.copy(path, copy)
    sign_pack(copy, Ed25519PrivateKey.generate())
    with zipfile.ZipFile(copy, "a") as z:  # forge the key id of the trusted publisher
        comment = json.loads(z.comment)
        comment["key_id"] = publisher.info.key_id
        z.comment = json.dumps(comment).encode()
    with pytest.raises(Refused, match="bad signature"):
        check_trust(copy, None, trust)


def test_damaged_signature_block_is_refused(publisher, trust) -> None:
    path = publisher.build(2)
    with zipfile.ZipFile(path, "a") as z:
        z.comment = b'{"format": "flowdesk-signature/1", "algorithm": "ed25519", "key_id": "x"}'
    with pytest.raises(Refused, match="signature: an Ed25519 signature is 64 bytes"):
        check_trust(path, None, trust)
    with zipfile.ZipFile(path, "a") as z:
        z.comment = "签名".encode()
    with pytest.raises(Refused, match="not a FlowDesk signature"):
        check_trust(path, None, trust)


def test_not_a_zip_is_refused_clearly(tmp_path, trust) -> None:
    path = tmp_path / "broken.flowpack"
    path.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(Refused, match="not a readable pack file"):
        check_trust(path, None, trust)


def test_trust_store_lists_untrusts_and_ships_defaults(tmp_path, desk_data) -> None:
    private = Ed25519PrivateKey.generate()
    shipped = PublicKey(key_id_of(private.public_key()), "总部 HQ", private.public_key())
    default_file = tmp_path / "hq.json"
    default_file.write_text(json.dumps(shipped.to_json(), ensure_ascii=False), encoding="utf-8")
    store = TrustStore(desk_data.keys, defaults=[default_file])
    assert [(k.name, origin) for k, origin in store.trusted()] == [("总部 HQ", "shipped")]
    with pytest.raises(Refused, match="shipped with FlowDesk"):
        store.untrust(shipped.key_id)
    other = Ed25519PrivateKey.generate().public_key()
    store.trust(PublicKey(key_id_of(other), "班组 team", other))
    assert store.get(key_id_of(other)) is not None
    store.untrust(key_id_of(other))
    assert store.get(key_id_of(other)) is None
    with pytest.raises(Refused, match="not trusted here"):
        store.untrust("ffffffffffffffff")


def test_signing_is_atomic_and_resigning_replaces(publisher, tmp_path: Path) -> None:
    path = publisher.build(2, sign=False)
    other = Ed25519PrivateKey.generate()
    sign_pack(path, publisher.private)
    sign_pack(path, other, signer="第二把钥匙")
    sig = read_signature(path)
    assert sig is not None and sig.key_id == key_id_of(other.public_key())
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp files left
