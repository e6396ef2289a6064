"""Run every benchmark and print one table: ``python -m benchmarks [OPTIONS]``.

Options: ``--quick``, ``--under-load``, ``--only NAME …``.

Each ``*_bench`` module exposes ``run(quick: bool) -> list[dict]`` with rows
``{"benchmark", "value", "unit", "bar"}``. Targets live here, never as timed
unit tests; the README quotes the table. Each row is printed with the load
average before and after its benchmark and the CPU seconds the benchmark used;
``--under-load`` runs a CPU-bound neighbour on one core throughout (load.py).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from contextlib import nullcontext

from benchmarks.load import cpu_seconds, load_average, neighbour

MODULES = (
    "import_bench",
    "search_bench",
    "usage_bench",
    "sync_bench",
    "ui_bench",
    "pop_bench",
    "scale_bench",
    "studio_bench",
    "rollout_bench",
    "qa_bench",
)


def _format(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"
    return str(value)


def _load(value: float | None) -> str:
    return "?" if value is None else f"{value:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="small corpora (a smoke run)")
    parser.add_argument("--only", nargs="*", choices=[m.removesuffix("_bench") for m in MODULES])
    parser.add_argument(
        "--under-load",
        action="store_true",
        help="a desk under load: a CPU-bound neighbour process on one core while measuring",
    )
    args = parser.parse_args(argv)
    with neighbour() if args.under_load else nullcontext():
        rows = _run(args)
    width = max((len(r["benchmark"]) for r in rows), default=10)
    mode = "under load (a CPU-bound neighbour on one core)" if args.under_load else "as is"
    print(f"machine: {os.cpu_count()} cores, measured {mode}")
    print(f"| {'benchmark':<{width}} | {'value':>12} | unit | bar | load | CPU s |")
    print(f"|{'-' * (width + 2)}|{'-' * 14}|------|-----|------|-------|")
    for r in rows:
        bar = r.get("bar") or ""
        line = f"| {r['benchmark']:<{width}} | {_format(r['value']):>12} | {r['unit']} | {bar} "
        print(f"{line}| {r['load']} | {r['cpu']} |")
    return 0


def _run(args: argparse.Namespace) -> list[dict]:
    """Each chosen benchmark's rows, each marked with the load and the benchmark's CPU time."""
    rows: list[dict] = []
    for name in MODULES:
        if args.only and name.removesuffix("_bench") not in args.only:
            continue
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"benchmarks.{name}":
                raise
            continue
        started, load_before, cpu_before = time.perf_counter(), load_average(), cpu_seconds()
        print(f"running {name} (load {_load(load_before)}) …", file=sys.stderr, flush=True)
        module_rows = module.run(quick=args.quick)
        cpu = f"{cpu_seconds() - cpu_before:.1f}"
        load = f"{_load(load_before)}→{_load(load_average())}"
        print(
            f"  {name}: {time.perf_counter() - started:.1f} s, CPU {cpu} s, load {load}",
            file=sys.stderr,
            flush=True,
        )
        for row in module_rows:
            row.setdefault("load", load)
            row.setdefault("cpu", cpu)
        rows.extend(module_rows)
    return rows


if __name__ == "__main__":
    sys.exit(main())
