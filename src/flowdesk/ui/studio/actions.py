"""The Studio's actions and shortcuts, declared in one place."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from flowdesk.ui.studio.window import StudioWindow


def install(window: StudioWindow) -> dict[str, QAction]:
    """Menus File/Edit/Pack with their shortcuts; returns the actions by name."""
    actions: dict[str, QAction] = {}

    def add(menu, name: str, text: str, slot: Callable[[], object], keys=None) -> None:
        action = QAction(window.tr(text), window)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        actions[name] = action

    bar = window.menuBar()
    file_menu = bar.addMenu(QCoreApplication.translate("StudioWindow", "文件(&F)"))
    add(
        file_menu,
        "save",
        QT_TRANSLATE_NOOP("StudioWindow", "保存(&S)"),
        window.save,
        QKeySequence.StandardKey.Save,
    )
    add(
        file_menu,
        "export",
        QT_TRANSLATE_NOOP("StudioWindow", "导出为 Excel…"),
        window.export_xlsx,
        "Ctrl+E",
    )
    add(
        file_menu,
        "import",
        QT_TRANSLATE_NOOP("StudioWindow", "从 Excel 导入…"),
        window.import_xlsx,
        "Ctrl+I",
    )
    add(
        file_menu,
        "close",
        QT_TRANSLATE_NOOP("StudioWindow", "关闭"),
        window.close,
        QKeySequence.StandardKey.Close,
    )
    edit_menu = bar.addMenu(QCoreApplication.translate("StudioWindow", "编辑(&E)"))
    undo = window.undo_stack.createUndoAction(
        window, QCoreApplication.translate("StudioWindow", "撤销")
    )
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = window.undo_stack.createRedoAction(
        window, QCoreApplication.translate("StudioWindow", "重做")
    )
    redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    if QKeySequence("Ctrl+Y") not in redo_keys:  # twice would make the shortcut ambiguous
        redo_keys.append(QKeySequence("Ctrl+Y"))
    redo.setShortcuts(redo_keys)
    edit_menu.addAction(undo)
    edit_menu.addAction(redo)
    actions["undo"], actions["redo"] = undo, redo
    pack_menu = bar.addMenu(QCoreApplication.translate("StudioWindow", "流程包(&P)"))
    add(
        pack_menu,
        "map",
        QT_TRANSLATE_NOOP("StudioWindow", "流程地图"),
        lambda: window.tabs.setCurrentWidget(window.map),
        "Ctrl+1",
    )
    add(
        pack_menu,
        "axes",
        QT_TRANSLATE_NOOP("StudioWindow", "渠道·品牌·业务"),
        lambda: window.tabs.setCurrentWidget(window.axes),
        "Ctrl+2",
    )
    add(
        pack_menu,
        "editor",
        QT_TRANSLATE_NOOP("StudioWindow", "流程编辑"),
        lambda: window.tabs.setCurrentWidget(window.editor),
        "Ctrl+3",
    )
    add(
        pack_menu,
        "problems",
        QT_TRANSLATE_NOOP("StudioWindow", "问题列表"),
        window.problem_list.setFocus,
        "F8",
    )
    add(
        pack_menu,
        "preview",
        QT_TRANSLATE_NOOP("StudioWindow", "预览(&V)"),
        window.open_preview,
        "F5",
    )
    add(
        pack_menu,
        "publish",
        QT_TRANSLATE_NOOP("StudioWindow", "发布…"),
        window.open_publish,
        "Ctrl+Shift+P",
    )
    return actions
