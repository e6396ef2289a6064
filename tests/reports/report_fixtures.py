"""Packs built in Python and hand-built event sequences for the report tests.

The pack 话费 has two versions: in sequence 1 the identity check 核实身份 is
required; in sequence 2 it no longer is. Its flow ``bill-query`` branches at
``ask``: 余额 leads through the required ``balance`` step, 详单 through the
optional ``detail`` step.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine

from flowdesk.model import Brand, Business, Channel, Flow, Option, Pack, Step, TouchPoint
from flowdesk.reports.compliance import Report
from flowdesk.reports.step_cells import FLOOR_US, MEDIAN_RELATIVE
from flowdesk.usage.events import UsageEvent
from flowdesk.usage.rows import event_to_row, insert_ignoring_duplicates
from flowdesk.usage.schema import sqlite_engine

BEIJING = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=BEIJING)  # a Monday morning, ISO week 45


def bill_flow(verify_required: bool) -> Flow:
    return Flow(
        id="bill-query",
        title="话费查询 huafei chaxun",
        flow_class="query",
        business="B01",
        touchpoints=(
            TouchPoint("C1", "G", "B01"),
            TouchPoint("C1", "M", "B01"),
            TouchPoint("C2", "G", "B01"),
        ),
        steps=(
            Step("greet", "script", "您好，请问有什么可以帮您？", required=True),
            Step("verify", "check", "核实身份：机主姓名和证件号", required=verify_required),
            Step(
                "ask",
                "decision",
                "查余额还是查详单？",
                options=(Option("余额", "balance"), Option("详单", "detail")),
            ),
            Step("balance", "action", "在系统中查询余额并告知", required=True, next="bye"),
            Step("detail", "script", "详单可在 App 中查看", next="bye"),
            Step("bye", "end", "感谢来电，再见"),
        ),
    )


def plan_flow() -> Flow:
    return Flow(
        id="plan-change",
        title="套餐变更 taocan biangeng",
        flow_class="handling",
        business="B02",
        touchpoints=(TouchPoint("C1", "G", "B02"), TouchPoint("C1", "M", "B02")),
        steps=(
            Step("explain", "script", "介绍可选套餐", required=True),
            Step("confirm", "check", "确认客户同意变更", required=True),
            Step("change", "action", "办理变更", required=True),
        ),
    )


def make_pack(sequence: int) -> Pack:
    return Pack(
        id="huafei",
        title="话费与套餐",
        sequence=sequence,
        channels=(Channel("C1", "热线"), Channel("C2", "App")),
        brands=(Brand("G", "全球通"), Brand("M", "动感地带")),
        businesses=(
            Business("B01", "话费查询", channels=("C1", "C2")),
            Business("B02", "套餐变更", channels=("C1",)),
            Business("B03", "宽带报修", channels=("C1",), brands=("G",)),
        ),
        flows=(bill_flow(verify_required=sequence == 1), plan_flow()),
    )


PACKS = {1: make_pack(1), 2: make_pack(2)}


def lookup(pack_id: str, sequence: int, flow_id: str) -> Flow | None:
    pack = PACKS.get(sequence) if pack_id == "huafei" else None
    if pack is None:
        return None
    try:
        return pack.flow(flow_id)
    except KeyError:
        return None


class Calls:
    """Builds the events of calls and runs at given minutes after T0."""

    def __init__(self) -> None:
        self.events: list[UsageEvent] = []

    def add(
        self,
        kind: str,
        minute: float,
        agent: str = "A001",
        team: str | None = "一组",
        **fields: object,
    ) -> UsageEvent:
        ev = UsageEvent(
            event_id=str(uuid.uuid4()),
            ts=T0 + timedelta(minutes=minute),
            type=kind,
            agent_id=agent,
            team=team,
            **fields,  # type: ignore[arg-type]
        )
        self.events.append(ev)
        return ev

    def run(
        self,
        run_id: str,
        minute: float,
        steps: Iterable[str],
        end: str | None = "complete",
        *,
        call: str | None = None,
        flow: str = "bill-query",
        seq: int = 1,
        choices: dict[str, str] | None = None,
        agent: str = "A001",
        team: str | None = "一组",
        gap: float = 0.5,
    ) -> float:
        """A run: open, the steps in the given order (branches where chosen), then its end."""
        who = {"agent": agent, "team": team, "call_id": call, "run_id": run_id}
        self.add("flow_open", minute, pack_id="huafei", pack_sequence=seq, flow_id=flow, **who)
        for step in steps:
            minute += gap
            if step.startswith("branch:"):
                _, at, option = step.split(":")
                self.add("branch", minute, flow_id=flow, step_id=at, option=option, **who)
            else:
                self.add("step_done", minute, flow_id=flow, step_id=step, **who)
        minute += gap
        if end == "complete":
            self.add("flow_complete", minute, flow_id=flow, **who)
        elif end == "abandon":
            self.add("flow_abandon", minute, flow_id=flow, **who)
        return minute


COMPLIANT = ["greet", "verify", "branch:ask:balance", "balance"]


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def store(tmp_path: Path) -> Callable[[Iterable[UsageEvent]], Engine]:
    """A real usage SQLite file holding the given events."""
    engines: list[Engine] = []

    def build(events: Iterable[UsageEvent]) -> Engine:
        engine = sqlite_engine(tmp_path / f"usage-{len(engines)}.sqlite3")
        engines.append(engine)
        with engine.begin() as conn:
            insert_ignoring_duplicates(conn, [event_to_row(e) for e in events])
        return engine

    yield build
    for engine in engines:
        engine.dispose()


def assert_same_steps(got: Report, expected: Report) -> None:
    """``report steps`` equals the in-memory definition, each median within the documented
    precision of one time bucket (docs/measurement.md): 4.4 % of it plus 0.01 s."""
    assert (got.name, got.columns, got.summary) == (
        expected.name,
        expected.columns,
        expected.summary,
    )
    assert [{**r, "median_seconds": None} for r in got.rows] == [
        {**r, "median_seconds": None} for r in expected.rows
    ]
    for mine, exact in zip(got.rows, expected.rows, strict=True):
        if exact["median_seconds"] is None:
            assert mine["median_seconds"] is None, mine["key"]
            continue
        bound = exact["median_seconds"] * MEDIAN_RELATIVE + FLOOR_US / 1e6
        assert abs(mine["median_seconds"] - exact["median_seconds"]) <= bound, mine["key"]
