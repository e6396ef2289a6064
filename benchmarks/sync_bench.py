"""Sync over HTTP on loopback: a full 10,000-flow pack, and a 100-flow delta on it.

Measured from "check for updates" to "the changed flow is found by search":
read the index, download, verify hash and signature, validate, diff, import
(store + search index). Bars (desk under load): delta ≤ 1.3 s, full ≤ 20 s. Alongside,
the incremental index update alone (``FlowIndex.update`` on a copy of the
previous index), the part of a delta import the search index costs.
"""

from __future__ import annotations

import gc
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import replace
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _publish(pack, root: Path, work: Path, key) -> None:
    from benchmarks.synthetic import write_pack_source
    from flowdesk.packs import build_pack
    from flowdesk.sync.publish import publish_pack
    from flowdesk.sync.signature import sign_pack

    src = work / f"src-{pack.sequence}"
    write_pack_source(pack, src)
    built = work / f"{pack.id}-{pack.sequence}.flowpack"
    build_pack(src, built)
    sign_pack(built, key, signer="benchmarks")
    publish_pack(built, root)


def _delta(pack, n_changed: int):
    """The next publication: ``n_changed`` flows get a reworded first step (修订)."""
    flows = list(pack.flows)
    step = max(1, len(flows) // n_changed)
    for i in range(0, step * n_changed, step):
        flow = flows[i]
        note = f"（第{pack.sequence + 1}版修订 改{i}）"
        first = replace(flow.steps[0], text=flow.steps[0].text + note)
        flows[i] = replace(flow, steps=(first, *flow.steps[1:]))
    return replace(pack, sequence=pack.sequence + 1, flows=tuple(flows))


def _sync(desk, source, trust, probe: str, expect: str) -> dict[str, float]:
    from flowdesk.sync.updates import apply_update, check_for_updates, prepare_update

    times: dict[str, float] = {}
    # Start from a collected heap: a full collection of the benchmark's own garbage (its
    # synthetic publications, ~1M objects) would otherwise land in whichever row is timed.
    gc.collect()
    start = time.perf_counter()
    (update,) = check_for_updates(desk, source).updates
    prepared = prepare_update(desk, source, update, trust)
    times["check+download+verify+validate+diff"] = time.perf_counter() - start
    mark = time.perf_counter()
    apply_update(desk, prepared)
    times["import (store+index)"] = time.perf_counter() - mark
    hits = desk.search(probe, limit=5)
    times["total (to searchable)"] = time.perf_counter() - start
    if not any(h.flow_id == expect for h in hits):
        raise RuntimeError(f"after sync, {probe!r} does not find {expect}")
    return times


def _incremental_index(desk, old, new) -> float | str:
    """FlowIndex.update on a copy of the old version's index: the incremental path alone."""
    from flowdesk.search import FlowIndex

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "index"
        shutil.copytree(desk.data.indexes / f"{old.id}-{old.sequence}", copy)
        start = time.perf_counter()
        try:
            FlowIndex.update(copy, old, new)
        except Exception as exc:  # report, not crash: the table still shows the rest
            return f"failed: {type(exc).__name__}: {exc}"[:80]
        return time.perf_counter() - start


def run(quick: bool = False) -> list[dict]:
    from benchmarks.synthetic import synthetic_pack
    from flowdesk.desk import Desk
    from flowdesk.sync.keys import PublicKey, key_id_of
    from flowdesk.sync.sources import HttpSource
    from flowdesk.sync.trust import TrustStore

    n = 1000 if quick else 10_000
    n_changed = 10 if quick else 100
    key = Ed25519PrivateKey.generate()
    public = PublicKey(key_id_of(key.public_key()), "benchmarks", key.public_key())
    runs: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        served = work / "served"
        served.mkdir()
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(served)))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            source = HttpSource(f"http://127.0.0.1:{server.server_address[1]}/")
            first = synthetic_pack(n)
            second = _delta(first, n_changed)
            third = _delta(second, n_changed)
            _publish(first, served, work, key)
            with Desk.open(work / "desk") as desk:
                trust = TrustStore(desk.data.keys, defaults=[])
                trust.trust(public)
                probe = first.flows[0]
                runs[f"sync full {n:,}-flow pack"] = _sync(
                    desk, source, trust, probe.title, probe.id
                )
            _publish(second, served, work, key)
            with Desk.open(work / "desk") as desk:  # a fresh process: nothing cached (the CLI)
                probe = second.flows[0]
                runs[f"sync {n_changed}-flow delta on {n:,}, cold (CLI)"] = _sync(
                    desk, source, trust, probe.steps[0].text, probe.id
                )
                incremental = _incremental_index(desk, first, second)
                _publish(third, served, work, key)
                desk.pack(second.id, second.sequence)  # the open window has the active pack
                probe = third.flows[0]
                runs[f"sync {n_changed}-flow delta on {n:,}, warm (window)"] = _sync(
                    desk, source, trust, probe.steps[0].text, probe.id
                )
        finally:
            server.shutdown()
            server.server_close()
    rows: list[dict] = []
    for label, times in runs.items():
        bar = None
        if n == 10_000:
            bar = "≤ 20 s" if "full" in label else "≤ 1.3 s"
        for stage, seconds in times.items():
            rows.append(
                {
                    "benchmark": f"{label}: {stage}",
                    "value": seconds,
                    "unit": "s",
                    "bar": bar if stage.startswith("total") else None,
                }
            )
    rows.append(
        {
            "benchmark": f"{n_changed}-flow delta on {n:,}: FlowIndex.update alone",
            "value": incremental,
            "unit": "s",
            "bar": None,
        }
    )
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
