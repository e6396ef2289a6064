"""``flowdesk keys …``, ``flowdesk source …``, ``flowdesk sync`` and the pack commands
of the sync part: ``pack sign|verify|publish|diff|rollback``.

A thin face over :mod:`flowdesk.sync` and :mod:`flowdesk.packs.diff`; the window
calls the same functions.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from flowdesk.cli.common import open_desk, print_json, print_problems
from flowdesk.cli.progress import StderrProgress
from flowdesk.paths import DataDir, resolve_data_dir
from flowdesk.problems import Refused

PASSPHRASE_ENV = "FLOWDESK_KEY_PASSPHRASE"
SOURCE_PASSWORD_ENV = "FLOWDESK_SOURCE_PASSWORD"


def register(
    sub: argparse._SubParsersAction, common: argparse.ArgumentParser, groups: dict
) -> None:
    _register_pack(groups.get("pack"), common)
    _register_keys(sub, common)
    _register_sources(sub, common)

    p = sub.add_parser(
        "sync", help="get newer signed packs from a source (folder or URL)", parents=[common]
    )
    p.add_argument("source", nargs="?", metavar="SOURCE", help="a source name, folder or URL")
    p.add_argument("--pack", action="append", metavar="PACK_ID", help="only this pack id")
    p.add_argument("--check", action="store_true", help="only read the index: what is newer")
    p.add_argument(
        "--preview", action="store_true", help="download, verify and show changes; import nothing"
    )
    p.add_argument("--history", action="store_true", help="show this desk's sync history")
    p.add_argument("--timeout", type=float, default=20.0, metavar="S", help="network timeout")
    p.set_defaults(handler=cmd_sync)


def _data(args: argparse.Namespace) -> DataDir:
    return DataDir(resolve_data_dir(getattr(args, "data_dir", None))).ensure()


def _passphrase(args: argparse.Namespace, confirm: bool = False) -> str:
    """The key passphrase: from the named environment variable, or asked in a terminal."""
    value = os.environ.get(args.passphrase_env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise Refused(f"no passphrase: set {args.passphrase_env} or run in a terminal", "keys")
    first = getpass.getpass("passphrase 口令: ")
    if confirm and getpass.getpass("again 再次输入: ") != first:
        raise Refused("the passphrases differ", file="passphrase")
    return first


# -- keys ---------------------------------------------------------------------------------


def _register_keys(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
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

    data = _data(args)
    passphrase = _passphrase(args, confirm=True) if args.storage == "file" else None
    info, public = PublisherKeys(data.keys).generate(args.name, args.storage, passphrase)
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


def _write_public(public, path: Path) -> None:
    import json

    from flowdesk.files import atomic_write

    text = json.dumps(public.to_json(), ensure_ascii=False, indent=2) + "\n"
    atomic_write(path.resolve(), text.encode("utf-8"))


def cmd_keys_export(args: argparse.Namespace) -> int:
    from flowdesk.sync.keys import PublisherKeys

    keys = PublisherKeys(_data(args).keys)
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

    key = TrustStore(_data(args).keys).trust(PublicKey.read(Path(args.file), args.name))
    if args.json:
        print_json(key.to_json())
    else:
        print(f"trusted key {key.key_id} ({key.name})")
    return 0


def cmd_keys_untrust(args: argparse.Namespace) -> int:
    from flowdesk.sync.trust import TrustStore

    TrustStore(_data(args).keys).untrust(args.key)
    if not args.json:
        print(f"key {args.key} is no longer trusted")
    else:
        print_json({"untrusted": args.key})
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    from flowdesk.sync.keys import PublisherKeys
    from flowdesk.sync.trust import TrustStore

    data = _data(args)
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


# -- sources ------------------------------------------------------------------------------


def _register_sources(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    src = sub.add_parser("source", help="pack sources this desk syncs from", parents=[common])
    src_sub = src.add_subparsers(dest="source_command", metavar="SOURCE_COMMAND")
    p = src_sub.add_parser("add", help="add or replace a source", parents=[common])
    p.add_argument("name", metavar="NAME")
    p.add_argument("location", metavar="FOLDER|URL")
    p.add_argument("--user", help="user name for an HTTP(S) source")
    p.add_argument(
        "--password-env",
        default=SOURCE_PASSWORD_ENV,
        metavar="VAR",
        help="take the password from this variable (stored in the OS keyring)",
    )
    p.set_defaults(handler=cmd_source_add)
    p = src_sub.add_parser("list", help="configured sources", parents=[common])
    p.set_defaults(handler=cmd_source_list)
    p = src_sub.add_parser("remove", help="forget a source (and its password)", parents=[common])
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=cmd_source_remove)
    p = src_sub.add_parser(
        "schedule",
        help="sync from a source in the background while the window is open",
        description="Without arguments: show the schedule. The window reads it when it starts.",
        parents=[common],
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="a configured source")
    p.add_argument("--every", type=int, metavar="MINUTES", help="how often to check (1–10080)")
    p.add_argument(
        "--ask",
        action="store_true",
        help="only light a notice in the window (default: apply verified updates between calls)",
    )
    p.add_argument("--off", action="store_true", help="no background sync")
    p.set_defaults(handler=cmd_source_schedule)


def cmd_source_add(args: argparse.Namespace) -> int:
    from flowdesk.sync.sourcelist import SourceConfig, SourceList

    password = None
    if args.user:
        password = os.environ.get(args.password_env)
        if password is None and sys.stdin.isatty():
            password = getpass.getpass(f"password for {args.user}: ")
        if password is None:
            raise Refused(f"no password: set {args.password_env} or run in a terminal", "source")
    SourceList(_data(args)).add(SourceConfig(args.name, args.location, args.user), password)
    if args.json:
        print_json({"added": args.name})
    else:
        print(f"source {args.name}: {args.location}")
    return 0


def cmd_source_list(args: argparse.Namespace) -> int:
    from flowdesk.sync.sourcelist import SourceList

    sources = SourceList(_data(args)).all()
    if args.json:
        print_json([{"name": s.name, "location": s.location, "user": s.user} for s in sources])
        return 0
    if not sources:
        print("no sources; add one with `flowdesk source add NAME FOLDER|URL`")
    for s in sources:
        print(f"{s.name}  {s.location}" + (f"  (user {s.user})" if s.user else ""))
    return 0


def cmd_source_remove(args: argparse.Namespace) -> int:
    from flowdesk.sync.sourcelist import SourceList

    SourceList(_data(args)).remove(args.name)
    if args.json:
        print_json({"removed": args.name})
    else:
        print(f"source {args.name} removed")
    return 0


def cmd_source_schedule(args: argparse.Namespace) -> int:
    from flowdesk.settings import MAX_SYNC_INTERVAL_MINUTES, Settings
    from flowdesk.sync.sourcelist import SourceList

    data = _data(args)
    settings = Settings.load(data.settings)
    if args.off or args.name is not None:
        if args.off:
            settings.sync_source, settings.sync_interval_minutes = None, 0
        else:
            if SourceList(data).get(args.name) is None:
                raise Refused(
                    f"no source named {args.name!r}; add it with "
                    "`flowdesk source add NAME FOLDER|URL`",
                    file="sources",
                )
            if args.every is None or not 0 < args.every <= MAX_SYNC_INTERVAL_MINUTES:
                raise Refused(
                    f"--every MINUTES: a number from 1 to {MAX_SYNC_INTERVAL_MINUTES}",
                    file="schedule",
                )
            settings.sync_source, settings.sync_interval_minutes = args.name, args.every
            settings.sync_apply = "ask" if args.ask else "auto"
        settings.save(data.settings)
    schedule = settings.sync_schedule()
    if args.json:
        print_json(schedule.to_json() if schedule else None)
    elif schedule is None:
        print("no background sync 未设定定时同步 (`flowdesk source schedule NAME --every MINUTES`)")
    else:
        then = (
            "applies verified updates between calls 通话间隙自动应用"
            if schedule.auto_apply
            else "shows a notice 仅提示"
        )
        print(
            f"the window checks {schedule.source} every {schedule.every_minutes} min "
            f"and {then} (from its next start)"
        )
    return 0


# -- sync ---------------------------------------------------------------------------------


def cmd_sync(args: argparse.Namespace) -> int:
    from flowdesk.sync.records import SyncHistory
    from flowdesk.sync.sourcelist import SourceList
    from flowdesk.sync.sources import Limits
    from flowdesk.sync.trust import TrustStore
    from flowdesk.sync.updates import apply_update, check_for_updates, prepare_update

    desk = open_desk(args)
    try:
        if args.history:
            entries = SyncHistory(desk).entries()
            if args.json:
                print_json(entries)
            for e in [] if args.json else entries:
                print(
                    f"{e.get('ts')}  {e.get('action')}  {e.get('pack_id')} "
                    f"#{e.get('from_sequence')} → #{e.get('to_sequence')}"
                )
            return 0
        sources = SourceList(desk.data)
        names = [args.source] if args.source else [s.name for s in sources.all()]
        if not names:
            raise Refused("no source given or configured (`flowdesk source add`)", "sources")
        trust = TrustStore(desk.data.keys)
        limits = Limits(timeout=args.timeout)
        report: list[dict] = []
        for name in names:
            source = sources.open(name, limits)
            plan = check_for_updates(desk, source, set(args.pack) if args.pack else None)
            entry = {"source": source.location, "plan": plan.to_json(), "applied": []}
            report.append(entry)
            if not args.json:
                _print_plan(plan)
            if args.check:
                continue
            progress = StderrProgress(quiet=args.json)
            for update in plan.updates:
                prepared = prepare_update(desk, source, update, trust, progress)
                diff = prepared.diff
                if not args.json:
                    print(diff.to_text() if diff else f"new pack {update.entry.pack_id}")
                if args.preview:
                    entry["applied"].append({"diff": diff.to_json() if diff else None})
                    continue
                result = apply_update(desk, prepared, progress, source=source.location)
                print_problems(result.warnings)
                entry["applied"].append(
                    {"imported": result.info.to_json(), "diff": diff.to_json() if diff else None}
                )
                if not args.json:
                    print(f"imported {result.info.pack_id} #{result.info.sequence}")
        if args.json:
            print_json(report)
        return 0
    finally:
        desk.close()


def _print_plan(plan) -> None:
    print(f"source 来源: {plan.source}")
    for u in plan.updates:
        now = f"#{u.active_sequence}" if u.active_sequence else "not installed"
        print(f"  newer 有更新: {u.entry.pack_id} #{u.entry.sequence} (this desk: {now})")
    for pack_id in plan.up_to_date:
        print(f"  up to date 已是最新: {pack_id}")
    for pack_id in plan.held_back:
        print(f"  held back 已回退: {pack_id} (rolled back; newest not re-applied)")


# -- pack sign|verify|publish|diff|rollback -----------------------------------------------


def _register_pack(pack_sub, common: argparse.ArgumentParser) -> None:
    if pack_sub is None:  # the pack group is missing (a part not yet built)
        return
    p = pack_sub.add_parser("sign", help="sign a built pack with a publisher key", parents=[common])
    p.add_argument("file", metavar="FILE")
    p.add_argument("--key", metavar="KEY_ID")
    p.add_argument("--passphrase-env", default=PASSPHRASE_ENV, metavar="VAR")
    p.set_defaults(handler=cmd_pack_sign)

    p = pack_sub.add_parser(
        "verify", help="check a built pack's integrity and signature", parents=[common]
    )
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=cmd_pack_verify)

    p = pack_sub.add_parser(
        "publish", help="put a signed pack into a folder source and its index", parents=[common]
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("folder", metavar="SOURCE_FOLDER")
    p.add_argument("--ring", metavar="RING", help="offer it to this ring's desks first")
    p.set_defaults(handler=cmd_pack_publish)

    p = pack_sub.add_parser("diff", help="what changed between two packs", parents=[common])
    p.add_argument("old", metavar="A", help="a pack folder or file, or PACK_ID#SEQ installed")
    p.add_argument("new", metavar="B")
    p.set_defaults(handler=cmd_pack_diff)

    p = pack_sub.add_parser(
        "rollback", help="make the previous version active again", parents=[common]
    )
    p.add_argument("pack_id", nargs="?", metavar="PACK_ID")
    p.add_argument("--to", type=int, metavar="SEQ", help="a specific imported sequence")
    p.add_argument("--reason", default="", help="why (recorded)")
    p.set_defaults(handler=cmd_pack_rollback)


def sign_built_pack(data: DataDir, path: Path, key: str | None, passphrase_env: str) -> str:
    """Sign ``path`` with one of this data folder's publisher keys; returns the key id.

    What ``pack build --sign`` calls after building.
    """
    from flowdesk.sync.keys import PublisherKeys
    from flowdesk.sync.signature import sign_pack

    keys = PublisherKeys(data.keys)
    info = keys.resolve(key)
    ns = argparse.Namespace(passphrase_env=passphrase_env)
    passphrase = _passphrase(ns) if info.storage == "file" else None
    sign_pack(path, keys.load(info, passphrase), signer=info.name)
    return info.key_id


def cmd_pack_sign(args: argparse.Namespace) -> int:
    key_id = sign_built_pack(_data(args), Path(args.file), args.key, args.passphrase_env)
    if args.json:
        print_json({"signed": args.file, "key_id": key_id})
    else:
        print(f"signed {args.file} with key {key_id}")
    return 0


def cmd_pack_verify(args: argparse.Namespace) -> int:
    from flowdesk.packs import load_pack
    from flowdesk.sync.signature import read_signature
    from flowdesk.sync.trust import TrustStore, check_trust

    path = Path(args.file)
    loaded = load_pack(path)
    if not loaded.ok:
        raise Refused([p for p in loaded.problems if p.severity == "error"])
    sig = read_signature(path)
    key_id = check_trust(path, loaded, TrustStore(_data(args).keys), allow_unsigned=False)
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


def cmd_pack_publish(args: argparse.Namespace) -> int:
    from flowdesk.sync.publish import publish_pack

    entry = publish_pack(Path(args.file), Path(args.folder), ring=args.ring)
    if args.json:
        print_json({**entry.to_json(), "ring": args.ring})
    else:
        to = f" for ring {args.ring}" if args.ring else ""
        print(f"published {entry.pack_id} #{entry.sequence}{to} to {args.folder}/{entry.file}")
    return 0


def _pack_arg(text: str, desk_holder: list):
    """A pack from a path, or an installed version written ``PACK_ID#SEQ`` (or ``PACK_ID``)."""
    from flowdesk.packs import load_pack

    path = Path(text)
    if path.exists():
        loaded = load_pack(path)
        if not loaded.ok or loaded.pack is None:
            raise Refused([p for p in loaded.problems if p.severity == "error"])
        return loaded.pack
    pack_id, _, seq = text.partition("#")
    if not desk_holder:
        raise Refused("no such file, folder or installed pack", file=text)
    try:
        return desk_holder[0].pack(pack_id, int(seq) if seq else None)
    except (KeyError, ValueError):
        raise Refused("no such file, folder or installed pack", file=text) from None


def cmd_pack_diff(args: argparse.Namespace) -> int:
    from flowdesk.packs.diff import diff_packs

    holder = []
    if not (Path(args.old).exists() and Path(args.new).exists()):
        holder.append(open_desk(args))
    try:
        diff = diff_packs(_pack_arg(args.old, holder), _pack_arg(args.new, holder))
    finally:
        for desk in holder:
            desk.close()
    if args.json:
        print_json(diff.to_json())
    else:
        print(diff.to_text())
    return 0


def cmd_pack_rollback(args: argparse.Namespace) -> int:
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
