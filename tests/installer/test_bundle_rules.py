"""The rules the PyInstaller spec applies (installer/bundle_rules.py), without building.

These run in the normal suite in milliseconds; test_bundle.py checks the result
on a real build.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rules() -> ModuleType:
    """installer/bundle_rules.py, loaded by path (installer/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "bundle_rules", REPO / "installer" / "bundle_rules.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def entry(dest: str) -> tuple[str, str, str]:
    return (dest, f"/src/{dest}", "BINARY")


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-x11-integration.so", False),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),  # Windows layout
        ("PySide6\\plugins\\imageformats\\qwebp.dll", False),
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("flowdesk/data/sample-pack/pack.yaml", True),
    ],
)
def test_keep_drops_unused_qt_plugins_and_translations(
    rules: ModuleType, dest: str, kept: bool
) -> None:
    assert rules.keep(entry(dest)) is kept


def test_libraries_only_a_dropped_plugin_needs_go_with_it(rules: ModuleType) -> None:
    binaries = [
        entry("PySide6/QtGui.abi3.so"),
        entry("PySide6/Qt/lib/libQt6Gui.so.6"),
        entry("PySide6/Qt/plugins/platforms/libqxcb.so"),
        entry("PySide6/Qt/plugins/platformthemes/libqgtk3.so"),
        entry("libcairo.so.2"),  # only the GTK theme links it
        entry("libpixman-1.so.0"),  # only through cairo
        entry("libxkbcommon.so.0"),  # linked by the GTK theme and by the xcb platform
        entry("libsqlite3.so.0"),  # linked by nothing here (a ctypes-style load)
    ]
    links = {
        "/src/PySide6/QtGui.abi3.so": ["libQt6Gui.so.6"],
        "/src/PySide6/Qt/plugins/platforms/libqxcb.so": ["libQt6Gui.so.6", "libxkbcommon.so.0"],
        "/src/PySide6/Qt/plugins/platformthemes/libqgtk3.so": [
            "libQt6Gui.so.6",
            "libcairo.so.2",
            "libxkbcommon.so.0",
            "libgtk-3.so.0",  # not collected at all: ignored
        ],
        "/src/libcairo.so.2": ["LIBPIXMAN-1.so.0"],  # case differs, as on Windows
    }
    kept = rules.without_dropped_plugins(binaries, lambda path: links.get(path, []))
    assert [Path(e[0]).name for e in kept] == [
        "QtGui.abi3.so",
        "libQt6Gui.so.6",
        "libqxcb.so",
        "libxkbcommon.so.0",
        "libsqlite3.so.0",
    ]


def test_host_libraries_are_left_to_linux_only(rules: ModuleType) -> None:
    binaries = [entry("libstdc++.so.6"), entry("libglib-2.0.so.0"), entry("libsqlite3.so.0")]
    assert rules.without_host_libs(binaries, "linux") == [entry("libsqlite3.so.0")]
    assert rules.without_host_libs(binaries, "win32") == binaries
    # Qt's own copies inside PySide6 are never taken for host libraries.
    assert rules.without_host_libs([entry("PySide6/Qt/lib/libicuuc.so.73")], "linux")


def test_links_to_libraries_left_out_are_dropped_too(rules: ModuleType) -> None:
    binaries = [entry("PySide6/Qt/lib/libQt6Core.so.6")]
    datas = [
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6EglFsKmsSupport.so.6", "PySide6/Qt/lib/libQt6EglFsKmsSupport.so.6", "SYMLINK"),
        ("sub/libz.so", "../PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),  # relative to its folder
        ("flowdesk/data/sample-pack/pack.yaml", "/src/pack.yaml", "DATA"),
    ]
    assert [e[0] for e in rules.without_dangling_links(datas, binaries)] == [
        "libQt6Core.so.6",
        "sub/libz.so",
        "flowdesk/data/sample-pack/pack.yaml",
    ]


def test_package_files_put_the_sample_pack_where_importlib_resources_looks(
    rules: ModuleType,
) -> None:
    files = rules.package_files("flowdesk.data")
    by_name = {(Path(src).name, dest.replace("\\", "/")) for src, dest in files}
    assert ("pack.yaml", "flowdesk/data/sample-pack") in by_name
    assert all(not src.endswith((".py", ".pyc")) for src, _ in files)
    assert all(Path(src).is_file() for src, _ in files)
    icons = {Path(src).name for src, _ in rules.package_files("flowdesk.resources")}
    assert "flowdesk.svg" in icons


def test_mapped_packages_are_added_as_modules_once(rules: ModuleType) -> None:
    found = rules.mapped_packages([("flowdesk", "/x/flowdesk/__init__.py", "PYMODULE")])
    assert [(name, Path(path).name, kind) for name, path, kind in found] == [
        ("flowdesk.data", "__init__.py", "PYMODULE"),
        ("flowdesk.resources", "__init__.py", "PYMODULE"),
    ]
    assert rules.mapped_packages(found) == []


def test_build_icon_is_only_used_where_the_os_takes_it(
    rules: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    png = tmp_path / "流程图标.png"
    png.write_bytes(b"\x89PNG\r\n")
    monkeypatch.setenv("FLOWDESK_BUILD_ICON", str(png))
    assert rules.app_icon("linux") == str(png)
    assert rules.app_icon("win32") is None  # Windows needs the .ico
    monkeypatch.setenv("FLOWDESK_BUILD_ICON", str(tmp_path / "missing.ico"))
    assert rules.app_icon(sys.platform) is None
