"""Run every benchmark and print one table: ``python -m benchmarks [--quick] [--only NAME …]``.

Each ``*_bench`` module exposes ``run(quick: bool) -> list[dict]`` with rows
``{"benchmark", "value", "unit", "bar"}``. Targets live here, never as timed
unit tests; the README quotes the table.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="small corpora (a smoke run)")
    parser.add_argument("--only", nargs="*", choices=[m.removesuffix("_bench") for m in MODULES])
    args = parser.parse_args(argv)
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
        started = time.perf_counter()
        print(f"running {name} …", file=sys.stderr, flush=True)
        module_rows = module.run(quick=args.quick)
        print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        rows.extend(module_rows)
    width = max((len(r["benchmark"]) for r in rows), default=10)
    print(f"| {'benchmark':<{width}} | {'value':>12} | unit | bar |")
    print(f"|{'-' * (width + 2)}|{'-' * 14}|------|-----|")
    for r in rows:
        bar = r.get("bar") or ""
        line = f"| {r['benchmark']:<{width}} | {_format(r['value']):>12} | {r['unit']} | {bar} |"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
