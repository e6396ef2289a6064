"""Fixtures of the packs tests: the valid pack source folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import write_files
from tests.packs.pack_texts import VALID_FILES


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The valid pack folder: 全球通/动感地带/神州行, every offered touch point claimed."""
    return write_files(tmp_path / "src", VALID_FILES)
