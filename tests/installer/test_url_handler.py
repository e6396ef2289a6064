"""The Linux desktop entry registers FlowDesk as the handler of flowdesk:// screen pops."""

from __future__ import annotations

import configparser
from pathlib import Path

from flowdesk.cli.app import url_argv

INSTALLER = Path(__file__).resolve().parents[2] / "installer" / "linux"


def test_the_desktop_entry_handles_the_flowdesk_scheme() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(INSTALLER / "flowdesk.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert "x-scheme-handler/flowdesk" in section["MimeType"].split(";")
    assert section["Exec"] == "flowdesk %u"
    assert "x-scheme-handler/flowdesk" in (INSTALLER / "install.sh").read_text(encoding="utf-8")


def test_the_url_the_desktop_passes_becomes_open_url() -> None:
    url = "flowdesk://open?touchpoint=C1-G-B0102&name=%E5%BC%A0"
    assert url_argv([url]) == ["open", "--url", url]
    assert url_argv(["--data-dir", "/d", url]) == ["--data-dir", "/d", "open", "--url", url]
    assert url_argv(["open", "--url", url]) == ["open", "--url", url]
    assert url_argv([]) == []
