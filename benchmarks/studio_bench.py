"""The Studio on a 10,000-flow source: open, the problems list after an edit, saving one flow.

Bars (issue: FlowDesk Studio): opening ≤ 5 s, the first time and again (with
the reads kept in the data folder); the problems list updated ≤ 200 ms after
an edit; saving one edited flow rewrites only its file. Also timed: pack.yaml
edits (a title: no flow is read again; one business's channels: only its
flows). Runs offscreen in this process.

Opening is timed twice, both printed: *usable* (the window shown with the
process map, the flow list and the checks across flows, and a flow open in
the editor) and *every problem known* (each file's own checks, which run in
worker processes while the window is in use, have all come back). The load
average beside them says how busy the machine was.
"""

from __future__ import annotations

import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.synthetic import synthetic_pack, write_pack_source


def _stamp(folder: Path) -> dict[Path, tuple[int, bytes]]:
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.rglob("*.yaml")}


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished worker processes."""
    mine, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return mine.ru_utime + mine.ru_stime + workers.ru_utime + workers.ru_stime


def _open(app, source: Path, cache) -> tuple[object, dict[str, float]]:
    """Open ``source`` as ``flowdesk studio`` does; the window and its timings.

    ``read``: the source read (outlined); ``usable``: the window shown with the
    map and a flow open in the editor; ``known``: every file's checks back;
    ``cpu_usable``/``cpu_known``: CPU seconds so far (workers counted once done).
    """
    from flowdesk.ui.studio.document import StudioDocument
    from flowdesk.ui.studio.window import StudioWindow
    from flowdesk.ui.tasks import TaskRunner

    cpu, started = _cpu(), time.perf_counter()
    document = StudioDocument.open(source, cache=cache, defer_checks=True)
    read = time.perf_counter() - started
    window = StudioWindow(document, TaskRunner(threads=1))
    window.show()
    app.processEvents()
    assert window.map.model.rowCount() > 0  # the map is shown
    name = document.flow_names()[-1]
    window.open_file(name)  # a flow in the editor, steps and graph
    app.processEvents()
    assert window.editor.model.rowCount() > 0
    usable, cpu_usable, load = time.perf_counter() - started, _cpu() - cpu, os.getloadavg()[0]
    edit = None
    if document.stale:  # an edit while the checks run: the problems list follows it
        doc = document.document(name)
        doc["title"] += "（改）"
        edit_started = time.perf_counter()
        window.push(name, doc, "title", None)
        edit = (time.perf_counter() - edit_started) * 1000
        assert window.problems.problems == document.problems
    while document.stale or window.runner.busy:
        time.sleep(0.02)
        app.processEvents()
    known = time.perf_counter() - started
    assert window.problems.rowCount() == len(document.problems)  # the problems list is filled
    document.docs.clear()  # the edit is not saved
    timings = {"read": read, "usable": usable, "known": known, "cpu_usable": cpu_usable}
    return window, {**timings, "cpu_known": _cpu() - cpu, "load": load, "edit": edit}


OUTSIDE = Path(__file__).resolve().parent / "data" / "outside-pack"
"""A pack source written by hand outside the project (comments, mixed layouts, quoting)."""


def _show_all(source: Path, data: Path) -> dict[str, object]:
    """Every flow of ``source`` as ``flowdesk show FLOW --json`` prints it after an import."""
    import contextlib
    import io
    import json

    from flowdesk.cli import main
    from flowdesk.packs import load_pack

    assert main(["--data-dir", str(data), "pack", "import", str(source)]) == 0
    shown = {}
    for flow in load_pack(source).pack.flows:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["--data-dir", str(data), "show", flow.id, "--json"]) == 0
        shown[flow.id] = json.loads(out.getvalue())
    return shown


def _round_trip(tmp: Path) -> tuple[int, int]:
    """The hand-written source through to-xlsx and from-xlsx: (flows differing, flows)."""
    import contextlib
    import io

    from flowdesk.cli import main

    book, back = tmp / "outside.xlsx", tmp / "outside-back"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["pack", "to-xlsx", str(OUTSIDE), "-o", str(book)]) == 0
        assert main(["pack", "from-xlsx", str(book), "-o", str(back)]) == 0
        before = _show_all(OUTSIDE, tmp / "data-before")
        after = _show_all(back, tmp / "data-after")
    differing = [f for f in before.keys() | after.keys() if before.get(f) != after.get(f)]
    return len(differing), len(before)


def _unedited_save(source: Path, cache) -> int:
    """Open, edit, undo every edit, save: the files whose bytes or mtime changed."""
    from flowdesk.ui.studio.document import StudioDocument

    before = _stamp(source)
    document = StudioDocument.open(source, cache=cache)
    for name in document.flow_names()[:20]:
        original = document.document(name)
        edited = document.document(name)
        edited["title"] += "（改）"
        document.set_document(name, edited)
        document.restore(name, original)
    document.save()
    after = _stamp(source)
    return sum(1 for p in after.keys() | before.keys() if after.get(p) != before.get(p))


def run(quick: bool = False) -> list[dict]:
    from flowdesk.packs.packfile import PACK_FILE
    from flowdesk.ui.app import application
    from flowdesk.ui.studio.readcache import ReadCache

    n = 1_000 if quick else 10_000
    app = application()
    with tempfile.TemporaryDirectory(prefix="flowdesk-studio-bench-") as tmp:
        source = Path(tmp) / "src"
        write_pack_source(synthetic_pack(n, seed=3), source)
        cache = ReadCache(Path(tmp) / "data" / "studio", source)
        first, opened = _open(app, source, cache)
        first.close()
        window, reopened = _open(app, source, ReadCache(cache.path.parent, source))
        document = window.document

        names = document.flow_names()
        edits: list[float] = []
        problems: list[float] = []
        for i, name in enumerate(names[:: max(1, len(names) // 7)][:7]):
            window.open_file(name)  # the author edits the flow open in the editor
            app.processEvents()
            doc = document.document(name)
            doc["title"] = f"{doc['title']} 第{i}次修改"
            started = time.perf_counter()
            window.push(name, doc, "title", None)  # validates and updates the problems list
            problems.append((time.perf_counter() - started) * 1000)
            app.processEvents()
            edits.append((time.perf_counter() - started) * 1000)
            assert window.problems.problems == document.problems
        axes: list[float] = []
        for change in ("title", "channels"):
            head = document.document(PACK_FILE)
            if change == "title":
                head["title"] += "（修订）"
            else:
                head["businesses"][0]["channels"] = head["businesses"][0]["channels"][:-1]
            started = time.perf_counter()
            window.push(PACK_FILE, head, change, None)
            app.processEvents()
            axes.append((time.perf_counter() - started) * 1000)
        window.undo_stack.setIndex(0)
        app.processEvents()
        window.undo_stack.setIndex(1)  # keep one edited flow, undo the others
        app.processEvents()
        before = _stamp(source)
        report = document.save()
        after = _stamp(source)
        rewritten = [p for p in after if after[p] != before.get(p)]
        window.document.docs.clear()
        window.close()
        unchanged = _unedited_save(source, ReadCache(cache.path.parent, source))
        differing, round_tripped = _round_trip(Path(tmp))
    label = f"{n:,} flows"
    load = f"s (load {opened['load']:.1f})"
    return [
        {
            "benchmark": f"studio: open {label}, first time: read and outlined",
            "value": opened["read"],
            "unit": load,
            "bar": None,
        },
        {
            "benchmark": f"studio: open {label}, first time: usable (map, flows, editor)",
            "value": opened["usable"],
            "unit": load,
            "bar": "≤ 5 s",
        },
        {
            "benchmark": f"studio: open {label}, first time: every problem known",
            "value": opened["known"],
            "unit": load,
            "bar": None,
        },
        {
            "benchmark": f"studio: open {label}, first time: CPU seconds to usable / all known",
            "value": f"{opened['cpu_usable']:.2f} / {opened['cpu_known']:.2f}",
            "unit": f"CPU s ({os.cpu_count()} cores; workers check large sources)",
            "bar": None,
        },
        {
            "benchmark": f"studio: edit while the first checks run → problems list ({label})",
            "value": "—" if opened["edit"] is None else opened["edit"],
            "unit": "ms" + ("" if opened["edit"] else " (small: checked before the window)"),
            "bar": "≤ 200 ms",
        },
        {
            "benchmark": f"studio: open {label} again (reads kept): usable / all known",
            "value": f"{reopened['usable']:.2f} / {reopened['known']:.2f}",
            "unit": f"s (load {reopened['load']:.1f})",
            "bar": "≤ 5 s",
        },
        {
            "benchmark": f"studio: edit → problems list updated, median ({label})",
            "value": statistics.median(problems),
            "unit": "ms",
            "bar": "≤ 200 ms",
        },
        {
            "benchmark": f"studio: edit → problems list updated, worst ({label})",
            "value": max(problems),
            "unit": "ms",
            "bar": None,
        },
        {
            "benchmark": f"studio: edit → editor and graph repainted, median ({label})",
            "value": statistics.median(edits),
            "unit": "ms",
            "bar": None,
        },
        {
            "benchmark": f"studio: pack.yaml title edited → problems ({label})",
            "value": axes[0],
            "unit": "ms",
            "bar": None,
        },
        {
            "benchmark": f"studio: one business's channels edited → its flows re-read ({label})",
            "value": axes[1],
            "unit": "ms",
            "bar": None,
        },
        {
            "benchmark": "studio: files changed saving after edits undone (bytes or mtime)",
            "value": unchanged,
            "unit": "files",
            "bar": "= 0",
        },
        {
            "benchmark": "studio: hand-written source via to-xlsx/from-xlsx, flows whose "
            "show --json differs",
            "value": differing,
            "unit": f"of {round_tripped} flows",
            "bar": "= 0",
        },
        {
            "benchmark": "studio: files rewritten saving one edited flow",
            "value": len(rewritten),
            "unit": f"files ({', '.join(report.written)})",
            "bar": "= 1",
        },
    ]
