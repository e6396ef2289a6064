"""A report as a text table, a CSV file or an xlsx workbook.

Rates are fractions in the data (and in JSON, CSV and xlsx); the text table
shows them as percentages for people reading a terminal. Files are written
beside their target and renamed into place, so a failed write leaves nothing
half-written under the expected name.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

from flowdesk.files import replacing
from flowdesk.problems import Refused
from flowdesk.reports.compliance import Report

FILE_FORMATS = (".csv", ".xlsx")


def _cell(value: object, column: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, float) and ("rate" in column or column in ("coverage", "gap")):
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _width(text: str) -> int:
    """Display width: CJK characters take two terminal columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def text_table(report: Report) -> str:
    """The rows as an aligned table, then the summary, one ``name: value`` a line."""
    cols = report.columns
    cells = [[_cell(row.get(c), c) for c in cols] for row in report.rows]
    widths = [max([_width(c), *(_width(r[i]) for r in cells)]) for i, c in enumerate(cols)]
    numeric = [
        all(isinstance(row.get(c), int | float) or row.get(c) is None for row in report.rows)
        and c != "key"
        for c in cols
    ]
    lines = ["  ".join(_pad(c, w, n) for c, w, n in zip(cols, widths, numeric, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for r in cells:
        lines.append("  ".join(_pad(v, w, n) for v, w, n in zip(r, widths, numeric, strict=True)))
    if not report.rows:
        lines.append("(no runs in this window)")
    for name, value in report.summary.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value) or "-"
        lines.append(f"{name}: {_cell(value, name)}")
    return "\n".join(lines)


def _flat(value: object) -> object:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_report(report: Report, out: Path) -> None:
    """Write the report's rows to ``out`` (.csv or .xlsx, by its suffix)."""
    suffix = out.suffix.lower()
    if suffix not in FILE_FORMATS:
        raise Refused(f"report files are .csv or .xlsx, not {out.name!r}", file=str(out))
    with replacing(out) as tmp:
        if suffix == ".csv":
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(report.columns)
                for row in report.rows:
                    writer.writerow(
                        ["" if row.get(c) is None else _flat(row.get(c)) for c in report.columns]
                    )
        else:
            _write_xlsx(report, tmp)


def _write_xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(report.name[:31])
    sheet.append(list(report.columns))
    for row in report.rows:
        sheet.append([_flat(row.get(c)) for c in report.columns])
    summary = book.create_sheet("summary")
    for name, value in report.summary.items():
        summary.append([name, _flat(value)])
    book.save(path)
