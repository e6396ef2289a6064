"""``python scripts/screenshots.py --only qa``: the README's workspace shots, at 1920×1080."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_one_command_makes_the_workspace_screenshots_at_1920x1080(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "screenshots.py"),
            "--only",
            "qa",
            "-o",
            str(tmp_path),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert names == ["qa-drill.png", "qa-map.png", "qa-tables.png", "qa-workspace.png"]
    for name in names:
        image = QImage(str(tmp_path / name))
        assert (image.width(), image.height()) == (1920, 1080), name
