"""The core runs without a display: nothing outside flowdesk.ui may import Qt."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import flowdesk

ROOT = Path(__file__).resolve().parents[1]


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(flowdesk.__path__, "flowdesk."):
        if info.name.startswith("flowdesk.ui") or info.name == "flowdesk.__main__":
            continue
        names.append(info.name)
    return names


def test_core_imports_with_qt_absent() -> None:
    modules = core_modules()
    assert "flowdesk.desk" in modules and "flowdesk.store.packs" in modules
    code = (
        "import sys, importlib\n"
        "sys.modules['PySide6'] = None  # any import of Qt now fails\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "assert not any(m.startswith('PySide6.') for m in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_import_linter_contract_holds() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout


def test_every_top_level_module_has_a_layer() -> None:
    """A new module under flowdesk/ is placed in the layers contract, never left unchecked."""
    import re
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    placed = set(re.findall(r"flowdesk\.[a-z_]+(?:\.[a-z_]+)?", " ".join(layers)))
    top = {f"flowdesk.{m.name}" for m in pkgutil.iter_modules(flowdesk.__path__)}
    # a package is placed whole, or module by module (rollout's services and rules)
    unplaced = {
        m for m in top if m not in placed and not any(p.startswith(m + ".") for p in placed)
    }
    assert unplaced == set()
    assert {"flowdesk.desk", "flowdesk.ui", "flowdesk.model"} <= placed
