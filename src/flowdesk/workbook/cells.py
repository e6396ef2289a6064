"""How pack values are written in spreadsheet cells, and read back.

Process owners draft in Excel, so a cell holds what a person would type:
lists one item a line, options as ``label → next``, ``是``/``否`` or TRUE/FALSE
for booleans. Whatever a short form cannot say exactly (an option with a
``when``, a label containing the arrow) is written as a one-line YAML
mapping, ``{label: 是, next: pay, when: {plan: A}}``, which reads back the same.

Readers raise :class:`CellError` with the reason; the workbook reader adds
the sheet, row and column.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

import yaml

ARROW = " → "
TRUE_WORDS = {"是", "true", "yes", "y", "1", "√", "✓", "必做"}
FALSE_WORDS = {"否", "false", "no", "n", "0", ""}


class CellError(ValueError):
    """A cell whose content cannot be read; the message says what was expected."""


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its key (as written in files) and its header for people."""

    key: str
    zh: str
    en: str
    width: int = 14
    flow_level: bool = False

    @property
    def header(self) -> str:
        return f"{self.zh}\n{self.key}"


def header_key(value: Any) -> str | None:
    """The column key of a header cell (its last line), None for an empty one."""
    if value is None:
        return None
    text = str(value).strip()
    return text.splitlines()[-1].strip() if text else None


def text(value: Any) -> str | None:
    """A cell as text: numbers as a person typed them (``10086``, not ``10086.0``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    result = str(value)
    return result if result.strip() else None


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = (text(value) or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"expected 是/否 (TRUE/FALSE), found {word!r}")


def lines(value: Any) -> list[str]:
    """A cell holding one item a line; blank lines skipped."""
    raw = text(value)
    if raw is None:
        return []
    return [line.strip() for line in raw.replace("\r\n", "\n").split("\n") if line.strip()]


def codes(value: Any) -> list[str]:
    """Codes separated by commas, 、, spaces or new lines: ``C1, C2``."""
    raw = text(value) or ""
    for sep in ("、", "，", ",", ";", "；", "\n"):
        raw = raw.replace(sep, " ")
    return raw.split()


def write_lines(items: list[str]) -> str | None:
    return "\n".join(items) if items else None


def write_codes(items: list[str]) -> str | None:
    return ", ".join(items) if items else None


def _flow_yaml(value: dict[str, Any]) -> str:
    dumped = yaml.safe_dump(
        value, allow_unicode=True, default_flow_style=True, sort_keys=False, width=100_000
    )
    return dumped.strip()


def _mapping_line(line: str, what: str) -> dict[str, Any]:
    try:
        value = yaml.safe_load(line)
    except yaml.YAMLError as exc:
        reason = getattr(exc, "problem", None) or "not YAML"
        raise CellError(f"{what} {line!r}: {reason}") from None
    if not isinstance(value, dict):
        raise CellError(f"{what} {line!r}: expected a {{key: value}} mapping")
    return {str(k): v for k, v in value.items()}


def write_options(options: list[dict[str, Any]]) -> str | None:
    """``label → next`` a line; a YAML mapping line where the short form cannot say it."""
    out = []
    for option in options:
        label, nxt = str(option.get("label", "")), str(option.get("next", ""))
        simple = set(option) <= {"label", "next"} and ARROW.strip() not in label
        simple = simple and nxt and not any(c.isspace() for c in nxt) and label == label.strip()
        out.append(f"{label}{ARROW}{nxt}" if simple else _flow_yaml(option))
    return write_lines(out)


def options(value: Any) -> list[dict[str, Any]]:
    result = []
    for line in lines(value):
        if line.startswith("{"):
            result.append(_mapping_line(line, "option"))
            continue
        label, arrow, nxt = line.rpartition(ARROW.strip())
        if not arrow or not label.strip() or not nxt.strip():
            raise CellError(f"option {line!r}: expected 'label → next'")
        result.append({"label": label.strip(), "next": nxt.strip()})
    return result


def write_touchpoints(entries: list[dict[str, Any]]) -> str | None:
    """``C1`` (the business's brands) or ``C2: G, M`` a line."""
    out = []
    for entry in entries:
        brands = entry.get("brands")
        out.append(entry["channel"] + (f": {', '.join(brands)}" if brands is not None else ""))
    return write_lines(out)


def touchpoints(value: Any) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for line in lines(value):
        channel, colon, brands = line.replace("：", ":").partition(":")
        entry: dict[str, Any] = {"channel": channel.strip()}
        if colon:
            entry["brands"] = codes(brands)
        if not entry["channel"]:
            raise CellError(f"touch point {line!r}: expected 'CHANNEL' or 'CHANNEL: BRAND, …'")
        result.append(entry)
    return result


def write_mappings(items: list[dict[str, Any]]) -> str | None:
    """Small mappings one a line (variables): ``{name: phone, label: 手机号}``."""
    return write_lines([_flow_yaml(item) for item in items])


def mappings(value: Any, what: str) -> list[dict[str, Any]]:
    return [_mapping_line(line, what) for line in lines(value)]


def when_text(value: Any) -> str | None:
    """A ``when`` written on its own (Studio fields): ``{plan: [A, B]}``."""
    return _flow_yaml(value) if value else None


def effective(value: Any) -> _dt.date | _dt.datetime | None:
    """``effective``: a date or an RFC 3339 time (§5), from a date cell or text."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0) and value.tzinfo is None:
            return value.date()
        return value
    if isinstance(value, _dt.date):
        return value
    raw = (text(value) or "").strip()
    if not raw:
        return None
    try:
        if len(raw) == 10:
            return _dt.date.fromisoformat(raw)
        return _dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise CellError(f"expected a date (2026-12-01) or time, found {raw!r}") from None


def integer(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError("expected a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raw = (text(value) or "").strip()
    if raw.isdigit():
        return int(raw)
    raise CellError(f"expected a whole number, found {raw!r}")
