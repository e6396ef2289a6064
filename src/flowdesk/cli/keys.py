"""``flowdesk keys generate|export|trust|untrust|list``: publisher keys and the keys a desk trusts.

A thin face over :mod:`flowdesk.sync.keys` and :mod:`flowdesk.sync.trust`
(see docs/signing.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from flowdesk.cli.common import PASSPHRASE_ENV, data_folder, passphrase, print_json

if TYPE_CHECKING:
    from flowdesk.sync.keys import PublicKey


def register(
    sub: argparse._SubParsersAction, common: argparse.ArgumentParser, groups: dict
) -> None:
    keys = sub.add_parser("keys", help="publisher keys: generate, trust, list", parents=[common])
    keys_sub = keys.add_subparsers(dest="keys_command", metavar="KEYS_COMMAND")

    p = keys_sub.add_parser("generate", help="make an Ed25519 publisher key", parents=[common])
    p.add_argument("--name", required=True, help="the publisher, e.g. 流程管理室")
    p.add_argument(
        "--storage",
        choices=("file", "keyring"),
        default="file",
        help="where the private key lives: an encrypted file (default) or the OS keyring",
    )
    p.add_argument("--passphrase-env", default=PASSPHRASE_ENV, metavar="VAR")
    p.add_argument("-o", "--public-out", metavar="FILE", help="also write the public key file")
    p.set_defaults(handler=cmd_keys_generate)

    p = keys_sub.add_parser("export", help="write a public key file to share", parents=[common])
    p.add_argument("key", nargs="?", metavar="KEY_ID")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(handler=cmd_keys_export)

    p = keys_sub.add_parser("trust", help="trust a publisher's public key", parents=[common])
    p.add_argument("file", metavar="FILE", help="a public key file (JSON) or PEM public key")
    p.add_argument("--name", help="the publisher's name (for a PEM key)")
    p.set_defaults(handler=cmd_keys_trust)

    p = keys_sub.add_parser("untrust", help="stop trusting a key", parents=[common])
    p.add_argument("key", metavar="KEY_ID")
    p.set_defaults(handler=cmd_keys_untrust)

    p = keys_sub.add_parser("list", help="trusted keys and own publisher keys", parents=[common])
    p.set_defaults(handler=cmd_keys_list)


def cmd_keys_generate(args: argparse.Namespace) -> int:
    from flowdesk.sync.keys import PublisherKeys
    from flowdesk.sync.trust import TrustStore

    data = data_folder(args)
    secret = passphrase(args.passphrase_env, confirm=True) if args.storage == "file" else None
    info, public = PublisherKeys(data.keys).generate(args.name, args.storage, secret)
    TrustStore(data.keys).trust(public)  # a desk trusts the keys it made
    if args.public_out:
        _write_public(public, Path(args.public_out))
    if args.json:
        print_json({"key_id": info.key_id, "name": info.name, "storage": info.storage})
    else:
        print(f"generated key {info.key_id} ({info.name}), private key in {info.storage}")
        if args.public_out:
            print(f"public key written to {args.public_out}; desks trust it with `keys trust`")
    return 0


def _write_public(public: PublicKey, path: Path) -> None:
    from flowdesk.files import atomic_write

    text = json.dumps(public.to_json(), ensure_ascii=False, indent=2) + "\n"
    atomic_write(path.resolve(), text.encode("utf-8"))


def cmd_keys_export(args: argparse.Namespace) -> int:
    from flowdesk.sync.keys import PublisherKeys

    keys = PublisherKeys(data_folder(args).keys)
    info = keys.resolve(args.key)
    public = next(pub for i, pub in keys.list() if i.key_id == info.key_id)
    _write_public(public, Path(args.output))
    if args.json:
        print_json(public.to_json())
    else:
        print(f"wrote public key {public.key_id} to {args.output}")
    return 0


def cmd_keys_trust(args: argparse.Namespace) -> int:
    from flowdesk.sync.keys import PublicKey
    from flowdesk.sync.trust import TrustStore

    key = TrustStore(data_folder(args).keys).trust(PublicKey.read(Path(args.file), args.name))
    if args.json:
        print_json(key.to_json())
    else:
        print(f"trusted key {key.key_id} ({key.name})")
    return 0


def cmd_keys_untrust(args: argparse.Namespace) -> int:
    from flowdesk.sync.trust import TrustStore

    TrustStore(data_folder(args).keys).untrust(args.key)
    if not args.json:
        print(f"key {args.key} is no longer trusted")
    else:
        print_json({"untrusted": args.key})
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    from flowdesk.sync.keys import PublisherKeys
    from flowdesk.sync.trust import TrustStore

    data = data_folder(args)
    store = TrustStore(data.keys)
    trusted, damaged = store.trusted(), store.damaged()
    own = PublisherKeys(data.keys).list()
    for name, why in damaged:  # named, never blocking the good keys
        print(f"warning: {name}: damaged key file skipped: {why}", file=sys.stderr)
    if args.json:
        print_json(
            {
                "trusted": [{**k.to_json(), "origin": origin} for k, origin in trusted],
                "own": [
                    {"key_id": i.key_id, "name": i.name, "storage": i.storage, "created": i.created}
                    for i, _ in own
                ],
            }
        )
        return 0
    print("trusted publisher keys 受信任的发布者:" if trusted else "no trusted keys")
    for key, origin in trusted:
        print(f"  {key.key_id}  {key.name}  ({origin})")
    for info, _ in own:
        print(f"own key 本机发布密钥: {info.key_id}  {info.name}  ({info.storage})")
    return 0
