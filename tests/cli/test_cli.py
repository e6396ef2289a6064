"""The command line end to end, as scripts and users run it: real processes, real files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.builders import edit_yaml
from tests.cli.process import run


def test_validate_build_import_list_show_search(pack_source: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    r = run("pack", "validate", str(pack_source), data_dir=data)
    assert r.returncode == 0, r.stderr
    assert "C2-G-B0201" in r.stderr  # blind spot named as a warning
    built = tmp_path / "test.flowpack"
    r = run("pack", "build", str(pack_source), "-o", str(built), data_dir=data)
    assert r.returncode == 0, r.stderr
    assert "manifest.json" in zipfile.ZipFile(built).namelist()
    r = run("pack", "import", str(built), data_dir=data)
    assert r.returncode == 0, r.stderr
    r = run("pack", "list", "--json", data_dir=data)
    listed = json.loads(r.stdout)
    assert [(p["pack_id"], p["sequence"], p["active"]) for p in listed] == [
        ("test-hotline", 1, True)
    ]
    r = run("show", "np-out", "--json", data_dir=data)
    shown = json.loads(r.stdout)
    assert shown["title"] == "携号转网受理"
    assert [s["id"] for s in shown["steps"]][:3] == ["greet", "verify", "ask"]
    r = run("search", "xhzw", "--json", data_dir=data)
    results = json.loads(r.stdout)
    assert results[0]["flow_id"] == "np-out" and {"title", "score"} <= results[0].keys()
    r = run("search", "查话费", "--channel", "C1", "--class", "query", data_dir=data)
    assert r.returncode == 0 and "bill-query" in r.stdout


def test_data_dir_option_before_or_after_the_command(pack_source: Path, tmp_path: Path) -> None:
    data = tmp_path / "d2"
    env_dir = tmp_path / "unused"
    r = run("--data-dir", str(data), "pack", "import", str(pack_source), data_dir=env_dir)
    assert r.returncode == 0, r.stderr
    r = run("pack", "list", "--data-dir", str(data), "--json", data_dir=env_dir)
    assert json.loads(r.stdout)[0]["pack_id"] == "test-hotline"
    assert not (env_dir / "flowdesk.sqlite3").exists()


def test_queries_file_prints_one_json_line_per_query(pack_source: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run("pack", "import", str(pack_source), data_dir=data).returncode == 0
    queries = tmp_path / "q.txt"
    queries.write_text("转网\nhfcx\n\nB0301\n不存在的业务\n", encoding="utf-8")
    r = run("search", "--queries", str(queries), "--json", data_dir=data)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["转网", "hfcx", "B0301", "不存在的业务"]
    assert lines[0]["results"][0]["flow_id"] == "np-out"
    assert lines[1]["results"][0]["flow_id"] == "bill-query"
    assert lines[2]["results"][0]["flow_id"] == "pwd-reset"
    assert lines[3]["results"] == []
    assert all(isinstance(line["elapsed_ms"], float) for line in lines)


def test_bad_pack_exits_1_with_places_and_no_traceback(pack_source: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    flow_file = pack_source / "flows/number/np.yaml"
    edit_yaml(flow_file, lambda flow: flow["steps"][2]["options"][1].update(next="pay"))
    for args in (("pack", "validate", str(pack_source)), ("pack", "import", str(pack_source))):
        r = run(*args, data_dir=data)
        assert r.returncode == 1
        assert "flows/number/np.yaml: steps[2].options[1].next" in r.stderr
        assert "'pay'" in r.stderr and "Traceback" not in r.stderr
    listed = json.loads(run("pack", "list", "--json", data_dir=data).stdout)
    assert "test-hotline" not in [p["pack_id"] for p in listed]  # (the sample: first use)


def test_bad_built_files_exit_1(tmp_path: Path) -> None:
    data = tmp_path / "data"
    empty = tmp_path / "empty.flowpack"
    empty.write_bytes(b"")
    notzip = tmp_path / "notzip.flowpack"
    notzip.write_text("这不是压缩包", encoding="utf-8")
    for bad in (empty, notzip, tmp_path / "missing.flowpack"):
        r = run("pack", "import", str(bad), data_dir=data)
        assert r.returncode == 1, (bad, r.stderr)
        assert bad.name in r.stderr and "Traceback" not in r.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run("search", data_dir=data).returncode == 2
    assert run("search", "x", "--class", "gossip", data_dir=data).returncode == 2
    assert run("search", "x", "--limit", "0", data_dir=data).returncode == 2
    assert run("pack", "frobnicate", data_dir=data).returncode == 2


def test_show_unknown_flow_exits_1(pack_source: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    run("pack", "import", str(pack_source), data_dir=data)
    r = run("show", "no-such-flow", data_dir=data)
    assert r.returncode == 1 and "no-such-flow" in r.stderr


def test_queries_file_with_bad_utf8_exits_1(pack_source: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    bad = tmp_path / "q.txt"
    bad.write_bytes("转网\n".encode() + b"\xff\xfe\n")
    r = run("search", "--queries", str(bad), "--json", data_dir=data)
    assert r.returncode == 1 and "line 2" in r.stderr and r.stdout == ""
