"""Fixtures for the fault-injection tests (the helpers live in fault_desk.py)."""

from tests.faults.fault_desk import desk, template

__all__ = ["desk", "template"]
