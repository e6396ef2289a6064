"""Publisher keys, signed packs, pack sources, sync, rollback (see docs/signing.md).

What other parts call:

* the desk, before importing: :func:`check_trust` with a :class:`TrustStore`;
* ``pack build --sign``: :func:`flowdesk.cli.sync.sign_built_pack`;
* the window: :func:`check_for_updates`, :func:`prepare_update`,
  :func:`apply_update`, :func:`rollback`, :func:`changed_flows_unseen`,
  :func:`mark_flow_seen` and :class:`PeriodicCheck`.
"""

from flowdesk.sync.schedule import PeriodicCheck
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
    "PeriodicCheck",
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
