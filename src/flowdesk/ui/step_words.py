"""The flow view's call-context parts: filled words, the value row, the path list, the summary.

Kept beside :mod:`flowdesk.ui.flow_view` so the view stays a layout that
calls the session. Filled values are highlighted; an unknown value shows as
its label in 【】 as a link the agent clicks to fill it in place.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from flowdesk.runs import FlowRun
from flowdesk.ui.labels import step_type_name
from flowdesk.variables import MAX_VALUE_CHARS, FlowContext, TextPart

FILLED_STYLE = "background:#fff1a8;color:#1f2328;border-radius:3px;"
UNKNOWN_STYLE = "color:#cf222e;text-decoration:none;"
LINK_PREFIX = "fill:"


def words_html(parts: list[TextPart]) -> str:
    """A step's words as rich text: values highlighted, unknown ones as links to fill them."""
    out = []
    for part in parts:
        text = escape(part.text).replace("\n", "<br>")
        if part.name is None:
            out.append(text)
        elif part.known:
            out.append(f'<span style="{FILLED_STYLE}">&nbsp;{text}&nbsp;</span>')
        else:
            out.append(f'<a href="{LINK_PREFIX}{part.name}" style="{UNKNOWN_STYLE}">{text}</a>')
    return "".join(out)


class ValueRow(QWidget):
    """One line edit for a value: an ``input`` step's answer, or a 【label】 filled in place."""

    #: (variable name, or "" for the input step's own variable; the text typed)
    entered = Signal(str, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("valueRow")
        self.label = QLabel()
        self.edit = QLineEdit()
        self.edit.setObjectName("valueEdit")
        self.edit.setMaxLength(MAX_VALUE_CHARS)
        self.name = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.label)
        layout.addWidget(self.edit, 1)
        self.edit.returnPressed.connect(lambda: self.entered.emit(self.name, self.edit.text()))
        self.hide()

    def ask(self, name: str, label: str, value: str = "", focus: bool = True) -> None:
        """Show the row for ``name`` ("" = the input step) with ``label``; focus it."""
        if self.name != name or not self.isVisible():
            self.edit.setText(value)
        self.name = name
        self.label.setText(label)
        self.show()
        if focus:
            self.edit.setFocus(Qt.FocusReason.OtherFocusReason)


class SummaryPanel(QWidget):
    """The call summary (小结), shown when a flow completes or the call ends."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("callSummary")
        self.title = QLabel(self.tr("通话小结（F8 复制到剪贴板，粘贴到 CRM）"))
        self.text = QPlainTextEdit()
        self.text.setObjectName("summaryText")
        self.text.setReadOnly(True)
        self.text.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.text.setMaximumHeight(130)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        self.hide()

    def show_text(self, text: str) -> None:
        self.text.setPlainText(text)
        self.show()


def fill_path(widget: QListWidget, run: FlowRun, context: FlowContext) -> None:
    """The path list: ▶ current, ✓ done, ⚡ taken from data (with why), grey off the path."""
    widget.clear()
    path = run.path()
    on_path = set(path)
    order = path + [s.id for s in run.flow.steps if s.id not in on_path]
    bold = QFont(widget.font())
    bold.setBold(True)
    for n, step_id in enumerate(order, start=1):
        step = run.flow.step(step_id)
        if step_id == run.current and run.is_open:
            mark = "▶"
        elif step_id in run.auto:
            mark = "⚡"
        elif step_id in run.done:
            mark = "✓"
        else:
            mark = "·" if step_id in on_path else " "
        req = "★" if step.required else ""
        prefix = f"{n}." if step_id in on_path else "  "
        words = context.render(step.text)
        if step_id in run.auto:
            words = f"{run.auto[step_id]} → {_chosen_label(run, step_id)}"
        item = QListWidgetItem(f"{mark} {prefix} [{step_type_name(step.type)}]{req} {words[:40]}")
        item.setData(Qt.ItemDataRole.UserRole, step_id)
        item.setToolTip(context.render(step.text))
        if step_id not in on_path:
            item.setForeground(Qt.GlobalColor.gray)
        if step_id == run.current:
            item.setFont(bold)
            item.setSelected(True)
        widget.addItem(item)
        if step_id == run.current:
            widget.scrollToItem(item)


def _chosen_label(run: FlowRun, step_id: str) -> str:
    chosen = dict(run.choices).get(step_id)
    step = run.flow.step(step_id)
    return next((o.label for o in step.options if o.next == chosen), chosen or "")


BANNER_STEPS = 3


def auto_banner(run: FlowRun) -> str:
    """The decisions the data took in the last few steps, as the agent reads them.

    It stays for :data:`BANNER_STEPS` steps, so the agent sees why the script
    went this way while saying what follows, and can step back to change it.
    """
    recent = run.history[-BANNER_STEPS:]
    lines = [f"⚡ {run.auto[s]} → {_chosen_label(run, s)}" for s in recent if s in run.auto]
    return "\n".join(lines)
