"""Domain words shown as labels (flow classes, step types), translated for the window.

The core keeps the specification's Chinese names (``CLASS_NAMES_ZH``,
``STEP_TYPE_NAMES_ZH``); the window passes them through Qt's translator
(context ``Domain``) so the English interface says "Handling", "Decision".
Pack content (titles, scripts, channel names) is never translated.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from flowdesk.model import CLASS_NAMES_ZH, STEP_TYPE_NAMES_ZH


def class_name(flow_class: str) -> str:
    return QCoreApplication.translate("Domain", CLASS_NAMES_ZH.get(flow_class, flow_class))


def step_type_name(step_type: str) -> str:
    return QCoreApplication.translate("Domain", STEP_TYPE_NAMES_ZH.get(step_type, step_type))


def _lupdate_marks() -> tuple[str, ...]:
    """Never called: lupdate reads these literal calls into the translation file."""
    return (
        QCoreApplication.translate("Domain", "业务受理"),
        QCoreApplication.translate("Domain", "查询"),
        QCoreApplication.translate("Domain", "核对"),
        QCoreApplication.translate("Domain", "咨询"),
        QCoreApplication.translate("Domain", "投诉"),
        QCoreApplication.translate("Domain", "质量管理"),
        QCoreApplication.translate("Domain", "知识管理"),
        QCoreApplication.translate("Domain", "现场管理"),
        QCoreApplication.translate("Domain", "系统管理"),
        QCoreApplication.translate("Domain", "专席管理"),
        QCoreApplication.translate("Domain", "指标管理"),
        QCoreApplication.translate("Domain", "话术"),
        QCoreApplication.translate("Domain", "核实"),
        QCoreApplication.translate("Domain", "操作"),
        QCoreApplication.translate("Domain", "判断"),
        QCoreApplication.translate("Domain", "转接"),
        QCoreApplication.translate("Domain", "结束"),
    )
