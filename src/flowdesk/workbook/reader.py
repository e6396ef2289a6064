"""``flowdesk pack from-xlsx``: a pack workbook read back into pack source documents.

Reading goes in two passes, and nothing is written until both pass:

1. the sheets are read into pack.yaml and flow documents; a cell that cannot
   be read (no such sheet, a missing column, ``必做`` = "maybe") is a problem
   naming sheet, row and column (``流程 Flows!W14 (step.required)``);
2. the documents are serialised and checked by the same validator as
   ``pack validate`` (:func:`flowdesk.packs.source.parse_pack`); each of its
   problems is told at the cell the key came from.

The map sheets are for people and are not read: which flow claims a cell is
said by the flow's touch points.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from flowdesk.model import CLASS_NAMES_ZH, STEP_TYPE_NAMES_ZH
from flowdesk.packs.packfile import PACK_FILE
from flowdesk.packs.roundtrip import house_style, new_source_file
from flowdesk.packs.source import parse_pack
from flowdesk.problems import Problem, Refused, error
from flowdesk.workbook import cells
from flowdesk.workbook.cells import CellError, Column
from flowdesk.workbook.layout import (
    AXIS_COLUMNS,
    BRANDS_SHEET,
    BUSINESS_COLUMNS,
    BUSINESSES_SHEET,
    CHANNELS_SHEET,
    FLOWS_SHEET,
    FLOWS_SHEET_COLUMNS,
    PACK_KEYS,
    PACK_SHEET,
    REQUIRED_FLOW_KEYS,
    SYNONYMS_SHEET,
)

_CLASS_BY_NAME = {zh: code for code, zh in CLASS_NAMES_ZH.items()}
_TYPE_BY_NAME = {zh: code for code, zh in STEP_TYPE_NAMES_ZH.items()} | {"录入": "input"}


@dataclass
class WorkbookSource:
    """What a workbook says: documents by file name, and where each key was read."""

    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    places: dict[tuple[str, str], str] = field(default_factory=dict)
    """(file, key path) → ``sheet!A1 (key)``."""
    problems: list[Problem] = field(default_factory=list)

    def files(self) -> dict[str, bytes]:
        """The documents as YAML bytes, laid out like hand-written files."""
        return {
            name: new_source_file(Path(name), house_style(doc)).dumps()
            for name, doc in self.documents.items()
        }

    def place(self, file: str, key: str) -> str | None:
        """The cell a key path was read from, or of the nearest enclosing key."""
        while True:
            found = self.places.get((file, key))
            if found is not None or not key:
                return found
            cut = max(key.rfind("."), key.rfind("["))
            key = key[:cut] if cut > 0 else ""


class _Sheet:
    """One sheet read by its header keys, reporting problems at cells."""

    def __init__(self, book: Any, name: str, columns: tuple[Column, ...], out: WorkbookSource):
        self.name, self.out = name, out
        self.sheet: Worksheet | None = book[name] if name in book.sheetnames else None
        self.index: dict[str, int] = {}
        if self.sheet is None:
            out.problems.append(error(name, "", "missing sheet"))
            return
        header = next(self.sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        for col, value in enumerate(header, 1):
            key = cells.header_key(value)
            if key is not None:
                self.index.setdefault(key, col)
        wanted = {c.key for c in columns}
        for key in (k for k in (*REQUIRED_FLOW_KEYS, "code", "name") if k in wanted):
            if key not in self.index:
                out.problems.append(error(f"{name}!1", "", f"missing column {key!r}"))

    def rows(self) -> list[tuple[int, tuple[Any, ...]]]:
        if self.sheet is None or any(p.severity == "error" for p in self.out.problems):
            return []
        found = []
        for row, values in enumerate(self.sheet.iter_rows(min_row=2, values_only=True), 2):
            if any(v is not None and str(v).strip() for v in values):
                found.append((row, values))
        return found

    def cell(self, row: int, key: str) -> str:
        column = self.index.get(key, 0)
        letter = get_column_letter(column) if column else "?"
        return f"{self.name}!{letter}{row} ({key})"

    def get(self, values: tuple[Any, ...], key: str) -> Any:
        column = self.index.get(key)
        return values[column - 1] if column and column <= len(values) else None

    def read(self, row: int, values: tuple[Any, ...], key: str, reader: Any) -> Any:
        try:
            return reader(self.get(values, key))
        except CellError as exc:
            self.out.problems.append(error(self.cell(row, key), "", str(exc)))
            return None


def read_workbook(data: bytes, name: str = "workbook.xlsx") -> WorkbookSource:
    """Read the workbook's sheets into documents; problems name sheet, row and column."""
    out = WorkbookSource()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        out.problems.append(error(name, "", f"not an .xlsx workbook ({type(exc).__name__})"))
        return out
    head = _pack_head(book, out)
    head["channels"] = _axis(book, CHANNELS_SHEET, out)
    head["brands"] = _axis(book, BRANDS_SHEET, out)
    head["businesses"] = _businesses(book, out)
    groups = _synonyms(book)
    if groups:
        head["synonyms"] = groups
    out.documents[PACK_FILE] = head
    _flows(book, out)
    book.close()
    return out


def _pack_head(book: Any, out: WorkbookSource) -> dict[str, Any]:
    head: dict[str, Any] = {}
    if PACK_SHEET not in book.sheetnames:
        out.problems.append(error(PACK_SHEET, "", "missing sheet"))
        return head
    values = {}
    for row, line in enumerate(book[PACK_SHEET].iter_rows(min_row=2, values_only=True), 2):
        key = cells.text(line[0]) if line else None
        if key:
            values[key.strip()] = (row, line[2] if len(line) > 2 else None)
    for key, _zh in PACK_KEYS:
        if key not in values or values[key][1] is None:
            continue
        row, value = values[key]
        out.places[(PACK_FILE, key)] = f"{PACK_SHEET}!C{row} ({key})"
        try:
            if key == "sequence":
                head[key] = cells.integer(value)
            elif key == "effective":
                head[key] = cells.effective(value)
            else:
                head[key] = cells.text(value)
        except CellError as exc:
            out.problems.append(error(f"{PACK_SHEET}!C{row} ({key})", "", str(exc)))
    return head


def _axis(book: Any, name: str, out: WorkbookSource) -> list[dict[str, Any]]:
    sheet = _Sheet(book, name, AXIS_COLUMNS, out)
    key = "channels" if name == CHANNELS_SHEET else "brands"
    entries = []
    for row, values in sheet.rows():
        path = f"{key}[{len(entries)}]"
        out.places[(PACK_FILE, path)] = sheet.cell(row, "code")
        out.places[(PACK_FILE, f"{path}.name")] = sheet.cell(row, "name")
        entries.append(
            {
                "code": cells.text(sheet.get(values, "code")),
                "name": cells.text(sheet.get(values, "name")),
            }
        )
    return entries


def _businesses(book: Any, out: WorkbookSource) -> list[dict[str, Any]]:
    sheet = _Sheet(book, BUSINESSES_SHEET, BUSINESS_COLUMNS, out)
    entries = []
    for row, values in sheet.rows():
        path = f"businesses[{len(entries)}]"
        entry: dict[str, Any] = {
            "code": cells.text(sheet.get(values, "code")),
            "name": cells.text(sheet.get(values, "name")),
        }
        group = cells.text(sheet.get(values, "group"))
        if group is not None:
            entry["group"] = group
        entry["channels"] = cells.codes(sheet.get(values, "channels"))
        brands = cells.codes(sheet.get(values, "brands"))
        if brands:
            entry["brands"] = brands
        for key in ("code", "name", "group", "channels", "brands"):
            out.places[(PACK_FILE, f"{path}.{key}" if key != "code" else path)] = sheet.cell(
                row, key
            )
        out.places[(PACK_FILE, f"{path}.code")] = sheet.cell(row, "code")
        entries.append(entry)
    return entries


def _synonyms(book: Any) -> list[list[str]]:
    if SYNONYMS_SHEET not in book.sheetnames:
        return []
    groups = []
    for values in book[SYNONYMS_SHEET].iter_rows(min_row=2, values_only=True):
        words = [w for w in (cells.text(v) for v in values) if w]
        if words:
            groups.append(words)
    return groups


def _flows(book: Any, out: WorkbookSource) -> None:
    sheet = _Sheet(book, FLOWS_SHEET, FLOWS_SHEET_COLUMNS, out)
    flow_keys = [c.key for c in FLOWS_SHEET_COLUMNS if c.flow_level and c.key not in ("id", "file")]
    current: dict[str, Any] | None = None
    current_file = ""
    for row, values in sheet.rows():
        flow_id = cells.text(sheet.get(values, "id"))
        starts = flow_id is not None and (current is None or flow_id != current["id"])
        if starts:
            current_file = cells.text(sheet.get(values, "file")) or f"flows/{flow_id}.yaml"
            current_file = current_file.strip().replace("\\", "/")
            if not current_file.startswith("flows/") or not current_file.endswith(".yaml"):
                out.problems.append(
                    error(sheet.cell(row, "file"), "", "a flow file is flows/….yaml")
                )
            if current_file in out.documents:
                out.problems.append(
                    error(
                        sheet.cell(row, "id"), "", f"flow rows of {current_file} are not together"
                    )
                )
            current = _flow_head(sheet, row, values, current_file, flow_id or "")
            out.documents[current_file] = current
        elif current is None:
            out.problems.append(error(sheet.cell(row, "id"), "", "a step row before any flow id"))
            continue
        else:
            for key in flow_keys:
                if cells.text(sheet.get(values, key)) is not None:
                    out.problems.append(
                        error(sheet.cell(row, key), "", "flow fields go on the flow's first row")
                    )
        current["steps"].append(_step(sheet, row, values, current_file, len(current["steps"])))


def _flow_head(
    sheet: _Sheet, row: int, values: tuple[Any, ...], file: str, flow_id: str
) -> dict[str, Any]:
    places = sheet.out.places
    doc: dict[str, Any] = {"id": flow_id}
    places[(file, "")] = places[(file, "id")] = sheet.cell(row, "id")
    klass = cells.text(sheet.get(values, "class"))
    for key, value in (
        ("title", cells.text(sheet.get(values, "title"))),
        ("class", _CLASS_BY_NAME.get(klass or "", klass)),
        ("business", cells.text(sheet.get(values, "business"))),
        ("touchpoints", sheet.read(row, values, "touchpoints", cells.touchpoints)),
        ("keywords", cells.lines(sheet.get(values, "keywords"))),
        ("summary", cells.text(sheet.get(values, "summary"))),
    ):
        places[(file, key)] = sheet.cell(row, key)
        if value is not None and value != []:
            doc[key] = value
    elements = {}
    for key in ("input", "activities", "relations", "output", "customer", "value"):
        value = cells.text(sheet.get(values, f"elements.{key}"))
        places[(file, f"elements.{key}")] = sheet.cell(row, f"elements.{key}")
        if value is not None:
            elements[key] = value
    if elements:
        doc["elements"] = elements
    owner = cells.text(sheet.get(values, "owner"))
    places[(file, "owner")] = sheet.cell(row, "owner")
    if owner is not None:
        doc["owner"] = owner
    variables = sheet.read(row, values, "variables", lambda v: cells.mappings(v, "variable"))
    places[(file, "variables")] = sheet.cell(row, "variables")
    if variables:
        doc["variables"] = variables
    doc["steps"] = []
    return doc


def _step(
    sheet: _Sheet, row: int, values: tuple[Any, ...], file: str, index: int
) -> dict[str, Any]:
    path = f"steps[{index}]"
    places = sheet.out.places
    places[(file, path)] = sheet.cell(row, "step.id")
    kind = cells.text(sheet.get(values, "step.type"))
    step: dict[str, Any] = {
        "id": cells.text(sheet.get(values, "step.id")),
        "type": _TYPE_BY_NAME.get(kind or "", kind),
        "text": cells.text(sheet.get(values, "step.text")),
    }
    note = cells.text(sheet.get(values, "step.note"))
    if note is not None:
        step["note"] = note
    if sheet.read(row, values, "step.required", cells.boolean):
        step["required"] = True
    for key in ("variable", "next"):
        value = cells.text(sheet.get(values, f"step.{key}"))
        if value is not None:
            step[key] = value.strip()
    options = sheet.read(row, values, "step.options", cells.options)
    if options:
        step["options"] = options
        for number in range(len(options)):
            places[(file, f"{path}.options[{number}]")] = sheet.cell(row, "step.options")
    target = cells.text(sheet.get(values, "step.target"))
    if target is not None:
        step["target"] = target
    for key in ("id", "type", "text", "note", "required", "next", "options", "target", "variable"):
        places[(file, f"{path}.{key}")] = sheet.cell(row, f"step.{key}")
    return step


def workbook_to_source(data: bytes, name: str = "workbook.xlsx") -> dict[str, bytes]:
    """The pack source files a workbook says, validated; :class:`Refused` if it is malformed.

    Every problem, from reading or validation, names the workbook's sheet,
    row and column; warnings (blind spots) do not refuse.
    """
    source = read_workbook(data, name)
    if any(p.severity == "error" for p in source.problems):
        raise Refused(_at_workbook(source.problems, name))
    files = source.files()
    _pack, problems = parse_pack(files)
    told = [_told_at_cell(p, source, name) for p in problems]
    if any(p.severity == "error" for p in told):
        raise Refused(told)
    return files


def _at_workbook(problems: list[Problem], name: str) -> list[Problem]:
    return [Problem(p.severity, f"{name}: {p.file}", p.key, p.message, p.line) for p in problems]


def _told_at_cell(problem: Problem, source: WorkbookSource, name: str) -> Problem:
    cell = source.place(problem.file, problem.key)
    where = f"{name}: {cell}" if cell else f"{name}: {problem.file}"
    return Problem(problem.severity, where, problem.key, problem.message, None)
