"""The agent's working session: the current call, the flows open in it, and what to record.

This is the whole behaviour of the agent's window with the widgets taken away,
so it can be tested without a display: which step a run is on, where a
decision leads, what "back" and "restart" mean, when a run counts as
abandoned, and which usage event each action produces (per the contract in
``flowpack.md`` §3). The window is a thin layer that calls these methods and
repaints; events go to a sink (the desk's :class:`flowdesk.usage.UsageLog`)
which must not block.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from flowdesk.model import Step
from flowdesk.runs import FlowRef, FlowRun, FlowRunError
from flowdesk.variables import FlowContext, call_values, check_values

#: Where events go; must return at once (the UI thread calls it).
EventSink = Callable[[Any], None]
#: Builds one event: ``make_event(type, agent_id, team, **fields)``.
EventFactory = Callable[..., Any]

RECENT_LIMIT = 9


def _usage_event_factory() -> EventFactory:
    # Imported on first use: the usage package pulls in SQLAlchemy, which the
    # window should not wait for before it is on screen.
    from flowdesk.usage.events import UsageEvent

    return UsageEvent.new


def _mask(query: str) -> str:
    from flowdesk.usage.events import mask_digits

    return mask_digits(query) or ""


class CallSession:
    """The agent's calls and open flow runs; every action yields its usage events.

    Runs opened during a call belong to it; a run still open when its call ends
    is recorded as abandoned. Runs opened outside a call stay open until they
    are completed, closed, or the session closes.
    """

    def __init__(
        self,
        agent_id: str | None,
        team: str | None,
        sink: EventSink,
        make_event: EventFactory | None = None,
    ) -> None:
        self.agent_id = agent_id or "unknown"
        self.team = team or None
        self._sink = sink
        self._make = make_event
        self.call_id: str | None = None
        self.runs: list[FlowRun] = []
        self.current: FlowRun | None = None
        self.recent: deque[FlowRef] = deque(maxlen=RECENT_LIMIT)
        self._pending_search: tuple[str, int] | None = None
        #: the call's values (screen pop and the agent's entries); never written into events
        self.values: dict[str, str] = {}
        self.touchpoint: str | None = None
        #: code → name per built-in (brand, channel), for reasons like 品牌 = 全球通
        self.names: dict[str, dict[str, str]] = {}
        self.call_runs: list[FlowRun] = []  # every run of the current (or last) call
        self.last_call_id: str | None = None
        self._last_values: dict[str, str] = {}

    # -- calls ---------------------------------------------------------------

    @property
    def in_call(self) -> bool:
        return self.call_id is not None

    def start_call(
        self,
        call_id: str | None = None,
        values: dict[str, str] | None = None,
        touchpoint: str | None = None,
    ) -> str:
        """Start a call (a screen pop passes the call id and values); ends any other call first.

        A second pop for the call already on adds its values (the CTI client
        may send what it learns later); a pop for another call starts afresh.
        """
        call_id = (call_id or "").strip() or f"local-{uuid.uuid4().hex[:12]}"
        if self.call_id != call_id:
            if self.call_id is not None:
                self.end_call()
            self.call_id = self.last_call_id = call_id
            self.values, self.touchpoint, self.call_runs = {}, None, []
            self._emit("call_start")
        self.touchpoint = touchpoint or self.touchpoint
        self.values.update(call_values(check_values(values or {}), self.touchpoint, call_id))
        return call_id

    def end_call(self) -> None:
        """End the call: its unfinished runs are abandoned, then ``call_end``."""
        if self.call_id is None:
            return
        self.flush_search()
        for run in [r for r in self.runs if r.call_id == self.call_id]:
            self.abandon(run)
        self._emit("call_end")
        self.call_id = None
        # the caller's data never fills a flow opened after the call; the summary keeps it
        self._last_values, self.values = self.values, {}

    def close(self) -> None:
        """The window closes: end the call and abandon every run still open."""
        self.end_call()
        self.flush_search()
        for run in list(self.runs):
            self.abandon(run)

    # -- search --------------------------------------------------------------

    def searched(self, query: str, result_count: int) -> None:
        """Note a search the agent saw results for.

        Type-ahead produces a search per keystroke; only the query the agent
        settled on is recorded. A query that extends or trims the pending one
        replaces it; an unrelated one records the pending one first (with no
        flow opened: a search miss).
        """
        query = _mask(query.strip())
        if not query:
            return
        pending = self._pending_search
        if pending is not None:
            old = pending[0]
            if not (query.startswith(old) or old.startswith(query)):
                self.flush_search()
        self._pending_search = (query, result_count)

    def flush_search(self, opened: FlowRef | None = None) -> None:
        """Record the pending search, with the flow opened from it if any."""
        pending, self._pending_search = self._pending_search, None
        if pending is None:
            return
        fields: dict[str, Any] = {"query": pending[0], "result_count": pending[1]}
        if opened is not None:
            fields["opened_flow_id"] = opened.flow.id
            fields["pack_id"] = opened.pack_id
            fields["pack_sequence"] = opened.pack_sequence
        self._emit("search", **fields)

    # -- runs ----------------------------------------------------------------

    def open_flow(self, ref: FlowRef, *, from_search: bool = False) -> FlowRun:
        """Open a flow, or return to its run if one is already open in this call."""
        if from_search:
            self.flush_search(opened=ref)
        self._remember(ref)
        for run in self.runs:
            if run.ref.key == ref.key and run.call_id == self.call_id and run.is_open:
                self.current = run
                return run
        first = ref.flow.steps[0].id if ref.flow.steps else None
        run = FlowRun(ref, str(uuid.uuid4()), self.call_id, first)
        if self.call_id is None and self.last_call_id is not None:
            self.call_runs, self.last_call_id = [], None  # the last call's summary is done
            self._last_values, self.touchpoint = {}, None
        self.runs.append(run)
        self.call_runs.append(run)
        self.current = run
        self._emit_run("flow_open", run)
        self._take_auto(run)
        return run

    def context(self, run: FlowRun) -> FlowContext:
        """The run's flow with the call's values: its words filled, its decisions answered."""
        return FlowContext(run.flow, self.values, self.names)

    def set_value(self, run: FlowRun | None, name: str, value: str) -> None:
        """The agent fills a value in place (a 【label】 in the words); never an event."""
        checked = check_values({name: value}, "value")
        self.values.update(checked)
        if run is not None and checked and name not in run.entered:
            run.entered.append(name)

    def summary(self, template: str | None = None) -> str:
        """The call summary (小结) of the current call, or of the last one once it ended."""
        from flowdesk.summary import compose

        return compose(
            self.call_runs,
            self.values if self.in_call else self._last_values,
            call_id=self.call_id or self.last_call_id,
            touchpoint=self.touchpoint,
            agent_id=self.agent_id,
            template=template,
        )

    def enter(self, run: FlowRun, value: str) -> bool:
        """Answer the current ``input`` step with what the agent typed; advances like step_done."""
        step = self._open_step(run)
        if step.type != "input" or not step.variable:
            raise FlowRunError(f"step {step.id} takes no input")
        checked = check_values({step.variable: value}, "input")
        if not checked and step.required:
            raise FlowRunError("请先录入内容（必做步骤）")
        self.values.update(checked)
        if checked and step.variable not in run.entered:
            run.entered.append(step.variable)
        return self.step_done(run)

    def select(self, run: FlowRun) -> None:
        """Switch the flow view to another open run (no event: nothing happened to the flow)."""
        if run in self.runs:
            self.current = run

    def step_done(self, run: FlowRun) -> bool:
        """Mark the current step done and advance; completes the run at its end.

        Returns True when the run completed. A decision step is done by
        :meth:`choose`, not here.
        """
        step = self._open_step(run)
        if step.type == "decision" and step.options:
            raise FlowRunError(f"step {step.id} is a decision: choose an option")
        self._emit_run("step_done", run, step_id=step.id)
        run.done.append(step.id)
        nxt = run.flow.successor(step.id)
        if nxt is None:
            self.complete(run)
            return True
        run.history.append(step.id)
        run.current = nxt
        self._take_auto(run)
        return False

    def choose(self, run: FlowRun, index: int) -> str:
        """Answer the current decision with option ``index`` (0-based); returns the next step id."""
        step = self._open_step(run)
        if step.type != "decision" or not step.options:
            raise FlowRunError(f"step {step.id} is not a decision")
        if not 0 <= index < len(step.options):
            raise FlowRunError(f"step {step.id} has no option {index + 1}")
        nxt = self._branch(run, step, index)
        run.auto.pop(step.id, None)  # the agent's answer overrides the data's
        self._take_auto(run)
        return nxt

    def _branch(self, run: FlowRun, step: Step, index: int, auto: bool = False) -> str:
        nxt = step.options[index].next
        self._emit_run("step_done", run, step_id=step.id)
        self._emit_run("branch", run, step_id=step.id, option=nxt, auto=True if auto else None)
        run.done.append(step.id)
        run.choices.append((step.id, nxt))
        run.history.append(step.id)
        run.current = nxt
        return nxt

    def _take_auto(self, run: FlowRun) -> None:
        """Take every decision ahead that the call's values answer (a chain), as ``auto``.

        Only on arriving at a decision going forward: an agent who stepped back
        to one answers it themselves.
        """
        context = self.context(run)
        seen: set[str] = set()
        while run.is_open and run.current is not None and run.current not in seen:
            seen.add(run.current)
            step = run.flow.step(run.current)
            choice = context.auto_option(step)
            if choice is None:
                return
            self._branch(run, step, choice, auto=True)
            run.auto[step.id] = context.reason(step.options[choice])

    def back(self, run: FlowRun) -> bool:
        """Step back to the previous step; False at the first step."""
        if not run.is_open or not run.history:
            return False
        run.current = run.history.pop()
        return True

    def restart(self, run: FlowRun) -> None:
        """Back to the first step of the same run (the events already recorded stand)."""
        if not run.is_open or not run.flow.steps:
            return
        run.history.clear()
        run.current = run.flow.steps[0].id

    def goto(self, run: FlowRun, step_id: str) -> None:
        """Jump to a step (the agent clicked it in the path); no event, nothing was done."""
        run.flow.step(step_id)  # KeyError for an unknown step
        if run.is_open and step_id != run.current:
            if step_id in run.history:
                del run.history[run.history.index(step_id) :]
            elif run.current is not None:
                run.history.append(run.current)
            run.current = step_id

    def complete(self, run: FlowRun) -> None:
        """Complete the run (also when the agent finishes early: compliance measures that)."""
        if not run.is_open:
            return
        run.finished = "complete"
        self._emit_run("flow_complete", run, step_id=run.current)
        self._drop(run)

    def abandon(self, run: FlowRun) -> None:
        """Record an unfinished run as abandoned, at the step where it stopped."""
        if not run.is_open:
            return
        run.finished = "abandon"
        self._emit_run("flow_abandon", run, step_id=run.current)
        self._drop(run)

    def feedback(self, run: FlowRun | None, text: str, rating: int | None = None) -> None:
        """'This script is wrong': the agent's note on a flow (and the step they were on)."""
        text = text.strip()
        if not text:
            raise FlowRunError("feedback needs some text")
        fields: dict[str, Any] = {"text": text}
        if rating is not None:
            fields["rating"] = rating
        if run is None:
            self._emit("feedback", **fields)
        else:
            self._emit_run("feedback", run, step_id=run.current, **fields)

    def open_runs(self) -> list[FlowRun]:
        return [r for r in self.runs if r.is_open]

    # -- internals -----------------------------------------------------------

    def _open_step(self, run: FlowRun) -> Step:
        if not run.is_open:
            raise FlowRunError("the run is finished")
        step = run.step
        if step is None:
            raise FlowRunError("the flow has no steps")
        return step

    def _remember(self, ref: FlowRef) -> None:
        for old in [r for r in self.recent if r.key == ref.key]:
            self.recent.remove(old)
        self.recent.appendleft(ref)

    def _drop(self, run: FlowRun) -> None:
        if run in self.runs:
            self.runs.remove(run)
        if self.current is run:
            self.current = self.runs[-1] if self.runs else None

    def record(self, event_type: str, **fields: Any) -> None:
        """An event about the agent or the desk rather than a run (``notice_ack``)."""
        self._emit(event_type, **fields)

    def forward(self, event: Any) -> None:
        """Hand an event built elsewhere (a ``desk_status``) to the session's log."""
        self._sink(event)

    def _emit_run(self, event_type: str, run: FlowRun, **fields: Any) -> None:
        fields = {k: v for k, v in fields.items() if v is not None}
        self._emit(
            event_type,
            call_id=run.call_id,
            run_id=run.run_id,
            pack_id=run.ref.pack_id,
            pack_sequence=run.ref.pack_sequence,
            flow_id=run.flow.id,
            **fields,
        )

    def _emit(self, event_type: str, **fields: Any) -> None:
        fields.setdefault("call_id", self.call_id)
        fields = {k: v for k, v in fields.items() if v is not None}
        if self._make is None:
            self._make = _usage_event_factory()
        self._sink(self._make(event_type, self.agent_id, self.team, **fields))


def describe(events: Iterable[Any]) -> list[str]:
    """``type[:step]`` per event, for logs and tests that read a run at a glance."""
    out = []
    for e in events:
        step = getattr(e, "step_id", None) if not isinstance(e, dict) else e.get("step_id")
        kind = getattr(e, "type", None) if not isinstance(e, dict) else e.get("type")
        out.append(f"{kind}:{step}" if step else str(kind))
    return out
