"""One flow as one index document: its terms per field and what a hit shows.

Besides the flow's own title and keywords, the names of its business, brands
and channels count as keywords, so "xhzw 全球通" finds 携号转网 for GoTone
customers. Filters use the channel and brand codes of its touch points; a
channel+brand filter must hit one touch point (``cb`` field), not any two.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, replace
from typing import Any

from flowdesk.model import Flow, Pack
from flowdesk.search import terms as t
from flowdesk.search.pinyin import syllables
from flowdesk.search.text import joined, units

# Names of the pack's axes a flow is also known by, weighted as keywords but lower.
AXIS_WEIGHT = (6.0, 1.0, 0.0)
AXIS_PINYIN_WEIGHT = (5.0, 1.0, 0.0)


class AxisNames:
    """The names of a pack's businesses, brands and channels, by code."""

    def __init__(self, pack: Pack) -> None:
        self.business = {b.code: b.name for b in pack.businesses}
        self.brand = {b.code: b.name for b in pack.brands}
        self.channel = {c.code: c.name for c in pack.channels}

    def business_names(self, flow: Flow) -> list[str]:
        name = self.business.get(flow.business or "")
        return [name] if name and name != flow.title else []

    def axis_names(self, flow: Flow) -> list[str]:
        seen: dict[str, None] = {}
        for tp in flow.touchpoints:
            for name in (self.brand.get(tp.brand), self.channel.get(tp.channel)):
                if name:
                    seen[name] = None
        return list(seen)

    def source_key(self, flow: Flow) -> object:
        """Everything a flow's document is made from: equal keys, equal documents.

        Compared with ``==`` only (a flow's ``elements`` mapping is not hashable).
        """
        return (flow, tuple(self.business_names(flow)), tuple(self.axis_names(flow)))


def _spoken(text: str) -> list[list[str]]:
    """Pinyin per Han run of a text, stored so hits need no pypinyin at query time."""
    return [list(syllables(joined(run))) for run in t.han_runs(text)]


@dataclass(frozen=True)
class FlowDocument:
    """What the index keeps of one flow: weighted name terms, step terms, filters, display data."""

    flow_id: str
    name_terms: dict[str, float]
    step_terms: frozenset[str]
    exact: str
    facets: dict[str, tuple[str, ...]]
    stored: dict[str, Any]
    step_texts: tuple[str, ...]


def flow_document(flow: Flow, names: AxisNames) -> FlowDocument:
    """One flow analysed for the index."""
    keywords = [*flow.keywords, *names.business_names(flow)]
    axes = names.axis_names(flow)
    name_terms = t.merged(
        t.ngram_terms(flow.title, t.TITLE_WEIGHT),
        t.pinyin_terms(flow.title, t.TITLE_PINYIN_WEIGHT),
        t.sound_terms(flow.title, t.TITLE_SOUND_WEIGHT),
        *(t.ngram_terms(k, t.KEYWORD_WEIGHT) for k in keywords),
        *(t.pinyin_terms(k, t.KEYWORD_PINYIN_WEIGHT) for k in keywords),
        *(t.sound_terms(k, t.KEYWORD_SOUND_WEIGHT) for k in keywords),
        *(t.ngram_terms(a, AXIS_WEIGHT) for a in axes),
        *(t.pinyin_terms(a, AXIS_PINYIN_WEIGHT) for a in axes),
        t.code_terms(flow),
    )
    texts = t.step_texts(flow)
    shown = [*keywords, *axes]
    return FlowDocument(
        flow_id=flow.id,
        name_terms=name_terms,
        step_terms=frozenset(t.step_terms(texts)),
        exact=joined(units(flow.title)),
        facets={
            "channel": tuple(sorted({tp.channel for tp in flow.touchpoints})),
            "brand": tuple(sorted({tp.brand for tp in flow.touchpoints})),
            "cb": tuple(sorted({f"{tp.channel}/{tp.brand}" for tp in flow.touchpoints})),
            "class": (flow.flow_class,),
        },
        stored={
            "flow_id": flow.id,
            "title": flow.title,
            "flow_class": flow.flow_class,
            "business": flow.business,
            "touchpoints": [tp.code for tp in flow.touchpoints],
            "keywords": shown,
            "spoken": [_spoken(x) for x in [flow.title, *shown]],
        },
        step_texts=tuple(texts),
    )


@dataclass(frozen=True)
class Inverted:
    """One field's postings of a run of documents, by term: what the index writer takes.

    ``terms`` in first-seen order, each with ``counts[i]`` postings laid end to
    end in ``docs`` (ascending document numbers) and ``weights``. Flat arrays
    cross a process boundary as a few byte strings, not millions of objects.
    """

    terms: list[bytes]
    counts: array
    docs: array
    weights: array


@dataclass(frozen=True)
class AnalysedChunk:
    """Consecutive flows analysed: their documents (terms left out) and their postings inverted.

    Inverting here, where the flows were analysed (a worker process for a large
    pack), leaves the writer one step per term instead of one per posting:
    5.7 M postings of a 10,000-flow pack, 0.1 M terms.
    """

    first_doc: int
    documents: list[FlowDocument]
    name: Inverted
    step: Inverted


def _flat(by_term: dict[str, tuple[array, array]]) -> Inverted:
    docs, weights = array("I"), array("f")
    counts = array("I")
    for term_docs, term_weights in by_term.values():
        counts.append(len(term_docs))
        docs.extend(term_docs)
        weights.extend(term_weights)
    return Inverted([term.encode("utf-8") for term in by_term], counts, docs, weights)


def analysed_chunk(documents: list[FlowDocument], first_doc: int) -> AnalysedChunk:
    """``documents`` numbered from ``first_doc``, their name and step terms inverted."""
    name: dict[str, tuple[array, array]] = {}
    step: dict[str, tuple[array, array]] = {}
    for doc, document in enumerate(documents, first_doc):
        for term, weight in document.name_terms.items():
            entry = name.get(term)
            if entry is None:
                entry = name[term] = (array("I"), array("f"))
            entry[0].append(doc)
            entry[1].append(weight)
        for term in document.step_terms:
            entry = step.get(term)
            if entry is None:
                entry = step[term] = (array("I"), array("f"))
            entry[0].append(doc)
            entry[1].append(1.0)
    bare = [replace(d, name_terms={}, step_terms=frozenset()) for d in documents]
    return AnalysedChunk(first_doc, bare, _flat(name), _flat(step))
