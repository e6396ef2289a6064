"""FlowDesk Studio (流程设计器): design, check and publish flows without writing YAML."""

from __future__ import annotations

from pathlib import Path


def run_studio(source: Path | None) -> int:
    """Open ``source`` (created when it has no pack.yaml) in the Studio window; the exit code."""
    from flowdesk.packs.packfile import PACK_FILE
    from flowdesk.ui.app import application
    from flowdesk.ui.studio.document import StudioDocument
    from flowdesk.ui.studio.window import StudioWindow

    app = application()
    folder = Path(source or Path.cwd())
    if (folder / PACK_FILE).is_file():
        document = StudioDocument.open(folder)
    else:
        document = StudioDocument.create(folder)
    window = StudioWindow(document)
    window.show()
    return app.exec()
