"""FlowDesk Studio (流程设计器): the process owner's window over one pack source.

Tabs: the process map (the way in: a blind cell makes a new flow claiming
it, any other cell opens its flow), the axes as tables, and the flow editor.
Docked beside: the problems list (the validator's, updated after each edit;
activating a problem jumps to its field). Every edit is a command on one
``QUndoStack``. Saving, spreadsheets, preview and publishing are actions.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QListView,
    QMainWindow,
    QMessageBox,
    QTabWidget,
)

from flowdesk.model import TouchPoint
from flowdesk.packs.packfile import PACK_FILE
from flowdesk.problems import Problem
from flowdesk.ui.process_map import KIND_ROLE, TOUCHPOINT_ROLE, ProcessMapView
from flowdesk.ui.studio.axes import AxesEditor
from flowdesk.ui.studio.checking import BackgroundChecks
from flowdesk.ui.studio.commands import SetDocument
from flowdesk.ui.studio.document import StudioDocument
from flowdesk.ui.studio.flow_editor import FlowEditor
from flowdesk.ui.studio.problems import PROBLEM_ROLE, ProblemsModel
from flowdesk.ui.studio.spreadsheets import SpreadsheetActions
from flowdesk.ui.tasks import TaskRunner

DISK_CHECK_MS = 3000


class StudioWindow(SpreadsheetActions, BackgroundChecks, QMainWindow):
    """One pack source open for editing."""

    def __init__(
        self,
        document: StudioDocument,
        runner: TaskRunner | None = None,
        data_root: Path | None = None,
    ) -> None:
        super().__init__()
        self.data_root = data_root  # publisher keys (None: the data folder of this run)
        self.setObjectName("studioWindow")
        self.document = document
        self.runner = runner or TaskRunner(threads=1, parent=self)
        if self.runner.parent() is None:  # its tasks call back into this window: it lives as long
            self.runner.setParent(self)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.current: str | None = None
        self.preview = None

        self.tabs = QTabWidget()
        self.map = ProcessMapView()
        self.map.open_requested.connect(lambda flow_id, _tp: self.open_flow_id(flow_id))
        self.map.table.activated.connect(self._map_activated)
        self.axes = AxesEditor()
        self.axes.edit_requested.connect(lambda doc, text: self.push(PACK_FILE, doc, text, None))
        self.editor = FlowEditor()
        self.editor.edit_requested.connect(
            lambda doc, text, key: self.push(self.current or "", doc, text, key)
        )
        self.editor.message.connect(lambda m: self.statusBar().showMessage(m, 5000))
        self.tabs.addTab(self.map, self.tr("流程地图"))
        self.tabs.addTab(self.axes, self.tr("渠道·品牌·业务"))
        self.tabs.addTab(self.editor, self.tr("流程编辑"))
        self.setCentralWidget(self.tabs)
        self._map_stale = True
        self.tabs.currentChanged.connect(self._tab_changed)

        self.problems = ProblemsModel(self)
        self.problem_list = QListView()
        self.problem_list.setObjectName("problemsList")
        self.problem_list.setUniformItemSizes(True)
        self.problem_list.setModel(self.problems)
        self.problem_list.activated.connect(self._problem_activated)
        self.problems_dock = dock = QDockWidget(self.tr("问题"), self)
        dock.setObjectName("problemsDock")
        dock.setWidget(self.problem_list)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.resizeDocks([dock], [130], Qt.Orientation.Vertical)

        self.actions: dict[str, QAction] = {}
        self._build_actions()
        self.disk_timer = QTimer(self)
        self.disk_timer.setInterval(DISK_CHECK_MS)
        self.disk_timer.timeout.connect(self.check_disk)
        self.disk_timer.start()
        self._warned: set[str] = set()
        self.resize(1400, 900)
        self._checked = (0, len(document.stale))  # files checked of those pending
        self.refresh_all()
        self._start_checks()  # a large source's files are checked while the author works

    # -- actions -----------------------------------------------------------

    def _build_actions(self) -> None:
        from flowdesk.ui.studio import actions

        self.actions = actions.install(self)

    def _clean_changed(self, _clean: bool) -> None:
        # the stack goes before the window while both are destroyed
        with contextlib.suppress(RuntimeError):
            self._update_title()

    def _update_title(self) -> None:
        pack = self.document.pack
        title = pack.title if pack else self.document.folder.name
        mark = "" if self.undo_stack.isClean() and not self.document.modified else " *"
        self.setWindowTitle(f"{title}{mark} — " + self.tr("FlowDesk Studio 流程设计器"))

    # -- edits -------------------------------------------------------------

    def push(self, name: str, doc: dict[str, Any], text: str, merge_key: str | None) -> None:
        """One undoable edit: file ``name`` gets document ``doc``."""
        if not name:
            return
        before = self.document.document(name) if name in self.document.files else None
        self.undo_stack.push(
            SetDocument(self.document, name, before, doc, text, self._changed, merge_key)
        )

    def _changed(self, name: str) -> None:
        """After a command ran: show what changed and the problems now."""
        if name == PACK_FILE:
            self.refresh_all()
            self._start_checks()
            return
        self.refresh_problems()
        self._map_stale = True
        if self.tabs.currentWidget() is self.map:
            self._refresh_map()
        if name not in self.document.files:
            if self.current == name:
                self.current = None
                self.editor.show_document(None, None, None)
            return
        if name != self.current:
            self.current = name
        self.editor.show_document(name, self.document.document(name), self.document.flow(name))
        self.tabs.setCurrentWidget(self.editor)
        self._show_editor_problems()
        self._update_title()

    def _refresh_map(self) -> None:
        """The map shows the pack as it is now; redrawn when it is looked at, not per key."""
        if self._map_stale:
            self._map_stale = False
            self.map.set_pack(self.document.pack, self.map.model.brand)

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.map:
            self._refresh_map()

    def refresh_all(self) -> None:
        self._map_stale = True
        self._refresh_map()
        self.axes.show_document(self.document.document(PACK_FILE))
        if self.current in self.document.files:
            name = self.current
            self.editor.show_document(name, self.document.document(name), self.document.flow(name))
        self.refresh_problems()
        self._update_title()

    def refresh_problems(self) -> None:
        self.problems.set_problems(self.document.problems)
        errors, warnings = self.problems.counts()
        self.statusBar().showMessage(
            self.tr("错误 %1 个，警告 %2 个")
            .replace("%1", str(errors))
            .replace("%2", str(warnings))
            + self.checking_note()
        )
        self._show_checking()
        self._show_editor_problems()

    def _show_editor_problems(self) -> None:
        if self.current is None:
            return
        mine = [p for p in self.document.problems if p.file == self.current]
        unreached = {p.key for p in mine if "never reached" in p.message}
        flow = self.document.flow(self.current)
        if flow is not None:
            unreached = {s.id for s in flow.steps} - flow.reachable()
        self.editor.set_problems([p for p in mine if p.severity == "error"], unreached)

    # -- opening flows -----------------------------------------------------

    def open_flow_id(self, flow_id: str) -> None:
        name = self.document.name_of(flow_id)
        if name is not None:
            self.open_file(name)

    def open_file(self, name: str) -> None:
        self.current = name
        self.editor.show_document(name, self.document.document(name), self.document.flow(name))
        self._show_editor_problems()
        self.tabs.setCurrentWidget(self.editor)

    def _map_activated(self, index) -> None:
        if index.data(KIND_ROLE) == "blind":
            code = index.data(TOUCHPOINT_ROLE)
            if code:
                self.new_flow_for(TouchPoint.parse(code))

    def new_flow_for(self, touchpoint: TouchPoint) -> None:
        """A new flow claiming a blind spot, opened in the editor (one undoable edit)."""
        name, doc = self.document.new_flow_for(touchpoint)
        self.current = name
        self.push(name, doc, self.tr("新建流程 %1").replace("%1", touchpoint.code), None)
        self.editor.fields["title"].setFocus()

    def _problem_activated(self, index) -> None:
        problem: Problem | None = index.data(PROBLEM_ROLE)
        if problem is None:
            return
        if problem.file == PACK_FILE:
            self.tabs.setCurrentWidget(self.axes)
            return
        if problem.file in self.document.files:
            self.open_file(problem.file)
            self.editor.focus_key(problem.key)

    # -- saving and the disk -----------------------------------------------

    def save(self) -> bool:
        """Write the edited files; a file changed on disk is asked about, never overwritten."""
        changed = [
            n for n in self.document.changed_on_disk(self.document.docs) if n in self.document.docs
        ]
        force: list[str] = []
        if changed:
            answer = QMessageBox.warning(
                self,
                self.tr("文件已在磁盘上被修改"),
                self.tr(
                    "这些文件在打开后被别人修改过：\n%1\n\n覆盖它们吗？选“否”则保留磁盘上的版本，不保存这些文件。"
                ).replace("%1", "\n".join(changed)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                force = changed
        report = self.document.save(force=force)
        if not report.conflicts:
            self.undo_stack.setClean()
        self.statusBar().showMessage(
            self.tr("已保存 %1 个文件").replace(
                "%1", str(len(report.written) + len(report.removed))
            )
            + (
                self.tr("；未保存（磁盘上已修改）：") + self.tr("、").join(report.conflicts)
                if report.conflicts
                else ""
            ),
            8000,
        )
        self._update_title()
        return not report.conflicts

    def check_disk(self) -> None:
        """Notice files changed on disk by someone else (the ones being edited or shown)."""
        names = set(self.document.docs) | ({self.current} if self.current else set())
        changed = [n for n in self.document.changed_on_disk(names) if n not in self._warned]
        if changed:
            self._warned.update(changed)
            self.statusBar().showMessage(
                self.tr("磁盘上的文件已被修改：%1（保存时会询问）").replace(
                    "%1", self.tr("、").join(changed)
                ),
                15000,
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.check_disk()
        super().changeEvent(event)

    def closeEvent(self, event) -> None:
        if self.document.modified:
            answer = QMessageBox.question(
                self,
                self.tr("保存修改？"),
                self.tr("流程包有未保存的修改。保存吗？"),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                event.ignore()
                return
        self.disk_timer.stop()
        self.document.stop_checks()
        self.runner.wait()
        super().closeEvent(event)

    def _refuse(self, text: str) -> None:
        QMessageBox.warning(self, self.tr("FlowDesk Studio"), text)

    # -- preview and publishing ------------------------------------------

    def open_preview(self) -> None:
        from flowdesk.ui.studio.preview import PreviewDialog

        flow = self.document.flow(self.current) if self.current else None
        if flow is None or self.document.pack is None:
            self._refuse(self.tr("先打开一个能读出的流程。"))
            return
        self.preview = PreviewDialog(
            flow, self.document.pack, self.runner, self, self.document.whole_pack()
        )
        self.preview.show()

    def open_publish(self) -> None:
        from flowdesk.ui.studio.publish import PublishDialog

        if self._still_checking():
            return
        if self.document.errors:
            self._refuse(
                self.tr("流程包有 %1 个错误，不能发布。").replace(
                    "%1", str(len(self.document.errors))
                )
            )
            return
        if self.document.modified and not self.save():
            return
        PublishDialog(self.document.folder, self, self.data_root, self.runner).exec()
