"""The process map as plain, immutable Python objects (no I/O, no Qt).

Everything FlowDesk knows about a pack passes through these types: the pack
reader builds them from YAML, the store saves and reloads them, the search index
and the flow view read them, and compliance measurement walks a flow's path
with them. Keeping them frozen means a loaded pack can be shared between
threads (the UI's worker and its main thread) without copying.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from types import MappingProxyType

FORMAT = "flowpack/1"

SERVICE_CLASSES = ("handling", "query", "verification", "consultation", "complaint")
MANAGEMENT_CLASSES = ("quality", "knowledge", "floor", "system", "specialist", "kpi")
FLOW_CLASSES = SERVICE_CLASSES + MANAGEMENT_CLASSES

#: Chinese names of the flow classes, as the specification words them.
CLASS_NAMES_ZH = {
    "handling": "业务受理",
    "query": "查询",
    "verification": "核对",
    "consultation": "咨询",
    "complaint": "投诉",
    "quality": "质量管理",
    "knowledge": "知识管理",
    "floor": "现场管理",
    "system": "系统管理",
    "specialist": "专席管理",
    "kpi": "指标管理",
}

STEP_TYPES = ("script", "check", "action", "decision", "transfer", "end", "input")
STEP_TYPE_NAMES_ZH = {
    "script": "话术",
    "check": "核实",
    "action": "操作",
    "decision": "判断",
    "transfer": "转接",
    "end": "结束",
    "input": "录入",
}

ELEMENT_KEYS = ("input", "activities", "relations", "output", "customer", "value")
ELEMENT_NAMES_ZH = {
    "input": "输入资源",
    "activities": "活动",
    "relations": "活动关系",
    "output": "输出结果",
    "customer": "客户",
    "value": "价值",
}


@dataclass(frozen=True)
class Channel:
    """How the customer comes in (渠道): hotline voice, web, SMS, IVR, app, store."""

    code: str
    name: str


@dataclass(frozen=True)
class Brand:
    """A customer brand (品牌); scripts and entitlements differ by brand."""

    code: str
    name: str


@dataclass(frozen=True)
class Business:
    """What the customer wants done (业务), and where it is offered.

    ``channels`` are the channels where the business is offered: each of those
    cells of the process map, for each of ``brands``, must have a flow.
    """

    code: str
    name: str
    group: str | None = None
    channels: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class TouchPoint:
    """One customer doing one business through one channel (接触点).

    The unit of management: every touch point maps to exactly one service flow.
    """

    channel: str
    brand: str
    business: str

    @property
    def code(self) -> str:
        """The touch point code ``CHANNEL-BRAND-BUSINESS``, e.g. ``C1-G-B0102``."""
        return f"{self.channel}-{self.brand}-{self.business}"

    @classmethod
    def parse(cls, code: str) -> TouchPoint:
        """Split a touch point code; raises ``ValueError`` when it is not three codes."""
        parts = code.strip().split("-")
        if len(parts) != 3 or not all(p.isalnum() and p.isascii() for p in parts):
            raise ValueError(f"not a touch point code: {code!r} (expected CHANNEL-BRAND-BUSINESS)")
        return cls(*parts)


@dataclass(frozen=True)
class Variable:
    """A value of the call a flow uses (§5): filled into ``{{name}}``, branched on by ``when``.

    ``source`` is ``cti`` (comes with the screen pop) or ``agent`` (typed in an
    ``input`` step); a ``mask`` value is shown masked and never logged.
    """

    name: str
    label: str
    source: str = "cti"
    mask: bool = False


@dataclass(frozen=True)
class Option:
    """One answer of a decision step and the step it leads to.

    ``when`` holds the option's condition on the call's values as
    ``((variable, (value, …)), …)``: every variable's value must be one of its
    values. Empty for an option only the agent can choose.
    """

    label: str
    next: str
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Step:
    """One step of a flow; ``next`` is the explicit successor, None for "the next listed"."""

    id: str
    type: str
    text: str
    note: str | None = None
    required: bool = False
    next: str | None = None
    options: tuple[Option, ...] = ()
    target: str | None = None
    variable: str | None = None  # for ``input``: the variable the agent's entry fills


@dataclass(frozen=True)
class Flow:
    """A service or management flow (流程) and its steps."""

    id: str
    title: str
    flow_class: str
    steps: tuple[Step, ...]
    business: str | None = None
    touchpoints: tuple[TouchPoint, ...] = ()
    keywords: tuple[str, ...] = ()
    summary: str | None = None
    elements: Mapping[str, str] = field(default_factory=dict)
    owner: str | None = None
    file: str | None = None  # the file it was read from, relative to the pack folder
    variables: tuple[Variable, ...] = ()

    @property
    def is_service(self) -> bool:
        return self.flow_class in SERVICE_CLASSES

    def step(self, step_id: str) -> Step:
        """The step with this id; raises ``KeyError`` for an unknown id."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def successor(self, step_id: str) -> str | None:
        """The step after a non-decision step, or None where the flow ends.

        The last step and ``end`` steps end the flow; otherwise an explicit
        ``next`` wins over "the next step in the list".
        """
        return self._successor(self._index()[step_id])

    def successors(self, step_id: str) -> tuple[str, ...]:
        """Every step this one can lead to (the options of a decision)."""
        return self._successors(self._index()[step_id])

    def _successor(self, position: int) -> str | None:
        step = self.steps[position]
        if step.type == "end":
            return None
        if step.next is not None:
            return step.next
        return self.steps[position + 1].id if position + 1 < len(self.steps) else None

    def _successors(self, position: int) -> tuple[str, ...]:
        step = self.steps[position]
        if step.type == "decision" and step.options:
            return tuple(o.next for o in step.options)
        nxt = self._successor(position)
        return (nxt,) if nxt is not None else ()

    def path(self, choices: Iterable[tuple[str, str]] = ()) -> list[str]:
        """The step ids the flow leads through, given the decision choices made.

        ``choices`` are ``(decision_step_id, chosen_next_step_id)`` pairs in the
        order made, as the ``branch`` usage events record them. A path visits a
        step at most once (a step reached again ends it, so a looping flow
        yields a finite path), so each decision has one choice on it: the last
        valid one made there, because an agent who stepped back and chose again
        meant the second answer. A decision with no valid choice ends the path.
        """
        index = self._index()
        chosen: dict[str, str] = {}
        for step_id, nxt in choices:
            position = index.get(step_id)
            if position is not None and nxt in {o.next for o in self.steps[position].options}:
                chosen[step_id] = nxt
        path: list[str] = []
        seen: set[str] = set()
        current: str | None = self.steps[0].id if self.steps else None
        while current is not None and current in index and current not in seen:
            path.append(current)
            seen.add(current)
            step = self.steps[index[current]]
            if step.type == "decision" and step.options:
                current = chosen.get(current)
            else:
                current = self._successor(index[current])
        return path

    def reachable(self) -> set[str]:
        """Ids of the steps some path from the first step reaches."""
        if not self.steps:
            return set()
        index = self._index()
        seen = {self.steps[0].id}
        todo = [self.steps[0].id]
        while todo:
            for nxt in self._successors(index[todo.pop()]):
                if nxt in index and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    def _index(self) -> dict[str, int]:
        # Flows are frozen and small (5–40 steps), so a dict built per call is cheap
        # and keeps the dataclass free of cached mutable state.
        return {s.id: i for i, s in enumerate(self.steps)}


@dataclass(frozen=True)
class Pack:
    """A flow pack (流程包): the process map's axes and its flows, one publication."""

    id: str
    title: str
    sequence: int
    channels: tuple[Channel, ...]
    brands: tuple[Brand, ...]
    businesses: tuple[Business, ...]
    flows: tuple[Flow, ...]
    version: str | None = None
    publisher: str | None = None
    effective: date | None = None  # a date, or an aware datetime (flowdesk.packs.effective)
    format: str = FORMAT
    call_summary: str | None = None  # pack.yaml ``call_summary``: the CRM note's template
    #: ``synonyms`` of pack.yaml (contract §5): groups of words meaning the same to a caller
    synonyms: tuple[tuple[str, ...], ...] = ()
    #: must-read notes of this version: (flow id, note); flow id "" for the pack-wide note
    #: (flowdesk.packs.notices)
    must_read: tuple[tuple[str, str], ...] = ()

    def flow(self, flow_id: str) -> Flow:
        """The flow with this id (KeyError if none); O(1): reports look up every run's flow."""
        return self._flows_by_id[flow_id]

    @cached_property
    def _flows_by_id(self) -> dict[str, Flow]:
        # A pack is immutable, so its indexes are built once, on first use. (cached_property
        # writes the instance dict directly, which a frozen dataclass allows; fields, equality
        # and ``replace`` are unaffected.)
        index: dict[str, Flow] = {}
        for f in self.flows:
            index.setdefault(f.id, f)  # a broken pack with a duplicate id: the first, as before
        return index

    def business(self, code: str) -> Business:
        for b in self.businesses:
            if b.code == code:
                return b
        raise KeyError(code)

    def offered_touchpoints(self) -> Iterator[TouchPoint]:
        """Every cell of the process map (business × channel × brand) that must have a flow."""
        all_brands = tuple(b.code for b in self.brands)
        for business in self.businesses:
            for channel in business.channels:
                for brand in business.brands or all_brands:
                    yield TouchPoint(channel, brand, business.code)

    def touchpoint_flows(self) -> Mapping[TouchPoint, str]:
        """Which flow claims each touch point (the first claim, where a broken pack has two).

        Read-only and built once per pack: a screen pop looks a touch point up in it.
        """
        return MappingProxyType(self._claims)

    @cached_property
    def _claims(self) -> dict[TouchPoint, str]:
        return claims_of(self.flows)

    def blind_spots(self) -> list[TouchPoint]:
        """Offered touch points that no flow claims (管理盲点), in map order."""
        claimed = self.touchpoint_flows()
        return [tp for tp in self.offered_touchpoints() if tp not in claimed]


def claims_of(flows: Iterable[Flow | FlowHead]) -> dict[TouchPoint, str]:
    """Touch point -> the flow that claims it (the first claim, where a broken pack has two)."""
    claims: dict[TouchPoint, str] = {}
    for flow in flows:
        for tp in flow.touchpoints:
            claims.setdefault(tp, flow.id)
    return claims


@dataclass(frozen=True)
class FlowHead:
    """A flow known by its head only: what lists and the map show of it, not its steps.

    An incremental sync keeps most flows of the version before as they are, and
    the agent's window shows a pack's flows in its map and lists; both take
    them as heads, enough for the checks that span a whole pack (ids, touch
    point claims), search ranks and the map, without building the ~25 steps of
    each of 10,000 flows. A flow is read whole when it is opened.
    """

    id: str
    title: str
    file: str | None
    touchpoints: tuple[TouchPoint, ...] = ()
    flow_class: str = ""
    business: str | None = None
    summary: str | None = None

    @classmethod
    def of(cls, flow: Flow) -> FlowHead:
        f = flow
        return cls(f.id, f.title, f.file, f.touchpoints, f.flow_class, f.business, f.summary)


@dataclass(frozen=True)
class Revision:
    """A pack version told as its change to the version before (what an incremental sync imports).

    ``pack`` is the new version's header and axes with only its added and
    changed flows; ``base`` is the version before, likewise with only the flows
    that changed or went, so comparing the two shows the whole change.
    ``flows`` lists every flow of the new version in order: each read anew (a
    :class:`Flow`) or kept unchanged from ``base`` (a :class:`FlowHead`).
    """

    base: Pack
    pack: Pack
    flows: tuple[Flow | FlowHead, ...]

    @property
    def kept(self) -> frozenset[str]:
        """Ids of the flows the new version keeps as they were."""
        return frozenset(f.id for f in self.flows if isinstance(f, FlowHead))

    def apply_to(self, base: Pack) -> Pack:
        """The whole new version, given the whole version before (kept flows shared)."""
        if (base.id, base.sequence) != (self.base.id, self.base.sequence):
            raise ValueError(
                f"revision of {self.base.id} #{self.base.sequence} applied to "
                f"{base.id} #{base.sequence}"
            )
        flows = tuple(base.flow(f.id) if isinstance(f, FlowHead) else f for f in self.flows)
        return replace(self.pack, flows=flows)
