"""Make the README's screenshots of the agent's window: the real app, the sample pack, 1366×768.

Run it as ``python scripts/screenshots.py``; without a display it re-runs itself
under ``xvfb-run`` (Xvfb and a CJK font such as fonts-noto-cjk must be
installed). The window is driven the way an agent drives it, and grabbed into
``docs/screenshots/*.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SIZE = (1366, 768)
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        if shutil.which("xvfb-run") is None:
            print("screenshots: no display and no xvfb-run", file=sys.stderr)
            return 1
        screen = f"{SIZE[0]}x{SIZE[1]}x24"
        cmd = ["xvfb-run", "-a", "-s", f"-screen 0 {screen}", sys.executable, *sys.argv]
        return subprocess.call(cmd)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="flowdesk-shots-") as tmp:
        return shoot(Path(tmp), args.out)


def shoot(data: Path, out: Path) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from flowdesk.settings import Settings
    from flowdesk.ui.app import application, build_desktop, start

    app = application()
    Settings(agent_id="A1001", team="话务一组").save(data / "settings.json")
    seed_usage(data)
    desktop = build_desktop(data, synchronous=True, listen=False, ask_agent=False)
    window = desktop.window
    window.resize(*SIZE)
    start(desktop)
    window.move(0, 0)
    window.activateWindow()
    if not QTest.qWaitForWindowActive(window, 5000):
        print("screenshots: the window did not become active; keys may not reach it")
    settle(app)

    def grab(name: str) -> None:
        settle(app)
        path = out / f"{name}.png"
        window.grab().save(str(path))
        print(path)

    # 1. the agent takes a call and types 转网: results as they type
    QTest.keyClick(window, Qt.Key.Key_F2)
    window.search.box.setText("转网")
    window.search.controller.search_now()
    grab("search")
    # 2. open the second result and step up to its decision
    QTest.keyClick(window.search.box, Qt.Key.Key_Down)
    QTest.keyClick(window.search.box, Qt.Key.Key_Return)
    for _ in range(8):
        run = window.flow.run
        if run is None or run.step is None or run.step.type == "decision":
            break
        QTest.keyClick(window.flow, Qt.Key.Key_Space)
    grab("flow-decision")
    # 3. the process map, for 神州行 with its blind spot
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    window.map.brand.setCurrentIndex(window.map.brand.findData("E"))
    model, table = window.map.model, window.map.table
    blind = [
        (r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if model.cell_kind(r, c) == "blind"
    ]
    if blind:  # select the cell beside the blind spot, so its red marking shows
        row, column = blind[0]
        table.setCurrentIndex(model.index(row, max(0, column - 1)))
        table.scrollTo(model.index(row, column), table.ScrollHint.PositionAtCenter)
    grab("process-map")
    # 4. QA's view of four weeks of the team's usage
    window.show_tab(2)
    window.work_runner.wait(30_000)
    grab("qa")
    window.show_tab(0)
    # 5. the same desk in English (settings → language), mid-flow
    desktop.switch_language("en")
    window = desktop.window
    window.resize(*SIZE)
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 5000)
    grab("english")
    desktop.close()
    return 0


def seed_usage(data: Path) -> None:
    """Four weeks of a site's calls on the sample pack, so the QA view has something to show."""
    import random
    from datetime import datetime, timedelta

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo's benchmarks/
    from benchmarks.usage_bench import BEIJING, _events_of_call

    from flowdesk.packs import load_pack
    from flowdesk.paths import sample_pack
    from flowdesk.usage import import_events, sqlite_engine

    pack = load_pack(Path(str(sample_pack()))).pack
    rng = random.Random(7)
    start = datetime(2026, 10, 26, 8, 0, tzinfo=BEIJING)
    log = data / "seed.jsonl"
    with log.open("w", encoding="utf-8") as fh:
        for n in range(3000):  # one call every ~13 minutes, day and night, for four weeks
            for event in _events_of_call(rng, pack, start + timedelta(minutes=13.4 * n), n):
                fh.write(json.dumps(event, ensure_ascii=False) + "\n")
    engine = sqlite_engine(data / "usage.sqlite3")
    try:
        import_events(engine, log)
    finally:
        engine.dispose()
    log.unlink()


def settle(app) -> None:
    for _ in range(5):
        app.processEvents()


if __name__ == "__main__":
    sys.exit(main())
