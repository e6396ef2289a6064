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

import importlib
from typing import TYPE_CHECKING, Any

# Each name is imported from its module on first use (PEP 562): the window imports
# this package at start, and keys, signatures and the index writer (cryptography,
# keyring, Whoosh) are not needed until the first check for updates.
_HOME = {
    "TrustStore": "trust",
    "check_trust": "trust",
    "PreparedUpdate": "updates",
    "UpdatePlan": "updates",
    "apply_update": "updates",
    "changed_flows_unseen": "updates",
    "check_for_updates": "updates",
    "mark_flow_seen": "updates",
    "prepare_update": "updates",
    "rollback": "updates",
}

if TYPE_CHECKING:
    from flowdesk.sync.trust import TrustStore, check_trust
    from flowdesk.sync.updates import (
        PreparedUpdate,
        UpdatePlan,
        apply_update,
        changed_flows_unseen,
        check_for_updates,
        mark_flow_seen,
        prepare_update,
        rollback,
    )


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


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
