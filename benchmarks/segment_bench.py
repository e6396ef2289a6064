"""Cutting long queries: maximum matching over the pack's words against jieba.

Both cut with the same vocabulary (the sample pack's titles, keywords, business
names and synonyms plus the shipped lexicon; jieba gets it as a user
dictionary on top of its own). Measured: the cost of getting ready (jieba's
import and dictionary load, the vocabulary build), the time per cut, and what
the choice does to search quality on the colloquial query set
(benchmarks/data/search_colloquial.tsv), everything else being equal.

    python -m benchmarks.segment_bench
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import search_quality
from flowdesk.search import sentence
from flowdesk.search.segment import Piece, cut
from flowdesk.search.text import units

JIEBA_READY = """
import time, jieba, logging
jieba.setLogLevel(logging.WARNING)
t = time.perf_counter(); jieba.initialize(); print(time.perf_counter() - t)
"""


def _jieba_ready_s() -> float:
    """jieba's import and dictionary load in a fresh process (its cache file warm)."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", JIEBA_READY], capture_output=True, text=True)
    total = time.perf_counter() - start
    return round(total, 2) if out.returncode == 0 else float("nan")


def run(quick: bool = False) -> list[dict]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    work = Path(tempfile.mkdtemp(prefix="flowdesk-segment-"))
    try:
        _pack, index = search_quality.sample_index(work)
        started = time.perf_counter()
        understanding = index._forgiving.understanding()
        vocabulary_s = time.perf_counter() - started
        vocabulary = understanding.vocabulary
        tokenizer = jieba.Tokenizer()
        started = time.perf_counter()
        tokenizer.initialize()
        for word in vocabulary.words:
            tokenizer.add_word(word, freq=100_000)
        jieba_dict_s = time.perf_counter() - started

        def jieba_cut(unit_texts: list[str], vocab) -> list[Piece]:  # type: ignore[no-untyped-def]
            text = "".join(unit_texts)
            return [Piece(w, w in vocab.words) for w in tokenizer.lcut(text, HMM=False)]

        cases = search_quality.colloquial_cases()
        han = [q for q, _, _ in cases if any(u.kind == "han" for u in units(q))]
        times: dict[str, list[float]] = {"mm": [], "jieba": []}
        for query in han * 5:
            texts = [u.text for u in units(query)]
            for name, cutter in (("mm", cut), ("jieba", jieba_cut)):
                started = time.perf_counter()
                cutter(texts, vocabulary)
                times[name].append((time.perf_counter() - started) * 1000)

        def quality() -> dict[str, float]:
            def search(query: str) -> list[str]:
                return [h.flow_id for h in index.search(query, limit=20)]

            return search_quality.measure(search, cases)["all"]

        mm = quality()
        sentence.cut = jieba_cut  # type: ignore[assignment]
        try:
            with_jieba = quality()
        finally:
            sentence.cut = cut
        index.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = [
        {
            "benchmark": "segment: jieba import + dictionary load",
            "value": _jieba_ready_s(),
            "unit": "s",
        },
        {
            "benchmark": "segment: jieba user dictionary (pack words)",
            "value": round(jieba_dict_s, 2),
            "unit": "s",
        },
        {
            "benchmark": "segment: max-matching vocabulary build",
            "value": round(vocabulary_s, 2),
            "unit": "s",
        },
    ]
    for name in ("mm", "jieba"):
        rows.append(
            {
                "benchmark": f"segment: {name} cut, median per query",
                "value": round(statistics.median(times[name]), 4),
                "unit": "ms",
            }
        )
    for name, measured in (("mm", mm), ("jieba", with_jieba)):
        for metric in ("hit@1", "hit@5", "empty"):
            rows.append(
                {
                    "benchmark": f"segment: {name}, colloquial {metric}",
                    "value": round(measured[metric], 3),
                    "unit": "share",
                }
            )
    return rows


def main() -> int:
    for row in run():
        print(f"{row['benchmark']:<48} {row['value']:>8} {row['unit']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
