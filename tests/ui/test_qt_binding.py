"""The Qt binding itself must not corrupt Python: the window emits signals on every keystroke."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal()
    text = Signal(str)


@pytest.mark.gui
def test_signal_emit_keeps_reference_counts(qapp) -> None:
    # PySide6 6.12.0 returned True from emit() without a reference: the count of True fell
    # by one per emit and the process aborted (bool_dealloc) after a few minutes of typing.
    emitter = _Emitter()
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(500):
        emitter.changed.emit()
        emitter.text.emit("携号转网")
    assert abs(sys.getrefcount(True) - before_true) < 50
    assert abs(sys.getrefcount(None) - before_none) < 50
