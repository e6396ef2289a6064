"""Pack sources: a folder (a shared drive) or an HTTP(S) URL serving one.

Everything read from a source is bounded: the index by size, each pack file by
the size the index declares, every network read by a timeout and each
download by an overall deadline, so a server that hangs or sends endless
data is refused instead of freezing a desk. Downloads land in the data
folder's ``downloads/`` as ``.part`` files and resume where they stopped.
"""

from __future__ import annotations

import base64
import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flowdesk.files import sha256_file
from flowdesk.paths import PART_SUFFIX, downloaded_pack
from flowdesk.problems import Cancelled, Refused
from flowdesk.sync.index import INDEX_FILE, MAX_INDEX_BYTES, IndexEntry, SourceIndex, parse_index

ProgressFn = Callable[[str, int, int], None]
CancelFn = Callable[[], bool]
CHUNK = 256 * 1024
STAGE = "下载 downloading"


class DownloadCancelled(Cancelled):
    """The user cancelled a download; the partial download stays for the next attempt.

    A kind of :class:`flowdesk.problems.Cancelled`, so the window handles a
    cancelled download and a cancelled import with one ``except``.
    """


class Overflow(Refused):
    """The source sent more than it declared: the partial file is worthless."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what a source may cost a desk."""

    timeout: float = 20.0  # seconds a connect or a single read may wait
    deadline: float = 1800.0  # seconds a whole download may take
    max_pack_bytes: int = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str


class Source:
    """Where packs are published: reads the index and fetches pack files into a folder."""

    location: str

    def read_index(self) -> SourceIndex:
        raise NotImplementedError

    def download(
        self,
        entry: IndexEntry,
        downloads: Path,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> Path:
        """Fetch ``entry`` to ``downloads`` and check its size and SHA-256; returns the file."""
        downloads.mkdir(parents=True, exist_ok=True)
        if entry.size > self.limits.max_pack_bytes:
            raise Refused(
                f"{entry.file}: {entry.size} bytes exceeds the limit of "
                f"{self.limits.max_pack_bytes}",
                file=self.location,
            )
        final = downloaded_pack(downloads, entry.pack_id, entry.sequence, entry.sha256)
        if final.exists() and sha256_file(final) == entry.sha256:
            return final
        part = final.with_suffix(PART_SUFFIX)
        if part.exists() and part.stat().st_size >= entry.size:
            if part.stat().st_size == entry.size and sha256_file(part) == entry.sha256:
                part.replace(final)
                return final
            part.unlink()
        try:
            self._fetch(entry, part, progress, cancel)
        except Overflow:
            part.unlink(missing_ok=True)
            raise
        got = part.stat().st_size
        if got != entry.size:
            raise Refused(
                f"{entry.file}: download truncated at {got} of {entry.size} bytes; "
                "run sync again to resume",
                file=self.location,
            )
        digest = sha256_file(part)
        if digest != entry.sha256:
            part.unlink()
            raise Refused(
                f"{entry.file}: wrong SHA-256 {digest[:16]}…, the index says {entry.sha256[:16]}…; "
                "the download was discarded",
                file=self.location,
            )
        part.replace(final)
        return final

    limits: Limits

    def _fetch(
        self, entry: IndexEntry, part: Path, progress: ProgressFn | None, cancel: CancelFn | None
    ) -> None:
        raise NotImplementedError


class FolderSource(Source):
    """A folder, usually on a shared network drive."""

    def __init__(self, folder: Path, limits: Limits | None = None) -> None:
        self.folder = Path(folder)
        self.location = str(folder)
        self.limits = limits or Limits()

    def read_index(self) -> SourceIndex:
        path = self.folder / INDEX_FILE
        try:
            with path.open("rb") as fh:
                raw = fh.read(MAX_INDEX_BYTES + 1)
        except OSError as exc:
            raise Refused(f"cannot read the source index: {exc.strerror}", str(path)) from None
        return parse_index(raw, str(path))

    def _resolve(self, entry: IndexEntry) -> Path:
        root = self.folder.resolve()
        target = (root / entry.file).resolve()
        if not target.is_relative_to(root):
            raise Refused(f"{entry.file!r} points outside the source; refused", self.location)
        return target

    def _fetch(
        self, entry: IndexEntry, part: Path, progress: ProgressFn | None, cancel: CancelFn | None
    ) -> None:
        target = self._resolve(entry)
        offset = part.stat().st_size if part.exists() else 0
        try:
            with target.open("rb") as src, part.open("ab") as out:
                src.seek(offset)
                _copy(src.read, out, offset, entry, self.limits, progress, cancel, str(target))
        except OSError as exc:
            raise Refused(f"{entry.file}: cannot read: {exc.strerror}", self.location) from None


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the source's own scheme, host and port."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        old = urllib.parse.urlsplit(req.full_url)
        new = urllib.parse.urlsplit(newurl)
        if (old.scheme, old.netloc) != (new.scheme, new.netloc):
            raise Refused(
                f"the source redirects to another server ({new.netloc}); refused", file=req.full_url
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class HttpSource(Source):
    """A folder served over HTTP(S); the index is ``<url>/index.json``."""

    def __init__(
        self, url: str, credentials: Credentials | None = None, limits: Limits | None = None
    ) -> None:
        self.base = url if url.endswith("/") else url + "/"
        if urllib.parse.urlsplit(self.base).scheme not in ("http", "https"):
            raise Refused("a source URL must start with http:// or https://", file=url)
        self.location = url
        self.credentials = credentials
        self.limits = limits or Limits()
        self._opener = urllib.request.build_opener(_SameOriginRedirects)

    def url_of(self, file: str) -> str:
        """The entry's URL, which must stay under the source's own URL."""
        url = urllib.parse.urljoin(self.base, urllib.parse.quote(file))
        if not url.startswith(self.base):
            raise Refused(f"{file!r} points outside the source; refused", file=self.location)
        return url

    def _open(self, url: str, headers: dict[str, str] | None = None):
        request = urllib.request.Request(url, headers=headers or {})
        request.add_header("User-Agent", "FlowDesk-sync")
        if self.credentials is not None:
            token = f"{self.credentials.user}:{self.credentials.password}".encode()
            request.add_header("Authorization", "Basic " + base64.b64encode(token).decode())
        try:
            return self._opener.open(request, timeout=self.limits.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 416:
                return None
            hint = " (check the source's user and password)" if exc.code in (401, 403) else ""
            raise Refused(f"the server answered {exc.code} {exc.reason}{hint}", url) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise Refused(
                    f"no answer within {self.limits.timeout:g} s; is the server up?", url
                ) from None
            raise Refused(f"cannot reach the source: {reason}", file=url) from None
        except TimeoutError:
            raise Refused(f"no answer within {self.limits.timeout:g} s", file=url) from None
        except (OSError, http.client.HTTPException) as exc:
            raise Refused(f"cannot reach the source: {exc}", file=url) from None

    def read_index(self) -> SourceIndex:
        url = self.base + INDEX_FILE
        response = self._open(url)
        if response is None:
            raise Refused("the server refused to send the index", file=url)
        with response:
            raw = _read_bounded(response, MAX_INDEX_BYTES + 1, url, self.limits)
        return parse_index(raw, url)

    def _fetch(
        self, entry: IndexEntry, part: Path, progress: ProgressFn | None, cancel: CancelFn | None
    ) -> None:
        url = self.url_of(entry.file)
        offset = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        response = self._open(url, headers)
        if response is None:  # 416: our partial file no longer fits; start again
            part.unlink(missing_ok=True)
            offset = 0
            response = self._open(url)
            if response is None:
                raise Refused("the server refused to send the pack", file=url)
        with response:
            if offset and response.status != 206:
                offset = 0  # the server ignored the range: take it from the start
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and offset + int(declared) > entry.size:
                raise Refused(
                    f"the server sends {declared} bytes, more than the index's {entry.size}", url
                )
            mode = "ab" if offset else "wb"
            with part.open(mode) as out:
                try:
                    _copy(response.read1, out, offset, entry, self.limits, progress, cancel, url)
                except TimeoutError:
                    raise Refused(
                        f"the server stopped sending for {self.limits.timeout:g} s; "
                        "run sync again to resume",
                        file=url,
                    ) from None
                except http.client.IncompleteRead:
                    pass  # a truncated body: the size check reports it, the part resumes
                except (OSError, http.client.HTTPException) as exc:
                    raise Refused(f"the download broke off: {exc}", file=url) from None


def _read_bounded(response, limit: int, where: str, limits: Limits) -> bytes:
    start = time.monotonic()
    chunks, total = [], 0
    try:
        while chunk := response.read1(min(CHUNK, limit - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total >= limit:
                raise Refused(f"the answer is larger than {limit - 1} bytes; refused", where)
            if time.monotonic() - start > limits.deadline:
                raise Refused(f"the answer took longer than {limits.deadline:g} s", where)
    except TimeoutError:
        raise Refused(f"the server stopped sending for {limits.timeout:g} s", where) from None
    except http.client.IncompleteRead:
        raise Refused("the index arrived truncated", where) from None
    return b"".join(chunks)


def _copy(
    read, out, done: int, entry: IndexEntry, limits: Limits, progress, cancel, where: str
) -> None:
    """Copy until the entry's size is on disk; refuse a source that sends more or too slowly.

    ``where`` (the pack's URL or file) labels a refusal.

    ``read`` must return what has arrived (``read1`` for HTTP), so bytes received
    before a stall are written and a later attempt resumes after them.
    """
    start = time.monotonic()
    size = entry.size
    while done < size:
        if cancel is not None and cancel():
            raise DownloadCancelled()
        chunk = read(min(CHUNK, size - done))
        if not chunk:
            return  # short: the caller's size check reports the truncation
        out.write(chunk)
        out.flush()
        done += len(chunk)
        if progress is not None:
            progress(STAGE, done, size)
        if time.monotonic() - start > limits.deadline:
            out.flush()
            raise Refused(
                f"the download took longer than {limits.deadline:g} s; run sync again to resume",
                file=where,
            )
    if read(1):
        raise Overflow(f"the source sends more than the {size} bytes declared", file=where)
