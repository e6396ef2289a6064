"""Typed reading of YAML fields, each problem placed by file, key path and line.

Pack and flow files share the same kinds of fields (required text, codes,
lists of mappings …). Reading them through one small class keeps every
message worded the same way and every problem carrying its key path
(``steps[3].options[1].next``) and the line the key was written on.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from flowdesk.packs.yamlload import YMap, YSeq, is_date
from flowdesk.problems import Problem, Severity

_MISSING = object()


def join(path: str, key: str) -> str:
    """``steps[3]`` + ``next`` → ``steps[3].next``."""
    return f"{path}.{key}" if path else key


def describe(value: Any) -> str:
    """How a wrong-typed value is named in a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, _dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"text ({value!r})" if isinstance(value, str) else type(value).__name__


class FieldReader:
    """Reads fields of one file and collects its problems."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        self.failed = False  # an error was reported for this file

    def report(self, severity: Severity, key: str, message: str, line: int | None) -> None:
        if severity == "error":
            self.failed = True
        self.problems.append(Problem(severity, self.file, key, message, line))

    def error(self, key: str, message: str, line: int | None = None) -> None:
        self.report("error", key, message, line)

    def warning(self, key: str, message: str, line: int | None = None) -> None:
        self.report("warning", key, message, line)

    def _get(self, m: YMap, key: str, path: str, required: bool) -> Any:
        """The value of ``key``, or ``_MISSING`` (reported when required)."""
        if key not in m:
            if required:
                self.error(join(path, key), "required, but missing", m.line)
            return _MISSING
        value = m[key]
        if value is None:
            if required:
                self.error(join(path, key), "required, but empty", m.line_of(key))
            return _MISSING
        return value

    def text(self, m: YMap, key: str, path: str = "", *, required: bool = False) -> str | None:
        """A text field; numbers, booleans and dates are taken as written."""
        value = self._get(m, key, path, required)
        if value is _MISSING:
            return None
        if isinstance(value, str):
            if required and not value.strip():
                self.error(join(path, key), "required, but empty", m.line_of(key))
                return None
            return value
        if isinstance(value, bool | int | float | _dt.date):
            written = m.text_of(key)
            return written if written is not None else str(value)
        self.error(join(path, key), f"expected text, found {describe(value)}", m.line_of(key))
        return None

    def code(
        self, m: YMap, key: str, path: str, pattern: re.Pattern[str], *, required: bool = True
    ) -> str | None:
        """A code or id that must match ``pattern`` entirely."""
        value = self.text(m, key, path, required=required)
        if value is None:
            return None
        if not pattern.fullmatch(value):
            self.error(
                join(path, key),
                f"{value!r} is not a valid {key} (expected {pattern.pattern})",
                m.line_of(key),
            )
            return None
        return value

    def boolean(self, m: YMap, key: str, path: str, default: bool) -> bool:
        value = self._get(m, key, path, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.error(
                join(path, key), f"expected true or false, found {describe(value)}", m.line_of(key)
            )
            return default
        return value

    def positive_int(self, m: YMap, key: str, path: str = "") -> int | None:
        value = self._get(m, key, path, True)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(
                join(path, key),
                f"expected a positive integer, found {describe(value)}",
                m.line_of(key),
            )
            return None
        if value <= 0:
            self.error(join(path, key), f"must be a positive integer, not {value}", m.line_of(key))
            return None
        return value

    def date(self, m: YMap, key: str, path: str = "") -> _dt.date | None:
        """A calendar date, written as a YAML date or an ISO string (``2026-11-01``)."""
        value = self._get(m, key, path, False)
        if value is _MISSING:
            return None
        if is_date(value):
            return value  # type: ignore[no-any-return]
        if isinstance(value, str):
            try:
                return _dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(
            join(path, key),
            f"expected a date like 2026-11-01, found {describe(value)}",
            m.line_of(key),
        )
        return None

    def mapping(self, value: Any, path: str, line: int | None) -> YMap | None:
        """``value`` when it is a mapping, else reported."""
        if isinstance(value, YMap):
            return value
        self.error(path, f"expected a mapping (key: value), found {describe(value)}", line)
        return None

    def seq(self, m: YMap, key: str, path: str = "", *, required: bool = False) -> YSeq | None:
        value = self._get(m, key, path, required)
        if value is _MISSING:
            return None
        if not isinstance(value, YSeq):
            self.error(join(path, key), f"expected a list, found {describe(value)}", m.line_of(key))
            return None
        return value

    def item_text(self, items: YSeq, index: int, path: str) -> str | None:
        """Item ``index`` of a list of text; numbers are taken as written."""
        value = items[index]
        item_path = f"{path}[{index}]"
        if isinstance(value, str):
            return value
        if isinstance(value, bool | int | float | _dt.date):
            written = items.text_of(index)
            return written if written is not None else str(value)
        self.error(item_path, f"expected text, found {describe(value)}", items.line_of(index))
        return None

    def mappings(self, items: YSeq, path: str) -> list[tuple[int, str, YMap]]:
        """The mapping items of a list as ``(index, key path, mapping)``; others reported."""
        found = []
        for index, value in enumerate(items):
            item_path = f"{path}[{index}]"
            item = self.mapping(value, item_path, items.line_of(index))
            if item is not None:
                found.append((index, item_path, item))
        return found
