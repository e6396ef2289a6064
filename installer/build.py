"""Build FlowDesk as a one-folder application for this machine's OS.

    python installer/build.py [--dist DIR] [--work DIR] [--archive] [--unlocked]

Runs PyInstaller on installer/flowdesk.spec, with its work files in build/ and
the application in dist/flowdesk/ (both at the top of the repository unless
given), then prints the build time and the bundle size. Nothing is written
outside those two folders: PyInstaller's cache goes under the work folder too.
On Linux the desktop entry, icon and install script are copied into the
bundle's share/ folder, so one folder (or its archive) is all IT deploys.

Before anything is built, the libraries the bundle will carry are checked
against ``requirements/lock.txt``: a bundle is made from tested versions only
(``--unlocked`` builds anyway, for trying a newer library on purpose).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from lockcheck import mismatches, runtime_closure  # beside this script, run as a script

INSTALLER = Path(__file__).resolve().parent
REPO = INSTALLER.parent
SPEC = INSTALLER / "flowdesk.spec"
LOCK = REPO / "requirements" / "lock.txt"
APP_NAME = "flowdesk"
#: The bar for the Linux bundle (issue 6); the build warns when it is crossed.
LINUX_SIZE_LIMIT_MB = 150


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) of everything under ``folder``, symlinks counted once, not followed."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            files += 1
    return total, files


def glibc_needed(bundle: Path) -> str | None:
    """The newest glibc symbol version any program or library in the bundle needs.

    The bundle runs on a Linux desk whose glibc is at least this: the build machine's
    glibc leaks in through libpython, so build on the oldest distribution you deploy to.
    """
    objdump = shutil.which("objdump")
    if objdump is None:
        return None
    newest: tuple[int, ...] = ()
    for path in bundle.rglob("*"):
        if path.is_symlink() or not path.is_file() or not _is_elf(path):
            continue
        symbols = subprocess.run([objdump, "-T", str(path)], capture_output=True, text=True)
        for word in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", symbols.stdout):
            newest = max(newest, tuple(int(n) for n in word.split(".")))
    return ".".join(map(str, newest)) or None


def _is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def render_icons(svg: Path, out: Path) -> dict[str, Path]:
    """PNG (and on Windows ICO) renderings of the app's SVG icon, for the executables.

    Qt renders the SVG, so no image library is needed on the build machine. Returns
    an empty dict when the SVG or Qt's SVG support is missing: the bundle then simply
    has no embedded icon.
    """
    if not svg.is_file():
        return {}
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QGuiApplication, QImage, QPainter
        from PySide6.QtSvg import QSvgRenderer
    except ImportError:
        return {}
    _app = QGuiApplication.instance() or QGuiApplication([])
    out.mkdir(parents=True, exist_ok=True)
    renderer = QSvgRenderer(str(svg))
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    made = {}
    if image.save(str(out / "flowdesk.png")):
        made["png"] = out / "flowdesk.png"
    if sys.platform == "win32" and image.save(str(out / "flowdesk.ico")):
        made["ico"] = out / "flowdesk.ico"
    return made


def app_svg() -> Path:
    """The UI's icon (resources/icons/flowdesk.svg)."""
    return REPO / "resources" / "icons" / "flowdesk.svg"


def add_linux_desktop_files(bundle: Path, icons: dict[str, Path]) -> None:
    """share/: the desktop entry, the icon (SVG and PNG) and the install script."""
    share = bundle / "share"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    shutil.copy2(INSTALLER / "linux" / "flowdesk.desktop", share / "applications")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    if app_svg().is_file():
        shutil.copy2(app_svg(), scalable / "flowdesk.svg")
    if "png" in icons:
        png_dir = share / "icons" / "hicolor" / "256x256" / "apps"
        png_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy2(icons["png"], png_dir / "flowdesk.png")
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy2(INSTALLER / "linux" / script, bundle / script)
        (bundle / script).chmod(0o755)


def build(dist: Path, work: Path, archive: bool = False) -> dict[str, object]:
    """Run PyInstaller; return what was built and measured (also printed)."""
    dist, work = dist.resolve(), work.resolve()
    if sys.platform.startswith("linux") and shutil.which("strip") is None:
        # Without stripping, the bundle is ~40 MB bigger than its bar.
        raise SystemExit("flowdesk build: `strip` is missing; install binutils first")
    env = dict(os.environ)
    env["PYINSTALLER_CONFIG_DIR"] = str(work / "pyinstaller-cache")  # keep its cache here
    icons = render_icons(app_svg(), work / "icons")
    icon = icons.get("ico") or icons.get("png")
    if icon:
        env["FLOWDESK_BUILD_ICON"] = str(icon)
    command = [
        sys.executable, "-m", "PyInstaller", str(SPEC),
        "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work),
    ]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=REPO)
    bundle = dist / APP_NAME
    if sys.platform.startswith("linux"):
        add_linux_desktop_files(bundle, icons)
    seconds = time.perf_counter() - started
    size, files = folder_size(bundle)
    info: dict[str, object] = {
        "bundle": str(bundle),
        "executable": str(executable(bundle)),
        "platform": f"{platform.system()} {platform.machine()}",
        "build_seconds": round(seconds, 1),
        "size_mb": round(size / 1e6, 1),
        "files": files,
    }
    if sys.platform.startswith("linux"):
        info["glibc_needed"] = glibc_needed(bundle)
    if archive:
        info["archive"], info["archive_sha256"] = make_archive(dist)
    print(
        f"built {bundle} in {seconds:.0f} s: {size / 1e6:.1f} MB in {files} files"
        + (f"; needs glibc >= {info['glibc_needed']}" if info.get("glibc_needed") else ""),
        file=sys.stderr,
    )
    if sys.platform.startswith("linux") and size / 1e6 > LINUX_SIZE_LIMIT_MB:
        print(f"warning: bundle is over the {LINUX_SIZE_LIMIT_MB} MB bar", file=sys.stderr)
    (work / "build-info.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    return info


def make_archive(dist: Path) -> tuple[str, str]:
    """dist/flowdesk-<version>-<os>-<cpu>.zip (Windows) or .tar.gz, and its .sha256 file.

    The checksum lets the deployment tool verify what it ships to the desks.
    """
    fmt = "zip" if sys.platform == "win32" else "gztar"
    base = dist / f"{APP_NAME}-{version()}-{sys.platform}-{platform.machine().lower()}"
    made = Path(shutil.make_archive(str(base), fmt, dist, APP_NAME))
    digest = hashlib.sha256(made.read_bytes()).hexdigest()
    made.with_name(made.name + ".sha256").write_text(f"{digest}  {made.name}\n")
    return str(made), digest


def executable(bundle: Path) -> Path:
    """The console program inside a built bundle."""
    return bundle / ("flowdesk.exe" if sys.platform == "win32" else "flowdesk")


def version() -> str:
    from flowdesk import __version__

    return __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="default: dist/")
    parser.add_argument("--work", type=Path, default=REPO / "build", help="default: build/")
    parser.add_argument("--archive", action="store_true", help="also pack the folder (zip/tar.gz)")
    parser.add_argument(
        "--unlocked", action="store_true", help="build even if versions differ from the lock"
    )
    args = parser.parse_args(argv)
    off_lock = mismatches(LOCK, only=runtime_closure())
    if off_lock and not args.unlocked:
        print(
            f"error: {LOCK.relative_to(REPO)}: this environment differs from the lock:",
            file=sys.stderr,
        )
        for line in off_lock:
            print(f"  {line}", file=sys.stderr)
        print(
            "install the locked versions first: "
            "python -m pip install -c requirements/lock.txt -e '.[installer,postgres]'",
            file=sys.stderr,
        )
        return 1
    info = build(args.dist, args.work, archive=args.archive)
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
