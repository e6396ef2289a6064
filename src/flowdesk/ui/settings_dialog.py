"""Settings: who sits at this desk (agent id, team), the language, the usual channel and brand.

The same dialog greets a first start, where only the agent id and team are
asked; usage events carry them, so QA can measure teams against the
benchmark.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from flowdesk.model import Pack
from flowdesk.settings import Settings

LANGUAGES = (("zh_CN", "中文"), ("en", "English"))


class SettingsDialog(QDialog):
    def __init__(
        self, settings: Settings, pack: Pack | None, *, first_start: bool = False, parent=None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.first_start = first_start
        self.setWindowTitle(self.tr("欢迎使用 FlowDesk") if first_start else self.tr("设置"))
        self.agent_id = QLineEdit(settings.agent_id or "")
        self.agent_id.setObjectName("agentId")
        self.agent_id.setPlaceholderText(self.tr("工号，例如 A1001"))
        self.team = QLineEdit(settings.team or "")
        self.team.setObjectName("team")
        self.team.setPlaceholderText(self.tr("班组，例如 话务一组"))
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.channel = QComboBox()
        self.brand = QComboBox()
        for combo, items, current in (
            (self.channel, [(c.code, c.name) for c in pack.channels] if pack else [], None),
            (self.brand, [(b.code, b.name) for b in pack.brands] if pack else [], None),
        ):
            combo.addItem(self.tr("全部"), current)
            for code, name in items:
                combo.addItem(name, code)
        self.channel.setCurrentIndex(max(0, self.channel.findData(settings.usual_channel)))
        self.brand.setCurrentIndex(max(0, self.brand.findData(settings.usual_brand)))

        form = QFormLayout()
        form.addRow(self.tr("工号(&A)"), self.agent_id)
        form.addRow(self.tr("班组(&T)"), self.team)
        if not first_start:
            form.addRow(self.tr("界面语言(&L)"), self.language)
            form.addRow(self.tr("常用渠道(&C)"), self.channel)
            form.addRow(self.tr("常用品牌(&B)"), self.brand)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if first_start:
            intro = QLabel(
                self.tr("请填写工号和班组：使用记录会带上它们，质检据此统计流程规范率。")
            )
            intro.setWordWrap(True)
            layout.addWidget(intro)
        else:
            layout.addLayout(form)
            layout.addWidget(buttons)
            return
        layout.addLayout(form)
        layout.addWidget(buttons)

    def apply(self) -> None:
        """Copy the fields into the settings (the caller saves them)."""
        s = self.settings
        s.agent_id = self.agent_id.text().strip() or s.agent_id
        s.team = self.team.text().strip() or s.team
        if self.first_start:
            return
        s.language = self.language.currentData() or s.language
        if self.channel.count() > 1:  # a pack is loaded: the choice is meaningful
            s.usual_channel = self.channel.currentData()
            s.usual_brand = self.brand.currentData()
