"""Publishing from the Studio: the change list against the source, then build, sign, publish."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from flowdesk.packs.roundtrip import edit_source_file
from flowdesk.paths import DataDir, sample_pack
from flowdesk.sync.keys import PublisherKeys
from flowdesk.ui.studio.document import StudioDocument
from flowdesk.ui.studio.publish import change_list, publish
from flowdesk.ui.studio.window import StudioWindow
from flowdesk.ui.tasks import TaskRunner

PASSPHRASE = "流程管理室-passphrase"


def _publisher(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A copy of the sample pack, a data folder with a publisher key, an empty site folder."""
    source = tmp_path / "pack"
    shutil.copytree(str(sample_pack()), source)
    data = tmp_path / "data"
    PublisherKeys(DataDir(data).ensure().keys).generate("流程管理室", "file", PASSPHRASE)
    site = tmp_path / "site"
    site.mkdir()
    return source, data, site


def test_publish_twice_with_the_change_list_between(tmp_path: Path) -> None:
    source, data, site = _publisher(tmp_path)
    assert "first publication here" in change_list(source, site).text
    assert publish(source, site, data, None, PASSPHRASE) == "packs/cmcc-hotline-1.flowpack"
    with edit_source_file(source / "pack.yaml") as head:
        head["sequence"] = 2
    with edit_source_file(source / "flows/security/report-loss.yaml") as flow:
        flow["title"] = "手机挂失停机（丢失/被盗）"
    plan = change_list(source, site)
    assert plan.previous == 1 and "report-loss" in plan.text
    assert publish(source, site, data, None, PASSPHRASE) == "packs/cmcc-hotline-2.flowpack"
    index = json.loads((site / "index.json").read_text(encoding="utf-8"))
    assert "cmcc-hotline-2.flowpack" in json.dumps(index)


def test_a_pack_with_errors_cannot_be_published(qtbot, tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "pack"
    shutil.copytree(str(sample_pack()), source)
    window = StudioWindow(StudioDocument.open(source), TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    name = window.document.name_of("report-loss")
    doc = window.document.document(name)
    doc["steps"][0]["next"] = "nowhere"
    window.push(name, doc, "next", None)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _w, _t, text, *a: said.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window.open_publish()
    assert said and "不能发布" in said[0]
    assert (source / name).read_bytes() == (Path(str(sample_pack())) / name).read_bytes()


def test_the_dialog_shows_the_changes_then_publishes_off_the_ui_thread(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtCore import Qt

    from flowdesk.ui.studio.publish import PublishDialog

    source, data, site = _publisher(tmp_path)
    dialog = PublishDialog(source, None, data)  # its own runner, a thread of its own
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.target.setFocus()
    dialog.target.setText(str(site))
    dialog.passphrase.setText(PASSPHRASE)
    assert not dialog.publish_button.isEnabled()  # the change list comes first
    dialog.show_changes()
    qtbot.waitUntil(dialog.publish_button.isEnabled, timeout=30_000)
    assert "first publication here" in dialog.changes.toPlainText()
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已发布" in dialog.changes.toPlainText(), timeout=60_000)
    assert "cmcc-hotline-1.flowpack" in dialog.changes.toPlainText()
    assert (site / "packs" / "cmcc-hotline-1.flowpack").is_file()
    dialog.passphrase.setText("wrong")
    dialog.do_publish()  # the same sequence again, with a wrong passphrase: told, not raised
    qtbot.waitUntil(lambda: "发布失败" in dialog.changes.toPlainText(), timeout=60_000)
    assert dialog.publish_button.isEnabled()
    dialog.runner.wait()
