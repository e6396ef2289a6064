"""Flow packs: read, validate, build and safely open them (contract §1 and §2).

Everyone enters through :func:`load_pack` (a source folder, its pack.yaml or
a built ``.flowpack``) and :func:`build_pack`; :func:`open_archive` is the
low-level check of a built pack's integrity, for sync.
"""

from flowdesk.packs.archive import ArchiveContents, open_archive
from flowdesk.packs.build import build_pack
from flowdesk.packs.load import LoadedPack, load_pack

__all__ = ["ArchiveContents", "LoadedPack", "build_pack", "load_pack", "open_archive"]
