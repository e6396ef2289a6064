"""Moving logs between desks and QA: ``usage export`` and ``usage import``.

Import is all or nothing: the whole file is read and checked inside one
transaction, and any bad line (reported with its line number and key) rolls it
back, so a log is never half-imported. Logs from many desks merge in any
order and any number of times, because an event already stored (same
``event_id``) is skipped.

Export writes the contract's JSON Lines, or CSV / xlsx with the contract's keys
as columns for people who read logs in a spreadsheet. Pseudonymising replaces
each agent id with a keyed hash: the same agent gets the same pseudonym within
one export (and across exports that share a key), but the id cannot be read back.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import IO, TypeVar

from sqlalchemy import Engine, func, select

from flowdesk.files import replacing
from flowdesk.gcpause import gc_paused
from flowdesk.problems import Problem, Refused, error
from flowdesk.usage.events import UsageEvent
from flowdesk.usage.rows import (
    ALL_EVENTS,
    EventFilter,
    Row,
    insert_ignoring_duplicates,
    json_to_row,
    read_events,
)
from flowdesk.usage.schema import usage_event

T = TypeVar("T")
EXPORT_FORMATS = ("jsonl", "csv", "xlsx")
CONTRACT_KEYS = tuple(f.name for f in fields(UsageEvent))
_INSERT_BATCH = 20_000
XLSX_MAX_EVENTS = 1_048_575  # Excel's row limit, less the heading row
_MAX_PROBLEMS = 50


@dataclass(frozen=True)
class UsageImport:
    """What an import did: lines read, events new to this store, duplicates skipped."""

    lines: int
    imported: int
    duplicates: int


def pseudonymiser(key: bytes | None = None) -> Callable[[str], str]:
    """Agent id → stable pseudonym ``P-`` + 12 hex digits (HMAC-SHA256 under ``key``).

    Without a key a random one is drawn, so two exports cannot be linked.
    """
    secret = key if key is not None else secrets.token_bytes(32)

    def pseudonym(agent_id: str) -> str:
        digest = hmac.new(secret, agent_id.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"P-{digest[:12]}"

    return pseudonym


def export_events(
    engine: Engine,
    out: Path | None,
    fmt: str,
    where: EventFilter = ALL_EVENTS,
    pseudonymise: Callable[[str], str] | None = None,
    stream: IO[str] | None = None,
) -> int:
    """Write the selected events in time order to ``out`` (or ``stream``); returns the count.

    A file is written beside its target and renamed into place, so a failed
    export never leaves a truncated file under the expected name.
    """
    if fmt not in EXPORT_FORMATS:
        raise Refused(f"unknown export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
    if fmt == "xlsx" and out is None:
        raise Refused("xlsx export needs an output file (-o FILE.xlsx)")
    with engine.connect() as conn:
        if fmt == "xlsx":
            total = conn.execute(where.apply(select(func.count()).select_from(usage_event)))
            if total.scalar_one() > XLSX_MAX_EVENTS:
                raise Refused(
                    f"an xlsx sheet holds at most {XLSX_MAX_EVENTS:,} events; "
                    "narrow --since/--until or export jsonl or csv"
                )
        events: Iterator[UsageEvent] = read_events(conn, where)
        if pseudonymise is not None:
            events = (replace(ev, agent_id=pseudonymise(ev.agent_id)) for ev in events)
        if out is None:
            assert stream is not None
            return _WRITERS[fmt](events, stream)
        return _write_atomically(out, fmt, events)


def _write_atomically(out: Path, fmt: str, events: Iterable[UsageEvent]) -> int:
    with replacing(out) as tmp:
        if fmt == "xlsx":
            return _write_xlsx(events, tmp)
        newline = "" if fmt == "csv" else "\n"
        with tmp.open("w", encoding="utf-8", newline=newline) as fh:
            return _WRITERS[fmt](events, fh)


def _write_jsonl(events: Iterable[UsageEvent], fh: IO[str]) -> int:
    count = 0
    for ev in events:
        fh.write(json.dumps(ev.to_json(), ensure_ascii=False, separators=(",", ":")))
        fh.write("\n")
        count += 1
    return count


def _flat(ev: UsageEvent) -> list[object]:
    obj = ev.to_json()
    return [obj.get(k) for k in CONTRACT_KEYS]


def _write_csv(events: Iterable[UsageEvent], fh: IO[str]) -> int:
    writer = csv.writer(fh)
    writer.writerow(CONTRACT_KEYS)
    count = 0
    for ev in events:
        writer.writerow(["" if v is None else v for v in _flat(ev)])
        count += 1
    return count


def _write_xlsx(events: Iterable[UsageEvent], path: Path) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("usage")
    sheet.append(list(CONTRACT_KEYS))
    count = 0
    for ev in events:
        sheet.append(_flat(ev))
        count += 1
    book.save(path)
    return count


_WRITERS: dict[str, Callable[[Iterable[UsageEvent], IO[str]], int]] = {
    "jsonl": _write_jsonl,
    "csv": _write_csv,
}


def parse_jsonl(
    lines: Iterable[bytes | str],
    name: str,
    convert: Callable[[object, str], T] = UsageEvent.from_json,  # type: ignore[assignment]
) -> Iterator[T | Problem]:
    """Each non-blank line as an event (or a row, with ``convert``), or the problem with it."""
    for number, raw in enumerate(lines, start=1):
        where = f"{name}:{number}"
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError:
            yield error(name, "", "not UTF-8 text", line=number)
            continue
        if number == 1:
            text = text.removeprefix("\ufeff")  # a byte-order mark from a Windows editor
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield error(name, "", f"not valid JSON: {exc.msg} (column {exc.colno})", line=number)
            continue
        try:
            yield convert(obj, where)
        except Refused as refused:
            for p in refused.problems:
                yield Problem(p.severity, name, p.key, p.message, line=number)


def import_events(engine: Engine, path: Path) -> UsageImport:
    """Merge a JSON Lines log into the store: every line, or (on any bad line) none."""
    name = path.name
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise Refused(f"cannot read the log: {exc.strerror}", file=str(path)) from None
    problems: list[Problem] = []
    lines = imported = 0
    with fh, engine.connect() as conn, gc_paused():
        trans = conn.begin()
        try:
            batch: list[Row] = []
            for item in parse_jsonl(fh, name, json_to_row):
                if isinstance(item, Problem):
                    if len(problems) < _MAX_PROBLEMS:
                        problems.append(item)
                    continue
                lines += 1
                if problems:
                    continue  # keep checking the rest, but the file is refused
                batch.append(item)
                if len(batch) >= _INSERT_BATCH:
                    imported += insert_ignoring_duplicates(conn, batch)
                    batch = []
            if problems:
                raise Refused(problems)
            imported += insert_ignoring_duplicates(conn, batch)
            trans.commit()
        except BaseException:
            trans.rollback()
            raise
    return UsageImport(lines=lines, imported=imported, duplicates=lines - imported)
