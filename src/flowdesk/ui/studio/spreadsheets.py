"""The Studio's spreadsheet actions: export the pack as a workbook, import one back.

The same workbook as ``pack to-xlsx`` / ``pack from-xlsx`` (:mod:`flowdesk.workbook`).
Exporting reads every flow whole, so it runs on the task runner; an import is
one undoable step, and a malformed workbook is refused with its problems
(sheet, row, column) in the problems list, nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog

from flowdesk.packs.packfile import PACK_FILE
from flowdesk.problems import Refused


class SpreadsheetActions:
    """Mixed into :class:`~flowdesk.ui.studio.window.StudioWindow`."""

    def _ask_workbook(self, dialog: Callable[..., tuple[str, str]], title: str) -> Path | None:
        """A workbook path from the file ``dialog`` (open or save); None if cancelled."""
        chosen, _ = dialog(self, title, "", "Excel (*.xlsx)")
        return Path(chosen) if chosen else None

    def export_xlsx(self, path: Path | None = None) -> None:
        """Write the workbook off the UI thread (every flow is read whole for it)."""
        from flowdesk.workbook import write_workbook

        if self._still_checking():
            return
        if self.document.errors or self.document.pack is None:
            self._refuse(QCoreApplication.translate("StudioWindow", "流程包有错误，先修正再导出。"))
            return
        path = path or self._ask_workbook(
            QFileDialog.getSaveFileName, QCoreApplication.translate("StudioWindow", "导出为 Excel")
        )
        if path is None:
            return
        whole_pack = self.document.whole_pack()
        target = path
        self.statusBar().showMessage(
            QCoreApplication.translate("StudioWindow", "正在导出 %1…").replace("%1", str(target))
        )
        self.runner.run(
            lambda: write_workbook(whole_pack(), target),
            on_done=lambda _r: self.statusBar().showMessage(
                QCoreApplication.translate("StudioWindow", "已导出 %1").replace("%1", str(target)),
                8000,
            ),
        )

    def import_xlsx(self, path: Path | None = None) -> None:
        """Read a workbook into the open source: each changed file is one undoable edit."""
        import yaml

        from flowdesk.workbook import workbook_to_source

        path = path or self._ask_workbook(
            QFileDialog.getOpenFileName, QCoreApplication.translate("StudioWindow", "从 Excel 导入")
        )
        if path is None:
            return
        try:
            files = workbook_to_source(path.read_bytes(), path.name)
        except Refused as refused:
            self.problems.set_problems(refused.problems)
            self._refuse(
                QCoreApplication.translate("StudioWindow", "工作簿有错误，未导入（见问题列表）。")
            )
            return
        self.undo_stack.beginMacro(QCoreApplication.translate("StudioWindow", "从 Excel 导入"))
        for name, data in sorted(files.items(), key=lambda item: item[0] != PACK_FILE):
            doc = yaml.safe_load(data)
            if doc != self.document.document(name):
                self.push(name, doc, name, None)
        for name in self.document.flow_names():
            if name not in files:
                self.push(name, None, name, None)  # type: ignore[arg-type]
        self.undo_stack.endMacro()
        self.refresh_all()
