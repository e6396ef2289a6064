"""Publisher keys, signed packs, pack sources, sync, rollback (see docs/signing.md).

What other parts call:

* the desk, before importing: :func:`check_trust` with a :class:`TrustStore`;
* ``pack build --sign``: :func:`flowdesk.sync.signature.sign_with_key`;
* the sync service (:mod:`flowdesk.services.updates`), which the window and
  ``flowdesk sync`` call: :func:`check_for_updates`, :func:`prepare_update`,
  :func:`apply_update`, :func:`rollback`;
* the window's 新/改 marks: :func:`changed_flows_unseen`, :func:`mark_flow_seen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowdesk.lazynames import lazy_names

# Each name is imported from its module on first use (PEP 562): the window imports
# this package at start, and keys, signatures and the index writer (cryptography,
# keyring, Whoosh) are not needed until the first check for updates.
_HOME = {
    "TrustStore": "trust",
    "check_trust": "trust",
    "PreparedUpdate": "updates",
    "UpdatePlan": "updates",
    "apply_update": "updates",
    "changed_flows_unseen": "records",
    "check_for_updates": "updates",
    "mark_flow_seen": "records",
    "prepare_update": "updates",
    "rollback": "updates",
}

if TYPE_CHECKING:
    from flowdesk.sync.records import changed_flows_unseen, mark_flow_seen
    from flowdesk.sync.trust import TrustStore, check_trust
    from flowdesk.sync.updates import (
        PreparedUpdate,
        UpdatePlan,
        apply_update,
        check_for_updates,
        prepare_update,
        rollback,
    )


__getattr__ = lazy_names(__name__, _HOME, globals())


__all__ = [
    "PreparedUpdate",
    "TrustStore",
    "UpdatePlan",
    "apply_update",
    "changed_flows_unseen",
    "check_for_updates",
    "check_trust",
    "mark_flow_seen",
    "prepare_update",
    "rollback",
]
