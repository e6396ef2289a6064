"""Where QA stands in the workspace: a period of local days and a level of the drill-down.

A :class:`Period` is a day, an ISO week, a month or custom dates, each with the
period of the same length before it (what every figure is compared with); a
:class:`Drill` is the path from the site down to one step (site → team → agent
→ flow → step). Both are plain values, hashable, so answers can be kept by them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from flowdesk.usage.rows import ALL_EVENTS, EventFilter

PERIOD_KINDS = ("day", "week", "month", "custom")
#: The levels of the drill-down, and what each shows as its rows.
LEVELS = ("site", "team", "agent", "flow", "step")


@dataclass(frozen=True)
class Period:
    """A window of local days [first, last] and the window of the same length before it."""

    kind: str
    first: date
    last: date

    @classmethod
    def around(cls, kind: str, day: date, last: date | None = None) -> Period:
        """The day, ISO week or month holding ``day``; ``custom``: ``day`` … ``last``."""
        if kind == "day":
            return cls(kind, day, day)
        if kind == "week":
            monday = day - timedelta(days=day.weekday())
            return cls(kind, monday, monday + timedelta(days=6))
        if kind == "month":
            first = day.replace(day=1)
            following = (first + timedelta(days=32)).replace(day=1)
            return cls(kind, first, following - timedelta(days=1))
        if kind == "custom":
            end = last or day
            return cls(kind, min(day, end), max(day, end))
        raise ValueError(f"unknown period {kind!r} (one of {', '.join(PERIOD_KINDS)})")

    def previous(self) -> Period:
        if self.kind == "month":
            return Period.around("month", self.first - timedelta(days=1))
        length = (self.last - self.first).days + 1
        return Period(
            self.kind, self.first - timedelta(days=length), self.first - timedelta(days=1)
        )

    def shifted(self, steps: int) -> Period:
        """The next (1) or previous (−1) period of the same kind."""
        if steps < 0:
            return self.previous()
        if self.kind == "month":
            return Period.around("month", self.last + timedelta(days=1))
        length = (self.last - self.first).days + 1
        return Period(
            self.kind, self.first + timedelta(days=length), self.last + timedelta(days=length)
        )

    def where(self, where: EventFilter = ALL_EVENTS) -> EventFilter:
        """``where`` narrowed to this period, as :meth:`Drill.where` narrows it to a team or
        agent: local midnight of the first day up to local midnight after the last (as the CLI).
        """
        since = datetime.combine(self.first, time()).astimezone()
        until = datetime.combine(self.last + timedelta(days=1), time()).astimezone()
        return replace(where, since=since, until=until)

    @property
    def review_month(self) -> str:
        """The month whose review this period's export writes (``YYYY-MM``): the month
        holding most of its days. A week's is its Thursday's (ISO's rule: 2026-W49,
        30 November to 6 December, is December's); any other period's, the month that
        holds most of it (the earlier on a tie)."""
        if self.kind == "week":
            return f"{self.first + timedelta(days=3):%Y-%m}"
        days: dict[str, int] = {}
        day = self.first
        while day <= self.last:
            month = f"{day:%Y-%m}"
            days[month] = days.get(month, 0) + 1
            day += timedelta(days=1)
        return max(days, key=lambda m: (days[m], -int(m.replace("-", ""))))

    @property
    def label(self) -> str:
        if self.kind == "day":
            return self.first.isoformat()
        if self.kind == "week":
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


@dataclass(frozen=True)
class Drill:
    """Where QA stands in the drill-down: each field narrows the one before."""

    team: str | None = None
    agent: str | None = None
    flow: str | None = None
    step: str | None = None

    @property
    def level(self) -> str:
        for name, value in (("step", self.step), ("flow", self.flow), ("agent", self.agent)):
            if value is not None:
                return name
        return "team" if self.team is not None else "site"

    def into(self, key: str) -> Drill:
        """One level down, into the row ``key``."""
        level = self.level
        if level == "site":
            return replace(self, team=key)
        if level == "team":
            return replace(self, agent=key)
        if level == "agent":
            return replace(self, flow=key)
        if level == "flow":
            return replace(self, step=key)
        raise ValueError("a step's runs are the last level")

    def up_to(self, level: str) -> Drill:
        """Back up to ``level`` (a breadcrumb)."""
        keep = LEVELS.index(level)
        names = ("team", "agent", "flow", "step")
        return Drill(**{n: getattr(self, n) if i < keep else None for i, n in enumerate(names)})

    def where(self, base: EventFilter) -> EventFilter:
        return replace(
            base,
            teams=(self.team,) if self.team is not None else base.teams,
            agents=(self.agent,) if self.agent is not None else base.agents,
        )
