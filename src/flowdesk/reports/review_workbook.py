"""The monthly review as one Excel workbook, with native charts.

One sheet per section of :class:`~flowdesk.reports.review.Review`. Each sheet
starts with two header rows, the Chinese heading for people and the report's
own column name under it (what ``report … --json`` calls it), then the rows
exactly as the report gives them: rates stay fractions, shown as percentages
by the cell format, so the workbook holds the same figures as the JSON.
Charts are openpyxl's native charts (Excel, WPS and LibreOffice draw them):
the daily trend, the teams against the benchmark, the worst flows and steps.
The file is written beside its target and renamed into place.
"""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from flowdesk.files import replacing
from flowdesk.reports.compliance import Report
from flowdesk.reports.headings import COLUMN_HEADINGS as HEADINGS
from flowdesk.reports.review import Review

#: Sheet title (Chinese) of each section.
SHEETS = {
    "summary": "概要",
    "trend": "趋势",
    "teams": "班组对标",
    "flows": "最差流程",
    "steps": "最差步骤",
    "coverage": "覆盖",
    "misses": "搜索未命中",
    "proposals": "建议关键词",
    "acknowledgements": "必读确认",
}


#: The summary's measures in Chinese.
MEASURES = {
    "month": "月份",
    "benchmark": "标杆值",
    "runs": "运行数",
    "completed_runs": "完成",
    "compliant_runs": "规范",
    "compliance_rate": "流程规范率",
    "abandoned_runs": "放弃",
    "abandon_rate": "放弃率",
    "teams_below_benchmark": "低于标杆的班组",
    "coverage_rate": "流程地图覆盖率",
    "search_misses": "搜索未命中",
}

HEADER = PatternFill("solid", fgColor="DDE6F4")
FIRST_ROW = 3  # data start under the two header rows
CHART_ROWS = 20  # bars in a chart: the worst of a long list


def _is_rate(column: str, key: object = None) -> bool:
    named = column.endswith("rate") or column in ("benchmark", "gap", "change", "previous_rate")
    return named or (column in ("value", "previous") and str(key).endswith("rate"))


def _cell(value: object) -> object:
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _columns(name: str, report: Report) -> tuple[str, ...]:
    return ("measure", *report.columns) if name == "summary" else report.columns


def _write_sheet(sheet: Worksheet, name: str, report: Report) -> None:
    columns = _columns(name, report)
    sheet.append([HEADINGS.get(c, c) for c in columns])
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER
    for cell in sheet[2]:
        cell.font = Font(color="808080", size=8)
    for row in report.rows:
        values = dict(row, measure=MEASURES.get(str(row.get("key")), row.get("key")))
        sheet.append([_cell(values.get(c)) for c in columns])
        at = sheet.max_row
        for i, column in enumerate(columns, start=1):
            if _is_rate(column, row.get("key")) and isinstance(values.get(column), float):
                fmt = "+0.0%;-0.0%;0.0%" if column in ("change", "gap") else "0.0%"
                sheet.cell(at, i).number_format = fmt
    for i, column in enumerate(columns, start=1):
        longest = max(
            [len(str(HEADINGS.get(column, column))) * 2, len(column)]
            + [len(str(_cell(r.get(column)))) for r in report.rows[:200]]
        )
        sheet.column_dimensions[get_column_letter(i)].width = min(max(8, longest + 2), 48)
    sheet.freeze_panes = f"B{FIRST_ROW}"


def _chart_of(
    sheet: Worksheet, report: Report, name: str, value: str, title: str, kind: str = "bar"
) -> None:
    """A native chart of ``value`` over the first rows (the worst), placed right of the table."""
    columns = _columns(name, report)
    if value not in columns or not report.rows:
        return
    last = FIRST_ROW + min(len(report.rows), CHART_ROWS) - 1
    chart = LineChart() if kind == "line" else BarChart()
    if isinstance(chart, BarChart):
        chart.type = "bar"  # horizontal: long Chinese names stay readable
        chart.y_axis.scaling.orientation = "minMax"
        chart.x_axis.scaling.orientation = "maxMin"  # the worst on top
    chart.title = title
    chart.legend = None
    chart.height = max(7.5, 0.55 * (last - FIRST_ROW + 1) + 2)
    chart.width = 18
    col = columns.index(value) + 1
    data = Reference(sheet, min_col=col, min_row=2, max_row=last)
    label = columns.index("title") + 1 if "title" in columns else 1
    labels = Reference(sheet, min_col=label, min_row=FIRST_ROW, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    sheet.add_chart(chart, f"{get_column_letter(len(columns) + 2)}{FIRST_ROW}")


def write_review(review: Review, out: Path) -> None:
    """The review as ``out`` (.xlsx), replaced whole or not at all."""
    book = Workbook()
    book.remove(book.active)
    for name, report in review.sections():
        sheet = book.create_sheet(SHEETS[name])
        _write_sheet(sheet, name, report)
    _chart_of(
        book[SHEETS["trend"]], review.trend, "trend", "compliance_rate", "每日流程规范率", "line"
    )
    _chart_of(
        book[SHEETS["teams"]],
        review.teams,
        "teams",
        "compliance_rate",
        f"班组流程规范率（标杆值 {review.benchmark:.0%}，最差 {CHART_ROWS} 个）",
    )
    _chart_of(
        book[SHEETS["flows"]],
        review.flows,
        "flows",
        "compliance_rate",
        f"流程规范率最低的 {CHART_ROWS} 个流程",
    )
    _chart_of(
        book[SHEETS["steps"]],
        review.steps,
        "steps",
        "skip_rate",
        f"跳过率最高的 {CHART_ROWS} 个步骤",
    )
    book.properties.title = f"{review.month} 月度质检回顾"
    with replacing(out) as tmp:
        book.save(tmp)
