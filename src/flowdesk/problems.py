"""Errors as values at FlowDesk's borders.

Validation collects every problem with its place instead of stopping at the
first, so a process owner fixes a pack in one pass. Commands that must refuse
input raise :class:`Refused` carrying those problems; the CLI and the window
show them and nothing has changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in an input, with where it is.

    ``file`` is the path as the user knows it (relative to a pack folder, a
    member of a built pack, or the file given on the command line); ``key`` is
    the key path inside it (``steps[3].options[1].next``), empty where the
    whole file is at fault; ``line`` is a 1-based line number where known.
    """

    severity: Severity
    file: str
    key: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        # The contract's form, ``flows/np.yaml: steps[3].options[1].next: no step 'pay'``,
        # stays a prefix that scripts can match; the line number follows the message.
        place = ": ".join(part for part in (self.file, self.key) if part)
        line = f" (line {self.line})" if self.line is not None else ""
        return f"{place}: {self.message}{line}" if place else f"{self.message}{line}"

    def to_json(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "file": self.file,
            "key": self.key,
            "line": self.line,
            "message": self.message,
        }


def error(file: str, key: str, message: str, line: int | None = None) -> Problem:
    return Problem("error", file, key, message, line)


def warning(file: str, key: str, message: str, line: int | None = None) -> Problem:
    return Problem("warning", file, key, message, line)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]


class HasProblems:
    """For results that carry ``problems`` (a loaded pack, a loaded revision)."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return warnings(self.problems)


class Cancelled(Exception):
    """The user (or a newer job of the same kind) stopped the work before it was done.

    One class for every kind of work (an index build, a download, the Studio
    reading a source), so a caller that runs several stops them with one
    ``except``; what the work leaves behind is said where it is raised.
    """


class Refused(Exception):
    """Input refused: nothing was changed. Carries every problem found.

    The CLI prints each problem on standard error and exits 1; the window shows
    them in a dialog. Never raised after a partial change.
    """

    def __init__(self, problems: Iterable[Problem] | str, file: str = "") -> None:
        if isinstance(problems, str):
            problems = [error(file, "", problems)]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
