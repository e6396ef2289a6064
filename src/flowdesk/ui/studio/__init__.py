"""FlowDesk Studio (流程设计器): design, check and publish flows without writing YAML."""

from __future__ import annotations

from pathlib import Path


def run_studio(
    source: Path | None, data_root: Path | None = None, language: str | None = None
) -> int:
    """Open ``source`` (created when it has no pack.yaml) in the Studio window; the exit code.

    A source is read off the UI thread behind a progress dialog that can be
    cancelled; the reads are kept in the data folder so the next opening reads
    only the files that changed (:mod:`flowdesk.ui.studio.readcache`).
    """
    from flowdesk.packs.packfile import PACK_FILE
    from flowdesk.paths import DataDir, resolve_data_dir
    from flowdesk.problems import Refused
    from flowdesk.settings import Settings
    from flowdesk.ui.app import application
    from flowdesk.ui.errors import log_to_data_folder
    from flowdesk.ui.i18n import install_translators
    from flowdesk.ui.studio.document import StudioDocument
    from flowdesk.ui.studio.opening import open_in_window
    from flowdesk.ui.studio.readcache import ReadCache
    from flowdesk.ui.studio.window import StudioWindow

    app = application()
    data = DataDir(resolve_data_dir(data_root))
    log_to_data_folder(data)  # the Studio's errors and Qt's warnings go to flowdesk.log
    if language is None:
        try:  # the language the agent window uses in this data folder
            language = Settings.load(data.settings).language
        except Refused:
            language = "zh_CN"
    install_translators(app, language)
    folder = Path(source or Path.cwd())
    if not (folder / PACK_FILE).is_file():
        window = StudioWindow(StudioDocument.create(folder), data_root=data.root)
        window.show()
        return app.exec()
    opening = open_in_window(folder, ReadCache(data.studio_reads, folder), data.root)
    code = app.exec()
    return code if opening.window is not None else opening.code
