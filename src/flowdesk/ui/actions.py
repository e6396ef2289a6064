"""Every action of the agent's window and its shortcut, declared in one place.

The help overlay, the menus and the tests read this table, so a shortcut is
changed here and nowhere else. ``scope`` says where the key works: ``window``
keys work anywhere in the window; ``flow`` keys only while the flow view has
focus, so that Space and digits still type in the search box.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str  # Chinese source text, translated through the "Actions" context
    keys: tuple[str, ...]
    scope: str = "window"


def _t(text: str) -> str:
    return text  # marks source strings for reading; translated in build_actions


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("focus_search", _t("搜索流程"), ("Ctrl+K", "F3")),
    ActionSpec("start_call", _t("开始通话"), ("F2",)),
    ActionSpec("start_call_with_id", _t("开始通话（输入呼叫编号）"), ("Shift+F2",)),
    ActionSpec("end_call", _t("结束通话"), ("F4",)),
    ActionSpec("show_results", _t("搜索结果"), ("Ctrl+1",)),
    ActionSpec("show_map", _t("流程地图"), ("Ctrl+2",)),
    ActionSpec("focus_flow", _t("回到流程"), ("Ctrl+J", "F6")),
    ActionSpec("next_run", _t("下一个打开的流程"), ("Ctrl+Tab", "Ctrl+PgDown")),
    ActionSpec("prev_run", _t("上一个打开的流程"), ("Ctrl+Shift+Tab", "Ctrl+PgUp")),
    ActionSpec("feedback", _t("反馈：话术有误"), ("F7",)),
    ActionSpec("copy_summary", _t("复制通话小结"), ("F8",)),
    ActionSpec("settings", _t("设置"), ("Ctrl+,",)),
    ActionSpec("reindex", _t("重建搜索索引"), ("Ctrl+Shift+F5",)),
    ActionSpec("check_updates", _t("检查更新"), ("Ctrl+U",)),
    ActionSpec("rollback_pack", _t("回退流程包"), ("Ctrl+Shift+U",)),
    ActionSpec("qa_workspace", _t("质检工作台"), ("Ctrl+Shift+Q",)),
    ActionSpec("shortcuts", _t("快捷键"), ("F1",)),
    ActionSpec("quit", _t("退出"), ("Ctrl+Q",)),
    ActionSpec("step_done", _t("完成此步，下一步"), ("Space", "Return", "Enter"), "flow"),
    ActionSpec("back", _t("上一步"), ("Backspace", "Alt+Left"), "flow"),
    ActionSpec("restart", _t("重新开始"), ("Ctrl+R",), "flow"),
    ActionSpec("complete", _t("完成流程"), ("Ctrl+Return", "Ctrl+Enter"), "flow"),
    ActionSpec("copy_script", _t("复制话术"), ("Ctrl+C", "Ctrl+Shift+C"), "flow"),
    ActionSpec("close_run", _t("关闭此流程（记为放弃）"), ("Ctrl+W",), "flow"),
    ActionSpec("leave_flow", _t("回到搜索"), ("Esc",), "flow"),
    *(ActionSpec(f"option_{n}", _t("选择选项 ") + str(n), (str(n),), "flow") for n in range(1, 10)),
    *(ActionSpec(f"recent_{n}", _t("最近流程 ") + str(n), (f"Alt+{n}",)) for n in range(1, 10)),
)

SPECS = {spec.name: spec for spec in ACTIONS}


def action_text(text: str) -> str:
    """Translate an action text (context ``Actions``), keeping a trailing number as it is."""
    head, _, num = text.rpartition(" ")
    if num.isdigit() and head:
        return QCoreApplication.translate("Actions", head + " ") + num
    return QCoreApplication.translate("Actions", text)


def build_actions(window: QWidget, flow_view: QWidget) -> dict[str, QAction]:
    """Create every action on its widget (window or flow view) with its shortcuts."""
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        owner = flow_view if spec.scope == "flow" else window
        action = QAction(action_text(spec.text), owner)
        action.setObjectName(spec.name)
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.setShortcutContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut
            if spec.scope == "flow"
            else Qt.ShortcutContext.WindowShortcut
        )
        owner.addAction(action)
        actions[spec.name] = action
    return actions


def shortcut_table() -> list[tuple[str, str]]:
    """(keys, text) rows for the help overlay; the numbered ones folded into one row each."""
    rows: list[tuple[str, str]] = []
    for spec in ACTIONS:
        if spec.name.startswith(("option_", "recent_")) and not spec.name.endswith("_1"):
            continue
        keys = " / ".join(spec.keys)
        text = action_text(spec.text)
        if spec.name == "option_1":
            keys, text = "1 … 9", action_text("选择选项 ").strip()
        elif spec.name == "recent_1":
            keys, text = "Alt+1 … Alt+9", action_text("最近流程 ").strip()
        rows.append((keys, text))
    return rows


def _lupdate_marks() -> tuple[str, ...]:
    """Never called: lupdate reads these so the action texts land in the translation file."""
    return (
        QCoreApplication.translate("Actions", "搜索流程"),
        QCoreApplication.translate("Actions", "开始通话"),
        QCoreApplication.translate("Actions", "开始通话（输入呼叫编号）"),
        QCoreApplication.translate("Actions", "重建搜索索引"),
        QCoreApplication.translate("Actions", "检查更新"),
        QCoreApplication.translate("Actions", "回退流程包"),
        QCoreApplication.translate("Actions", "结束通话"),
        QCoreApplication.translate("Actions", "搜索结果"),
        QCoreApplication.translate("Actions", "流程地图"),
        QCoreApplication.translate("Actions", "回到流程"),
        QCoreApplication.translate("Actions", "下一个打开的流程"),
        QCoreApplication.translate("Actions", "上一个打开的流程"),
        QCoreApplication.translate("Actions", "反馈：话术有误"),
        QCoreApplication.translate("Actions", "复制通话小结"),
        QCoreApplication.translate("Actions", "设置"),
        QCoreApplication.translate("Actions", "质检工作台"),
        QCoreApplication.translate("Actions", "快捷键"),
        QCoreApplication.translate("Actions", "退出"),
        QCoreApplication.translate("Actions", "完成此步，下一步"),
        QCoreApplication.translate("Actions", "上一步"),
        QCoreApplication.translate("Actions", "重新开始"),
        QCoreApplication.translate("Actions", "完成流程"),
        QCoreApplication.translate("Actions", "复制话术"),
        QCoreApplication.translate("Actions", "关闭此流程（记为放弃）"),
        QCoreApplication.translate("Actions", "回到搜索"),
        QCoreApplication.translate("Actions", "选择选项 "),
        QCoreApplication.translate("Actions", "最近流程 "),
    )
