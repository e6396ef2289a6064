"""The PyInstaller bundle, built once and then run as a desk would run it.

Everything here drives the built program as a black box (a subprocess, real
files, real SQLite): the CLI paths, the data folder rules, a schema upgrade of
an older desk's store, and the window opening offscreen. Building takes about a
minute, so the module is marked ``installer``; skip it locally with
``-m 'not installer'``. To reuse a bundle you already built, point
``FLOWDESK_TEST_BUNDLE`` at its folder (e.g. ``dist/flowdesk``).
"""

from __future__ import annotations

import ctypes.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pytest

from flowdesk import __version__
from flowdesk.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tests.builders import dump_yaml, write_files

pytestmark = pytest.mark.installer

REPO = Path(__file__).resolve().parents[2]
EXE_NAME = "flowdesk.exe" if sys.platform == "win32" else "flowdesk"
LINUX_SIZE_LIMIT = 150e6


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one-folder application, built by the documented command (once per module)."""
    reused = os.environ.get("FLOWDESK_TEST_BUNDLE")
    if reused:
        return Path(reused).resolve()
    out = tmp_path_factory.mktemp("bundle")
    subprocess.run(
        [sys.executable, str(REPO / "installer" / "build.py"),
         "--dist", str(out / "dist"), "--work", str(out / "build")],
        check=True, timeout=1200, cwd=REPO, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return out / "dist" / "flowdesk"


@pytest.fixture
def desk_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a desk user whose home is in tmp (no inherited data folder)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLOWDESK_", "XDG_"))}
    env["HOME"] = str(tmp_path / "home")
    env["USERPROFILE"] = env["HOME"]
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run(
    bundle: Path, *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the bundled program; cwd is its own folder, the worst place to write data."""
    return subprocess.run(
        [str(bundle / EXE_NAME), *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=timeout,
        cwd=bundle,
    )  # fmt: skip


def files_in(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*")}


def test_version(bundle: Path, desk_env: dict[str, str]) -> None:
    done = run(bundle, "--version", env=desk_env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"flowdesk {__version__}"


def package_files(package: str) -> set[str]:
    """Every data file of an installed package, relative to it (what the bundle must hold)."""
    found: set[str] = set()

    def walk(node: Traversable, rel: str) -> None:
        for child in node.iterdir():
            if child.is_dir() and child.name != "__pycache__":
                walk(child, f"{rel}{child.name}/")
            elif child.is_file() and not child.name.endswith((".py", ".pyc")):
                found.add(rel + child.name)

    walk(resources.files(package), "")
    return found


def test_bundle_has_only_the_qt_it_needs_and_the_product_data(bundle: Path) -> None:
    names = {p.name for p in bundle.rglob("*")}
    for used in ("QtCore", "QtGui", "QtWidgets", "QtNetwork"):
        assert any(n.startswith(used + ".") for n in names), used
    for unused in ("WebEngine", "Qml", "Quick", "3DCore", "Multimedia", "Pdf", "Charts"):
        assert not [n for n in names if unused in n], unused
    internal = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    for package in ("flowdesk.data", "flowdesk.resources"):
        wanted = package_files(package)
        assert "sample-pack/pack.yaml" in wanted or "icons/flowdesk.svg" in wanted
        folder = internal.joinpath(*package.split("."))
        bundled = {str(p.relative_to(folder).as_posix()) for p in folder.rglob("*") if p.is_file()}
        assert wanted == bundled, package
    assert any(n.startswith("pinyin_dict") for n in names)  # pypinyin's dictionaries
    assert [p for p in bundle.rglob("*") if p.is_symlink() and not p.exists()] == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the size bar is for Linux")
def test_linux_bundle_is_within_its_size_bar_and_ships_a_desktop_entry(bundle: Path) -> None:
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    assert size <= LINUX_SIZE_LIMIT, f"{size / 1e6:.1f} MB"
    entry = (bundle / "share" / "applications" / "flowdesk.desktop").read_text(encoding="utf-8")
    assert "Exec=flowdesk" in entry and "Icon=flowdesk" in entry
    assert "服务流程" in entry
    assert (bundle / "share" / "icons" / "hicolor" / "scalable" / "apps" / "flowdesk.svg").is_file()
    assert os.access(bundle / "install.sh", os.X_OK)


def test_pack_import_then_search_and_show(
    bundle: Path, desk_env: dict[str, str], tmp_path: Path, pack_source: Path
) -> None:
    source = shutil.copytree(pack_source, tmp_path / "测试包")  # a Chinese path, too
    data = tmp_path / "数据"
    done = run(bundle, "pack", "import", str(source), "--data-dir", str(data), env=desk_env)
    assert done.returncode == 0, done.stderr
    assert (data / "flowdesk.sqlite3").is_file()

    for query in ("转网", "xhzw", "携号专网"):  # characters, pinyin initials, a homophone typo
        done = run(bundle, "search", query, "--json", "--data-dir", str(data), env=desk_env)
        assert done.returncode == 0, done.stderr
        hits = json.loads(done.stdout)
        assert hits[0]["flow_id"] == "np-out", (query, hits)
        assert hits[0]["title"] == "携号转网受理"

    done = run(bundle, "show", "np-out", "--json", "--data-dir", str(data), env=desk_env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == "携号转网受理"


def test_built_pack_file_is_imported(
    bundle: Path, desk_env: dict[str, str], tmp_path: Path, pack_source: Path
) -> None:
    source = pack_source
    packfile = tmp_path / "热线.flowpack"
    done = run(bundle, "pack", "build", str(source), "-o", str(packfile), env=desk_env)
    assert done.returncode == 0, done.stderr
    data = tmp_path / "data"
    done = run(bundle, "--data-dir", str(data), "pack", "import", str(packfile), env=desk_env)
    assert done.returncode == 0, done.stderr
    done = run(bundle, "--data-dir", str(data), "pack", "list", "--json", env=desk_env)
    assert [(p["pack_id"], p["active"]) for p in json.loads(done.stdout)] == [
        ("test-hotline", True)
    ]


def test_bad_input_is_refused_with_a_message_not_a_traceback(
    bundle: Path, desk_env: dict[str, str], tmp_path: Path, pack_source: Path
) -> None:
    broken = shutil.copytree(pack_source, tmp_path / "坏包")
    bad = {"id": "bad", "title": "坏流程", "class": "query", "steps": []}
    write_files(broken, {"flows/bad.yaml": dump_yaml(bad)})
    data = tmp_path / "data"
    done = run(bundle, "--data-dir", str(data), "pack", "import", str(broken), env=desk_env)
    assert done.returncode == 1
    assert "error:" in done.stderr and "flows/bad.yaml" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (data / "index").exists() or not any((data / "index").iterdir())


def test_environment_variable_chooses_the_data_folder(
    bundle: Path, desk_env: dict[str, str], tmp_path: Path, pack_source: Path
) -> None:
    data = tmp_path / "env-data"
    env = {**desk_env, "FLOWDESK_DATA_DIR": str(data)}
    done = run(bundle, "pack", "import", str(pack_source), env=env)
    assert done.returncode == 0, done.stderr
    assert (data / "flowdesk.sqlite3").is_file()
    assert not (tmp_path / "home").exists()  # nothing went to the user's default folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG data folders are Linux's")
@pytest.mark.parametrize("xdg", [True, False], ids=["XDG_DATA_HOME", "HOME"])
def test_default_data_folder_is_the_users_not_the_programs(
    bundle: Path, desk_env: dict[str, str], tmp_path: Path, pack_source: Path, xdg: bool
) -> None:
    env = dict(desk_env)
    if xdg:
        env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
        expected = tmp_path / "xdg" / "FlowDesk"
    else:
        expected = tmp_path / "home" / ".local" / "share" / "FlowDesk"
    before = files_in(bundle)
    done = run(bundle, "pack", "import", str(pack_source), env=env)
    assert done.returncode == 0, done.stderr
    assert (expected / "flowdesk.sqlite3").is_file()
    assert any((expected / "index").iterdir())
    done = run(bundle, "search", "话费", "--json", env=env)
    assert json.loads(done.stdout)[0]["flow_id"] == "bill-query"
    assert files_in(bundle) == before  # not a byte beside the program


def old_desk_store(path: Path) -> None:
    """A store as FlowDesk schema 1 left it, holding one installed pack."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as raw:
        for statement in MIGRATIONS[0]:
            raw.execute(statement)
        raw.execute(
            "INSERT INTO packs (pack_id, sequence, format, title, imported_at, active, flow_count)"
            " VALUES ('old-hotline', 3, 'flowpack/1', '旧版热线流程包',"
            " '2026-01-01T00:00:00+00:00', 1, 0)"
        )
        raw.execute("PRAGMA user_version = 1")
    # sqlite3's context manager commits but does not close: close before the bundle opens it.
    raw.close()


def test_newer_build_upgrades_an_older_desks_store(
    bundle: Path, desk_env: dict[str, str], tmp_path: Path, pack_source: Path
) -> None:
    data = tmp_path / "old-desk"
    old_desk_store(data / "flowdesk.sqlite3")
    done = run(bundle, "--data-dir", str(data), "pack", "list", "--json", env=desk_env)
    assert done.returncode == 0, done.stderr
    assert [(p["pack_id"], p["sequence"], p["title"]) for p in json.loads(done.stdout)] == [
        ("old-hotline", 3, "旧版热线流程包")
    ]
    with sqlite3.connect(data / "flowdesk.sqlite3") as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        history = raw.execute("SELECT action, pack_id FROM pack_history").fetchall()
    raw.close()
    assert history == [("import", "old-hotline")]
    # The upgraded desk keeps working: a new pack goes in beside the old one.
    done = run(bundle, "--data-dir", str(data), "pack", "import", str(pack_source), env=desk_env)
    assert done.returncode == 0, done.stderr
    done = run(bundle, "--data-dir", str(data), "search", "密码", "--json", env=desk_env)
    assert json.loads(done.stdout)[0]["flow_id"] == "pwd-reset"


def test_store_from_a_newer_flowdesk_is_refused_untouched(
    bundle: Path, desk_env: dict[str, str], tmp_path: Path
) -> None:
    store = tmp_path / "data" / "flowdesk.sqlite3"
    store.parent.mkdir()
    with sqlite3.connect(store) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    raw.close()
    done = run(bundle, "--data-dir", str(store.parent), "pack", "list", env=desk_env)
    assert done.returncode == 1
    assert "newer than this FlowDesk" in done.stderr
    assert "Traceback" not in done.stderr
    with sqlite3.connect(store) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 5
    raw.close()


@pytest.mark.skipif(
    sys.platform.startswith("linux")
    and ctypes.util.find_library("pq") is None
    and not os.environ.get("CI"),  # CI installs libpq5 with PostgreSQL: run it there
    reason="the Linux bundle uses the host's libpq5 (docs/installer.md)",
)
def test_usage_push_reaches_postgresql_through_the_bundled_driver(
    bundle: Path, desk_env: dict[str, str], tmp_path: Path
) -> None:
    """psycopg, libpq and the keyring backends all load in the bundle.

    Nothing listens on port 1, so libpq itself must answer "refused": an answer
    that can only come from a driver that loaded.
    """
    env = {**desk_env, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    url = "postgresql+psycopg://qa_desk@127.0.0.1:1/usage"
    done = run(bundle, "--data-dir", str(tmp_path / "d"), "usage", "push", "--url", url, env=env)
    assert done.returncode == 1
    assert "unreachable" in done.stderr and "refused" in done.stderr.lower(), done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture
def window(bundle: Path, desk_env: dict[str, str], tmp_path: Path) -> Iterator[dict]:
    """The bundled window running offscreen on a fresh data folder; stopped afterwards.

    The window has no "quit after start-up" switch, so the test watches it from
    outside and ends it with SIGTERM (on Windows, TerminateProcess).
    """
    if sys.platform.startswith("linux"):  # the user's own data folder, as on a desk
        env = {**desk_env, "XDG_DATA_HOME": str(tmp_path / "xdg")}
        data = tmp_path / "xdg" / "FlowDesk"
    else:  # elsewhere the user's folder cannot be moved into tmp by the environment
        data = tmp_path / "desk"
        env = {**desk_env, "FLOWDESK_DATA_DIR": str(data)}
    log = (tmp_path / "window.log").open("w", encoding="utf-8")
    before = files_in(bundle)
    process = subprocess.Popen(
        [str(bundle / EXE_NAME)], env=env, cwd=bundle, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        yield {
            "env": env,
            "process": process,
            "log": tmp_path / "window.log",
            "data": data,
            "before": before,
        }
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
        log.close()


def test_window_opens_offscreen_and_imports_the_bundled_sample_pack(
    bundle: Path, window: dict
) -> None:
    running = window
    env, process = running["env"], running["process"]
    # The first start imports the sample pack found through importlib.resources inside
    # the bundle; wait for it to be installed, as another process sees it.
    deadline = time.monotonic() + 90
    packs: list = []
    while time.monotonic() < deadline and not packs:
        assert process.poll() is None, running["log"].read_text(encoding="utf-8")
        time.sleep(1)
        done = run(bundle, "pack", "list", "--json", env=env)
        if done.returncode == 0 and done.stdout.strip():
            packs = [p for p in json.loads(done.stdout) if p["active"]]
    assert packs, running["log"].read_text(encoding="utf-8")
    assert packs[0]["flow_count"] > 0
    # A second start on the same data folder reaches the running window (over a
    # QtNetwork local socket) and exits at once instead of opening another one.
    done = run(bundle, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert process.poll() is None
    assert (running["data"] / "flowdesk.sqlite3").is_file()
    assert files_in(bundle) == running["before"]  # nothing beside the program
    log = running["log"].read_text(encoding="utf-8")
    assert "Traceback" not in log
    assert "Could not load the Qt platform plugin" not in log
