"""Bounded, safe YAML reading that remembers where every key was written.

Pack files come from process owners' editors and, through built packs, from
the network, so the reader must never run code, never blow up memory and
always say *where* something is wrong. PyYAML's loaders do the first but not
the other two: aliases can expand exponentially ("billion laughs"), deep
nesting can exhaust the stack, and the constructed objects forget their line
numbers. So we take libyaml's event stream (the C parser, for speed) and build
the values ourselves with an explicit stack:

* only the YAML core tags (str, int, float, bool, null, timestamp, map, seq)
  are allowed; any other tag (``!!python/object``, ``!custom``) is refused;
* every node counts towards a per-file bound, and an alias counts the whole
  subtree it stands for, so alias bombs are refused after a bounded amount of
  work and memory (aliased values are shared, never copied);
* nesting depth, file size and UTF-8 are checked with the file and line;
* mappings are :class:`YMap` and sequences :class:`YSeq`: plain ``dict`` and
  ``list`` subclasses that also carry the line of each key and item, and the
  text as written for scalars YAML turned into numbers, booleans or dates (so
  ``code: 0105`` can be read as the code ``"0105"`` rather than the number 69).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from flowdesk.packs.yamlerrors import syntax_problem
from flowdesk.problems import Problem, error

try:  # libyaml is several times faster; the pure-Python parser gives the same events
    from yaml._yaml import CParser as _Parser

    def _parser(data: bytes) -> Any:
        return _Parser(data)

except ImportError:  # pragma: no cover - PyYAML built without libyaml

    def _parser(data: bytes) -> Any:
        return yaml.SafeLoader(data)


MAX_FILE_BYTES = 2 * 1024 * 1024
"""A flow file is a few KB; pack.yaml of a big process map a few hundred KB."""
MAX_NODES = 1_000_000
"""Nodes per file, aliases expanded. A 2 MiB file cannot hold many more plainly."""
MAX_ALIAS_NODES = 100_000
"""Nodes brought in by aliases per file; a billion-laughs file passes this at once."""
MAX_DEPTH = 64
"""Nesting depth; the deepest real structure (steps → options → option) is 4."""

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT = (_TAG + t for t in ("str", "null", "bool", "int", "float"))
_TIMESTAMP, _MERGE, _MAP, _SEQ = (_TAG + t for t in ("timestamp", "merge", "map", "seq"))
_SCALAR_TAGS = {_STR, _NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP}
_IMPLICIT = Resolver.yaml_implicit_resolvers
_constructor = SafeConstructor()
_CONSTRUCT = {
    _NULL: _constructor.construct_yaml_null,
    _BOOL: _constructor.construct_yaml_bool,
    _INT: _constructor.construct_yaml_int,
    _FLOAT: _constructor.construct_yaml_float,
    _TIMESTAMP: _constructor.construct_yaml_timestamp,
}


class YMap(dict):  # type: ignore[type-arg]
    """A YAML mapping: a dict that knows its line and the line of each key."""

    __slots__ = ("key_lines", "line", "raw")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}
        self.raw: dict[str, str] | None = None

    def line_of(self, key: str) -> int:
        """The line of ``key``, or of the mapping itself where the key is absent."""
        return self.key_lines.get(key, self.line)

    def text_of(self, key: str) -> str | None:
        """The scalar as written, where YAML read it as a number, boolean or date."""
        return self.raw.get(key) if self.raw else None


class YSeq(list):  # type: ignore[type-arg]
    """A YAML sequence: a list that knows its line and the line of each item."""

    __slots__ = ("item_lines", "line", "raw")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []
        self.raw: dict[int, str] | None = None

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line

    def text_of(self, index: int) -> str | None:
        return self.raw.get(index) if self.raw else None


class _Bad(Exception):
    """Stops reading one file; carries the problem to report."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


_NO_KEY = object()


class _Frame:
    """One open mapping or sequence on the builder's stack."""

    __slots__ = ("anchor", "container", "is_map", "key", "key_line", "merges", "start_count")

    def __init__(self, container: YMap | YSeq, anchor: str | None, start_count: int) -> None:
        self.container = container
        self.is_map = isinstance(container, YMap)
        self.anchor = anchor
        self.start_count = start_count
        self.key: Any = _NO_KEY
        self.key_line = 0
        self.merges: list[tuple[Any, int]] = []


def decode_error(data: bytes, file: str) -> Problem | None:
    """A problem naming the byte and line where ``data`` stops being UTF-8, or None."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return error(
            file,
            "",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8 (it may be GBK or another legacy encoding)",
            line,
        )
    return None


def load_yaml(data: bytes, file: str) -> tuple[Any, list[Problem]]:
    """Read one YAML document from ``data``; ``file`` names it in problems.

    Returns the value (None where the file could not be read) and the problems
    found. Duplicate keys are reported but do not stop reading, so the caller
    can go on validating and report everything in one pass.
    """
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        return None, [error(file, "", f"file too large ({len(data):,} bytes, limit {limit} MiB)")]
    bad_utf8 = decode_error(data, file)
    if bad_utf8 is not None:
        return None, [bad_utf8]
    builder = _Builder(file)
    try:
        value = builder.build(_parser(data))
    except _Bad as exc:
        return None, [*builder.problems, error(file, "", exc.message, exc.line)]
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_problem(exc, data, file, MAX_DEPTH)]
    except yaml.YAMLError as exc:
        return None, [error(file, "", f"YAML syntax error: {exc}")]
    if value is None and not builder.problems:
        return None, [error(file, "", "empty file")]
    return value, builder.problems


class _Builder:
    """Turns a parser's events into YMap/YSeq/scalars, enforcing the bounds."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.count = 0
        self.alias_count = 0

    def build(self, parser: Any) -> Any:
        stack: list[_Frame] = []
        root: Any = None
        documents = 0
        get_event = parser.get_event
        while True:
            event = get_event()
            if event is None:
                break
            kind = type(event)
            line = event.start_mark.line + 1
            if kind is ScalarEvent:
                # Scalars are bounded by the file size; the node bound is checked at
                # the next container or alias, and at the end.
                self.count += 1
                if stack and stack[-1].is_map and stack[-1].key is _NO_KEY:
                    self._key(stack[-1], event, line)
                    continue
                text = event.value
                if event.tag is None and (
                    not event.implicit[0] or (text and text[0] not in _IMPLICIT)
                ):
                    value, raw = text, None  # plain text: most scalars of a flow
                else:
                    value, raw = self._scalar(event, line)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1)
                if stack:
                    self._put(stack[-1], value, line, raw)
                else:
                    root = value
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                self._count(1, line)
                if len(stack) >= MAX_DEPTH:
                    raise _Bad(f"nested more than {MAX_DEPTH} levels deep", line)
                if stack and stack[-1].is_map and stack[-1].key is _NO_KEY:
                    raise _Bad("a key must be plain text, not a mapping or list", line)
                is_map = kind is MappingStartEvent
                allowed = _MAP if is_map else _SEQ
                if event.tag not in (None, "!", allowed):
                    raise _Bad(f"tag {_show(event.tag)} is not allowed", line)
                container: YMap | YSeq = YMap(line) if is_map else YSeq(line)
                if event.anchor is not None:
                    self.open_anchors.add(event.anchor)
                stack.append(_Frame(container, event.anchor, self.count))
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                if frame.merges:
                    self._merge(frame)
                if frame.anchor is not None:
                    self.open_anchors.discard(frame.anchor)
                    size = self.count - frame.start_count + 1
                    self.anchors[frame.anchor] = (frame.container, size)
                if stack:
                    self._put(stack[-1], frame.container, frame.container.line, None)
                else:
                    root = frame.container
            elif kind is AliasEvent:
                if event.anchor in self.open_anchors:
                    raise _Bad(f"alias *{event.anchor} refers to itself", line)
                if event.anchor not in self.anchors:
                    raise _Bad(f"alias *{event.anchor} has no anchor before it", line)
                value, size = self.anchors[event.anchor]
                self._count(size, line)
                self.alias_count += size
                if self.alias_count > MAX_ALIAS_NODES:
                    raise _Bad(f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes", line)
                if stack and stack[-1].is_map and stack[-1].key is _NO_KEY:
                    raise _Bad("a key must be plain text, not an alias", line)
                if stack:
                    self._put(stack[-1], value, line, None)
                else:
                    root = value
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Bad("more than one YAML document (remove the second '---')", line)
            elif kind in (DocumentEndEvent, StreamStartEvent, StreamEndEvent):
                continue
        self._count(0, 0)
        return root

    def _count(self, n: int, line: int) -> None:
        self.count += n
        if self.count > MAX_NODES:
            raise _Bad(f"more than {MAX_NODES:,} values in one file", line)

    def _scalar(self, event: ScalarEvent, line: int) -> tuple[Any, str | None]:
        """The value of a scalar and, where it is not text, the text as written."""
        text: str = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0] or tag == "!":
                return text, None
            tag = _resolve(text)
            if tag == _STR or tag not in _SCALAR_TAGS:
                return text, None
        elif tag not in _SCALAR_TAGS:
            raise _Bad(f"tag {_show(tag)} is not allowed", line)
        if tag == _STR:
            return text, None
        try:
            value = _CONSTRUCT[tag](ScalarNode(tag, text))
        except (ValueError, ConstructorError, OverflowError):
            return text, None  # e.g. 2026-02-30: keep the text, the field check reports it
        return value, text

    def _key(self, frame: _Frame, event: ScalarEvent, line: int) -> None:
        if event.tag not in (None, "!", _STR):
            raise _Bad(f"tag {_show(event.tag)} is not allowed on a key", line)
        key = event.value
        if event.tag is None and event.implicit[0] and key == "<<":
            frame.key = _MERGE
        else:
            container = frame.container
            assert isinstance(container, YMap)
            if key in container.key_lines:
                self.problems.append(
                    error(
                        self.file,
                        key,
                        f"duplicate key (also on line {container.key_lines[key]})",
                        line,
                    )
                )
            frame.key = key
        frame.key_line = line

    def _put(self, frame: _Frame, value: Any, line: int, raw: str | None) -> None:
        container = frame.container
        if frame.is_map:
            key = frame.key
            frame.key = _NO_KEY
            if key is _MERGE:
                frame.merges.append((value, frame.key_line))
                return
            assert isinstance(container, YMap)
            container[key] = value
            container.key_lines.setdefault(key, frame.key_line)
            if raw is not None:
                if container.raw is None:
                    container.raw = {}
                container.raw[key] = raw
        else:
            assert isinstance(container, YSeq)
            if raw is not None:
                if container.raw is None:
                    container.raw = {}
                container.raw[len(container)] = raw
            container.append(value)
            container.item_lines.append(line)

    def _merge(self, frame: _Frame) -> None:
        """Apply ``<<`` merge keys: keys written in the mapping win, then earlier merges."""
        target = frame.container
        assert isinstance(target, YMap)
        for value, line in frame.merges:
            sources = value if isinstance(value, YSeq) else [value]
            for source in sources:
                if not isinstance(source, YMap):
                    raise _Bad("a merge key '<<' needs a mapping or a list of mappings", line)
                for key, item in source.items():
                    if key in target:
                        continue
                    target[key] = item
                    target.key_lines[key] = source.line_of(key)
                    text = source.text_of(key)
                    if text is not None:
                        if target.raw is None:
                            target.raw = {}
                        target.raw[key] = text


def _resolve(text: str) -> str:
    """The implicit tag of a plain scalar, exactly as PyYAML's Resolver decides it."""
    resolvers = _IMPLICIT.get(text[0] if text else "", [])
    for tag, regexp in resolvers:
        if regexp.match(text):
            return tag
    for tag, regexp in _IMPLICIT.get(None, []):  # pragma: no cover - none registered by default
        if regexp.match(text):
            return tag
    return _STR


def _show(tag: str | None) -> str:
    """A tag as the author wrote it: ``!!python/object`` rather than the expanded URI."""
    text = str(tag)
    return "!!" + text[len(_TAG) :] if text.startswith(_TAG) else text


def is_date(value: object) -> bool:
    """True for a calendar date (YAML gives datetimes for timestamps with a time)."""
    return isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)
