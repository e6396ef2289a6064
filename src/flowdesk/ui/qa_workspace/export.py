"""导出月度回顾: the month in view written as the review workbook and its PDF, off the UI thread.

The workbook is what ``flowdesk report review --month … -o FILE.xlsx`` writes;
the PDF of the same review goes beside it (same name, ``.pdf``). A failure (a
folder not writable, a file open in Excel) is told in plain words.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog

from flowdesk.ui.errors import report_error

if TYPE_CHECKING:
    from flowdesk.desk import Desk
    from flowdesk.reports.review import Review
    from flowdesk.ui.opening import LazyDesk
    from flowdesk.ui.qa_workspace.window import QaWorkspace


def export_review(window: QaWorkspace, desk: Desk | LazyDesk, db: str | None, out: Path) -> None:
    """Write the review of the period's month (:attr:`Period.review_month`) to ``out`` and
    ``.pdf``."""
    from flowdesk.reports.review_workbook import write_review
    from flowdesk.services.qa import load_review

    month = window.period.review_month
    benchmark = window.benchmark_value

    def make() -> Review:
        review = load_review(desk, month, db, benchmark)
        write_review(review, out)
        return review

    def written(review: Review) -> None:
        from flowdesk.ui.qa_workspace.review_pdf import write_review_pdf

        pdf = out.with_suffix(".pdf")
        try:
            write_review_pdf(review, pdf)
        except Exception as exc:  # the one error path, in plain words
            report_error(exc, window)
            return
        window.asker.idle_text = QCoreApplication.translate(
            "QaWorkspace", "已导出 {0} 和 {1}"
        ).format(out.name, pdf.name)
        window.status.setText(window.asker.idle_text)
        window.shown.emit("export")

    window.asker.ask("export", make, written)


def ask_and_export(window: QaWorkspace, desk: Desk | LazyDesk, db: str | None) -> None:
    """Ask where to write the review, then write it."""
    month = window.period.review_month
    name, _ = QFileDialog.getSaveFileName(
        window,
        QCoreApplication.translate("QaWorkspace", "导出月度回顾"),
        f"review-{month}.xlsx",
        QCoreApplication.translate("QaWorkspace", "Excel 工作簿 (*.xlsx)"),
    )
    if name:
        path = Path(name)
        export_review(window, desk, db, path if path.suffix else path.with_suffix(".xlsx"))
