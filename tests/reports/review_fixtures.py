"""A QA desk with two months of calls on the sample pack (October and November 2026).

Teams of agents run a handful of the sample's flows: most runs compliant, some
skipping a required step, some abandoned; agents search with words the pack
lacks and then open a flow (the keyword proposals), and one query finds
nothing. The data folder is real: the sample pack imported, the events
imported through ``flowdesk usage import`` as a desk's exported log would be.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from flowdesk.cli import main
from flowdesk.model import Flow
from flowdesk.packs.load import load_pack
from flowdesk.paths import sample_pack

FLOWS = ("bill-hotline", "plan-change-hotline", "np-qualify", "balance-hotline", "bb-repair")
TEAMS = {"一组": ("A001", "A002", "A003"), "二组 erzu": ("B001", "B002"), "三组": ("C001",)}
#: Share of runs skipping a required step, per team: 一组 good, 三组 poor.
SKIP_EVERY = {"一组": 9, "二组 erzu": 4, "三组": 2}


def sample_flows() -> dict[str, Flow]:
    from importlib.resources import as_file

    with as_file(sample_pack()) as folder:
        pack = load_pack(Path(folder)).pack
    return {flow.id: flow for flow in pack.flows}


def _event(kind: str, when: datetime, agent: str, team: str, **fields: object) -> str:
    record = {
        "event_id": str(uuid.uuid4()),
        "ts": when.isoformat(timespec="milliseconds"),
        "type": kind,
        "agent_id": agent,
        "team": team,
        **fields,
    }
    return json.dumps(record, ensure_ascii=False)


def month_lines(
    year: int,
    month: int,
    flows: dict[str, Flow],
    pack_sequence: int,
    teams: dict[str, tuple[str, ...]] = TEAMS,
    skip_every: dict[str, int] = SKIP_EVERY,
    flow_ids: tuple[str, ...] = FLOWS,
) -> list[str]:
    """Every team's calls on weekdays of one month (local time, as the desks logged it)."""
    lines: list[str] = []
    serial = 0
    for day in range(1, 29):
        start = datetime(year, month, day, 9, 0).astimezone()
        if start.weekday() >= 5:
            continue
        for team, agents in teams.items():
            for a, agent in enumerate(agents):
                for n in range(3 + (day + a + month) % 3):
                    serial += 1
                    flow = flows[flow_ids[(serial + a) % len(flow_ids)]]
                    when = start + timedelta(minutes=17 * n + 3 * a)
                    lines += _run(flow, when, agent, team, serial, pack_sequence, skip_every[team])
                if (day + a) % 5 == 0:  # a search in the caller's words, then the flow opened
                    when = start + timedelta(hours=5, minutes=a)
                    call = f"c-{year}{month}-{day}-{agent}"
                    lines.append(
                        _event("search", when, agent, team, call_id=call, query="手机丢了咋整",
                               result_count=0)
                    )  # fmt: skip
                    lines.append(
                        _event("search", when + timedelta(seconds=9), agent, team, call_id=call,
                               query="挂失", result_count=3, opened_flow_id="report-loss",
                               pack_id="cmcc-hotline")
                    )  # fmt: skip
                    lines += _run(
                        flows["report-loss"], when + timedelta(seconds=20), agent, team,
                        serial + 10_000, pack_sequence, skip_every[team], call,
                    )  # fmt: skip
                if day == 3 and a == 0:
                    lines.append(
                        _event("search", start + timedelta(hours=6), agent, team,
                               query="今天天气怎么样", result_count=0)
                    )  # fmt: skip
    return lines


def _run(
    flow: Flow,
    when: datetime,
    agent: str,
    team: str,
    serial: int,
    pack_sequence: int,
    skip_every: int,
    call: str | None = None,
) -> list[str]:
    run = f"r{when:%Y%m}-{serial}-{agent}"
    call = call or f"c-{run}"
    head = {"call_id": call, "run_id": run}
    path = flow.path([])
    required = [s for s in path if flow.step(s).required]
    skip = required[-1] if required and serial % skip_every == 0 else None
    out = [
        _event("flow_open", when, agent, team, **head, pack_id="cmcc-hotline",
               pack_sequence=pack_sequence, flow_id=flow.id)
    ]  # fmt: skip
    at = when
    for step in path:
        at += timedelta(seconds=15)
        if step != skip:
            out.append(_event("step_done", at, agent, team, **head, step_id=step))
    ending = "flow_abandon" if serial % 13 == 0 else "flow_complete"
    out.append(_event(ending, at + timedelta(seconds=5), agent, team, **head))
    return out


def qa_desk(root: Path, **site: object) -> Path:
    """A data folder with the sample pack and October and November 2026 imported.

    ``site``: :func:`month_lines`'s ``teams``, ``skip_every`` and ``flow_ids``.
    """
    data = root / "qa-data"
    assert main(["--data-dir", str(data), "pack", "list"]) == 0  # installs the sample
    flows = sample_flows()
    sequence = _installed_sequence(data)
    log = root / "desks.jsonl"
    lines = [
        *month_lines(2026, 10, flows, sequence, **site),  # type: ignore[arg-type]
        *month_lines(2026, 11, flows, sequence, **site),  # type: ignore[arg-type]
    ]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--data-dir", str(data), "usage", "import", str(log)]) == 0
    return data


def _installed_sequence(data: Path) -> int:
    from flowdesk.desk import Desk

    desk = Desk.open(data)
    try:
        return next(info.sequence for info in desk.active_packs())
    finally:
        desk.close()
