"""Chinese full-text search over a pack's flows, as agents type it.

Titles and keywords by any 1–4 character piece (转网 → 携号转网), pinyin in full
or as initials (xiehaozhuanwang, xhzw), homophone typos (携号专网), touch point
and business codes, words in step text, filters by channel, brand and class.
The engine (Whoosh) stays behind :class:`FlowIndex`; the index is a cache,
rebuildable from a :class:`~flowdesk.model.Pack`.
"""

from flowdesk.search.errors import IndexUnavailable
from flowdesk.search.hits import Hit
from flowdesk.search.index import FlowIndex

__all__ = ["FlowIndex", "Hit", "IndexUnavailable"]
