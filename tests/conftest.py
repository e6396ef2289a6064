"""Fixtures shared by every test: real pack folders written into tmp_path, a keyring in memory.

The fixtures of the sync tests (a publisher, a loopback HTTP server) and of the
central-store tests (a PostgreSQL cluster) are used by the window and rollout
tests too, so they are registered here as plugins rather than copied.
"""

from __future__ import annotations

import copy
import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from tests.builders import FLOWS, PACK, MemoryKeyring, write_pack

# GUI tests run offscreen; set before any Qt import anywhere in the session.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.sync.sync_fixtures", "tests.usage.pg_server"]


@pytest.fixture
def pack_source(tmp_path: Path) -> Path:
    """A valid small pack source folder; 话费查询 via C2 is a deliberate blind spot (3 brands)."""
    return write_pack(tmp_path / "src")


@pytest.fixture
def pack_data() -> tuple[dict, dict]:
    """Deep copies of the test pack's pack.yaml and flows, to modify in a test."""
    return copy.deepcopy(PACK), copy.deepcopy(FLOWS)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The keyring backend for the test: secrets in a dict, the previous backend restored."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """The state of a desk with no usable keyring backend."""
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every GUI test ``gui``: the tests under tests/ui and any test that uses ``qtbot``
    (directly or through a fixture), so ``-m 'not gui'`` runs the core without a display."""
    ui = Path(__file__).parent / "ui"
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()) or ui in item.path.parents:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _qt_garbage_dies_on_the_main_thread() -> Iterator[None]:
    """Collect each test's cyclic garbage here, on the main thread.

    A widget or model a finished test left in a reference cycle is freed by
    whichever thread next triggers a collection; a later test's work thread
    (a TaskRunner) freeing a Qt object crashes the process (seen once in CI:
    a segmentation fault "Garbage-collecting" on a QA view's work thread).
    """
    yield
    if "PySide6.QtCore" in sys.modules:
        gc.unfreeze()  # what a settled window froze (flowdesk.gcpause) is collectable again
        gc.collect()
