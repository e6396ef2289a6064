"""Rolling a pack change out to every desk on time (see docs/rollout.md).

* :mod:`~flowdesk.rollout.activation`: pending versions become active when
  their effective time comes, between calls; their changed flows get 新/改.
* :mod:`~flowdesk.rollout.notices`: must-read changes agents confirm.
* :mod:`~flowdesk.rollout.desk_status`: where this desk stands, sent to the
  central store.
* :mod:`~flowdesk.rollout.rings`: staged rollout, a version offered to some
  teams first.

The version rules themselves live with the store (:mod:`flowdesk.store.versions`).
"""
