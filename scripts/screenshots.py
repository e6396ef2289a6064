"""Make the README's screenshots: the agent's window at 1366×768, the QA workspace at 1920×1080.

Run it as ``python scripts/screenshots.py`` (``--only studio`` or ``--only qa``
for those shots alone); without a display it re-runs itself under ``xvfb-run``
on a 1920×1080 screen (Xvfb and a CJK font such as fonts-noto-cjk must be
installed). The windows are driven the way an agent, a flow author and a QA
lead drive them, and grabbed into ``docs/screenshots/*.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZE = (1366, 768)
SCREEN = (1920, 1080)  # the QA workspace's size (scripts/qa_screenshots.py); the rest is smaller
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    parser.add_argument(
        "--only",
        choices=("all", "studio", "qa"),
        default="all",
        help="studio: the Studio's shots alone; qa: the QA workspace's alone",
    )
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        if shutil.which("xvfb-run") is None:
            print("screenshots: no display and no xvfb-run", file=sys.stderr)
            return 1
        screen = f"{SCREEN[0]}x{SCREEN[1]}x24"
        cmd = ["xvfb-run", "-a", "-s", f"-screen 0 {screen}", sys.executable, *sys.argv]
        return subprocess.call(cmd)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="flowdesk-shots-") as tmp:
        if args.only == "studio":
            from studio_screenshots import shoot_studio

            from flowdesk.ui.app import application

            shoot_studio(Path(tmp), args.out, settle, application())
            return 0
        if args.only == "qa":
            from qa_screenshots import shoot_qa

            from flowdesk.ui.app import application

            shoot_qa(Path(tmp), args.out, settle, application())
            return 0
        return shoot(Path(tmp), args.out)


def shoot(data: Path, out: Path) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from flowdesk.settings import Settings
    from flowdesk.ui.app import application, build_desktop, start

    app = application()
    Settings(agent_id="A1001", team="话务一组").save(data / "settings.json")
    seed_usage(data)
    desktop = build_desktop(data, synchronous=True, listen=False, ask_agent=False)
    window = desktop.window
    window.resize(*SIZE)
    start(desktop)
    window.move(0, 0)
    window.activateWindow()
    if not QTest.qWaitForWindowActive(window, 5000):
        print("screenshots: the window did not become active; keys may not reach it")
    settle(app)

    def grab(name: str) -> None:
        settle(app)
        path = out / f"{name}.png"
        window.grab().save(str(path))
        print(path)

    # 1. the agent takes a call and types 转网: results as they type
    QTest.keyClick(window, Qt.Key.Key_F2)
    window.search.box.setText("转网")
    window.search.controller.search_now()
    grab("search")
    # 1b. the caller's own words: a sentence, synonyms said, partial matches marked
    window.search.box.setText("我手机被偷了要停机")
    window.search.controller.search_now()
    grab("search-sentence")
    window.search.box.setText("转网")
    window.search.controller.search_now()
    # 2. open the second result and step up to its decision
    QTest.keyClick(window.search.box, Qt.Key.Key_Down)
    QTest.keyClick(window.search.box, Qt.Key.Key_Return)
    for _ in range(8):
        run = window.flow.run
        if run is None or run.step is None or run.step.type == "decision":
            break
        QTest.keyClick(window.flow, Qt.Key.Key_Space)
    grab("flow-decision")
    # 2b. a screen pop with the caller's data: the script filled, a decision taken from it
    call_context_shot(window, app)
    grab("call-context")
    # 3. the process map, for 神州行 with its blind spot
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    window.map.brand.setCurrentIndex(window.map.brand.findData("E"))
    model, table = window.map.model, window.map.table
    blind = [
        (r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if model.cell_kind(r, c) == "blind"
    ]
    if blind:  # select the cell beside the blind spot, so its red marking shows
        row, column = blind[0]
        table.setCurrentIndex(model.index(row, max(0, column - 1)))
        table.scrollTo(model.index(row, column), table.ScrollHint.PositionAtCenter)
    grab("process-map")
    # 4. QA's view of four weeks of the team's usage
    window.show_tab(2)
    window.work_runner.wait(30_000)
    grab("qa")
    window.show_tab(0)
    # 5. check for updates: the change list of a newer signed pack, before applying
    update_shot(window, data, out, settle, app)
    # 6. tomorrow's tariff version waits (pending), takes effect between calls, and its
    #    must-read change is shown old beside new; the team lead's view of the floor
    rollout_shots(window, data, out, settle, app)
    # 7. the same desk in English (settings → language), mid-flow
    desktop.switch_language("en")
    window = desktop.window
    window.resize(*SIZE)
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 5000)
    grab("english")
    desktop.close()
    from studio_screenshots import shoot_studio  # the Studio's shots, beside this script

    shoot_studio(data, out, settle, app)
    from qa_screenshots import shoot_qa  # the QA workspace's, at 1920×1080

    (data / "qa").mkdir()
    shoot_qa(data / "qa", out, settle, app)
    return 0


def call_context_shot(window, app) -> None:
    """套餐变更 popped with the CRM's values; the contract status answers 客户是否可以变更."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    values = {
        "customer_name": "张先生",
        "plan": "4G飞享58元",
        "monthly_fee": "58",
        "in_contract": "否",
    }
    window.handle_message(
        {"cmd": "open", "touchpoint": "C1-G-B0401", "call_id": "CA-20261201-0815", "values": values}
    )
    settle(app)
    for _ in range(6):
        run = window.flow.run
        if run is None or run.step is None or run.step.type == "input":
            break
        QTest.keyClick(window.flow, Qt.Key.Key_Space)
    window.flow.value_row.edit.insert("5G畅享128元")
    QTest.keyClick(window.flow.value_row.edit, Qt.Key.Key_Return)  # on to the filled script


def update_shot(window, data: Path, out: Path, settle, app) -> None:
    """Publish a signed #N+1 of the sample pack (two greetings reworded) into a folder source
    this desk trusts, open "check for updates" and grab its change list."""
    import yaml

    from flowdesk.packs import build_pack
    from flowdesk.paths import sample_pack
    from flowdesk.sync.keys import PublisherKeys
    from flowdesk.sync.publish import publish_pack
    from flowdesk.sync.signature import sign_pack
    from flowdesk.sync.sourcelist import SourceConfig, SourceList
    from flowdesk.sync.trust import TrustStore

    src = data / "next-pack"
    shutil.copytree(Path(str(sample_pack())), src)
    meta = yaml.safe_load((src / "pack.yaml").read_text(encoding="utf-8"))
    meta["sequence"] = int(meta["sequence"]) + 1
    (src / "pack.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    for name, text in (
        ("broadband/bb-install.yaml", "您好，请问是要新装家庭宽带吗？请提供详细的安装地址。"),
        ("portability/np-qualify.yaml", "您好，请问您是想把号码携转到其他运营商吗？"),
    ):
        path = src / "flows" / name
        if path.exists():
            flow = yaml.safe_load(path.read_text(encoding="utf-8"))
            flow["steps"][0]["text"] = text
            path.write_text(yaml.safe_dump(flow, allow_unicode=True), encoding="utf-8")
    built = data / "built" / "sample-next.flowpack"
    build_pack(src, built)
    keys = PublisherKeys(data / "publisher-keys")
    info, public = keys.generate("流程管理室", "file", "流程口令-screenshots-2026")
    sign_pack(built, keys.load(info, "流程口令-screenshots-2026"), signer=info.name)
    folder = data / "source"
    folder.mkdir()
    publish_pack(built, folder)
    desk = window.desk
    TrustStore(desk.data.keys).trust(public)
    SourceList(desk.data).add(SourceConfig("hq", str(folder)))
    dialog = window.updates.check_for_updates()
    dialog.resize(760, 520)
    settle(app)
    path = out / "update-changes.png"
    dialog.grab().save(str(path))
    print(path)
    dialog.reject()
    # the scheduled sync ("auto", `flowdesk source schedule hq --every 30`) applies it once
    # the call ends; the changed flows carry 改 until opened
    settings = window.settings
    settings.sync_source, settings.sync_interval_minutes, settings.sync_apply = "hq", 30, "auto"
    applied: list = []
    window.updates.applied.connect(applied.append)
    in_call = window.session.in_call
    if in_call:
        window.end_call()
    window.updates.start_schedule(interval_s=3600, first_delay_s=0)
    deadline = time.monotonic() + 30
    while not applied and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)
    window.updates.stop()
    window.search.box.setText("携转")
    window.search.controller.search_now()
    settle(app)
    path = out / "update-applied.png"
    window.grab().save(str(path))
    print(path)
    if in_call:  # back on a call, the changed flow open: where the English shot starts
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        window.start_call("SHOT-2")
        QTest.keyClick(window.search.box, Qt.Key.Key_Down)
        QTest.keyClick(window.search.box, Qt.Key.Key_Return)


def rollout_shots(window, data: Path, out: Path, settle, app) -> None:
    """A pending version in the call bar; its must-read change once it takes effect; 终端状态."""
    import datetime as dt

    import yaml

    from flowdesk.paths import sample_pack

    src = data / "tariff-pack"
    shutil.copytree(Path(str(sample_pack())), src)
    meta = yaml.safe_load((src / "pack.yaml").read_text(encoding="utf-8"))
    installed = max(p.sequence for p in window.desk.packs())
    midnight = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(0))
    meta.update(sequence=installed + 1, version="12月资费版", effective=midnight.date().isoformat())
    (src / "pack.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    flow_path = src / "flows" / "portability" / "np-qualify.yaml"
    flow = yaml.safe_load(flow_path.read_text(encoding="utf-8"))
    flow["steps"][0]["text"] = (
        "您好！自12月1日起携号转网免收手续费。请问您是想把号码携转到其他运营商吗？"
    )
    flow["must_read"] = "12月1日起携号转网免收手续费，开场话术已更新"  # this flow's own note
    flow_path.write_text(yaml.safe_dump(flow, allow_unicode=True), encoding="utf-8")
    desk = window.desk
    desk.import_pack(src, allow_unsigned=True)
    window.versions.check()
    settle(app)
    path = out / "pending-version.png"
    window.grab().save(str(path))
    print(path)
    if window.session.in_call:
        window.end_call()
    after = midnight.astimezone() + dt.timedelta(seconds=5)
    getattr(desk, "_desk", desk).now = lambda: after  # the window's desk opens lazily
    window.versions.check()
    deadline = time.monotonic() + 20
    while not window.notices.dialog.isVisible() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)
    dialog = window.notices.dialog
    dialog.resize(1040, 480)
    settle(app)
    path = out / "must-read.png"
    dialog.grab().save(str(path))
    print(path)
    dialog.close()
    seed_desk_status(desk, after)
    window.show_tab(2)
    from flowdesk.ui.qa import QaView  # the QA tab is built on first show

    view = window.findChild(QaView)
    if view is not None:
        sizes = window.split.sizes()
        window.split.setSizes([1010, SIZE[0] - 1010])  # a team lead reads the table wide
        view.tabs.setCurrentWidget(view.desk_status)
        window.work_runner.wait(30_000)
        settle(app)
        path = out / "qa-desks.png"
        window.grab().save(str(path))
        print(path)
        window.split.setSizes(sizes)
    window.show_tab(0)


def seed_desk_status(desk, now) -> None:
    """15 desks of two teams as the central store sees them: two behind, one silent."""
    import datetime as dt
    from dataclasses import replace

    from flowdesk.rollout.desk_status import status_events
    from flowdesk.settings import Settings
    from flowdesk.usage.log import UsageLog

    newest = max(p.sequence for p in desk.packs())
    with UsageLog.open(desk.data.usage) as log:
        for n in range(1, 16):
            agent = f"A10{n:02d}"
            team = "话务一组" if n <= 12 else "话务二组"
            events = status_events(desk, Settings(agent_id=agent, team=team))
            sequence = newest - 1 if n in (4, 9) else newest
            at = now - (dt.timedelta(days=2) if n == 13 else dt.timedelta(minutes=3 * n))
            for e in events:
                log.record(replace(e, desk_id=f"hotline-pc{n:02d}-{n * 7919 % 65536:04x}",
                                   pack_sequence=sequence, ts=at))  # fmt: skip
        log.flush()


def seed_usage(data: Path) -> None:
    """Four weeks of a site's calls on the sample pack, so the QA view has something to show."""
    import random
    from datetime import datetime, timedelta

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo's benchmarks/
    from benchmarks.usage_bench import BEIJING, _events_of_call
    from flowdesk.packs import load_pack
    from flowdesk.paths import sample_pack
    from flowdesk.usage import import_events, sqlite_engine

    pack = load_pack(Path(str(sample_pack()))).pack
    rng = random.Random(7)
    start = datetime(2026, 10, 26, 8, 0, tzinfo=BEIJING)
    log = data / "seed.jsonl"
    with log.open("w", encoding="utf-8") as fh:
        for n in range(3000):  # one call every ~13 minutes, day and night, for four weeks
            for event in _events_of_call(rng, pack, start + timedelta(minutes=13.4 * n), n):
                fh.write(json.dumps(event, ensure_ascii=False) + "\n")
    engine = sqlite_engine(data / "usage.sqlite3")
    try:
        import_events(engine, log)
    finally:
        engine.dispose()
    log.unlink()


def settle(app) -> None:
    for _ in range(5):
        app.processEvents()


if __name__ == "__main__":
    sys.exit(main())
