"""Keywords learned from the usage log: what agents searched for before opening a flow.

A search that found nothing, or from which no flow was opened, followed in
the same call by a search from which flow F was opened, is evidence that the
first query means F: the caller's words for F are missing from it. Misses are
grouped by meaning rather than by spelling: fillers dropped (我手机丢了 and
手机丢了 are one), and by sound, so homophone typos and pinyin (手鸡丢了,
shoujidiule) land with the Chinese they stand for. Each group with enough
evidence becomes a proposal "add keyword K to flow F", K being the group's
most typed Chinese form.

Proposals are written into a pack source by ``flowdesk pack add-keywords``
(flowdesk.packs.keywords), which keeps every file otherwise as it was.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from flowdesk.reports.compliance import Report
from flowdesk.search.lexicon import Lexicon, shipped_lexicon
from flowdesk.search.pinyin import reading, syllables
from flowdesk.search.segment import Vocabulary, cut
from flowdesk.search.text import fold_text, is_han, units
from flowdesk.usage.rows import ALL_EVENTS, EventFilter
from flowdesk.usage.schema import usage_event

DEFAULT_MIN_COUNT = 2  # one miss is an accident; two (by anyone) is a pattern
COLUMNS = ("flow_id", "keyword", "count", "agents", "queries")

#: one-character fillers also trimmed off the ends of a pinyin query
_PARTICLES = frozenset("了吗呢啊吧呀嘛啦哦我你您他她")

# Sound-alike folding of a pinyin string, as pinyin.sound does per syllable.
_FOLDS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


@dataclass
class Proposal:
    """Add ``keyword`` to flow ``flow_id``: ``count`` misses led to it, by ``agents`` agents."""

    flow_id: str
    keyword: str
    count: int
    agents: int
    queries: tuple[str, ...] = ()
    pack_id: str | None = None

    def row(self) -> dict[str, object]:
        return {
            "flow_id": self.flow_id,
            "keyword": self.keyword,
            "count": self.count,
            "agents": self.agents,
            "queries": " / ".join(self.queries),
            "pack_id": self.pack_id,
        }


@dataclass
class _Group:
    spellings: Counter[str] = field(default_factory=Counter)
    agents: set[str] = field(default_factory=set)
    count: int = 0
    pack_id: str | None = None


class MissReader:
    """Cuts a query to its content (fillers gone) and its sound, for grouping misses."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or shipped_lexicon()
        self.vocabulary = Vocabulary(self.lexicon.words())
        readings = {
            reading(f)
            for f in self.lexicon.fillers
            if all(map(is_han, f)) and (len(f) >= 2 or f in _PARTICLES)
        }
        #: fillers as pinyin, longest first: trimmed off the ends of a pinyin query
        self.filler_readings = sorted((r for r in readings if r), key=len, reverse=True)

    def _pieces(self, query: str) -> list[str]:
        texts = [u.text for u in units(fold_text(query))]
        return [p.text for p in cut(texts, self.vocabulary)]

    def content(self, query: str) -> str:
        """The query without spaces and fillers, folded (我手机丢了怎么办 → 手机丢): its key."""
        kept = [p for p in self._pieces(query) if p not in self.lexicon.fillers]
        return "".join(self._trim_pinyin(p) if p.isascii() and p.isalpha() else p for p in kept)

    def _trim_pinyin(self, letters: str) -> str:
        """wo shouji diule → shoujidiu, as its Chinese loses 我 and 了: once at each end."""
        for filler in self.filler_readings:
            if letters.endswith(filler) and len(letters) > len(filler) + 3:
                letters = letters[: -len(filler)]
                break
        for filler in self.filler_readings:
            if letters.startswith(filler) and len(letters) > len(filler) + 3:
                return letters[len(filler) :]
        return letters

    def keyword(self, query: str) -> str:
        """The query as a keyword: fillers trimmed from both ends (我手机丢了怎么办 → 手机丢了).

        A 了 right after the words stays (手机不见了 reads as agents type it).
        """
        pieces = self._pieces(query)
        fillers = self.lexicon.fillers
        while pieces and pieces[0] in fillers:
            pieces.pop(0)
        while pieces and pieces[-1] in fillers:
            if pieces[-1] == "了" and len(pieces) > 1 and pieces[-2] not in fillers:
                break
            pieces.pop()
        return "".join(pieces)

    def sound(self, content: str) -> str:
        """One key for homophones and pinyin alike: 手机丢了, 手鸡丢了, shoujidiule."""
        spoken = []
        han = ""
        for char in content:
            if is_han(char):
                han += char
                continue
            if han:
                spoken.extend(syllables(han))
                han = ""
            spoken.append(char)
        if han:
            spoken.extend(syllables(han))
        key = "".join(spoken)
        for full, short in _FOLDS:
            key = key.replace(full, short)
        return key.replace("l", "n")


def _searches(engine: Engine, where: EventFilter) -> list[tuple]:
    c = usage_event.c
    stmt = where.apply(
        select(
            c.call_id,
            c.ts_us,
            c.seq,
            c.agent_id,
            c.query,
            c.result_count,
            c.opened_flow_id,
            c.pack_id,
        ).where(c.type == "search", c.call_id.is_not(None), c.query.is_not(None))
    ).order_by(c.call_id, c.ts_us, c.seq)
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(stmt)]


def learned_proposals(
    engine: Engine,
    where: EventFilter = ALL_EVENTS,
    *,
    min_count: int = DEFAULT_MIN_COUNT,
    keywords_of: Callable[[str], Iterable[str]] | None = None,
    reader: MissReader | None = None,
) -> list[Proposal]:
    """Proposals from the searches in the window, most evidence first.

    ``keywords_of(flow_id)`` gives a flow's title and keywords where known, so
    that words the flow already holds are not proposed again.
    """
    reader = reader or MissReader()
    groups: dict[tuple[str, str], _Group] = defaultdict(_Group)
    pending: list[tuple[str, str]] = []  # (agent, query) misses of the current call
    current_call: str | None = None
    for call_id, _ts, _seq, agent, query, _results, opened, pack_id in _searches(engine, where):
        if call_id != current_call:
            current_call, pending = call_id, []
        if not opened:
            pending.append((agent, query))
            continue
        found = reader.content(query)
        for miss_agent, missed in pending:
            content = reader.content(missed)
            if not content or content == found:
                continue
            group = groups[(reader.sound(content), opened)]
            group.spellings[reader.keyword(missed)] += 1
            group.agents.add(miss_agent)
            group.count += 1
            group.pack_id = pack_id
        pending = []
    proposals = []
    for (_sound, flow_id), group in groups.items():
        if group.count < min_count:
            continue
        keyword = _best_spelling(group.spellings)
        known = {fold_text(k) for k in keywords_of(flow_id)} if keywords_of else set()
        if fold_text(keyword) in known:
            continue
        queries = tuple(s for s, _ in group.spellings.most_common())
        proposals.append(
            Proposal(flow_id, keyword, group.count, len(group.agents), queries, group.pack_id)
        )
    proposals.sort(key=lambda p: (-p.count, -p.agents, p.flow_id, p.keyword))
    return proposals


def _best_spelling(spellings: Counter[str]) -> str:
    """The most typed spelling, Chinese before pinyin (a Chinese keyword finds both)."""
    ranked = sorted(spellings.items(), key=lambda kv: (not any(map(is_han, kv[0])), -kv[1], kv[0]))
    return ranked[0][0]


def proposal_report(proposals: list[Proposal]) -> Report:
    summary = {
        "proposals": len(proposals),
        "misses_explained": sum(p.count for p in proposals),
    }
    return Report("search-misses-proposals", COLUMNS, [p.row() for p in proposals], summary)
