"""The monthly review as a PDF, drawn by Qt: for people who open neither FlowDesk nor Excel.

The same :class:`~flowdesk.reports.review.Review` as the workbook, laid out as
an A4 document: the summary against the previous month, the teams against the
benchmark and the worst flows as bar charts (the workspace's own
:class:`~flowdesk.ui.qa_workspace.ranked_bars.BarRows`, with whole names), and
the worst steps, coverage gaps, search misses, proposed keywords and
acknowledgements as tables. Qt finds a CJK font through the system's font
configuration, as the window does.
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from flowdesk.files import replacing
from flowdesk.reports.acknowledgements import STATUS_ZH
from flowdesk.reports.compliance import Report
from flowdesk.reports.headings import COLUMN_HEADINGS
from flowdesk.reports.review import Review
from flowdesk.reports.review_workbook import MEASURES, SHEETS
from flowdesk.ui.qa_workspace.ranked_bars import BarRows, RankedBar
from flowdesk.ui.qa_workspace.rows_model import change_text

TABLE_ROWS = 25  # rows of a long section in print: the worst; the workbook has them all


def _value(value: object, column: str, key: object = None) -> str:
    # A summary row's change is in its own unit (runs, or a rate); any other row's is a rate's.
    counted = key in MEASURES and not str(key).endswith("rate") and key != "benchmark"
    rate = (
        column.endswith("rate")
        or column in ("benchmark", "gap")
        or str(key).endswith("rate")
        or key == "benchmark"
        or (column == "change" and not counted)
    )
    if value is None:
        return "—"
    if column == "change" and isinstance(value, int | float):
        return change_text(value, rate)
    if isinstance(value, bool):
        return "是" if value else "否"
    if column == "status":  # an acknowledgement's status, in words: 已确认, 未确认先运行 …
        return STATUS_ZH.get(str(value), str(value))
    if column == "confirmed_at":  # to the minute, in this computer's time (stored as UTC)
        return f"{datetime.fromisoformat(str(value)).astimezone():%Y-%m-%d %H:%M}"
    if isinstance(value, float):
        return f"{value * 100:.1f}%" if rate else f"{value:.1f}"
    return str(value)


def _table(report: Report, columns: tuple[str, ...] | None = None) -> str:
    columns = columns or report.columns
    head = "".join(f"<th>{html.escape(COLUMN_HEADINGS.get(c, c))}</th>" for c in columns)
    body = []
    for row in report.rows[:TABLE_ROWS]:
        cells = []
        for c in columns:
            value = MEASURES.get(str(row.get(c)), row.get(c)) if c == "key" else row.get(c)
            cells.append(f"<td>{html.escape(_value(value, c, row.get('key')))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = len(report.rows) - TABLE_ROWS
    note = f"<p><i>…… 另有 {more} 行，见工作簿</i></p>" if more > 0 else ""
    if not report.rows:
        return "<p><i>（无）</i></p>"
    table = "<table border='1' cellspacing='0' cellpadding='3'>"
    return f"{table}<tr>{head}</tr>{''.join(body)}</table>{note}"


def _chart(bars: list[RankedBar], benchmark: float | None) -> QImage:
    rows = BarRows()
    rows.set_bars(bars, benchmark)
    rows.resize(rows.label_width() + 520, rows.height())
    image = rows.grab().toImage()
    rows.deleteLater()
    return image


def review_document(review: Review) -> QTextDocument:
    doc = QTextDocument()
    teams = [RankedBar(str(r["key"]), r["compliance_rate"]) for r in review.teams.rows[:20]]  # type: ignore[arg-type]
    flows = [
        RankedBar(str(r.get("title") or r["key"]), r["compliance_rate"])  # type: ignore[arg-type]
        for r in review.flows.rows[:20]
        if r["compliance_rate"] is not None
    ]
    doc.addResource(
        QTextDocument.ResourceType.ImageResource,
        QUrl("chart:teams"),
        _chart(teams, review.benchmark),
    )
    doc.addResource(
        QTextDocument.ResourceType.ImageResource,
        QUrl("chart:flows"),
        _chart(flows, review.benchmark),
    )
    gaps = Report(
        "coverage", review.coverage.columns, [r for r in review.coverage.rows if not r["used"]], {}
    )
    parts = [
        f"<h1>{review.month} 月度质检回顾</h1>",
        f"<p>对比上月 {review.previous_month}；标杆值 {review.benchmark * 100:.0f}%</p>",
        f"<h2>{SHEETS['summary']}</h2>",
        _table(review.summary, ("key", "value", "previous", "change")),
        f"<h2>{SHEETS['teams']}</h2><p><img src='chart:teams'/></p>",
        _table(
            review.teams,
            ("key", "completed_runs", "compliance_rate", "gap", "previous_rate", "change"),
        ),
        f"<h2>{SHEETS['flows']}</h2><p><img src='chart:flows'/></p>",
        _table(review.flows, ("key", "title", "completed_runs", "compliance_rate", "abandon_rate")),
        f"<h2>{SHEETS['steps']}</h2>",
        _table(review.steps),
        f"<h2>{SHEETS['trend']}</h2>",
        _table(review.trend),
        f"<h2>{SHEETS['coverage']}：从未使用的接触点</h2>",
        _table(gaps),
        f"<h2>{SHEETS['misses']}</h2>",
        _table(review.misses),
        f"<h2>{SHEETS['proposals']}</h2>",
        _table(review.proposals, ("flow_id", "keyword", "count", "agents")),
        f"<h2>{SHEETS['acknowledgements']}</h2>",
        _table(
            review.acknowledgements,
            ("team", "agent_id", "title", "note", "status", "confirmed_at", "runs_before_confirm"),
        ),
    ]
    doc.setHtml("<html><body style='font-size: 9pt'>" + "".join(parts) + "</body></html>")
    return doc


def write_review_pdf(review: Review, out: Path) -> None:
    """The review as an A4 PDF at ``out``, replaced whole or not at all (needs a QApplication)."""
    doc = review_document(review)
    with replacing(out) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setTitle(f"{review.month} 月度质检回顾")
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(15, 15, 15, 15),
            )
        )
        writer.setResolution(150)
        doc.print_(writer)
        del writer


def write_review_pdf_headless(review: Review, out: Path) -> None:
    """For ``report review -o FILE.pdf``: draw it without a display (Qt's offscreen platform)."""
    import os

    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from flowdesk.ui.app import application

    application()
    write_review_pdf(review, out)
