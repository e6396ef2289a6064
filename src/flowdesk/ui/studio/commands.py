"""Undoable edits: every change in the Studio is one document replaced by another.

A command holds a file's document before and after; redo and undo hand one or
the other to :class:`~flowdesk.ui.studio.document.StudioDocument` and tell the
window which file changed. Typing in one field merges into one command, so
undo takes back a word, not a letter.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from flowdesk.ui.studio.document import StudioDocument


class SetDocument(QUndoCommand):
    """Replace file ``name``'s document (``before`` None: the file is new)."""

    def __init__(
        self,
        document: StudioDocument,
        name: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        text: str,
        changed: Callable[[str], None],
        merge_key: str | None = None,
    ) -> None:
        super().__init__(text)
        self.document, self.name = document, name
        self.before, self.after = copy.deepcopy(before), copy.deepcopy(after)
        self.changed = changed
        self.merge_key = merge_key

    def redo(self) -> None:
        self.document.restore(self.name, self.after)
        self.changed(self.name)

    def undo(self) -> None:
        self.document.restore(self.name, self.before)
        self.changed(self.name)

    def id(self) -> int:
        return 1 if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetDocument) or other.merge_key != self.merge_key:
            return False
        if other.name != self.name or self.merge_key is None:
            return False
        self.after = copy.deepcopy(other.after)
        return True
