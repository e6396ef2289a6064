"""A desk's index folders: built aside, renamed into place whole, rebuilt from the store."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from flowdesk.leftovers import STAGING_PREFIX
from flowdesk.model import Pack
from flowdesk.packs import load_pack
from flowdesk.problems import Cancelled
from flowdesk.version_indexes import VersionIndexes


@pytest.fixture
def pack(pack_source: Path) -> Pack:
    loaded = load_pack(pack_source)
    assert loaded.pack is not None
    return loaded.pack


@pytest.fixture
def indexes(tmp_path: Path, pack: Pack):
    """The folders of one desk whose store holds ``pack`` (and its sequence 2)."""
    stored = {(pack.id, pack.sequence): pack, (pack.id, 2): dataclasses.replace(pack, sequence=2)}
    root = tmp_path / "index"
    root.mkdir()
    folders = VersionIndexes(root, lambda pack_id, sequence: stored[(pack_id, sequence)])
    yield folders
    folders.close()


def test_a_failed_build_leaves_no_staging_folder_and_no_index(indexes, pack) -> None:
    with pytest.raises(Cancelled), indexes.staged(pack.id, pack.sequence) as staging:
        indexes.build_new(staging, pack, None, lambda *_a: None, cancel=lambda: True)
    assert list(indexes.root.iterdir()) == []


def test_a_rebuild_replaces_the_open_index_whole(indexes, pack) -> None:
    first = indexes.open(pack.id, pack.sequence)  # missing: built from the store
    assert [h.flow_id for h in first.search("携号转网")][:1] == ["np-out"]
    stages: list[str] = []
    indexes.rebuild(pack, progress=lambda stage, _d, _t: stages.append(stage))
    assert stages and set(stages) == {"索引 indexing"}
    again = indexes.open(pack.id, pack.sequence)
    assert again is not first  # the old one was closed and put out of the way
    assert [h.flow_id for h in again.search("转网")][:1] == ["np-out"]
    names = [p.name for p in indexes.root.iterdir()]
    assert names == [f"{pack.id}-{pack.sequence}"]
    assert not any(name.startswith(STAGING_PREFIX) for name in names)


def test_an_index_of_another_version_is_rebuilt_for_this_one(indexes, pack) -> None:
    indexes.open(pack.id, 1)
    indexes.close()
    (indexes.root / f"{pack.id}-1").rename(indexes.folder(pack.id, 2))  # the wrong folder
    index = indexes.open(pack.id, 2)
    assert (index.pack_id, index.pack_sequence) == (pack.id, 2)
