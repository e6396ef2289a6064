"""The OS keyring for sync (publisher keys, source passwords): see :mod:`flowdesk.secrets`.

Every keyring call of FlowDesk goes through that one module; the names stay
importable from here for the sync code written against them.
"""

from flowdesk.secrets import KEY_SERVICE, SOURCE_SERVICE, delete_secret, get_secret, set_secret

__all__ = ["KEY_SERVICE", "SOURCE_SERVICE", "delete_secret", "get_secret", "set_secret"]
