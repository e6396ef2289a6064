"""What goes into the FlowDesk bundle: the rules installer/flowdesk.spec applies.

Kept out of the spec so that they are plain, importable, tested Python: which
Qt modules and plugins are left out, which Linux libraries are left to the host,
and how the package's data files and mapped packages are found. Nothing here
runs PyInstaller; the spec passes its analysis results through these functions.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Iterable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

#: TOC entries as PyInstaller's Analysis holds them: (name in bundle, source path, type).
Entry = tuple[str, str, str]
ImportsOf = Callable[[str], Iterable[str]]


def default_imports(filename: str) -> list[str]:
    """The shared libraries ``filename`` links against (PyInstaller's own resolver)."""
    from PyInstaller.depend import bindepend

    return [name for name, _path in bindepend.get_imports(filename)]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: The Qt modules the desk uses; every other PySide6 module is excluded.
QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtNetwork")
#: PySide6-Essentials modules we must not pull in through some hook or optional import.
QT_EXCLUDED = _words(
    """
    Qt3DAnimation Qt3DCore Qt3DExtras Qt3DInput Qt3DLogic Qt3DRender QtAxContainer
    QtBluetooth QtCharts QtConcurrent QtDBus QtDataVisualization QtDesigner QtGraphs
    QtGraphsWidgets QtHelp QtHttpServer QtLocation QtMultimedia QtMultimediaWidgets
    QtNetworkAuth QtNfc QtOpenGL QtOpenGLWidgets QtPdf QtPdfWidgets QtPositioning
    QtPrintSupport QtQml QtQuick QtQuick3D QtQuickControls2 QtQuickTest QtQuickWidgets
    QtRemoteObjects QtScxml QtSensors QtSerialBus QtSerialPort QtSpatialAudio QtSql
    QtStateMachine QtSvg QtSvgWidgets QtTest QtTextToSpeech QtUiTools QtWebChannel
    QtWebEngineCore QtWebEngineQuick QtWebEngineWidgets QtWebSockets QtWebView QtXml
    """
)
#: Pure-Python modules that some dependency imports optionally and FlowDesk never needs.
PY_EXCLUDED = _words(
    """
    tkinter _tkinter pydoc_data lib2to3 test IPython matplotlib numpy pandas PIL PyQt5 PyQt6
    PySide2 jieba pytest _pytest setuptools pip readline curses
    """
)
#: Plugins dropped inside the kept folders: embedded-device platforms (eglfs, linuxfb,
#: vnc ...), the GTK theme (it alone pulls in GTK, cairo and pango) and image formats
#: no pack or icon uses. Names without "lib" prefix and extension, as on every OS.
QT_PLUGINS_DROPPED = _words(
    """
    qeglfs qlinuxfb qminimalegl qvkkhrdisplay qvnc qgtk3 qtiff qwebp qtga qwbmp qicns qpdf
    """
)
#: Linux: libraries every desktop has and a program must use the host's copy of (a
#: bundled libstdc++ or glib older than the host's breaks its GL drivers and input
#: methods). These are the ones FlowDesk pulls in that are on the AppImage project's
#: exclude list (github.com/AppImage/pkg2appimage/blob/master/excludelist).
LINUX_HOST_LIBS = frozenset(
    _words(
        """
    libc.so.6 libcom_err.so.2 libdl.so.2 libdrm.so.2 libEGL.so.1 libexpat.so.1
    libfontconfig.so.1 libfreetype.so.6 libfribidi.so.0 libgbm.so.1 libgcc_s.so.1
    libgdk_pixbuf-2.0.so.0 libgio-2.0.so.0 libGL.so.1 libglapi.so.0 libGLdispatch.so.0
    libglib-2.0.so.0 libGLX.so.0 libgobject-2.0.so.0 libgpg-error.so.0 libharfbuzz.so.0
    libICE.so.6 libm.so.6 libOpenGL.so.0 libp11-kit.so.0 libpango-1.0.so.0
    libpangocairo-1.0.so.0 libpangoft2-1.0.so.0 libpthread.so.0 libresolv.so.2 librt.so.1
    libSM.so.6 libstdc++.so.6 libthai.so.0 libusb-1.0.so.0 libutil.so.1 libuuid.so.1
    libX11.so.6 libxcb-dri2.so.0 libxcb-dri3.so.0 libxcb.so.1 libz.so.1
    """
    )
)
#: Qt plugin folders kept: the window needs platforms (xcb, wayland, offscreen, windows,
#: cocoa), platform themes and input contexts (Chinese input methods), image formats,
#: styles, TLS and network information. Everything else is dropped.
QT_PLUGINS_KEPT = _words(
    """
    platforms platformthemes platforminputcontexts imageformats iconengines styles tls
    networkinformation xcbglintegrations wayland-decoration-client
    wayland-graphics-integration-client wayland-shell-integration
    """
)


def package_files(package: str) -> list[tuple[str, str]]:
    """Every data file of ``package`` as (source, bundle folder), found via importlib.resources."""
    root = resources.files(package)
    dest_root = Path(*package.split("."))
    found: list[tuple[str, str]] = []

    def walk(node: Traversable, rel: Path) -> None:
        for child in node.iterdir():
            if child.name == "__pycache__" or child.name.endswith((".py", ".pyc")):
                continue
            if child.is_dir():
                walk(child, rel / child.name)
            else:
                found.append((str(Path(str(child))), str(dest_root / rel)))

    walk(root, Path())
    return found


def app_icon(platform: str = sys.platform) -> str | None:
    """The executables' icon: build.py renders resources/icons/flowdesk.svg for us.

    Windows takes the .ico as is; macOS converts a .png only with Pillow installed,
    so without Pillow the app simply keeps the default icon rather than failing.
    """
    icon = os.environ.get("FLOWDESK_BUILD_ICON")
    if not icon or not Path(icon).is_file():
        return None
    if platform == "darwin":
        try:
            import PIL  # noqa: F401
        except ImportError:
            return None
    if platform == "win32" and not icon.endswith(".ico"):
        return None
    return icon


def keep(entry: Entry) -> bool:
    """Drop Qt plugins and Qt translations FlowDesk never loads."""
    dest = entry[0].replace("\\", "/")
    for plugins in ("PySide6/Qt/plugins/", "PySide6/plugins/"):
        if dest.startswith(plugins):
            folder, _, name = dest[len(plugins) :].partition("/")
            stem = name.split(".", 1)[0].removeprefix("lib")
            return folder in QT_PLUGINS_KEPT and stem not in QT_PLUGINS_DROPPED
    if dest.startswith("PySide6/") and "/translations/" in dest:
        # Qt's own strings (dialog buttons ...): Chinese and English only, the desks' languages.
        name = dest.rsplit("/", 1)[1]
        return name.startswith(("qtbase_zh", "qtbase_en", "qt_zh", "qt_en"))
    return True


def without_dropped_plugins(
    binaries: list[Entry], imports_of: ImportsOf = default_imports
) -> list[Entry]:
    """The binaries minus dropped plugins and the libraries only those plugins needed.

    PyInstaller resolves plugin dependencies during analysis, so dropping e.g. the GTK
    theme afterwards would leave GTK, cairo and pango behind. A library is removed only
    when a dropped plugin links it and nothing kept does; a library no dropped plugin
    links (an extension module, something loaded through ctypes) is always kept.
    Names are compared case-insensitively, as Windows resolves DLLs.
    """
    by_name = {Path(entry[0]).name.lower(): entry for entry in binaries}

    def reach(roots: list[Entry]) -> set[str]:
        seen: set[str] = set()
        todo = list(roots)
        while todo:
            entry = todo.pop()
            if entry[0] in seen:
                continue
            seen.add(entry[0])
            for name in imports_of(entry[1]):
                linked = by_name.get(Path(name).name.lower())
                if linked is not None:
                    todo.append(linked)
        return seen

    kept = [entry for entry in binaries if keep(entry)]
    for_dropped = reach([entry for entry in binaries if not keep(entry)])
    # Roots are what was collected for its own sake (extensions, kept plugins, ...).
    needed = reach([entry for entry in kept if entry[0] not in for_dropped])
    return [entry for entry in kept if entry[0] in needed]


def without_host_libs(binaries: list[Entry], platform: str = sys.platform) -> list[Entry]:
    """Linux: leave the libraries of LINUX_HOST_LIBS to the host (top level of the bundle)."""
    if not platform.startswith("linux"):
        return binaries
    return [entry for entry in binaries if entry[0] not in LINUX_HOST_LIBS]


def without_dangling_links(datas: list[Entry], binaries: list[Entry]) -> list[Entry]:
    """The data entries minus symbolic links to libraries that were left out.

    PyInstaller links some libraries from the top of the bundle to their folder
    (``libQt6Core.so.6 -> PySide6/Qt/lib/libQt6Core.so.6``) as SYMLINK entries; a link
    to a library removed above would be left dangling.
    """
    present = {os.path.normpath(entry[0]) for entry in (*datas, *binaries)}

    def target(entry: Entry) -> str:
        return os.path.normpath(os.path.join(os.path.dirname(entry[0]), entry[1]))

    return [entry for entry in datas if entry[2] != "SYMLINK" or target(entry) in present]


def mapped_packages(pure: list[Entry]) -> list[Entry]:
    """flowdesk.data and flowdesk.resources as modules, wherever they are installed.

    They are mapped from data/ and resources/ at the top of the repository, which
    PyInstaller's path-based module finder cannot see in an editable install; without
    them importlib.resources.files() would fail in the bundle.
    """
    known = {entry[0] for entry in pure}
    found: list[Entry] = []
    for package in ("flowdesk.data", "flowdesk.resources"):
        spec = importlib.util.find_spec(package)
        if package not in known and spec is not None and spec.origin:
            found.append((package, spec.origin, "PYMODULE"))
    return found
