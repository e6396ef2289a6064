"""Preview as the agent sees it: the real flow view, sample values, no usage recorded.

The flow is run by a :class:`~flowdesk.calls.CallSession` whose events go
nowhere (a preview is not a call), in a pretend call whose values are the
sample values typed beside it: the flow view fills ``{{name}}`` and takes
the decisions they answer exactly as on a desk (a value left empty shows the
variable's 【label】).
The search box asks an index built from the edited pack, in a temporary
folder, off the UI thread.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from flowdesk.calls import CallSession, FlowRef
from flowdesk.model import Flow, Pack
from flowdesk.search.index import FlowIndex
from flowdesk.ui.flow_view import FlowView
from flowdesk.ui.tasks import TaskRunner
from flowdesk.variables import BadValues


class PreviewDialog(QDialog):
    """One flow in the agent's flow view, with a values form and a search preview."""

    def __init__(
        self,
        flow: Flow,
        pack: Pack,
        runner: TaskRunner,
        parent=None,
        whole_pack: Callable[[], Pack | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("studioPreview")
        self.setWindowTitle(self.tr("预览：%1").replace("%1", flow.title))
        self.flow, self.pack, self.runner = flow, pack, runner
        #: the pack with every flow read whole, for the index (a large source keeps stubs)
        self.whole_pack = whole_pack or (lambda: pack)
        #: events a desk would have recorded; counted, never stored (a preview is not a call)
        self.dropped = 0
        self.session = CallSession("studio-preview", None, sink=self._drop)
        self.view = FlowView(self.session)
        self.values: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for variable in flow.variables:
            edit = QLineEdit()
            edit.setObjectName(f"value_{variable.name}")
            edit.setPlaceholderText(variable.label)
            edit.textChanged.connect(self._values_changed)
            form.addRow(QLabel(f"{variable.label} {{{{{variable.name}}}}}"), edit)
            self.values[variable.name] = edit
        values_box = QWidget()
        values_box.setLayout(form)

        self.query = QLineEdit()
        self.query.setObjectName("previewSearch")
        self.query.setPlaceholderText(self.tr("试搜：座席会怎样搜到这个流程？"))
        self.results = QListWidget()
        self.results.setObjectName("previewResults")
        self.index_dir: Path | None = None
        self.index: FlowIndex | None = None
        self.query.returnPressed.connect(self.search)
        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("样例变量值")))
        side.addWidget(values_box)
        side.addWidget(QLabel(self.tr("搜索预览")))
        side.addWidget(self.query)
        side.addWidget(self.results, 1)
        side_box = QWidget()
        side_box.setLayout(side)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(side_box)
        splitter.setSizes([760, 320])
        layout = QHBoxLayout(self)
        layout.addWidget(splitter)
        self.resize(1180, 720)
        self._open()

    def _drop(self, _event: Any) -> None:
        self.dropped += 1

    def sample_values(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.values.items() if edit.text()}

    def _open(self) -> None:
        """A pretend call with the sample values, as a screen pop would start it."""
        touchpoint = self.flow.touchpoints[0].code if self.flow.touchpoints else None
        try:
            self.session.start_call("studio-preview", self.sample_values(), touchpoint)
        except BadValues as exc:
            self.view.message.emit(str(exc))
            self.session.start_call("studio-preview", {}, touchpoint)
        run = self.session.open_flow(FlowRef(self.flow, self.pack.id, self.pack.sequence))
        self.view.show_run(run, touchpoint)

    def _values_changed(self) -> None:
        self.session.end_call()
        self._open()

    def search(self) -> None:
        """Search the edited pack; the index is built once per preview, off the UI thread."""
        query = self.query.text()
        if self.index is not None:
            self._show_hits(self.index.search(query, limit=20))
            return
        self.results.clear()
        self.results.addItem(self.tr("正在建立索引…"))
        folder = Path(tempfile.mkdtemp(prefix="flowdesk-studio-index-"))
        self.index_dir = folder

        def build() -> FlowIndex:
            FlowIndex.build(folder / "index", self.whole_pack() or self.pack)
            return FlowIndex.open(folder / "index")

        def built(index: FlowIndex) -> None:
            self.index = index
            self._show_hits(index.search(self.query.text(), limit=20))

        self.runner.run(build, on_done=built, on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        self.results.clear()
        self.results.addItem(self.tr("无法建立索引：%1").replace("%1", str(error)))

    def _show_hits(self, hits: list) -> None:
        self.results.clear()
        for hit in hits:
            self.results.addItem(f"{hit.title}  [{hit.flow_id}]  {hit.score:.1f}")
        if not hits:
            self.results.addItem(self.tr("没有结果"))

    def done(self, result: int) -> None:
        self.session.close()
        if self.index is not None:
            close = getattr(self.index, "close", None)
            if close is not None:
                close()
        if self.index_dir is not None:
            shutil.rmtree(self.index_dir, ignore_errors=True)
        super().done(result)
