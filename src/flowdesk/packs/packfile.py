"""Reading ``pack.yaml``: the pack's identity and its process map axes.

The axes (channels, brands, businesses and where each business is offered)
are what every flow file is checked against, so they are read first and kept
even when some entries are wrong: a flow naming a business whose entry has a
typo elsewhere should not get a second, misleading error.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from flowdesk.model import FORMAT, Brand, Business, Channel
from flowdesk.packs.effective import read_effective
from flowdesk.packs.fields import FieldReader
from flowdesk.packs.notices import read_must_read
from flowdesk.packs.synonyms import read_synonyms
from flowdesk.packs.yamlload import YMap, YSeq
from flowdesk.summary import template_problems

CODE = re.compile(r"[A-Za-z0-9]+")
PACK_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
PACK_FILE = "pack.yaml"


@dataclass
class PackHead:
    """What pack.yaml says, as far as it could be read."""

    id: str | None = None
    title: str | None = None
    sequence: int | None = None
    version: str | None = None
    publisher: str | None = None
    effective: _dt.date | None = None  # or an aware datetime: see flowdesk.packs.effective
    call_summary: str | None = None  # §5 extension: the template of the CRM call summary
    must_read: str | None = None  # the pack-wide must-read note (flowdesk.packs.notices)
    channels: list[Channel] = field(default_factory=list)
    brands: list[Brand] = field(default_factory=list)
    businesses: list[Business] = field(default_factory=list)
    synonyms: tuple[tuple[str, ...], ...] = ()
    #: business code → (key path, line) where its offered channels are written,
    #: the place a blind spot of that business is reported.
    business_places: dict[str, tuple[str, int]] = field(default_factory=dict)

    channel_codes: set[str] = field(default_factory=set)
    brand_codes: set[str] = field(default_factory=set)
    by_code: dict[str, Business] = field(default_factory=dict)

    def business(self, code: str) -> Business | None:
        """The business with this code (a dict: 10,000 flows each look one up)."""
        return self.by_code.get(code)


def read_pack_yaml(doc: Any, reader: FieldReader) -> PackHead | None:
    """Read pack.yaml's parsed document; None when it is not a mapping at all."""
    root = reader.mapping(doc, "", None)
    if root is None:
        return None
    head = PackHead()
    fmt = reader.text(root, "format", required=True)
    if fmt is not None and fmt != FORMAT:
        reader.error("format", f"expected {FORMAT!r}, found {fmt!r}", root.line_of("format"))
    head.id = reader.code(root, "id", "", PACK_ID)
    head.title = reader.text(root, "title", required=True)
    head.sequence = reader.positive_int(root, "sequence")
    head.version = reader.text(root, "version")
    head.publisher = reader.text(root, "publisher")
    head.effective = read_effective(root, reader)
    head.must_read = read_must_read(root, reader)
    head.call_summary = reader.text(root, "call_summary")
    for problem in template_problems(head.call_summary or ""):
        reader.error("call_summary", problem, root.line_of("call_summary"))
    head.synonyms = read_synonyms(root, reader)
    for code, name, _path, _m in _axis(root, "channels", reader):
        head.channels.append(Channel(code, name))
    for code, name, _path, _m in _axis(root, "brands", reader):
        head.brands.append(Brand(code, name))
    channel_codes = head.channel_codes = {c.code for c in head.channels}
    brand_codes = head.brand_codes = {b.code for b in head.brands}
    for code, name, path, item in _axis(root, "businesses", reader):
        channels = _code_list(item, "channels", path, channel_codes, "channel", reader)
        brands = _code_list(item, "brands", path, brand_codes, "brand", reader)
        if brands is None:
            brands = tuple(b.code for b in head.brands)  # "brands defaults to all brands"
        elif not brands and "brands" in item:
            reader.warning(
                f"{path}.brands",
                "empty list taken as all brands (leave the key out to say so)",
                item.line_of("brands"),
            )
            brands = tuple(b.code for b in head.brands)
        group = reader.text(item, "group", path)
        business = Business(code, name, group, channels or (), brands)
        head.businesses.append(business)
        head.by_code[code] = business
        place_key = f"{path}.channels" if "channels" in item else path
        head.business_places[code] = (place_key, item.line_of("channels"))
    return head


def _axis(root: YMap, key: str, reader: FieldReader) -> list[tuple[str, str, str, YMap]]:
    """The ``{code, name}`` entries of one axis list, duplicates and bad codes reported."""
    items = reader.seq(root, key, required=True)
    if items is None:
        return []
    found: list[tuple[str, str, str, YMap]] = []
    first_at: dict[str, str] = {}
    for _index, path, item in reader.mappings(items, key):
        code = reader.code(item, "code", path, CODE)
        name = reader.text(item, "name", path, required=True)
        if code is None:
            continue
        if code in first_at:
            reader.error(
                f"{path}.code",
                f"duplicate code {code!r} (also {first_at[code]})",
                item.line_of("code"),
            )
            continue
        first_at[code] = path
        found.append((code, name or code, path, item))
    return found


def _code_list(
    item: YMap, key: str, path: str, known: set[str], what: str, reader: FieldReader
) -> tuple[str, ...] | None:
    """A list of codes of one axis (a business's channels or brands); None when absent."""
    items: YSeq | None = reader.seq(item, key, path)
    if items is None:
        return None
    codes: list[str] = []
    list_path = f"{path}.{key}"
    for index in range(len(items)):
        code = reader.item_text(items, index, list_path)
        if code is None:
            continue
        if code not in known:
            reader.error(f"{list_path}[{index}]", f"unknown {what} {code!r}", items.line_of(index))
        elif code in codes:
            reader.warning(
                f"{list_path}[{index}]", f"{what} {code!r} listed twice", items.line_of(index)
            )
        else:
            codes.append(code)
    return tuple(codes)
