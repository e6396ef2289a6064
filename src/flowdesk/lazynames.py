"""A package's names imported from their modules on first use (PEP 562).

The agent's window imports packages such as ``flowdesk.sync`` and ``flowdesk.packs``
for one or two light names; importing every module of them at start would load
keys, signatures, the YAML reader and the pack reader into a process that, most
days, never imports a pack (their code and tables stay resident for its life).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, homes: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``package.homes[name]`` when ``name`` is asked for.

    The value is kept in ``namespace`` (the package's globals), so the next lookup
    is an ordinary one.
    """

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        namespace[name] = value
        return value

    return __getattr__
