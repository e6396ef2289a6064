"""Builders for pack versions with effective times, and a clock a test moves by hand."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from tests.builders import FLOWS, PACK, write_pack

UTC = dt.UTC
CST = dt.timezone(dt.timedelta(hours=8))


class Clock:
    """A wall clock that only moves when the test says so."""

    def __init__(self, start: dt.datetime) -> None:
        self.at = start

    def __call__(self) -> dt.datetime:
        return self.at

    def move_to(self, at: dt.datetime) -> None:
        self.at = at


def version(
    root: Path,
    sequence: int,
    effective: Any = None,
    *,
    greeting: str | None = None,
    extra: dict[str, Any] | None = None,
    flow_extra: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """The test pack at ``sequence``; ``greeting`` rewords 携号转网's first line."""
    pack = copy.deepcopy(PACK)
    pack["sequence"] = sequence
    pack["version"] = f"2026.12 第{sequence}版"
    pack.pop("effective", None)
    if effective is not None:
        pack["effective"] = effective
    pack.update(extra or {})
    flows = copy.deepcopy(FLOWS)
    if greeting is not None:
        flows["flows/number/np.yaml"]["steps"][0]["text"] = greeting
    for file, keys in (flow_extra or {}).items():
        flows[file].update(keys)
    return write_pack(root / f"v{sequence}", pack, flows)
