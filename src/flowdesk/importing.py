"""Installing a pack version on a desk: checked, indexed aside, stored, then switched.

An import is atomic across the store and the search index. The new version's
index is built in a staging folder first (:class:`flowdesk.version_indexes.VersionIndexes`);
then, in one store transaction, the version is written, its must-read notes
saved, its state settled (active, or pending until its effective time) and the
staged index renamed into place. Should anything fail, the staging folder and
any index no store row points at are removed: a search never sees a pack whose
index is missing or half-built, and a refused pack changes nothing.

:class:`flowdesk.desk.Desk` calls :func:`install`; the CLI, the window and
sync reach it through ``Desk.import_pack``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from flowdesk import clock, store
from flowdesk.files import sha256_file
from flowdesk.model import Revision
from flowdesk.problems import Problem, Refused, error, warning
from flowdesk.store import PackInfo, versions
from flowdesk.store import notices as store_notices
from flowdesk.version_indexes import CancelFn, ProgressFn, VersionIndexes

if TYPE_CHECKING:
    from flowdesk.packs import LoadedPack
    from flowdesk.sync.delta import LoadedRevision


@dataclass(frozen=True)
class ImportResult:
    """A pack version now active on the desk, with the warnings it was accepted with."""

    info: PackInfo
    warnings: list[Problem] = field(default_factory=list)
    previous: PackInfo | None = None


def trust_policy(
    keys: Path, path: Path, loaded: LoadedPack, allow_unsigned: bool | None = None
) -> tuple[str | None, list[Problem]]:
    """The desk's trust policy over its key folder; returns the signer's key id and any warning.

    A bad signature, or one by a key the desk does not trust, is always
    refused. An unsigned pack (or a source folder) is refused once the desk
    trusts at least one publisher, unless ``allow_unsigned`` (authoring). A
    desk that trusts no publisher yet cannot check anyone: it accepts
    unsigned packs with a warning, so a new desk and the contract's plain
    ``pack import FILE`` work before keys are rolled out.
    """
    from flowdesk.sync.trust import TrustStore, check_trust

    trust = TrustStore(keys)
    authoring_desk = not trust.trusted()
    allowed = authoring_desk if allow_unsigned is None else allow_unsigned
    signer = check_trust(path, loaded, trust, allow_unsigned=allowed)
    if signer is not None or allow_unsigned:
        return signer, []
    note = warning(
        path.name,
        "",
        "unsigned pack accepted: this desk trusts no publisher key yet "
        "(`flowdesk keys trust FILE` makes it refuse unsigned packs)",
    )
    return None, [note]


def _not_newer(pack_id: str, sequence: int, newest: int) -> Refused:
    return Refused(
        [
            error(
                "pack.yaml",
                "sequence",
                f"pack '{pack_id}' sequence {sequence} is not newer than the "
                f"installed sequence {newest}; an older or equal publication is refused",
            )
        ]
    )


def install(
    path: Path,
    loaded: LoadedPack | LoadedRevision,
    *,
    engine: Engine,
    indexes: VersionIndexes,
    now: clock.Clock,
    active_packs: Callable[[], list[PackInfo]],
    trust: Callable[[], tuple[str | None, list[Problem]]],
    report: ProgressFn,
    cancel: CancelFn | None = None,
) -> ImportResult:
    """Install a read pack (or revision) from ``path``; see the module docstring.

    Refused (nothing changed) when the pack has errors, when its sequence is
    not newer than every installed version of the same pack id, or when
    ``trust`` (the desk's :func:`trust_policy`) refuses it.
    """
    if not loaded.ok or loaded.pack is None:
        raise Refused(loaded.problems)
    pack = loaded.pack  # of a revision: the header and the changed flows only
    revision: Revision | None = getattr(loaded, "revision", None)
    signer, trust_warnings = trust()
    with engine.connect() as conn:
        newest = store.max_sequence(conn, pack.id)
    if newest is not None and pack.sequence <= newest:
        raise _not_newer(pack.id, pack.sequence, newest)
    sha256 = sha256_file(path) if path.is_file() and loaded.manifest else None
    base = next((p for p in active_packs() if p.pack_id == pack.id), None)
    try:
        with indexes.staged(pack.id, pack.sequence) as staging:
            indexes.build_new(
                staging, revision or pack, base.sequence if base else None, report, cancel
            )
            report("写入 storing", 0, 1)
            with store.writer(engine).begin() as conn:
                newest = store.max_sequence(conn, pack.id)  # again, under the write lock
                if newest is not None and pack.sequence <= newest:
                    raise Refused(
                        f"pack '{pack.id}' sequence {pack.sequence} is not newer than the "
                        f"installed sequence {newest}, installed meanwhile by another import",
                        file=str(path),
                    )
                previous = store.find_pack(conn, pack.id)
                later = versions.takes_effect_later(pack.effective, now())
                about = {"manifest": loaded.manifest, "sha256": sha256, "signer": signer}
                if revision is None:
                    info = store.save_pack(conn, pack, **about, activate=not later)
                else:
                    info = store.save_revision(conn, revision, **about, activate=not later)
                store_notices.save_notes(conn, info.row_id, pack.must_read)
                if later:
                    versions.mark_pending(conn, pack.id, pack.sequence)
                versions.settle(conn, now(), pack_ids={pack.id})
                info = store.find_pack(conn, pack.id, pack.sequence) or info
                indexes.put_in_place(staging, pack.id, pack.sequence)
                # Leaving this block commits; should the commit fail, the except
                # below removes the index that no store row points at.
    except BaseException:
        with engine.connect() as conn:
            installed = store.find_pack(conn, pack.id, pack.sequence)
        if installed is None:
            shutil.rmtree(indexes.folder(pack.id, pack.sequence), ignore_errors=True)
        raise
    report("完成 done", 1, 1)
    return ImportResult(info=info, warnings=[*trust_warnings, *loaded.problems], previous=previous)
