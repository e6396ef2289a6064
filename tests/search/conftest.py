"""A small Chinese pack built in Python, and its index in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flowdesk.model import Pack
from flowdesk.search import FlowIndex
from tests.search.search_packs import sample_pack


@pytest.fixture
def pack() -> Pack:
    return sample_pack()


@pytest.fixture
def index(tmp_path: Path, pack: Pack) -> Iterator[FlowIndex]:
    FlowIndex.build(tmp_path / "index", pack)
    opened = FlowIndex.open(tmp_path / "index")
    yield opened
    opened.close()
