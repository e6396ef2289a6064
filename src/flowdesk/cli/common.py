"""Options and output helpers shared by every command group."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowdesk.paths import DataDir, resolve_data_dir
from flowdesk.problems import Problem, Refused

if TYPE_CHECKING:  # imported when used: `flowdesk --help` stays fast
    from flowdesk.desk import Desk

#: The environment variable a publisher key file's passphrase is read from, by default.
PASSPHRASE_ENV = "FLOWDESK_KEY_PASSPHRASE"


def common_options(top_level: bool = False) -> argparse.ArgumentParser:
    """``--data-dir`` and ``--json``, accepted before or after the command name.

    Sub-command copies default to SUPPRESS so that a value given before the
    command is not overwritten by the sub-parser's default.
    """
    parent = argparse.ArgumentParser(add_help=False)
    default = None if top_level else argparse.SUPPRESS
    parent.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="data folder (default: $FLOWDESK_DATA_DIR, else the user's data folder)",
    )
    parent.add_argument(
        "--json",
        action="store_true",
        default=False if top_level else argparse.SUPPRESS,
        help="print JSON only on standard output",
    )
    return parent


def data_root(args: argparse.Namespace) -> Path:
    """Where the data folder is: ``--data-dir``, else ``FLOWDESK_DATA_DIR``, else the user's."""
    return resolve_data_dir(getattr(args, "data_dir", None))


def data_folder(args: argparse.Namespace) -> DataDir:
    """The data folder of :func:`data_root`, made if it is not there yet."""
    return DataDir(data_root(args)).ensure()


def passphrase(env: str, confirm: bool = False) -> str:
    """A key file's passphrase: from the environment variable ``env``, or asked in a terminal."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise Refused(f"no passphrase: set {env} or run in a terminal", "keys")
    first = getpass.getpass("passphrase 口令: ")
    if confirm and getpass.getpass("again 再次输入: ") != first:
        raise Refused("the passphrases differ", file="passphrase")
    return first


def sign_built(args: argparse.Namespace, path: Path) -> str:
    """Sign a built pack with this data folder's publisher key ``--key``; returns its key id.

    ``pack sign`` and ``pack build --sign`` both: a key file's passphrase comes
    from ``--passphrase-env`` (or the terminal), a keyring key needs none.
    """
    from flowdesk.sync.signature import sign_with_key

    keys = data_folder(args).keys
    return sign_with_key(path, keys, args.key, partial(passphrase, args.passphrase_env))


def open_desk(args: argparse.Namespace) -> Desk:
    """The desk of ``--data-dir``, with every pending version that has fallen due activated.

    A command is never inside a call, so it may switch versions; see
    :mod:`flowdesk.rollout.activation`.
    """
    from flowdesk.desk import Desk
    from flowdesk.rollout.activation import activate_due

    desk = Desk.open(data_root(args))
    try:
        if activate_due(desk):
            from flowdesk.rollout.desk_status import record_status

            record_status(desk, only_if_changed=True)
    except BaseException:
        desk.close()
        raise
    return desk


def open_desk_with_pack(args: argparse.Namespace) -> tuple[Desk, str | None]:
    """:func:`open_desk` for commands that read packs: first use gets the sample pack.

    Returns the desk and, for a production desk that has no pack yet, the hint
    of how to get it (already printed on stderr); the sample's installation is
    told on stderr too, so ``--json`` output stays JSON only.
    """
    from flowdesk.firstuse import ensure_pack

    desk = open_desk(args)
    try:
        first = ensure_pack(desk)
    except BaseException:
        desk.close()
        raise
    if first.imported is not None:
        info = first.imported.info
        print(
            f"flowdesk: first use: installed the bundled sample pack {info.pack_id} "
            f"#{info.sequence} ({info.title})",
            file=sys.stderr,
        )
    if first.hint is not None:
        print(f"flowdesk: {first.hint}", file=sys.stderr)
    return desk, first.hint


def print_json(value: Any) -> None:
    # dumps, not dump: only the one-shot encoder is the C one (2,000 report rows: 5x faster)
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str))
    sys.stdout.write("\n")


def print_problems(problems: Iterable[Problem], stream=None) -> None:
    """Every problem on its own line, errors before warnings, on stderr."""
    stream = stream or sys.stderr
    ordered = sorted(problems, key=lambda p: p.severity != "error")
    for p in ordered:
        print(f"{p.severity}: {p}", file=stream)


def fail(message: str) -> int:
    """Print a one-line refusal on stderr and return exit code 1."""
    print(f"flowdesk: {message}", file=sys.stderr)
    return 1
