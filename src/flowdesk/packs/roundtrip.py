"""Round-trip editing of pack source files (pack.yaml and flow files).

Process owners keep their pack sources in version control and comment them
by hand; a program that writes keywords or a new step into a flow file must
not reflow the rest of it. This module is the one way FlowDesk writes a pack
source file:

* :func:`load_source_file` reads a file with ruamel.yaml's round-trip loader:
  the document is a tree of ``CommentedMap``/``CommentedSeq`` (``dict`` and
  ``list`` subclasses) that remembers comments, key order, flow or block
  style, quoting and the file's own indentation.
* Edit ``source.data`` like plain dicts and lists, or hand a whole new value
  to :func:`apply_value`, which changes only the keys and items that differ
  (so untouched keys keep their comments and style).
* :func:`save_source_file` writes atomically (temporary file in the same
  folder, flushed, then renamed over the old one). A file whose content did
  not change is **not written at all**, so saving without edits leaves it
  byte-identical. A file changed on disk since it was loaded raises
  :class:`ChangedOnDisk` unless ``force=True``: nothing is overwritten
  silently.
* :func:`edit_source_file` is the short form of load, edit, save.

Stable API (other parts rely on it): ``SourceFile``, ``RoundTripError``,
``ChangedOnDisk``, ``load_source_file``, ``parse_source_text``,
``dump_source``, ``save_source_file``, ``edit_source_file``, ``apply_value``,
``new_source_file``, ``house_style``, ``apply_changes``.

Line endings (``\\r\\n``) and a UTF-8 byte-order mark are kept as found.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from flowdesk.files import atomic_write
from flowdesk.packs.roundtrip_merge import apply_changes, apply_value, house_style
from flowdesk.packs.yamlload import MAX_FILE_BYTES

__all__ = [
    "ChangedOnDisk",
    "RoundTripError",
    "SourceFile",
    "apply_changes",
    "apply_value",
    "changed_on_disk",
    "dump_source",
    "edit_source_file",
    "house_style",
    "load_source_file",
    "new_source_file",
    "parse_source_text",
    "save_source_file",
]

_BOM = "\ufeff"


class RoundTripError(ValueError):
    """A source file that cannot be read for editing; ``str()`` names file and line."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file, self.message, self.line = file, message, line
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


class ChangedOnDisk(RoundTripError):
    """The file on disk is no longer the one that was loaded (someone else saved it)."""


@dataclass
class SourceFile:
    """One YAML file of a pack source, loaded for editing.

    ``data`` is the document (usually a ``CommentedMap``); ``original`` the
    bytes it was read from (``b""`` for a new file), used to notice changes
    on disk and to skip writing unchanged files.
    """

    path: Path
    data: Any
    original: bytes = b""
    indent: tuple[int, int, int] = (2, 2, 0)
    """(mapping indent, sequence indent, dash offset) as the file writes them."""
    crlf: bool = False
    bom: bool = False
    exists: bool = field(default=True)
    baseline: bytes = b""
    """ruamel.yaml's dump of the document as loaded: equal to ``original`` for
    most files; differs for a file whose layout ruamel cannot reproduce (mixed
    indentation), which is then saved by splicing (see :func:`dump_source`)."""

    def dumps(self) -> bytes:
        """The bytes this file would be saved as now."""
        return dump_source(self)

    @property
    def modified(self) -> bool:
        """True when saving would write something."""
        return not self.exists or _plain_dump(self) != self.baseline


def _yaml(indent: tuple[int, int, int] = (2, 2, 0)) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    yaml.allow_duplicate_keys = False
    yaml.width = 4096  # never re-wrap an author's long lines
    mapping, sequence, offset = indent
    yaml.indent(mapping=mapping, sequence=max(sequence, offset + 2), offset=offset)
    return yaml


def guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) of the first nested blocks in ``text``.

    ruamel.yaml writes one indentation for the whole file; taking it from the
    file keeps an edited file looking as its author wrote it.
    """
    mapping: int | None = None
    offset: int | None = None
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for above, below in itertools.pairwise(lines):
        head = above.rstrip()
        if not head.endswith(":"):
            continue
        start = len(above) - len(above.lstrip(" -"))
        inner = len(below) - len(below.lstrip(" "))
        if inner < start or (inner == start and not below.lstrip().startswith("- ")):
            continue
        if below.lstrip().startswith("- "):
            offset = inner - start if offset is None else offset
        elif mapping is None and inner > start:
            mapping = inner - start
        if mapping is not None and offset is not None:
            break
    mapping = mapping or 2
    offset = offset if offset is not None else 0
    return mapping, offset + 2, offset


def parse_source_text(raw: bytes, path: Path | str) -> SourceFile:
    """A source file from its bytes (``path`` is where it will be saved)."""
    name = str(path)
    if len(raw) > MAX_FILE_BYTES:
        raise RoundTripError(name, f"file too large ({len(raw):,} bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RoundTripError(name, f"not UTF-8 (byte {exc.start})") from None
    bom = text.startswith(_BOM)
    text = text.removeprefix(_BOM)
    crlf = "\r\n" in text
    indent = guess_indent(text)
    try:
        data = _yaml(indent).load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RoundTripError(name, f"YAML: {problem}", line) from None
    source = SourceFile(Path(path), data, raw, indent, crlf, bom, exists=True)
    source.baseline = _plain_dump(source)
    return source


def load_source_file(path: Path) -> SourceFile:
    """Read ``path`` for round-trip editing; :class:`RoundTripError` if it cannot be."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RoundTripError(str(path), f"cannot read: {exc.strerror or exc}") from None
    return parse_source_text(raw, path)


def new_source_file(path: Path, data: Any, indent: tuple[int, int, int] = (2, 4, 2)) -> SourceFile:
    """A file not yet on disk, written in the house layout (``- `` indented under its key)."""
    return SourceFile(Path(path), data, b"", indent, exists=False)


def _plain_dump(source: SourceFile) -> bytes:
    buffer = io.StringIO()
    _yaml(source.indent).dump(source.data, buffer)
    return buffer.getvalue().encode("utf-8")


def dump_source(source: SourceFile) -> bytes:
    """The document as bytes in the file's own layout, line endings and BOM.

    Unchanged: the original bytes. Changed, and ruamel.yaml reproduces the file
    when unedited: its dump. Changed, and the file has a layout ruamel cannot
    reproduce: the original lines wherever the dump did not change, the dump's
    lines where it did (so untouched parts stay byte for byte).
    """
    current = _plain_dump(source)
    if source.exists and current == source.baseline:
        return source.original
    text = current.decode("utf-8")
    if source.exists and source.baseline:
        text = _splice(source, text)
    if source.crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    if source.bom:
        text = _BOM + text
    return text.encode("utf-8")


def _splice(source: SourceFile, text: str) -> str:
    """Apply the change from baseline to ``text`` onto the original lines, if they align.

    New lines take the indentation shift of the line before them, and the
    result is kept only if it reads back as the same document.
    """
    original = source.original.decode("utf-8").removeprefix(_BOM).replace("\r\n", "\n")
    old_lines = original.splitlines(keepends=True)
    base_lines = source.baseline.decode("utf-8").splitlines(keepends=True)
    if len(old_lines) != len(base_lines) or original == source.baseline.decode("utf-8"):
        return text
    new_lines = text.splitlines(keepends=True)
    out: list[str] = []
    shift = 0
    matcher = difflib.SequenceMatcher(None, base_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += old_lines[i1:i2]
            shift = _indent(old_lines[i2 - 1]) - _indent(base_lines[i2 - 1])
            continue
        if i2 > i1:
            shift = _indent(old_lines[i1]) - _indent(base_lines[i1])
        for line in new_lines[j1:j2]:
            out.append(" " * shift + line if shift > 0 and line.strip() else line)
    spliced = "".join(out)
    try:
        same = _yaml(source.indent).load(spliced) == _yaml(source.indent).load(text)
    except YAMLError:
        same = False
    return spliced if same else text


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def changed_on_disk(source: SourceFile) -> bool:
    """True when the file on disk differs from what ``source`` was loaded from."""
    try:
        current = source.path.read_bytes()
    except FileNotFoundError:
        return source.exists
    except OSError:
        return True
    if not source.exists:
        return True
    return current != source.original


def save_source_file(source: SourceFile, *, force: bool = False) -> bool:
    """Write ``source`` if its content changed; True when the file was written.

    Raises :class:`ChangedOnDisk` when the file on disk is not the one loaded,
    unless ``force`` (the author chose to overwrite). A file whose content did
    not change is never written. After a write, ``source.original`` is the new
    content, so a second save writes nothing.
    """
    data = dump_source(source)
    if source.exists and data == source.original:
        return False
    if not force and changed_on_disk(source):
        raise ChangedOnDisk(str(source.path), "changed on disk since it was opened")
    atomic_write(source.path, data)
    source.original, source.exists = data, True
    source.baseline = _plain_dump(source)
    return True


@contextlib.contextmanager
def edit_source_file(path: Path) -> Iterator[Any]:
    """``with edit_source_file(p) as doc: doc["keywords"] = [...]`` then saved atomically."""
    source = load_source_file(path)
    yield source.data
    save_source_file(source)
