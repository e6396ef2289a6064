"""The call summary (通话小结) an agent pastes into the CRM when a flow or a call ends.

Composed from what the call session already knows: the flows run, the
decisions on each run's path (automatic ones with the data that answered
them), the values the agent entered (masked ones masked) and the transfers
passed. A pack may give its own template (``call_summary`` in pack.yaml)
with the placeholders of :data:`FIELDS` and the call's variables (``{{cust}}``,
masked where a flow of the call masks it); without one, :data:`DEFAULT_TEMPLATE`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from flowdesk.runs import FlowRun
from flowdesk.variables import NAME, PLACEHOLDER, FlowContext, mask

#: What a template may use, each as ``{{name}}``.
FIELDS = ("call_id", "touchpoint", "agent_id", "time", "flows", "decisions", "values", "transfers")

DEFAULT_TEMPLATE = """【通话小结】{{time}}
通话：{{call_id}}　接触点：{{touchpoint}}
流程：{{flows}}
判断：{{decisions}}
录入：{{values}}
转接：{{transfers}}"""

NONE = "无"
STATE = {"complete": "已完成", "abandon": "未完成"}


def compose(
    runs: Iterable[FlowRun],
    values: Mapping[str, str],
    *,
    call_id: str | None,
    touchpoint: str | None,
    agent_id: str,
    template: str | None = None,
    now: datetime | None = None,
) -> str:
    """The summary text of one call's runs (or of the runs outside a call)."""
    runs = list(runs)
    fields = {
        "call_id": call_id or NONE,
        "touchpoint": touchpoint or NONE,
        "agent_id": agent_id,
        "time": (now or datetime.now()).strftime("%Y-%m-%d %H:%M"),
        "flows": "；".join(
            f"{r.flow.title}（{STATE.get(r.finished or '', '进行中')}）" for r in runs
        ),
        "decisions": "；".join(_decisions(runs)),
        "values": "；".join(_values(runs, values)),
        "transfers": "；".join(_transfers(runs)),
    }

    def fill(name: str) -> str:
        if name in fields:
            return fields[name] or NONE
        for run in runs:  # a call value, as the flows of the call show it
            context = FlowContext(run.flow, values)
            if context.variable(name) is not None:
                return context.shown(name)
        return (values.get(name) and mask(values[name])) or NONE

    return PLACEHOLDER.sub(lambda m: fill(m.group(1)), template or DEFAULT_TEMPLATE)


def _decisions(runs: list[FlowRun]) -> list[str]:
    out = []
    for run in runs:
        chosen = dict(run.choices)  # the last answer at each decision counts
        for step_id in run.flow.path(run.choices):
            if step_id not in chosen:
                continue
            step = run.flow.step(step_id)
            label = next((o.label for o in step.options if o.next == chosen[step_id]), "")
            why = f"（自动：{run.auto[step_id]}）" if step_id in run.auto else ""
            out.append(f"{step.text} → {label}{why}")
    return out


def _values(runs: list[FlowRun], values: Mapping[str, str]) -> list[str]:
    out, seen = [], set()
    for run in runs:
        declared = {v.name: v for v in run.flow.variables}
        for name in run.entered:
            variable = declared.get(name)
            if name in seen or variable is None or name not in values:
                continue
            seen.add(name)
            shown = mask(values[name]) if variable.mask else values[name]
            out.append(f"{variable.label}：{shown}")
    return out


def _transfers(runs: list[FlowRun]) -> list[str]:
    out = []
    for run in runs:
        for step_id in run.done:
            step = run.flow.step(step_id)
            if step.type == "transfer":
                out.append(f"{step.text} → {step.target}" if step.target else step.text)
    return out


def template_problems(template: str) -> list[str]:
    """Placeholders that are neither a summary field nor a variable name (the pack check)."""
    return [
        f"placeholder {{{{{m.group(1)}}}}} is neither a summary field ({', '.join(FIELDS)}) "
        "nor a variable name"
        for m in PLACEHOLDER.finditer(template)
        if m.group(1) not in FIELDS and not NAME.fullmatch(m.group(1))
    ]
