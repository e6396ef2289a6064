"""Staged rollout: a source offers a version to some rings of desks before everyone.

A process owner publishes the new version to a ring first (``flowdesk pack
publish FILE FOLDER --ring 试点``): the source index lists it under
``rings.试点``, and only desks whose settings name that ring
(``flowdesk desk ring 试点``) are offered it. Once it has proved itself,
publishing the same file again without ``--ring`` moves it to everyone's list.
Desks without a ring, and FlowDesk versions older than rings (they read only
``packs``), see the general list alone. The index format is in
docs/signing.md; ``report desks`` shows each desk's ring.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowdesk.settings import Settings

if TYPE_CHECKING:
    from flowdesk.desk_protocol import DeskProtocol


def desk_ring(desk: DeskProtocol) -> str | None:
    """The ring this desk is in (its settings), None for the general rollout."""
    try:
        return Settings.load(desk.data.settings).ring or None
    except Exception:  # unreadable settings: the desk still gets the general rollout
        return None
