"""Publisher keys: generation, protected storage, public key files, keyring failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from flowdesk.problems import Refused
from flowdesk.sync.keys import PublicKey, PublisherKeys, key_id_of
from tests.sync.sync_fixtures import PASSPHRASE


def test_file_key_is_encrypted_and_needs_its_passphrase(tmp_path: Path) -> None:
    keys = PublisherKeys(tmp_path / "keys")
    info, public = keys.generate("流程管理室 process office", "file", PASSPHRASE)
    pem = (tmp_path / "keys" / "private" / f"{info.key_id}.pem").read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in pem
    loaded = keys.load(info, PASSPHRASE)
    assert key_id_of(loaded.public_key()) == public.key_id == info.key_id
    with pytest.raises(Refused, match="wrong passphrase"):
        keys.load(info, "not-the-passphrase")
    with pytest.raises(Refused, match="needs its passphrase"):
        keys.load(info, None)


def test_short_passphrase_is_refused_and_nothing_written(tmp_path: Path) -> None:
    keys = PublisherKeys(tmp_path / "keys")
    with pytest.raises(Refused, match="at least 8"):
        keys.generate("流程管理室", "file", "短口令")
    assert keys.list() == []


def test_keyring_key_round_trips(tmp_path: Path, memory_keyring) -> None:
    keys = PublisherKeys(tmp_path / "keys")
    info, public = keys.generate("客服中心 kefu", "keyring")
    assert not (tmp_path / "keys" / "private" / f"{info.key_id}.pem").exists()
    assert any(name == info.key_id for _svc, name in memory_keyring.secrets)
    assert key_id_of(keys.load(info, None).public_key()) == public.key_id
    assert keys.resolve(None) == info
    assert keys.resolve("客服中心 kefu") == info


def test_no_keyring_backend_gives_a_clear_refusal(tmp_path: Path, no_keyring) -> None:
    keys = PublisherKeys(tmp_path / "keys")
    with pytest.raises(Refused) as caught:
        keys.generate("流程管理室", "keyring")
    message = str(caught.value)
    assert "no OS keyring is available" in message
    assert "--storage file" in message
    assert keys.list() == []


def test_resolve_without_keys_or_with_several(tmp_path: Path) -> None:
    keys = PublisherKeys(tmp_path / "keys")
    with pytest.raises(Refused, match="keys generate"):
        keys.resolve(None)
    keys.generate("甲 A", "file", PASSPHRASE)
    keys.generate("乙 B", "file", PASSPHRASE)
    with pytest.raises(Refused, match="several publisher keys"):
        keys.resolve(None)
    with pytest.raises(Refused, match="no publisher key 'zz'"):
        keys.resolve("zz")


def test_public_key_file_and_pem_read_alike(tmp_path: Path) -> None:
    private = Ed25519PrivateKey.generate()
    key = PublicKey(key_id_of(private.public_key()), "流程管理室", private.public_key())
    as_json = tmp_path / "pub.json"
    as_json.write_text(json.dumps(key.to_json(), ensure_ascii=False), encoding="utf-8")
    as_pem = tmp_path / "pub.pem"
    as_pem.write_bytes(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    from_json, from_pem = PublicKey.read(as_json), PublicKey.read(as_pem, name="PEM 发布者")
    assert from_json.key_id == from_pem.key_id == key.key_id
    assert from_json.name == "流程管理室" and from_pem.name == "PEM 发布者"


def test_public_key_file_with_a_wrong_key_id_is_refused(tmp_path: Path) -> None:
    private = Ed25519PrivateKey.generate()
    data = PublicKey(key_id_of(private.public_key()), "x", private.public_key()).to_json()
    data["key_id"] = "0123456789abcdef"
    path = tmp_path / "pub.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(Refused, match="key_id: does not match"):
        PublicKey.read(path)
    path.write_text('{"format": "flowdesk-key/1", "algorithm": "rsa"}', encoding="utf-8")
    with pytest.raises(Refused, match="only 'ed25519'"):
        PublicKey.read(path)
    path.write_text("不是密钥", encoding="utf-8")
    with pytest.raises(Refused, match="not a public key file"):
        PublicKey.read(path)
