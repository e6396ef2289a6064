"""The QA view (质检): reports as tables and charts, drilling down to single runs."""

from flowdesk.ui.qa.loader import qa_view_for_desk
from flowdesk.ui.qa.view import QaView

__all__ = ["QaView", "qa_view_for_desk"]
