"""The review's PDF tells must-read acknowledgements in words: who, which change, its status."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flowdesk.desk import Desk
from flowdesk.services.qa import load_review
from flowdesk.ui.qa_workspace.review_pdf import review_document
from tests.reports.test_review_acknowledgements import BILL_NOTE, desk  # noqa: F401 (fixture)


def test_the_pdf_names_each_change_and_its_status_in_words(qtbot, desk: Path) -> None:  # noqa: F811
    opened = Desk.open(desk)
    try:
        review = load_review(opened, "2026-11", None, 0.9)
    finally:
        opened.close()
    text = review_document(review).toPlainText()
    ran = next(
        r
        for r in review.acknowledgements.rows
        if r["agent_id"] == "A1002" and r["flow_id"] == "np-out"
    )
    local = datetime.fromisoformat(str(ran["confirmed_at"])).astimezone()
    assert f"{local:%Y-%m-%d %H:%M}" in text  # when, in this computer's time
    assert "未确认先运行" in text and "已确认" in text and "ran_first" not in text
    assert BILL_NOTE in text and "话费查询" in text  # the change's note and the flow's title
