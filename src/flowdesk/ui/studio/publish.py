"""Publishing from the Studio: the change list against what a source last got, then publish.

The same service functions as ``pack build --sign`` and ``pack publish``:
:func:`flowdesk.packs.build_pack`, :func:`flowdesk.sync.signature.sign_pack`
with a key of :class:`flowdesk.sync.keys.PublisherKeys`, and
:func:`flowdesk.sync.publish.publish_pack`. The window refuses to open this
dialog while the pack has errors.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from flowdesk.packs import build_pack, load_pack
from flowdesk.packs.diff import diff_packs
from flowdesk.paths import DataDir, resolve_data_dir
from flowdesk.problems import Refused
from flowdesk.sync.index import INDEX_FILE, parse_index
from flowdesk.ui.errors import logged_message
from flowdesk.ui.tasks import TaskRunner


@dataclass
class PublishPlan:
    """What publishing ``source`` to ``target`` would change."""

    text: str
    previous: int | None


def change_list(source: Path, target: Path) -> PublishPlan:
    """The changes against the version of this pack last published in ``target``."""
    loaded = load_pack(source)
    if loaded.pack is None:
        raise Refused(loaded.problems)
    pack = loaded.pack
    index_path = target / INDEX_FILE
    if not index_path.exists():
        return PublishPlan(f"{pack.id} #{pack.sequence}: first publication here", None)
    newest = parse_index(index_path.read_bytes(), str(index_path)).newest().get(pack.id)
    if newest is None:
        return PublishPlan(f"{pack.id} #{pack.sequence}: first publication here", None)
    old = load_pack(target / newest.file).pack
    if old is None:
        return PublishPlan(f"#{newest.sequence} there cannot be read; publishing whole", None)
    return PublishPlan(diff_packs(old, pack).to_text(), newest.sequence)


def publish(
    source: Path, target: Path, data_root: Path | None, key: str | None, passphrase: str | None
) -> str:
    """Build, sign and publish; the index entry's file, as the CLI would report it."""
    from flowdesk.sync.publish import publish_pack
    from flowdesk.sync.signature import sign_with_key

    data = DataDir(resolve_data_dir(data_root)).ensure()
    with tempfile.TemporaryDirectory(prefix="flowdesk-publish-") as tmp:
        built = Path(tmp) / "pack.flowpack"
        build_pack(source, built, problems=[])
        sign_with_key(built, data.keys, key or None, lambda: passphrase)
        entry = publish_pack(built, target)
    return entry.file


class PublishDialog(QDialog):
    """Target folder and key; 查看变更 shows the change list, 发布 publishes."""

    def __init__(
        self,
        source: Path,
        parent=None,
        data_root: Path | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        #: building and comparing a large pack takes seconds: never on the UI thread
        self.runner = runner or TaskRunner(threads=1, parent=self)
        self.setObjectName("publishDialog")
        self.setWindowTitle(self.tr("发布流程包"))
        self.source, self.data_root = source, data_root
        self.target = QLineEdit()
        self.key = QLineEdit()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.changes = QPlainTextEdit()
        self.changes.setReadOnly(True)
        form = QFormLayout()
        form.addRow(self.tr("发布到（源文件夹）"), self.target)
        form.addRow(self.tr("签名密钥（空=唯一的）"), self.key)
        form.addRow(self.tr("密钥口令"), self.passphrase)
        show = QPushButton(self.tr("查看变更"))
        show.clicked.connect(self.show_changes)
        buttons = QDialogButtonBox()
        self.publish_button = buttons.addButton(
            self.tr("发布"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.publish_button.setEnabled(False)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.do_publish)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(show)
        layout.addWidget(self.changes, 1)
        layout.addWidget(buttons)
        self.resize(720, 520)

    def show_changes(self) -> None:
        """The change list, computed off the UI thread; publishing is enabled after it."""
        self.publish_button.setEnabled(False)
        self.changes.setPlainText(self.tr("正在比较……"))
        source, target = self.source, Path(self.target.text())
        self.runner.run(
            lambda: change_list(source, target), on_done=self._shown, on_error=self._not_shown
        )

    def _shown(self, plan: PublishPlan) -> None:
        self.changes.setPlainText(plan.text)
        self.publish_button.setEnabled(True)

    def _not_shown(self, exc: BaseException) -> None:
        self.changes.setPlainText(logged_message(exc, "publish: change list"))

    def do_publish(self) -> None:
        """Build, sign and publish off the UI thread."""
        self.publish_button.setEnabled(False)
        self.changes.appendPlainText("\n" + self.tr("正在发布……"))
        source, target = self.source, Path(self.target.text())
        data_root, key, passphrase = self.data_root, self.key.text(), self.passphrase.text()
        self.runner.run(
            lambda: publish(source, target, data_root, key, passphrase),
            on_done=lambda file: self.changes.appendPlainText(
                "\n" + self.tr("已发布：%1").replace("%1", file)
            ),
            on_error=self._not_published,
        )

    def _not_published(self, exc: BaseException) -> None:
        failed = logged_message(exc, "publish")
        self.changes.appendPlainText("\n" + self.tr("发布失败：%1").replace("%1", failed))
        self.publish_button.setEnabled(True)
