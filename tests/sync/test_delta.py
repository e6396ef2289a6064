"""Loading a publication by re-reading only changed flow files gives the same pack as a
full load, and still refuses what a full load refuses."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import yaml
from sync_fixtures import change_step_text

from flowdesk.packs import load_pack
from flowdesk.sync.delta import keep_manifest, kept_manifest, load_delta


def _base(publisher):
    loaded = load_pack(publisher.build(1, name="base.flowpack"))
    assert loaded.ok
    return loaded


def _forge(valid: Path, out: Path, members: dict[str, dict]) -> Path:
    """A built pack with ``members`` replaced or added and a consistent manifest, as a
    broken build tool would write it (``pack build`` itself refuses invalid sources)."""
    with zipfile.ZipFile(valid) as src:
        files = {i.filename: src.read(i) for i in src.infolist()}
    manifest = json.loads(files.pop("manifest.json"))
    for name, body in members.items():
        files[name] = yaml.safe_dump(body, allow_unicode=True).encode("utf-8")
    manifest["members"] = {n: hashlib.sha256(b).hexdigest() for n, b in files.items()}
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        for name, data in files.items():
            z.writestr(name, data)
    return out


def test_delta_load_equals_the_full_load(publisher) -> None:
    base = _base(publisher)

    def change(pack, flows):
        change_step_text(pack, flows)
        del flows["flows/mgmt/quality.yaml"]

    path = publisher.build(2, change)
    delta = load_delta(path, base.pack, base.manifest)
    full = load_pack(path)
    assert delta is not None and delta.ok and full.ok
    assert delta.pack == full.pack
    assert [f.id for f in delta.pack.flows] == [f.id for f in full.pack.flows]
    assert {p.message for p in delta.warnings} == {p.message for p in full.warnings}
    reused = delta.pack.flow("np-out")
    assert reused is base.pack.flow("np-out")  # unchanged flows are the desk's own objects


def test_changed_axes_need_a_full_load(publisher) -> None:
    base = _base(publisher)

    def rename_channel(pack, _flows):
        pack["channels"][1]["name"] = "网上营业厅（新）"

    assert load_delta(publisher.build(2, rename_channel), base.pack, base.manifest) is None


def test_a_changed_flow_claiming_an_unchanged_flows_touch_point_is_refused(
    publisher, pack_data, tmp_path
) -> None:
    base = _base(publisher)
    bill = dict(pack_data[1]["flows/query/bill.yaml"], business="B0101")
    bill["touchpoints"] = [{"channel": "C1"}]
    path = _forge(publisher.build(2), tmp_path / "steal.flowpack", {"flows/query/bill.yaml": bill})
    delta = load_delta(path, base.pack, base.manifest)
    full = load_pack(path)
    assert delta is not None and not delta.ok and not full.ok
    assert any("claimed by two flows" in str(p) for p in delta.errors)


def test_duplicate_flow_id_across_files_is_refused(publisher, pack_data, tmp_path) -> None:
    base = _base(publisher)
    copy = dict(pack_data[1]["flows/mgmt/quality.yaml"], title="录音抽检（副本）")
    path = _forge(publisher.build(2), tmp_path / "dup.flowpack", {"flows/mgmt/zz-copy.yaml": copy})
    delta = load_delta(path, base.pack, base.manifest)
    assert delta is not None and not delta.ok and not load_pack(path).ok
    assert any("duplicate flow id 'qa-sample'" in str(p) for p in delta.errors)


def test_tampered_member_is_refused_before_anything_is_reused(publisher, tmp_path) -> None:
    base = _base(publisher)
    path = publisher.build(2, change_step_text)
    bad = tmp_path / "bad.flowpack"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bad, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "flows/number/np.yaml":
                data += "\n# 篡改".encode()
            out.writestr(info.filename, data)
    delta = load_delta(bad, base.pack, base.manifest)
    assert delta is not None and not delta.ok
    assert any("SHA-256 differs" in str(p) for p in delta.errors)


def test_manifests_are_kept_per_version(tmp_path, publisher) -> None:
    base = _base(publisher)
    keep_manifest(tmp_path, base.manifest)
    assert kept_manifest(tmp_path, "test-hotline", 1) == base.manifest
    assert kept_manifest(tmp_path, "test-hotline", 2) is None
