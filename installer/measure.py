"""Start times of a built bundle, as a desk sees them (median of several cold processes).

    python installer/measure.py [BUNDLE] [--runs N]

BUNDLE defaults to dist/flowdesk. Everything runs on a data folder in a
temporary directory that is removed afterwards. Three numbers:

- ``version``: ``flowdesk --version`` (the bootloader, Python and the CLI parser);
- ``search``: ``flowdesk search 转网 --json`` on the imported sample pack (store,
  index and pinyin tables opened by a fresh process);
- ``window``: ``flowdesk`` until its window is built and listening for screen
  pops (the local socket it opens just before showing itself), offscreen.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXE_NAME = "flowdesk.exe" if sys.platform == "win32" else "flowdesk"


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True, timeout=120)
    return time.perf_counter() - started


def window_ready(exe: Path, data: Path, env: dict[str, str]) -> float:
    """Seconds from starting the window until it accepts a connection on its socket."""
    from PySide6.QtNetwork import QLocalSocket

    from flowdesk.ui.instance import server_name

    name = server_name(data)
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(exe)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while time.perf_counter() - started < 60:
            socket = QLocalSocket()
            socket.connectToServer(name)
            if socket.waitForConnected(20):
                socket.abort()
                return time.perf_counter() - started
            if process.poll() is not None:
                raise RuntimeError(f"the window exited with {process.returncode}")
            time.sleep(0.01)
        raise RuntimeError("the window did not start within 60 s")
    finally:
        process.terminate()
        process.wait(timeout=20)


def measure(bundle: Path, runs: int) -> dict[str, float]:
    exe = bundle / EXE_NAME
    with tempfile.TemporaryDirectory(prefix="flowdesk-measure-") as tmp:
        data = Path(tmp) / "data"
        env = {**os.environ, "FLOWDESK_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen"}
        sample = REPO / "data" / "sample-pack"
        subprocess.run([str(exe), "pack", "import", str(sample)], check=True, env=env,
                       capture_output=True, timeout=300)  # fmt: skip
        (data / "settings.json").write_text(
            json.dumps({"agent_id": "measure", "team": "测量"}), encoding="utf-8"
        )
        results = {
            "version": [timed([str(exe), "--version"], env) for _ in range(runs)],
            "search": [timed([str(exe), "search", "转网", "--json"], env) for _ in range(runs)],
            "window": [window_ready(exe, data, env) for _ in range(runs)],
        }
    return {name: round(statistics.median(values), 2) for name, values in results.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", nargs="?", type=Path, default=REPO / "dist" / "flowdesk")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication

    _app = QCoreApplication.instance() or QCoreApplication([])
    print(json.dumps(measure(args.bundle.resolve(), args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
