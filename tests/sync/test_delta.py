"""Loading a publication as a revision (re-reading only changed flow files) gives the same
pack as a full load, reads only the flows that changed, and refuses what a full load refuses."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from flowdesk.model import FlowHead
from flowdesk.packs import load_pack
from flowdesk.packs.diff import diff_packs
from flowdesk.sync.delta import load_revision
from tests.builders import dump_yaml
from tests.sync.sync_fixtures import change_step_text


def _base(publisher):
    loaded = load_pack(publisher.build(1, name="base.flowpack"))
    assert loaded.ok
    return loaded


def revise(path: Path, base, manifest, asked: list | None = None):
    """``load_revision`` told against a whole base pack, as the store would hand it over."""

    def base_flows(ids):
        wanted = set(ids)
        if asked is not None:
            asked.append(wanted)
        return [f for f in base.flows if f.id in wanted]

    head = replace(base, flows=())
    return load_revision(path, head, [FlowHead.of(f) for f in base.flows], manifest, base_flows)


def _forge(valid: Path, out: Path, members: dict[str, dict]) -> Path:
    """A built pack with ``members`` replaced or added and a consistent manifest, as a
    broken build tool would write it (``pack build`` itself refuses invalid sources)."""
    with zipfile.ZipFile(valid) as src:
        files = {i.filename: src.read(i) for i in src.infolist()}
    manifest = json.loads(files.pop("manifest.json"))
    for name, body in members.items():
        files[name] = dump_yaml(body).encode("utf-8")
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
    asked: list[set[str]] = []
    delta = revise(path, base.pack, base.manifest, asked)
    full = load_pack(path)
    assert delta is not None and delta.ok and full.ok
    revision = delta.revision
    whole = revision.apply_to(base.pack)
    assert whole == full.pack
    assert [f.id for f in revision.flows] == [f.id for f in full.pack.flows]
    assert {p.message for p in delta.warnings} == {p.message for p in full.warnings}
    assert whole.flow("np-out") is base.pack.flow("np-out")  # kept flows: the desk's own
    assert "np-out" in revision.kept and "np-out" not in {f.id for f in revision.pack.flows}
    # Only what changed or went is read, of both versions, and it is the whole change.
    change_of_full = diff_packs(base.pack, full.pack)
    touched = {c.flow_id for c in change_of_full.flows_changed} | set(change_of_full.flows_removed)
    assert asked == [touched | {f.id for f in revision.pack.flows}]
    assert {f.id for f in revision.base.flows} == touched
    assert {f.id for f in revision.pack.flows} == touched - set(change_of_full.flows_removed) | set(
        change_of_full.flows_added
    )
    assert diff_packs(revision.base, revision.pack).to_json() == change_of_full.to_json()
    with pytest.raises(ValueError, match="#9"):
        revision.apply_to(replace(base.pack, sequence=9))  # told against another version
    # Unchanged members are not even read from the archive.
    assert "flows/number/np.yaml" not in delta.files


def test_changed_axes_need_a_full_load(publisher) -> None:
    base = _base(publisher)

    def rename_channel(pack, _flows):
        pack["channels"][1]["name"] = "网上营业厅（新）"

    assert revise(publisher.build(2, rename_channel), base.pack, base.manifest) is None


def test_a_changed_flow_claiming_an_unchanged_flows_touch_point_is_refused(
    publisher, pack_data, tmp_path
) -> None:
    base = _base(publisher)
    bill = dict(pack_data[1]["flows/query/bill.yaml"], business="B0101")
    bill["touchpoints"] = [{"channel": "C1"}]
    path = _forge(publisher.build(2), tmp_path / "steal.flowpack", {"flows/query/bill.yaml": bill})
    delta = revise(path, base.pack, base.manifest)
    full = load_pack(path)
    assert delta is not None and not delta.ok and not full.ok
    assert any("claimed by two flows" in str(p) for p in delta.errors)


def test_duplicate_flow_id_across_files_is_refused(publisher, pack_data, tmp_path) -> None:
    base = _base(publisher)
    copy = dict(pack_data[1]["flows/mgmt/quality.yaml"], title="录音抽检（副本）")
    path = _forge(publisher.build(2), tmp_path / "dup.flowpack", {"flows/mgmt/zz-copy.yaml": copy})
    delta = revise(path, base.pack, base.manifest)
    assert delta is not None and not delta.ok and not load_pack(path).ok
    assert any("duplicate flow id 'qa-sample'" in str(p) for p in delta.errors)


def _tamper(path: Path, out: Path, member: str) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == member:
                data += "\n# 篡改".encode()
            dst.writestr(info.filename, data)
    return out


def test_tampered_changed_member_is_refused(publisher, tmp_path) -> None:
    base = _base(publisher)
    path = publisher.build(2, change_step_text)
    bad = _tamper(path, tmp_path / "bad.flowpack", "flows/query/bill.yaml")
    delta = revise(bad, base.pack, base.manifest)
    assert delta is not None and not delta.ok and delta.revision is None
    assert any("SHA-256 differs" in str(p) and "bill.yaml" in str(p) for p in delta.errors)


def test_an_unread_member_is_the_desks_signed_copy(publisher, tmp_path) -> None:
    """A member the manifest lists unchanged is not read: what is imported is the desk's
    copy, whose SHA-256 the signed manifest names (a corrupt download fails the index's
    SHA-256 before this; ``pack verify`` and a full load still read every member)."""
    base = _base(publisher)
    path = publisher.build(2, change_step_text)
    odd = _tamper(path, tmp_path / "odd.flowpack", "flows/number/np.yaml")
    assert not load_pack(odd).ok
    delta = revise(odd, base.pack, base.manifest)
    assert delta is not None and delta.ok
    assert delta.revision.apply_to(base.pack) == load_pack(path).pack
