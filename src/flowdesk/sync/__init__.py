"""Publisher keys, signed packs, pack sources, sync, rollback (see docs/signing.md).

What other parts call:

* the desk, before importing: :func:`check_trust` with a :class:`TrustStore`;
* ``pack build --sign``: :func:`flowdesk.sync.signature.sign_with_key`;
* the sync service (:mod:`flowdesk.services.updates`), which the window and
  ``flowdesk sync`` call: :func:`check_for_updates`, :func:`prepare_update`,
  :func:`apply_update`, :func:`rollback`;
* the window's 新/改 marks: :func:`changed_flows_unseen`, :func:`mark_flow_seen`.
"""

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
