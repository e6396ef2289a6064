"""The pack source being edited in the Studio: documents, live validation, saving.

Plain Python (no Qt), so it is tested and benchmarked without a window.

* Opening reads every file once with the pack validator's reader (in worker
  processes for a large source, :mod:`flowdesk.ui.studio.reading`) and keeps
  each file's bytes, its problems and a :class:`FlowRead`; on a large source
  that is a stub without steps until the flow is opened. With
  ``defer_checks`` a large source is only outlined at first (what the map
  needs) and its files are checked by a job while the window is in use
  (:mod:`flowdesk.ui.studio.pending`).
* An edit replaces one file's *document* (a plain dict, as
  :func:`flowdesk.packs.sourcedoc.flow_document` makes it); only that file is
  read again, then the checks across flows run over the kept reads. That is
  the same validator as ``pack validate``, incremental. An edit of pack.yaml
  reads again only the flows its axes can change; many of them are read by a
  job the window runs off the UI thread (:meth:`StudioDocument.check_job`).
* Saving writes only edited files, through :mod:`flowdesk.packs.roundtrip`:
  the change between what the file meant when loaded and what it means now
  is merged into the author's file, so comments and layout stay. A file
  changed on disk by someone else is reported, never overwritten silently.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as _dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from flowdesk.model import FORMAT, Flow, Pack, TouchPoint
from flowdesk.packs.fields import FieldReader
from flowdesk.packs.flowfile import FlowRead
from flowdesk.packs.packfile import PACK_FILE, PackHead, read_pack_yaml
from flowdesk.packs.source import assemble_pack, read_flow_file, read_folder
from flowdesk.packs.sourcedoc import flow_document, flow_file_name, pack_document
from flowdesk.packs.yamlload import load_yaml
from flowdesk.problems import Problem
from flowdesk.ui.studio.pending import PendingChecks, claim_key
from flowdesk.ui.studio.readcache import ReadCache
from flowdesk.ui.studio.reading import Progress, Reads, names_axes, read_flows, read_whole
from flowdesk.ui.studio.saving import SourceFiles

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
SYNC_REREAD = 150
"""Flows an edit of pack.yaml reads again at once; more go to a job off the UI thread."""

NEW_PACK: dict[str, Any] = {
    "format": FORMAT,
    "id": "new-pack",
    "title": "新流程包",
    "sequence": 1,
    "channels": [{"code": "C1", "name": "热线语音"}],
    "brands": [{"code": "G", "name": "全球通"}],
    "businesses": [{"code": "B01", "name": "交费", "group": "交费与发票", "channels": ["C1"]}],
}


def dump_plain(doc: dict[str, Any]) -> bytes:
    """A document as YAML for the validator (libyaml: fast; never written to the author's files)."""
    text = yaml.dump(doc, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=10_000)
    return text.encode("utf-8")


class StudioDocument(SourceFiles, PendingChecks):
    """One pack source folder open for editing."""

    def __init__(
        self,
        folder: Path,
        files: dict[str, bytes],
        read_problems: list[Problem],
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        cache: ReadCache | None = None,
        *,
        defer_checks: bool = False,
    ):
        self.folder = Path(folder)
        self.files = dict(files)
        self.disk = dict(files)  # the bytes each file had when read or last saved
        self.read_problems = [p for p in read_problems if p.file not in files]
        self.docs: dict[str, dict[str, Any]] = {}  # edited documents, by file name
        self.base: dict[str, dict[str, Any] | None] = {}  # their meaning on disk
        self.removed: set[str] = set()
        self._reads: Reads = {}
        self._whole: set[str] = set()  # files read whole (the others are stubs)
        self._axes: set[str] = set()  # flows whose `when` names brand/channel/touchpoint
        self._across: list[Problem] = []  # problems of the checks across flows
        self._positions: dict[str, int] = {}  # file name → index of its flow in pack.flows
        self.head: PackHead | None = None
        self._head_problems: list[Problem] = []
        self.pack: Pack | None = None
        self.problems: list[Problem] = []
        self._read_head()
        reading = read_flows(
            self.files,
            self.flow_names(),
            self.head,
            progress,
            cancelled,
            cache,
            outline=defer_checks,
        )
        self._reads, self._whole, self._axes = reading.reads, reading.whole, reading.axes
        self._start_pending(reading, cache)
        self.revalidate()

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(
        cls,
        folder: Path,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        cache: ReadCache | None = None,
        *,
        defer_checks: bool = False,
    ) -> StudioDocument:
        """Read and check a source; ``progress(done, total)``, ``cancelled()`` from a job.

        ``cache``: the reads kept from the last opening (only changed files are read).
        ``defer_checks``: a large source is only outlined; its files stay :attr:`stale`
        until :meth:`check_job` (or :meth:`check_now`) has checked them.
        """
        files, problems = read_folder(Path(folder))
        return cls(folder, files, problems, progress, cancelled, cache, defer_checks=defer_checks)

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
        read = self._reads.get(edited or "", (None, []))[0]
        if (
            read is not None
            and self.pack is not None
            and claims_before is not None
            and claims_before == claim_key(read)
            and edited in self._positions
        ):
            self._replace_flows({edited: read.flow})
            return self._gather()
        names = self.flow_names()
        reads = [r for r in (self._reads[n][0] for n in names) if r is not None]
        self.pack, self._across = assemble_pack(self.head, reads, [], draft=True)
        kept = {id(f) for f in self.pack.flows} if self.pack is not None else set()
        self._positions = {}
        for name in names:
            flow_read = self._reads[name][0]
            if flow_read is not None and id(flow_read.flow) in kept:
                self._positions[name] = len(self._positions)
        return self._gather()

    def _replace_flows(self, flows: dict[str, Flow]) -> None:
        """Flows whose id and claims are unchanged take their old selves' places in the pack."""
        flows = {n: f for n, f in flows.items() if n in self._positions}
        if self.pack is None or not flows:
            return
        kept = list(self.pack.flows)
        for name, flow in flows.items():
            kept[self._positions[name]] = flow
        self.pack = dataclasses.replace(self.pack, flows=tuple(kept))

    def _gather(self) -> list[Problem]:
        """Every problem: of reading, of each file, across flows; errors first."""
        problems = list(self.read_problems) + list(self._head_problems)
        for name in self.flow_names():
            problems += self._reads[name][1]
        problems += self._across
        # an edited file's lines are those of its draft, not of the author's file: leave them out
        if self.docs:
            problems = [
                dataclasses.replace(p, line=None)
                if p.line is not None and p.file in self.docs
                else p
                for p in problems
            ]
        self.problems = sorted(problems, key=lambda p: p.severity != "error")
        return self.problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    # -- documents ---------------------------------------------------------

    def flow(self, name: str) -> Flow | None:
        """The file's flow, read whole (a stub is read again from its kept bytes)."""
        read = self._reads.get(name, (None, []))[0]
        if read is None:
            return None
        if name not in self._whole:
            read = self._read_whole(name)
        return read.flow if read is not None else None

    def _read_whole(self, name: str) -> FlowRead | None:
        before = self._reads[name][0]
        read, problems = read_flow_file(self.files[name], name, self.head, name)
        self._reads[name] = (read, problems)
        self._whole.add(name)
        if name in self.stale:  # its problems are known now
            self.stale.discard(name)
            self._axes |= names_axes(self._reads, [name])
            self.revalidate(name, claim_key(before) if before is not None else None)
        elif read is not None:
            self._replace_flows({name: read.flow})
        return read

    def whole_pack(self) -> Callable[[], Pack | None]:
        """A job giving the pack with every flow read whole; it touches nothing of ``self``.

        Spreadsheets and the search preview need every step; on a large source
        most flows are stubs, so this runs off the UI thread.
        """
        pack, head, positions = self.pack, self.head, dict(self._positions)
        missing = {n: self.files[n] for n in positions if n not in self._whole}

        def job() -> Pack | None:
            if pack is None or not missing:
                return pack
            flows = list(pack.flows)
            for name, data in missing.items():
                read = read_flow_file(data, name, head, name)[0]
                if read is not None:
                    flows[positions[name]] = read.flow
            return dataclasses.replace(pack, flows=tuple(flows))

        return job

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
            old = self.head
            self._read_head()
            self._head_changed(old)
            if len(self.stale) <= SYNC_REREAD:
                self._apply(read_whole(self.files, sorted(self.stale), self.head), whole=True)
            return self.revalidate()
        before = self._reads.get(name, (None, []))[0]
        self._reads[name] = read_flow_file(self.files[name], name, self.head, name)
        self._whole.add(name)
        self._axes.discard(name)
        self._axes |= names_axes(self._reads, [name])
        self.stale.discard(name)
        return self.revalidate(name, claim_key(before) if before is not None else None)

    def remove(self, name: str) -> list[Problem]:
        if name in self.files and name != PACK_FILE:
            del self.files[name]
            self._reads.pop(name, None)
            self.docs.pop(name, None)
            self._whole.discard(name)
            self._axes.discard(name)
            self.stale.discard(name)
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


def sample_values(flow: Flow) -> dict[str, str]:
    """Values to preview a flow with: each variable's label (what an agent would see)."""
    today = _dt.date.today().isoformat()
    values = {v.name: f"{v.label}" for v in flow.variables if v.source == "cti"}
    values.setdefault("call_id", f"preview-{today}")
    return values
