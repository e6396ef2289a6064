"""Opening large sources: worker processes, stub flows, kept reads, pack.yaml edits read little."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from flowdesk.packs import load_pack
from flowdesk.packs.packfile import PACK_FILE
from flowdesk.packs.source import parse_pack
from flowdesk.paths import sample_pack
from flowdesk.ui.studio import document as document_module
from flowdesk.ui.studio import reading
from flowdesk.ui.studio.document import StudioDocument
from flowdesk.ui.studio.readcache import ReadCache


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(str(sample_pack()), folder)
    return folder


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The names of the flow files read in this process (workers are not counted)."""
    names: list[str] = []
    real = reading.read_flow_file

    def read_flow_file(data, file, head, name):
        names.append(name)
        return real(data, file, head, name)

    monkeypatch.setattr(reading, "read_flow_file", read_flow_file)
    monkeypatch.setattr(document_module, "read_flow_file", read_flow_file)
    return names


def _errors(problems) -> list[str]:
    return sorted(str(p) for p in problems if p.severity == "error")


def test_workers_give_what_pack_validate_gives_and_flows_are_read_whole_when_opened(
    tmp_path: Path, monkeypatch, counted: list[str]
) -> None:
    monkeypatch.setattr(reading, "MIN_FILES", 1)
    monkeypatch.setattr(reading, "CHUNK", 7)
    folder = _copy(tmp_path)
    name = "flows/portability/np-qualify.yaml"
    text = (folder / name).read_text(encoding="utf-8")
    (folder / name).write_text(text.replace("next: ", "next: 没有", 1), encoding="utf-8")
    seen: list[tuple[int, int]] = []
    document = StudioDocument.open(folder, progress=lambda d, n: seen.append((d, n)))
    assert counted == []  # every file was read by a worker process
    loaded = load_pack(folder)
    assert _errors(document.problems) == _errors(loaded.problems) != []
    assert seen[-1] == (len(document.flow_names()),) * 2
    assert all(not f.steps for f in document.pack.flows)  # stubs until opened
    flow = document.flow(name)
    assert counted == [name] and flow is not None and flow.steps
    assert document.pack.flows[[f.id for f in document.pack.flows].index(flow.id)] is flow
    whole = document.whole_pack()()
    assert [f.id for f in whole.flows] == [f.id for f in document.pack.flows]
    assert all(f.steps for f in whole.flows)


@pytest.mark.parametrize("min_files", [1, 10_000])  # worker processes, or in process
def test_cancelling_stops_the_reading(tmp_path: Path, monkeypatch, min_files: int) -> None:
    monkeypatch.setattr(reading, "MIN_FILES", min_files)
    with pytest.raises(reading.Cancelled):
        StudioDocument.open(_copy(tmp_path), cancelled=lambda: True)


def test_the_second_opening_reads_only_changed_files(tmp_path: Path, counted: list[str]) -> None:
    folder = _copy(tmp_path)
    cache = ReadCache(tmp_path / "data" / "studio", folder)
    first = StudioDocument.open(folder, cache=cache)
    assert len(counted) == len(first.flow_names())
    counted.clear()
    name = "flows/portability/np-qualify.yaml"
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 新", 1), "utf-8")
    again = StudioDocument.open(folder, cache=ReadCache(cache.path.parent, folder))
    assert counted == [name]
    assert sorted(map(str, again.problems)) == sorted(map(str, load_pack(folder).problems))
    assert again.flow(name).title.startswith("新")
    assert again.flow("flows/plans/plan-change-hotline.yaml").steps  # a kept read, read whole


def test_a_business_offered_elsewhere_invalidates_only_its_flows(
    tmp_path: Path, counted: list[str]
) -> None:
    folder = _copy(tmp_path)
    cache = ReadCache(tmp_path / "studio", folder)
    StudioDocument.open(folder, cache=cache)
    pack_yaml = folder / PACK_FILE
    text = pack_yaml.read_text(encoding="utf-8")
    edited = text.replace(
        "group: 套餐与流量, channels: [C1, C2, C5, C6]}",
        "group: 套餐与流量, channels: [C1, C2, C5]}",
        1,
    )
    assert edited != text
    pack_yaml.write_text(edited, encoding="utf-8")
    counted.clear()
    again = StudioDocument.open(folder, cache=ReadCache(cache.path.parent, folder))
    read_again = set(counted)
    b0401 = {n for n in again.flow_names() if again.flow(n).business == "B0401"}
    assert read_again == b0401 and len(b0401) == 3
    assert sorted(map(str, again.problems)) == sorted(map(str, load_pack(folder).problems))


def test_a_damaged_or_planted_cache_is_ignored(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    cache = ReadCache(tmp_path / "studio", folder)
    cache.path.parent.mkdir(parents=True)
    for data in (b"not a pickle", pickle.dumps((1, {b"x": (b"y", (print, []))}))):
        cache.path.write_bytes(data)
        document = StudioDocument.open(folder, cache=ReadCache(cache.path.parent, folder))
        assert sorted(map(str, document.problems)) == sorted(map(str, load_pack(folder).problems))


def test_pack_yaml_edits_read_again_only_the_flows_they_touch(
    tmp_path: Path, counted: list[str]
) -> None:
    document = StudioDocument.open(_copy(tmp_path))
    head = document.document(PACK_FILE)
    head["title"] = "10086 热线服务流程包（修订）"
    counted.clear()
    document.set_document(PACK_FILE, head)
    assert counted == []  # nothing a flow is checked against changed
    b0401 = next(b for b in head["businesses"] if b["code"] == "B0401")
    b0401["channels"] = ["C1"]
    document.set_document(PACK_FILE, head)
    assert {document.flow(n).business for n in counted} == {"B0401"}
    _pack, whole = parse_pack(document.files)
    assert sorted(map(_unplaced, whole)) == sorted(map(_unplaced, document.problems))


def _unplaced(problem) -> tuple:
    """A problem without its line (an edited file's lines are its draft's)."""
    return problem.severity, problem.file, problem.key, problem.message


def test_many_flows_touched_are_read_again_by_a_job(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(document_module, "SYNC_REREAD", 0)
    document = StudioDocument.open(_copy(tmp_path))
    head = document.document(PACK_FILE)
    head["brands"] = [b for b in head["brands"] if b["code"] != "E"]  # every flow may change
    document.set_document(PACK_FILE, head)
    assert document.stale == set(document.flow_names())
    old_job = document.check_job()
    job = document.check_job()
    with pytest.raises(reading.Cancelled):  # made void by the newer job: it stops
        old_job(lambda d, n: None)
    assert not document.take_checked()
    job(lambda d, n: None)
    assert document.take_checked()
    assert not document.stale
    _pack, whole = parse_pack(document.files)
    assert _errors(whole) == _errors(document.problems) != []
