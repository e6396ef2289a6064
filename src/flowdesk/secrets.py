"""Secrets in the OS keyring, with a clear refusal where there is no keyring.

Publisher private keys (when the publisher chooses the keyring over an
encrypted file), the credentials of pack sources and the central usage
store's password live in the OS keyring, never in the data folder; every
keyring call of FlowDesk goes through this module. A desk without a usable keyring backend (a locked
session, a headless server) must say so plainly instead of crashing with the
keyring library's traceback.
"""

from __future__ import annotations

import contextlib

import keyring
import keyring.errors

from flowdesk.problems import Refused

#: Keyring service names: publisher keys, pack source credentials, the central usage store.
KEY_SERVICE = "FlowDesk publisher key"
SOURCE_SERVICE = "FlowDesk pack source"
CENTRAL_SERVICE = "flowdesk-usage-central"

_NO_BACKEND = "no OS keyring is available on this desk ({detail}); {hint}"


def _refuse(exc: Exception, hint: str) -> Refused:
    detail = type(exc).__name__
    if isinstance(exc, keyring.errors.NoKeyringError):
        detail = "no keyring backend"
    elif isinstance(exc, keyring.errors.KeyringLocked):
        detail = "the keyring is locked"
    return Refused(_NO_BACKEND.format(detail=detail, hint=hint), file="keyring")


def get_secret(service: str, name: str, hint: str) -> str | None:
    """The stored secret, or None when there is none; Refused when the keyring cannot answer."""
    try:
        return keyring.get_password(service, name)
    except keyring.errors.KeyringError as exc:
        raise _refuse(exc, hint) from None
    except RuntimeError as exc:  # some backends raise plain runtime errors (dbus gone)
        raise _refuse(exc, hint) from None


def set_secret(service: str, name: str, secret: str, hint: str) -> None:
    try:
        keyring.set_password(service, name, secret)
    except (keyring.errors.KeyringError, RuntimeError) as exc:
        raise _refuse(exc, hint) from None


def delete_secret(service: str, name: str) -> None:
    """Forget a secret; a secret already gone or an absent keyring is not an error here."""
    with contextlib.suppress(keyring.errors.KeyringError, RuntimeError):
        keyring.delete_password(service, name)
