"""Language: Chinese source strings, an English translation compiled with Qt Linguist tools.

The UI is written in Chinese (``self.tr("中文")``); ``resources/i18n/flowdesk_en.ts``
holds the English and is compiled to ``flowdesk_en.qm`` with ``pyside6-lrelease``
(see ``resources/i18n/README.md``). The files are read through
``importlib.resources`` so a checkout, a wheel and the bundle find them alike.
"""

from __future__ import annotations

from importlib.resources import as_file

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from flowdesk.paths import resource

LANGUAGES = ("zh_CN", "en")
#: the translation files, one per window of the application (the Studio and the QA
#: workspace have their own)
CATALOGS = ("flowdesk", "studio", "qa_workspace")


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Install FlowDesk's and Qt's own translators for ``language``; returns them (keep them)."""
    for old in getattr(app, "_flowdesk_translators", []):
        app.removeTranslator(old)
    installed: list[QTranslator] = []
    if language == "en":
        for catalog in CATALOGS:
            ours = QTranslator(app)
            with as_file(resource(f"i18n/{catalog}_en.qm")) as path:
                if path.is_file() and ours.load(str(path)):
                    app.installTranslator(ours)
                    installed.append(ours)
        QLocale.setDefault(QLocale(QLocale.Language.English))
    else:
        qt = QTranslator(app)
        where = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", where):
            app.installTranslator(qt)
            installed.append(qt)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    app._flowdesk_translators = installed  # type: ignore[attr-defined]
    return installed


def load_style() -> str:
    """The window's style sheet (resources/styles/flowdesk.qss), empty if missing."""
    try:
        return resource("styles/flowdesk.qss").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return ""
