"""``flowdesk pack sign|verify|publish|diff|rollback``: the pack commands of the sync part.

A thin face over :mod:`flowdesk.sync` (signatures, publishing, rollback) and
:mod:`flowdesk.packs.diff`; the window's 回退 calls the same rollback.
``pack sign`` and ``pack build --sign`` both sign with
:func:`flowdesk.cli.common.sign_built`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from flowdesk.cli.common import PASSPHRASE_ENV, data_folder, open_desk, print_json, sign_built
from flowdesk.problems import Refused, errors

if TYPE_CHECKING:
    from flowdesk.desk import Desk
    from flowdesk.model import Pack


def register(
    sub: argparse._SubParsersAction, common: argparse.ArgumentParser, groups: dict
) -> None:
    pack_sub = groups.get("pack")
    if pack_sub is None:  # the pack group is missing (a part not yet built)
        return
    p = pack_sub.add_parser("sign", help="sign a built pack with a publisher key", parents=[common])
    p.add_argument("file", metavar="FILE")
    p.add_argument("--key", metavar="KEY_ID")
    p.add_argument("--passphrase-env", default=PASSPHRASE_ENV, metavar="VAR")
    p.set_defaults(handler=cmd_sign)

    p = pack_sub.add_parser(
        "verify", help="check a built pack's integrity and signature", parents=[common]
    )
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=cmd_verify)

    p = pack_sub.add_parser(
        "publish", help="put a signed pack into a folder source and its index", parents=[common]
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("folder", metavar="SOURCE_FOLDER")
    p.add_argument("--ring", metavar="RING", help="offer it to this ring's desks first")
    p.set_defaults(handler=cmd_publish)

    p = pack_sub.add_parser("diff", help="what changed between two packs", parents=[common])
    p.add_argument("old", metavar="A", help="a pack folder or file, or PACK_ID#SEQ installed")
    p.add_argument("new", metavar="B")
    p.set_defaults(handler=cmd_diff)

    p = pack_sub.add_parser(
        "rollback", help="make the previous version active again", parents=[common]
    )
    p.add_argument("pack_id", nargs="?", metavar="PACK_ID")
    p.add_argument("--to", type=int, metavar="SEQ", help="a specific imported sequence")
    p.add_argument("--reason", default="", help="why (recorded)")
    p.set_defaults(handler=cmd_rollback)


def cmd_sign(args: argparse.Namespace) -> int:
    key_id = sign_built(args, Path(args.file))
    if args.json:
        print_json({"signed": args.file, "key_id": key_id})
    else:
        print(f"signed {args.file} with key {key_id}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from flowdesk.packs import load_pack
    from flowdesk.sync.signature import read_signature
    from flowdesk.sync.trust import TrustStore, check_trust

    path = Path(args.file)
    loaded = load_pack(path)
    if not loaded.ok:
        raise Refused(errors(loaded.problems))
    sig = read_signature(path)
    key_id = check_trust(path, loaded, TrustStore(data_folder(args).keys), allow_unsigned=False)
    pack = loaded.pack
    if args.json:
        print_json(
            {
                "ok": True,
                "pack_id": pack.id,
                "sequence": pack.sequence,
                "key_id": key_id,
                "signer": sig.signer if sig else None,
            }
        )
    else:
        print(
            f"ok: {pack.id} #{pack.sequence} intact, signed by trusted key {key_id}"
            + (f" ({sig.signer})" if sig and sig.signer else "")
        )
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from flowdesk.sync.publish import publish_pack

    entry = publish_pack(Path(args.file), Path(args.folder), ring=args.ring)
    if args.json:
        print_json({**entry.to_json(), "ring": args.ring})
    else:
        to = f" for ring {args.ring}" if args.ring else ""
        print(f"published {entry.pack_id} #{entry.sequence}{to} to {args.folder}/{entry.file}")
    return 0


def _pack_arg(text: str, desk: Desk | None) -> Pack:
    """A pack from a path, or an installed version written ``PACK_ID#SEQ`` (or ``PACK_ID``)."""
    from flowdesk.packs import load_pack

    path = Path(text)
    if path.exists():
        loaded = load_pack(path)
        if not loaded.ok or loaded.pack is None:
            raise Refused(errors(loaded.problems))
        return loaded.pack
    pack_id, _, seq = text.partition("#")
    if desk is None:
        raise Refused("no such file, folder or installed pack", file=text)
    try:
        return desk.pack(pack_id, int(seq) if seq else None)
    except (KeyError, ValueError):
        raise Refused("no such file, folder or installed pack", file=text) from None


def cmd_diff(args: argparse.Namespace) -> int:
    from flowdesk.packs.diff import diff_packs

    both_files = Path(args.old).exists() and Path(args.new).exists()
    desk = None if both_files else open_desk(args)  # an installed version is named
    try:
        diff = diff_packs(_pack_arg(args.old, desk), _pack_arg(args.new, desk))
    finally:
        if desk is not None:
            desk.close()
    if args.json:
        print_json(diff.to_json())
    else:
        print(diff.to_text())
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from flowdesk.sync.updates import rollback

    desk = open_desk(args)
    try:
        done = rollback(desk, args.pack_id, args.to, args.reason)
    finally:
        desk.close()
    if args.json:
        print_json(
            {
                "pack_id": done.pack_id,
                "from_sequence": done.from_sequence,
                "to_sequence": done.to_sequence,
                "diff": done.diff.to_json(),
            }
        )
    else:
        print(f"{done.pack_id}: #{done.from_sequence} → #{done.to_sequence} active")
        print(done.diff.to_text())
    return 0
