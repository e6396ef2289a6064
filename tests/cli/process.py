"""The real ``flowdesk`` command line in a child process, as scripts and users run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(
    *args: str, data_dir: Path, input: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``flowdesk ARGS`` on ``data_dir``; ``env`` adds to the environment (no pinned clock
    is inherited: a test that wants one passes ``FLOWDESK_CLOCK``)."""
    full_env = {**os.environ, "FLOWDESK_DATA_DIR": str(data_dir)}
    full_env.pop("FLOWDESK_CLOCK", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "flowdesk", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        input=input,
        timeout=120,
    )
