"""What the parts under the service layer may ask of a desk, without importing it.

:class:`flowdesk.desk.Desk` is the service layer; sync, rollout and the reports
sit below it, yet work on a desk (sync imports through it, rollout switches
its versions, the reports look its flows up). They are typed against
:class:`DeskProtocol` instead of the class, so no arrow runs back up
(``desk`` imports ``sync``; ``sync`` never imports ``desk``) and a test may
hand them anything shaped like a desk. ``Desk`` satisfies it as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from flowdesk.model import Flow, FlowHead, Pack
    from flowdesk.packs import LoadedPack
    from flowdesk.paths import DataDir
    from flowdesk.problems import Problem
    from flowdesk.store import PackInfo
    from flowdesk.store.versions import Activation


class Imported(Protocol):
    """What an import reports (``Desk.import_pack`` returns an ``ImportResult``)."""

    @property
    def info(self) -> PackInfo: ...

    @property
    def warnings(self) -> list[Problem]: ...


class DeskProtocol(Protocol):
    """One desk's packs, history and data folder, as sync, rollout and the reports use them."""

    data: DataDir

    def validate(self, path: Path) -> LoadedPack: ...

    def import_pack(
        self,
        path: Path,
        *,
        progress: Callable[[str, int, int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
        loaded: Any = None,  # a LoadedPack, or sync's LoadedRevision (sync is above this)
        allow_unsigned: bool | None = None,
    ) -> Imported: ...

    def packs(self) -> list[PackInfo]: ...

    def active_packs(self) -> list[PackInfo]: ...

    def pack(self, pack_id: str | None = None, sequence: int | None = None) -> Pack: ...

    def activate(
        self, pack_id: str, sequence: int, *, action: str = "activate", facts: dict | None = None
    ) -> PackInfo: ...

    def activate_due(self) -> list[Activation]: ...

    def base_for_revision(
        self, pack_id: str, sequence: int
    ) -> tuple[Pack, list[FlowHead], dict[str, Any]] | None: ...

    def stored_flows(
        self, pack_id: str, sequence: int, flow_ids: Collection[str]
    ) -> list[Flow]: ...

    def flow_heads(self, pack_id: str, sequence: int) -> list[FlowHead]: ...

    def changed_flows(self, pack_id: str, old: int | None, new: int) -> dict[str, str]: ...

    def notes(self, pack_id: str, sequence: int) -> dict[str, str]: ...

    def history(self, pack_id: str | None = None) -> list[dict[str, object]]: ...

    def record_history(
        self, action: str, pack_id: str, sequence: int, previous: int | None, facts: dict
    ) -> None: ...
