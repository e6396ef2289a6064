"""Fixtures of the QA view tests: the report tests' calls and usage store, shown on screen."""

from tests.reports.report_fixtures import calls, store

__all__ = ["calls", "store"]
