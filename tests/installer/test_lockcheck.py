"""The lock file: it covers what pyproject asks for, and the build checks against it."""

from __future__ import annotations

import importlib.util
import tomllib
from importlib import metadata
from pathlib import Path
from types import ModuleType

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]


def _load_lockcheck() -> ModuleType:
    """installer/lockcheck.py, loaded by path (installer/ is not a package)."""
    spec = importlib.util.spec_from_file_location("lockcheck", REPO / "installer" / "lockcheck.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_lockcheck = _load_lockcheck()
locked_versions = _lockcheck.locked_versions
mismatches = _lockcheck.mismatches
runtime_closure = _lockcheck.runtime_closure
LOCK = REPO / "requirements" / "lock.txt"


def test_every_dependency_and_extra_is_pinned_in_the_lock() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in ("test", "postgres", "installer"):
        wanted += project["optional-dependencies"][extra]
    pins = locked_versions(LOCK)
    missing = []
    for text in wanted:
        req = Requirement(text)
        if req.marker and not req.marker.evaluate():
            continue
        name = canonicalize_name(req.name)
        if name not in pins:
            missing.append(name)
        elif not req.specifier.contains(pins[name], prereleases=True):
            missing.append(f"{name} ({pins[name]} outside {req.specifier})")
    assert missing == [], "regenerate requirements/lock.txt (see README, 'Dependencies')"


def test_markers_select_this_platform_and_mismatches_are_named(tmp_path: Path) -> None:
    here = metadata.version("pyyaml")
    lock = tmp_path / "lock.txt"
    lock.write_text(
        "# generated\n"
        f"pyyaml=={here}\n"
        "sqlalchemy==0.0.1\n"
        "no-such-package-liucheng==1.0\n"
        "colorama==9.9 ; sys_platform == 'no-such-os'\n",
        encoding="utf-8",
    )
    assert "colorama" not in locked_versions(lock)
    assert locked_versions(lock)["pyyaml"] == here
    problems = mismatches(lock)
    assert len(problems) == 2
    assert problems[0].startswith("no-such-package-liucheng: locked 1.0, not installed")
    assert problems[1] == f"sqlalchemy: locked 0.0.1, installed {metadata.version('sqlalchemy')}"
    assert mismatches(lock, only={"pyyaml"}) == []


def test_the_bundle_closure_is_runtime_only() -> None:
    closure = runtime_closure()
    assert {"pyside6-essentials", "sqlalchemy", "whoosh-reloaded", "psycopg"} <= closure
    assert not {"pytest", "ruff", "pyinstaller"} & closure


def test_this_environment_matches_the_lock_for_what_the_bundle_carries() -> None:
    assert mismatches(LOCK, only=runtime_closure()) == []
