"""The pack source being edited in the Studio: documents, live validation, saving.

Plain Python (no Qt), so it is tested and benchmarked without a window.

* Opening reads every file once with the fast reader (:mod:`flowdesk.packs`)
  and keeps each file's bytes, its :class:`FlowRead` and its problems.
* An edit replaces one file's *document* (a plain dict, as
  :func:`flowdesk.packs.sourcedoc.flow_document` makes it); only that file is
  read again, then the checks across flows run over the kept reads. That is
  the same validator as ``pack validate``, incremental.
* Saving writes only edited files, through :mod:`flowdesk.packs.roundtrip`:
  the change between what the file meant when loaded and what it means now
  is merged into the author's file, so comments and layout stay. A file
  changed on disk by someone else is reported, never overwritten silently.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from flowdesk.files import atomic_write
from flowdesk.model import FORMAT, Flow, Pack, TouchPoint
from flowdesk.packs.fields import FieldReader
from flowdesk.packs.flowfile import FlowRead
from flowdesk.packs.packfile import PACK_FILE, PackHead, read_pack_yaml
from flowdesk.packs.roundtrip import (
    ChangedOnDisk,
    apply_changes,
    apply_value,
    house_style,
    new_source_file,
    parse_source_text,
    save_source_file,
)
from flowdesk.packs.source import assemble_pack, read_flow_file, read_folder
from flowdesk.packs.sourcedoc import flow_document, flow_file_name, pack_document
from flowdesk.packs.yamlload import load_yaml
from flowdesk.problems import Problem
from flowdesk.ui.studio.reading import read_flows

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

NEW_PACK: dict[str, Any] = {
    "format": FORMAT,
    "id": "new-pack",
    "title": "新流程包",
    "sequence": 1,
    "channels": [{"code": "C1", "name": "热线语音"}],
    "brands": [{"code": "G", "name": "全球通"}],
    "businesses": [{"code": "B01", "name": "交费", "channels": ["C1"]}],
}


def dump_plain(doc: dict[str, Any]) -> bytes:
    """A document as YAML for the validator (libyaml: fast; never written to the author's files)."""
    text = yaml.dump(doc, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)
    return text.encode("utf-8")


@dataclass
class SaveReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


class StudioDocument:
    """One pack source folder open for editing."""

    def __init__(self, folder: Path, files: dict[str, bytes], read_problems: list[Problem]):
        self.folder = Path(folder)
        self.files = dict(files)
        self.disk = dict(files)  # the bytes each file had when read or last saved
        self.read_problems = [p for p in read_problems if p.file not in files]
        self.docs: dict[str, dict[str, Any]] = {}  # edited documents, by file name
        self.base: dict[str, dict[str, Any] | None] = {}  # their meaning on disk
        self.removed: set[str] = set()
        self._reads: dict[str, tuple[FlowRead | None, list[Problem]]] = {}
        self._across: list[Problem] = []  # problems of the checks across flows
        self._positions: dict[str, int] = {}  # file name → index of its flow in pack.flows
        self.head: PackHead | None = None
        self._head_problems: list[Problem] = []
        self.pack: Pack | None = None
        self.problems: list[Problem] = []
        self._read_head()
        self._reads = read_flows(self.files, self.flow_names(), self.head)
        self.revalidate()

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, folder: Path) -> StudioDocument:
        files, problems = read_folder(Path(folder))
        return cls(folder, files, problems)

    @classmethod
    def create(cls, folder: Path) -> StudioDocument:
        """A new pack source (written on first save)."""
        document = cls(folder, {PACK_FILE: dump_plain(NEW_PACK)}, [])
        document.disk = {}
        document.docs[PACK_FILE] = copy.deepcopy(NEW_PACK)
        document.base[PACK_FILE] = None
        return document

    def flow_names(self) -> list[str]:
        return sorted(n for n in self.files if n != PACK_FILE)

    # -- reading and validating --------------------------------------------

    def _read_head(self) -> None:
        self._head_problems = []
        self.head = None
        if PACK_FILE in self.files:
            doc, found = load_yaml(self.files[PACK_FILE], PACK_FILE)
            self._head_problems += found
            if doc is not None:
                self.head = read_pack_yaml(doc, FieldReader(PACK_FILE, self._head_problems))

    def revalidate(self, edited: str | None = None, claims_before: Any = None) -> list[Problem]:
        """The checks across flows over the kept reads; every problem, errors first.

        When only ``edited`` changed and its id and touch points are what they
        were (``claims_before``), the checks across flows cannot have changed:
        their problems are kept and the new flow takes the old one's place.
        """
        problems = list(self.read_problems) + list(self._head_problems)
        reads = []
        names = self.flow_names()
        for name in names:
            read, found = self._reads[name]
            problems += found
            if read is not None:
                reads.append(read)
        read = self._reads.get(edited or "", (None, []))[0]
        if (
            read is not None
            and self.pack is not None
            and claims_before is not None
            and claims_before == _claim_key(read)
            and edited in self._positions
        ):
            flows = list(self.pack.flows)
            flows[self._positions[edited]] = read.flow
            self.pack = dataclasses.replace(self.pack, flows=tuple(flows))
            problems += self._across
        else:
            count = len(problems)
            self.pack, problems = assemble_pack(self.head, reads, problems, draft=True)
            self._across = problems[count:]
            kept = {id(f) for f in self.pack.flows} if self.pack is not None else set()
            self._positions = {}
            position = 0
            for name in names:
                flow_read = self._reads[name][0]
                if flow_read is not None and id(flow_read.flow) in kept:
                    self._positions[name] = position
                    position += 1
        self.problems = sorted(problems, key=lambda p: p.severity != "error")
        return self.problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    # -- documents ---------------------------------------------------------

    def flow(self, name: str) -> Flow | None:
        read = self._reads.get(name, (None, []))[0]
        return read.flow if read is not None else None

    def name_of(self, flow_id: str) -> str | None:
        for name, (read, _problems) in self._reads.items():
            if read is not None and read.flow.id == flow_id:
                return name
        return None

    def document(self, name: str) -> dict[str, Any] | None:
        """What a file says now, as a plain document (a copy: edit it and hand it back)."""
        if name in self.docs:
            return copy.deepcopy(self.docs[name])
        meaning = self._meaning(name)
        return copy.deepcopy(meaning) if meaning is not None else None

    def _meaning(self, name: str) -> dict[str, Any] | None:
        if self.pack is None:
            return None
        if name == PACK_FILE:
            return pack_document(self.pack)
        flow = self.flow(name)
        return flow_document(flow, self.pack) if flow is not None else None

    def set_document(self, name: str, doc: dict[str, Any]) -> list[Problem]:
        """Replace one file's document; only it is read again (pack.yaml: every flow)."""
        if name not in self.docs and name not in self.base:
            self.base[name] = self._meaning(name) if name in self.disk else None
        self.docs[name] = copy.deepcopy(doc)
        self.removed.discard(name)
        self.files[name] = dump_plain(doc)
        if name == PACK_FILE:
            self._read_head()
            self._reads = read_flows(self.files, self.flow_names(), self.head)
            return self.revalidate()
        before = self._reads.get(name, (None, []))[0]
        self._reads[name] = read_flow_file(self.files[name], name, self.head, name)
        return self.revalidate(name, _claim_key(before) if before is not None else None)

    def remove(self, name: str) -> list[Problem]:
        if name in self.files and name != PACK_FILE:
            del self.files[name]
            self._reads.pop(name, None)
            self.docs.pop(name, None)
            self.removed.add(name)
        return self.revalidate()

    def restore(self, name: str, doc: dict[str, Any] | None) -> list[Problem]:
        """Undo's way back: a document, or None for a file that did not exist."""
        return self.remove(name) if doc is None else self.set_document(name, doc)

    def new_flow_for(self, touchpoint: TouchPoint) -> tuple[str, dict[str, Any]]:
        """A file name and a starting document for a flow claiming a blind spot."""
        assert self.pack is not None
        business = self.pack.business(touchpoint.business)
        channel = next((c for c in self.pack.channels if c.code == touchpoint.channel), None)
        flow_id = f"{touchpoint.business}-{touchpoint.channel}-{touchpoint.brand}".lower()
        while self.name_of(flow_id) is not None:
            flow_id += "-new"
        title = f"{business.name}（{channel.name if channel else touchpoint.channel}）"
        draft = Flow(
            id=flow_id,
            title=title,
            flow_class="handling",
            steps=(),
            business=business.code,
            touchpoints=(touchpoint,),
        )
        doc = flow_document(draft, self.pack)
        doc["steps"] = [
            {"id": "greet", "type": "script", "text": "您好，请问有什么可以帮您？"},
            {"id": "end", "type": "end", "text": "感谢您的来电，再见！"},
        ]
        name = flow_file_name(draft, self.pack)
        while name in self.files:
            name = name.removesuffix(".yaml") + "-new.yaml"
        return name, doc

    # -- saving ------------------------------------------------------------

    @property
    def modified(self) -> bool:
        return bool(self.docs) or bool(self.removed)

    def changed_on_disk(self, names: Iterable[str] | None = None) -> list[str]:
        """Files someone else changed (or removed) since they were read or saved here.

        ``names``: only these (a 10,000-file source is not read again every few seconds).
        """
        wanted = self.disk if names is None else [n for n in names if n in self.disk]
        changed = []
        for name in sorted(wanted):
            data = self.disk[name]
            path = self.folder / name
            try:
                if path.read_bytes() != data:
                    changed.append(name)
            except FileNotFoundError:
                changed.append(name)
        return changed

    def save(self, *, force: Iterable[str] = ()) -> SaveReport:
        """Write edited files (only those), atomically; conflicts are listed, not written."""
        report = SaveReport()
        forced = set(force)
        for name in sorted(self.docs):
            try:
                written = self._save_one(name, name in forced)
            except ChangedOnDisk:
                report.conflicts.append(name)
                continue
            if written:
                report.written.append(name)
        for name in sorted(self.removed):
            path = self.folder / name
            if path.exists() and self.disk.get(name) == path.read_bytes():
                path.unlink()
                report.removed.append(name)
            elif path.exists():
                report.conflicts.append(name)
                continue
            self.disk.pop(name, None)
            self.removed.discard(name)
        return report

    def _save_one(self, name: str, force: bool) -> bool:
        path = self.folder / name
        doc = self.docs[name]
        if name in self.disk:
            if not force and path.exists() and path.read_bytes() != self.disk[name]:
                raise ChangedOnDisk(name, "changed on disk since it was opened")
            source = parse_source_text(self.disk[name], path)
            base = self.base.get(name)
            if base is not None:
                source.data = apply_changes(source.data, base, doc)
            else:
                source.data = apply_value(source.data, doc)
            written = save_source_file(source, force=True)
            data = source.original
        else:
            data = new_source_file(path, house_style(doc)).dumps()
            atomic_write(path, data)
            written = True
        self.disk[name] = data
        self.files[name] = data
        self.base[name] = doc
        del self.docs[name]
        return written


def _claim_key(read: FlowRead) -> tuple[Any, ...]:
    """What the checks across flows look at in one flow: its id and its claims."""
    return (
        read.flow.id,
        read.id_line,
        read.flow.touchpoints,
        tuple(read.touchpoint_places.items()),
    )


def sample_values(flow: Flow) -> dict[str, str]:
    """Values to preview a flow with: each variable's label (what an agent would see)."""
    today = _dt.date.today().isoformat()
    values = {v.name: f"{v.label}" for v in flow.variables if v.source == "cti"}
    values.setdefault("call_id", f"preview-{today}")
    return values
