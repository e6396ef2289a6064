"""One flow run on screen: the current step large, the whole path beside it.

The view holds no flow logic: it shows a :class:`flowdesk.calls.FlowRun` and
turns the agent's keys into :class:`flowdesk.calls.CallSession` calls, then
repaints. Buttons never take focus, so Space and the digits always reach the
view's actions while the agent reads aloud.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from flowdesk.calls import CallSession, FlowRun
from flowdesk.ui.flow_actions import FlowActions
from flowdesk.ui.labels import class_name, step_type_name
from flowdesk.ui.step_words import (
    SummaryPanel,
    ValueRow,
    auto_banner,
    fill_path,
    words_html,
)

STEP_COLORS = {
    "script": "#1f6feb",
    "check": "#9a6700",
    "action": "#6f42c1",
    "decision": "#bf3989",
    "transfer": "#0a7f6f",
    "end": "#57606a",
    "input": "#1a7f37",
}


def _button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


class FlowView(FlowActions, QWidget):
    """The flow view; ``show_run`` points it at a run, ``refresh`` repaints after a change."""

    #: Something about the run changed (step, completion): the window updates its bars.
    changed = Signal()
    #: A message for the status bar.
    message = Signal(str)

    def __init__(self, session: CallSession, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("flowView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.session = session
        self.run: FlowRun | None = None
        self.touchpoint: str | None = None
        self.last_finished: FlowRun | None = None
        self.summary_template: str | None = None  # the pack's ``call_summary``, if any

        self.title = QLabel(self.tr("还没有打开流程"))
        self.title.setObjectName("flowTitle")
        self.title.setWordWrap(True)
        self.meta = QLabel(self.tr("按 Ctrl+K 搜索，或在流程地图中选择接触点"))
        self.meta.setObjectName("flowMeta")
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.path = QListWidget()
        self.path.setObjectName("flowPath")
        self.path.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.path.setWordWrap(True)
        self.path.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.path.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.path.itemClicked.connect(self._path_clicked)

        self.step_type = QLabel()
        self.step_type.setObjectName("stepType")
        self.required = QLabel(self.tr("必做"))
        self.required.setObjectName("stepRequired")
        self.position = QLabel()
        self.position.setObjectName("stepPosition")
        self.text = QLabel()
        self.text.setObjectName("stepText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.linkActivated.connect(self._fill_clicked)
        self.auto = QLabel()
        self.auto.setObjectName("autoDecision")
        self.auto.setWordWrap(True)
        self.value_row = ValueRow()
        self.value_row.entered.connect(self._value_entered)
        self.summary = SummaryPanel()
        self.note = QLabel()
        self.note.setObjectName("stepNote")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.note.setMinimumWidth(150)
        self.note.setTextFormat(Qt.TextFormat.RichText)
        self.note.linkActivated.connect(self._fill_clicked)
        self.target = QLabel()
        self.target.setObjectName("stepTarget")
        self.options = QVBoxLayout()
        self.options.setSpacing(4)
        self.hint = QLabel()
        self.hint.setObjectName("keyHint")
        self.hint.setWordWrap(True)

        self.done_button = _button(self.tr("完成此步 ␣"))
        self.back_button = _button(self.tr("上一步 ⌫"))
        self.restart_button = _button(self.tr("重新开始"))
        self.copy_button = _button(self.tr("复制话术"))
        self.complete_button = _button(self.tr("完成流程"))
        self.feedback_button = _button(self.tr("话术有误…"))

        badges = QHBoxLayout()
        badges.addWidget(self.step_type)
        badges.addWidget(self.required)
        badges.addStretch(1)
        badges.addWidget(self.position)
        body = QHBoxLayout()
        body.addWidget(self.text, 3)
        body.addWidget(self.note, 1)
        card = QFrame()
        card.setObjectName("stepCard")
        card_layout = QVBoxLayout(card)
        card_layout.addWidget(self.auto)
        card_layout.addLayout(badges)
        card_layout.addLayout(body)
        card_layout.addWidget(self.value_row)
        card_layout.addWidget(self.target)
        card_layout.addLayout(self.options)
        card_layout.addStretch(1)
        # The buttons that act on an open run: laid out here, enabled together in refresh().
        self._run_buttons = (
            self.done_button,
            self.back_button,
            self.restart_button,
            self.copy_button,
            self.complete_button,
            self.feedback_button,
        )
        buttons = QHBoxLayout()
        for b in self._run_buttons:
            buttons.addWidget(b)
        buttons.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(card, 1)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.hint)
        right_layout.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.path)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([220, 640])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(split, 1)

        self.done_button.clicked.connect(self.step_done)
        self.back_button.clicked.connect(self.back)
        self.restart_button.clicked.connect(self.restart)
        self.copy_button.clicked.connect(self.copy_script)
        self.complete_button.clicked.connect(self.complete)
        self.refresh()

    # -- what to show --------------------------------------------------------

    def show_run(self, run: FlowRun | None, touchpoint: str | None = None) -> None:
        self.run = run
        if touchpoint is not None or run is None:
            self.touchpoint = touchpoint
        self.refresh()

    def refresh(self) -> None:
        run = self.run
        has_run = run is not None and run.is_open
        for b in self._run_buttons:
            b.setEnabled(has_run)
        self._clear_options()
        if run is None:
            self._show_empty()
            return
        flow = run.flow
        self.title.setText(flow.title)
        codes = self.touchpoint or ", ".join(tp.code for tp in flow.touchpoints[:3])
        version = run.ref.pack_version or ""
        self.meta.setText(
            "  ·  ".join(
                p
                for p in (
                    class_name(flow.flow_class),
                    self.tr("接触点 ") + codes if codes else "",
                    f"{run.ref.pack_id} #{run.ref.pack_sequence} {version}".strip(),
                    flow.id,
                )
                if p
            )
        )
        context = self.session.context(run)
        fill_path(self.path, run, context)
        banner = auto_banner(run) if run.is_open else ""
        self.auto.setText(banner + (self.tr("\n（⌫ 返回可改选）") if banner else ""))
        self.auto.setVisible(bool(banner))
        self.value_row.hide()
        step = run.step
        if not run.is_open or step is None:
            done = run.finished == "complete"
            self.step_type.setText(self.tr("已完成") if done else self.tr("已放弃"))
            self.step_type.setStyleSheet("background:#57606a;")
            self.required.hide()
            self.position.setText("")
            self.text.setText(
                self.tr("流程已完成。按 Ctrl+K 搜索下一个流程。")
                if done
                else self.tr("此流程已记为放弃。")
            )
            self.note.hide()
            self.target.hide()
            self.hint.setText("")
            return
        path = run.path()
        number = path.index(step.id) + 1 if step.id in path else len(run.history) + 1
        self.step_type.setText(step_type_name(step.type))
        self.step_type.setStyleSheet(f"background:{STEP_COLORS.get(step.type, '#57606a')};")
        self.required.setVisible(step.required)
        self.position.setText(
            self.tr("第 %1 步（全流程 %2 步）")
            .replace("%1", str(number))
            .replace("%2", str(len(run.flow.steps)))
        )
        self.text.setText(words_html(context.parts(step.text)))
        self.note.setVisible(bool(step.note))
        self.note.setText(self.tr("提示：") + words_html(context.parts(step.note)))
        if step.type == "input" and step.variable:
            variable = context.variable(step.variable)
            label = variable.label if variable is not None else step.variable
            self.value_row.ask("", label + self.tr("："), context.value(step.variable) or "")
        self.target.setVisible(step.type == "transfer")
        self.target.setText(self.tr("转接至：") + (step.target or self.tr("（未指定）")))
        if step.type == "decision" and step.options:
            suggested = context.auto_option(step)
            for i, option in enumerate(step.options[:9], start=1):
                target = self._step_label(run, option.next)
                data = f"   ⚡ {context.reason(option)}" if suggested == i - 1 else ""
                button = _button(f"{i}  {option.label}   →  {target}{data}")
                button.setObjectName(f"option{i}")
                button.setProperty("option", True)
                button.clicked.connect(lambda _c=False, n=i - 1: self.choose(n))
                self.options.addWidget(button)
            self.hint.setText(self.tr("按数字键选择 · ⌫ 上一步 · Ctrl+R 重新开始"))
            self.done_button.setEnabled(False)
        elif step.type == "input":
            self.hint.setText(self.tr("输入后按 Enter 确认并前进 · Esc 回到搜索"))
        elif run.at_end:
            self.hint.setText(self.tr("空格：完成流程 · ⌫ 上一步 · Ctrl+C 复制话术"))
        else:
            self.hint.setText(
                self.tr("空格：完成此步并前进 · ⌫ 上一步 · Ctrl+R 重新开始 · Ctrl+C 复制话术")
            )

    def _show_empty(self) -> None:
        self.title.setText(self.tr("还没有打开流程"))
        self.meta.setText(self.tr("按 Ctrl+K 搜索，或在流程地图中选择接触点"))
        self.path.clear()
        self.step_type.setText("")
        self.step_type.setStyleSheet("")
        self.required.hide()
        self.position.setText("")
        self.text.setText(
            self.tr(
                "F2 开始通话\nCtrl+K 搜索流程，↑↓ 选择，Enter 打开\n"
                "空格 完成此步 · 数字键 选择分支 · ⌫ 上一步\n"
                "Alt+1…9 最近流程 · F7 反馈话术问题 · F4 结束通话"
            )
        )
        self.note.hide()
        self.target.hide()
        self.auto.hide()  # no run, no decision taken from its data
        self.value_row.hide()
        self.hint.setText(self.tr("F1 查看全部快捷键"))

    def _step_label(self, run: FlowRun, step_id: str) -> str:
        try:
            step = run.flow.step(step_id)
        except KeyError:
            return step_id
        text = step.text if len(step.text) <= 18 else step.text[:17] + "…"
        return f"{step_type_name(step.type)}：{text}"

    def _clear_options(self) -> None:
        while self.options.count():
            item = self.options.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()  # gone now: deleteLater waits for the event loop
                widget.deleteLater()
