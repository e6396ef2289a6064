"""Flow packs: read, validate, build and safely open them (contract §1 and §2).

Everyone enters through :func:`load_pack` (a source folder, its pack.yaml or
a built ``.flowpack``) and :func:`build_pack`; :func:`open_archive` is the
low-level integrity check of a built pack.

Choices this part makes where the contract leaves room:

* YAML: only the core tags; anchors, aliases and ``<<`` merge keys are
  allowed up to 100,000 aliased nodes per file (1,000,000 nodes in all,
  nesting 64 deep); 2 MiB per file; duplicate keys are errors.
* Scalars where text is expected (codes, ids, keywords, titles) are taken as
  written: ``code: 0105`` is the code ``"0105"``, ``10086`` the keyword
  ``"10086"``. ``required`` must be a real boolean.
* Errors beyond the contract's list: a flow's touch point for a brand its
  business is not offered for; touch points on a flow without a business;
  a manifest whose id or sequence differs from its pack.yaml.
  Warnings: a touch point on a channel where its business is not offered,
  options or ``next`` that a step type ignores, unknown ``elements`` keys,
  empty keywords, ``.yml`` and hidden files left out.
* Problems name folder files relative to the folder (``flows/np.yaml``) and
  built-pack members as ``ARCHIVE!member`` (``np.flowpack!flows/np.yaml``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowdesk.lazynames import lazy_names

if TYPE_CHECKING:
    from flowdesk.packs.archive import ArchiveContents, open_archive
    from flowdesk.packs.build import build_pack
    from flowdesk.packs.load import LoadedPack, load_pack

__all__ = ["ArchiveContents", "LoadedPack", "build_pack", "load_pack", "open_archive"]

#: Where each name lives: loaded on first use, so a process that only reads the
#: store (the agent's window, which imports ``packs.effective``) loads no YAML reader.
_HOMES = {
    "ArchiveContents": "archive",
    "open_archive": "archive",
    "build_pack": "build",
    "LoadedPack": "load",
    "load_pack": "load",
}

__getattr__ = lazy_names(__name__, _HOMES, globals())
