"""Pack import on the sample pack and a 10,000-flow synthetic pack: time, index size, memory.

The import runs in a child process so its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _dir_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _child(source: str, data_dir: str) -> None:
    from flowdesk.desk import Desk

    started = time.perf_counter()
    stages: dict[str, float] = {}
    last = [started, ""]

    def progress(stage: str, _done: int, _total: int) -> None:
        if stage != last[1]:
            now = time.perf_counter()
            if last[1]:
                stages[last[1]] = stages.get(last[1], 0.0) + now - last[0]
            last[0], last[1] = now, stage

    with Desk.open(Path(data_dir)) as desk:
        desk.import_pack(Path(source), progress=progress)
    total = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": total, "stages": stages, "max_rss_mb": rss_mb}))


def _measure(source: Path, label: str, bar: str | None) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.import_bench", "--child", str(source), str(data)],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        index_mb = _dir_size(data / "index") / 1e6
        store_mb = _dir_size(data) / 1e6 - index_mb
    rows = [
        {
            "benchmark": f"import {label} (read+validate+store+index)",
            "value": result["seconds"],
            "unit": "s",
            "bar": bar,
        },
        {"benchmark": f"import {label}: index size", "value": index_mb, "unit": "MB", "bar": None},
        {"benchmark": f"import {label}: store size", "value": store_mb, "unit": "MB", "bar": None},
        {
            "benchmark": f"import {label}: peak memory (max RSS)",
            "value": result["max_rss_mb"],
            "unit": "MB",
            "bar": None,
        },
    ]
    for stage, seconds in result["stages"].items():
        rows.append(
            {
                "benchmark": f"import {label}: stage {stage}",
                "value": seconds,
                "unit": "s",
                "bar": None,
            }
        )
    return rows


def run(quick: bool = False) -> list[dict]:
    from benchmarks.synthetic import synthetic_pack, write_pack_source
    from flowdesk.paths import sample_pack

    rows = _measure(Path(str(sample_pack())), "sample pack", None)
    n = 1000 if quick else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "synthetic"
        write_pack_source(synthetic_pack(n), source)
        rows += _measure(source, f"{n:,}-flow pack", "≤ 25 s" if n == 10_000 else None)
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    else:
        for row in run(quick="--quick" in sys.argv):
            print(row)
