"""Fixtures for the report tests (builders live in report_fixtures.py)."""

from tests.reports.report_fixtures import calls, store

__all__ = ["calls", "store"]
