"""One run of one flow: where the agent is, what is done, which branches were taken.

Plain state without behaviour of its own beyond reading its path; the
:class:`flowdesk.calls.CallSession` moves it and records what happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flowdesk.model import Flow, Step


@dataclass(frozen=True)
class FlowRef:
    """A flow as the session knows it: which pack version it came from."""

    flow: Flow
    pack_id: str
    pack_sequence: int
    pack_version: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.pack_id, self.flow.id)


class FlowRunError(Exception):
    """An action that does not apply to the run's current step (e.g. a digit on a script step)."""


@dataclass
class FlowRun:
    """One run of one flow: where the agent is, what is done, which branches were taken."""

    ref: FlowRef
    run_id: str
    call_id: str | None
    current: str | None
    history: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    choices: list[tuple[str, str]] = field(default_factory=list)
    finished: str | None = None  # "complete" | "abandon"
    #: decisions the desk took from call data (step id → the reason shown, 品牌 = 全球通)
    auto: dict[str, str] = field(default_factory=dict)
    entered: list[str] = field(default_factory=list)  # variables the agent typed, in order

    @property
    def flow(self) -> Flow:
        return self.ref.flow

    @property
    def step(self) -> Step | None:
        return self.flow.step(self.current) if self.current is not None else None

    @property
    def is_open(self) -> bool:
        return self.finished is None

    @property
    def at_end(self) -> bool:
        """True when the current step has nowhere to go (an ``end`` step or the last one)."""
        step = self.step
        return step is not None and step.type != "decision" and not self.flow.successors(step.id)

    def path(self) -> list[str]:
        """The steps this run leads through so far: the taken path, then what follows."""
        return self.flow.path(self._live_choices())

    def _live_choices(self) -> list[tuple[str, str]]:
        # After "back" past a decision the later choice no longer applies; keep only
        # choices whose decision is still behind (or at) the current position.
        behind = set(self.history)
        return [(s, n) for s, n in self.choices if s in behind]
