"""Staged rollout: a ring's desks are offered a version first, over the loopback HTTP source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowdesk.cli import main
from flowdesk.problems import Refused
from flowdesk.sync.index import parse_index
from tests.sync.sync_fixtures import Publisher, change_step_text


def run(capsys, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def versions(capsys, desk: Path) -> list[tuple[int, str]]:
    code, out, err = run(capsys, "pack", "list", "--json", "--data-dir", desk)
    assert code == 0, err
    return [(p["sequence"], p["state"]) for p in json.loads(out)]


@pytest.fixture
def publisher(tmp_path: Path, pack_data) -> Publisher:
    return Publisher(tmp_path / "publisher", pack_data)


def test_pilot_ring_first_then_everyone(
    capsys,
    tmp_path: Path,
    publisher: Publisher,
    pack_server,
) -> None:
    served = pack_server.root
    public = tmp_path / "publisher.json"
    public.write_text(json.dumps(publisher.public.to_json()), encoding="utf-8")
    assert run(capsys, "pack", "publish", publisher.build(1), served)[0] == 0
    pilot, general = tmp_path / "desk-试点", tmp_path / "desk-一组"
    for desk in (pilot, general):
        assert run(capsys, "keys", "trust", public, "--data-dir", desk)[0] == 0
        assert run(capsys, "sync", pack_server.url, "--data-dir", desk)[0] == 0
    assert run(capsys, "desk", "ring", "试点", "--data-dir", pilot)[0] == 0

    code, out, err = run(
        capsys, "pack", "publish", publisher.build(2, change_step_text), served, "--ring", "试点"
    )
    assert code == 0 and "ring 试点" in out, err
    index = json.loads((served / "index.json").read_text(encoding="utf-8"))
    assert [e["sequence"] for e in index["packs"]] == [1]  # what older desks read
    assert [e["sequence"] for e in index["rings"]["试点"]] == [2]

    assert run(capsys, "sync", pack_server.url, "--data-dir", general)[0] == 0
    assert versions(capsys, general) == [(1, "active")]
    code, _, err = run(capsys, "sync", pack_server.url, "--data-dir", pilot)
    assert code == 0, err
    assert versions(capsys, pilot) == [(2, "active"), (1, "previous")]

    # proved on the pilot desks: the same file, published without a ring, goes to everyone
    assert run(capsys, "pack", "publish", publisher.build(2, change_step_text), served)[0] == 0
    index = json.loads((served / "index.json").read_text(encoding="utf-8"))
    assert [e["sequence"] for e in index["packs"]] == [1, 2] and index["rings"] == {"试点": []}
    assert run(capsys, "sync", pack_server.url, "--data-dir", general)[0] == 0
    assert versions(capsys, general) == [(2, "active"), (1, "previous")]

    code, out, _ = run(capsys, "report", "desks", "--data-dir", pilot, "--json")
    assert {r["ring"] for r in json.loads(out)["rows"]} == {"试点"}


def test_an_index_without_rings_stays_valid_and_bad_rings_are_refused() -> None:
    entry = {"id": "test-hotline", "sequence": 1, "file": "packs/a.flowpack", "size": 9,
             "sha256": "0" * 64}  # fmt: skip
    old = {"format": "flowdesk-index/1", "packs": [entry]}
    index = parse_index(json.dumps(old).encode(), "index.json")
    assert index.for_ring("试点").newest()["test-hotline"].sequence == 1
    assert json.loads(index.to_bytes()) == old
    bad = {**old, "rings": {"试点": [{**entry, "file": "../x"}], "a b": []}}
    with pytest.raises(Refused) as refused:
        parse_index(json.dumps(bad).encode(), "index.json")
    keys = {p.key for p in refused.value.problems}
    assert keys == {"rings.试点[0].file", "rings.a b"}


def test_a_ring_no_source_names_is_refused_and_a_sync_says_so(
    capsys, tmp_path: Path, publisher: Publisher, pack_server
) -> None:
    """A typo in ``desk ring`` would leave the desk out of its pilot for good: refused, with
    the source's index and key named, settings unchanged. A ring the source stops staging
    stays named (empty) after its version went to everyone."""
    served = pack_server.root
    public = tmp_path / "publisher.json"
    public.write_text(json.dumps(publisher.public.to_json()), encoding="utf-8")
    assert run(capsys, "pack", "publish", publisher.build(1), served)[0] == 0
    desk = tmp_path / "desk"
    assert run(capsys, "keys", "trust", public, "--data-dir", desk)[0] == 0
    assert run(capsys, "source", "add", "总部", pack_server.url, "--data-dir", desk)[0] == 0
    assert run(capsys, "sync", "总部", "--data-dir", desk)[0] == 0
    settings = desk / "settings.json"

    code, _, err = run(capsys, "desk", "ring", "试点", "--data-dir", desk)
    assert code == 1 and "index.json: rings: no ring '试点' (its rings: none" in err, err
    assert pack_server.url.rstrip("/") in err and "Traceback" not in err
    before = settings.read_bytes() if settings.exists() else b""

    code, _, err = run(
        capsys, "pack", "publish", publisher.build(2, change_step_text), served, "--ring", "试点"
    )
    assert code == 0, err
    code, _, err = run(capsys, "desk", "ring", "试占", "--data-dir", desk)  # a typo
    assert code == 1 and "no ring '试占' (its rings: 试点)" in err, err
    assert (settings.read_bytes() if settings.exists() else b"") == before
    assert run(capsys, "desk", "ring", "试点", "--data-dir", desk)[0] == 0

    # promoted to everyone: the ring stays named, so the desk's setting is still a ring
    assert run(capsys, "pack", "publish", publisher.build(2, change_step_text), served)[0] == 0
    assert run(capsys, "desk", "ring", "试点", "--data-dir", desk)[0] == 0
    # a desk set to a ring the source does not name (set before the source was added) syncs
    # the general rollout, and is told why
    (served / "index.json").write_text(
        json.dumps({**json.loads((served / "index.json").read_text("utf-8")), "rings": {}}),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "sync", "总部", "--data-dir", desk)
    assert code == 0 and "index.json: rings: no ring '试点'" in err, err
    assert versions(capsys, desk)[0] == (2, "active")
