"""Is this Python environment the one the lock file describes?

A desk bundle carries whatever versions were installed when it was built, so
the build checks them against ``requirements/lock.txt`` (the versions the test
suite passed with) before PyInstaller runs: a bundle built from an untested
mix of libraries would reach desks that no test has seen.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

_PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^\s;]+)\s*(?:;\s*(?P<marker>.+))?$")


def locked_versions(lock: Path) -> dict[str, str]:
    """The pinned ``name → version`` that apply to this platform and Python."""
    pins: dict[str, str] = {}
    for raw in lock.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        match = _PIN.match(line)
        if not match:
            continue
        marker = match["marker"]
        if marker and not Marker(marker).evaluate():
            continue
        pins[canonicalize_name(match["name"])] = match["version"]
    return pins


def mismatches(lock: Path, only: set[str] | None = None) -> list[str]:
    """One line per locked package that is missing here or installed at another version.

    ``only`` limits the check to those (canonical) names, e.g. what the bundle
    actually carries; by default every pin that applies here is checked.
    """
    problems = []
    for name, version in sorted(locked_versions(lock).items()):
        if only is not None and name not in only:
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name}: locked {version}, not installed")
            continue
        if installed != version:
            problems.append(f"{name}: locked {version}, installed {installed}")
    return problems


def runtime_closure(root: str = "flowdesk", extras: tuple[str, ...] = ("postgres",)) -> set[str]:
    """The canonical names of every installed distribution the app needs at run time.

    Walks ``root``'s requirements (with ``extras``) and theirs, so the build checks
    what goes into the bundle, not the developer's test tools.
    """
    from packaging.requirements import Requirement

    seen: set[str] = set()
    todo: list[tuple[str, tuple[str, ...]]] = [(root, extras)]
    while todo:
        name, wanted = todo.pop()
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for text in requires:
            req = Requirement(text)
            env_extras = ("", *wanted)
            if req.marker and not any(req.marker.evaluate({"extra": e}) for e in env_extras):
                continue
            key = canonicalize_name(req.name)
            if key not in seen:
                seen.add(key)
                todo.append((req.name, tuple(req.extras)))
    return seen
