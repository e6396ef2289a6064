"""Modules of one job: no module under src/ passes 400 lines.

A module that grows past it does several jobs; split it by job into new,
well-named modules (docs/ARCHITECTURE.md says where each part lives).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400


def module_lengths() -> dict[str, int]:
    """Lines of every Python module under src/, by path from the repository root."""
    return {
        path.relative_to(ROOT).as_posix(): len(path.read_bytes().splitlines())
        for path in sorted((ROOT / "src").rglob("*.py"))
    }


def test_no_module_under_src_passes_400_lines() -> None:
    lengths = module_lengths()
    assert "src/flowdesk/desk.py" in lengths  # the walk found the package
    too_long = {name: n for name, n in lengths.items() if n > MAX_LINES}
    assert too_long == {}, f"modules over {MAX_LINES} lines: {too_long}"
