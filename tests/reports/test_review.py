"""``flowdesk report review``: the monthly review workbook holds the figures of ``report … --json``.

The workbook is read back with openpyxl and every section compared with the
report the command line prints for the same month (``--since 2026-11-01
--until 2026-12-01``), on a real data folder with two months of calls.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from flowdesk.cli import main
from tests.builders import sheet_rows
from tests.reports.review_fixtures import qa_desk

MONTH = ("--since", "2026-11-01", "--until", "2026-12-01")
OCTOBER = ("--since", "2026-10-01", "--until", "2026-11-01")


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    return qa_desk(tmp_path_factory.mktemp("review"))


@pytest.fixture(scope="module")
def workbook(desk: Path, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("out") / "回顾 review.xlsx"
    assert (
        main(["--data-dir", str(desk), "report", "review", "--month", "2026-11", "-o", str(out)])
        == 0
    )
    return out


def report_json(desk: Path, capsys, *args: str) -> object:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main(["--data-dir", str(desk), "report", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def sheet(path: Path, name: str) -> list[dict[str, object]]:
    """A review sheet's rows as dicts keyed by the report's column names (header row 2)."""
    rows = sheet_rows(path, name)
    heading, keys = rows[0], rows[1]
    assert all(isinstance(h, str) and h for h in heading)
    return [dict(zip(keys, row, strict=True)) for row in rows[2:]]


def by_key(rows, *columns: str) -> dict:  # type: ignore[no-untyped-def]
    return {r["key"]: tuple(r[c] for c in columns) for r in rows}


def same(written: dict, printed: dict) -> bool:
    """Equal, rates to the 15 significant digits a spreadsheet cell keeps."""
    assert set(written) == set(printed)
    for key, values in printed.items():
        assert len(written[key]) == len(values), key
        for mine, theirs in zip(written[key], values, strict=True):
            if isinstance(theirs, float):
                assert mine == pytest.approx(theirs, rel=1e-14), key
            else:
                assert mine == theirs, key
    return True


def test_teams_and_flows_equal_report_compliance_json(desk: Path, workbook: Path, capsys) -> None:
    cols = ("completed_runs", "compliant_runs", "compliance_rate")
    teams = report_json(desk, capsys, "compliance", "--by", "team", *MONTH)
    assert same(by_key(sheet(workbook, "班组对标"), *cols), by_key(teams, *cols))
    october = report_json(desk, capsys, "compliance", "--by", "team", *OCTOBER)
    before = {r["key"]: r["compliance_rate"] for r in october}
    for row in sheet(workbook, "班组对标"):
        assert row["previous_rate"] == pytest.approx(before[row["key"]], rel=1e-14)
        assert row["change"] == pytest.approx(row["compliance_rate"] - before[row["key"]])
    worst = sheet(workbook, "班组对标")[0]
    assert worst["key"] == "三组" and worst["below"] is True  # furthest below the benchmark first
    cols = (
        "title",
        "runs",
        "completed_runs",
        "compliant_runs",
        "abandoned_runs",
        "compliance_rate",
    )
    flows = report_json(desk, capsys, "compliance", "--by", "flow", *MONTH)
    written = sheet(workbook, "最差流程")
    assert same(by_key(written, *cols), by_key(flows, *cols))
    rates = [r["compliance_rate"] for r in written]
    assert rates == sorted(rates)  # worst first


def test_summary_and_trend_are_the_sums_of_the_json(desk: Path, workbook: Path, capsys) -> None:
    teams = report_json(desk, capsys, "compliance", "--by", "team", *MONTH)
    summary = {r["key"]: r for r in sheet(workbook, "概要")}
    assert summary["month"]["value"] == "2026-11" and summary["month"]["previous"] == "2026-10"
    for column in ("runs", "completed_runs", "compliant_runs", "abandoned_runs"):
        assert summary[column]["value"] == sum(r[column] for r in teams)
    completed = sum(r["completed_runs"] for r in teams)
    compliant = sum(r["compliant_runs"] for r in teams)
    assert summary["compliance_rate"]["value"] == pytest.approx(compliant / completed, rel=1e-14)
    october = report_json(desk, capsys, "compliance", "--by", "team", *OCTOBER)
    assert summary["runs"]["previous"] == sum(r["runs"] for r in october)
    assert summary["runs"]["change"] == summary["runs"]["value"] - summary["runs"]["previous"]
    assert summary["teams_below_benchmark"]["value"] == sum(
        r["compliance_rate"] < 0.9 for r in teams
    )
    days = report_json(desk, capsys, "compliance", "--by", "team", "--period", "day", *MONTH)
    trend = {r["period"]: r for r in sheet(workbook, "趋势")}
    assert set(trend) == {r["period"] for r in days} and len(trend) == 20  # the weekdays
    for day, row in trend.items():
        mine = [r for r in days if r["period"] == day]
        assert row["runs"] == sum(r["runs"] for r in mine)
        assert row["compliant_runs"] == sum(r["compliant_runs"] for r in mine)


def test_steps_coverage_misses_and_acknowledgements_equal_their_json(
    desk: Path, workbook: Path, capsys
) -> None:
    cols = ("on_path_runs", "skipped_runs", "skip_rate", "median_seconds")
    steps = report_json(desk, capsys, "steps", *MONTH)
    written = sheet(workbook, "最差步骤")
    assert same(by_key(written, *cols), by_key(steps["rows"], *cols))
    worst = max(r["skip_rate"] or 0 for r in steps["rows"])
    assert written[0]["skip_rate"] == pytest.approx(worst, rel=1e-14)
    coverage = report_json(desk, capsys, "coverage", *MONTH)
    assert by_key(sheet(workbook, "覆盖"), "runs", "used") == by_key(
        coverage["rows"], "runs", "used"
    )
    summary = {r["key"]: r for r in sheet(workbook, "概要")}
    assert summary["coverage_rate"]["value"] == pytest.approx(coverage["summary"]["coverage"])
    misses = report_json(desk, capsys, "search-misses", *MONTH)
    assert by_key(sheet(workbook, "搜索未命中"), "searches", "misses") == by_key(
        misses["rows"], "searches", "misses"
    )
    assert "今天天气怎么样" in {r["key"] for r in misses["rows"]}
    proposals = report_json(desk, capsys, "search-misses", "--proposals", *MONTH)
    written = [(r["flow_id"], r["keyword"], r["count"]) for r in sheet(workbook, "建议关键词")]
    assert written == [(r["flow_id"], r["keyword"], r["count"]) for r in proposals["rows"]]
    assert ("report-loss", "手机丢了咋整") in {w[:2] for w in written}
    acks = report_json(desk, capsys, "acknowledgements")
    assert len(sheet(workbook, "必读确认")) == len(acks["rows"])


def test_review_json_is_the_workbook(desk: Path, workbook: Path, capsys) -> None:
    review = report_json(desk, capsys, "review", "--month", "2026-11")
    assert set(review) >= {"summary", "trend", "teams", "flows", "steps", "coverage", "misses"}
    for section, name in (("teams", "班组对标"), ("steps", "最差步骤"), ("trend", "趋势")):
        rows = sheet(workbook, name)
        columns = list(rows[0])
        printed = {
            str(i): tuple(r[c] for c in columns) for i, r in enumerate(review[section]["rows"])
        }
        written = {str(i): tuple(r.values()) for i, r in enumerate(rows)}
        assert same(written, printed)


def test_the_workbook_carries_native_charts(workbook: Path) -> None:
    with zipfile.ZipFile(workbook) as book:
        charts = [n for n in book.namelist() if n.startswith("xl/charts/chart")]
        kinds = [book.read(name).decode("utf-8") for name in charts]
    assert len(charts) == 4  # trend, teams, flows, steps
    assert sum("<lineChart>" in k for k in kinds) == 1
    assert sum("<barChart>" in k for k in kinds) == 3


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--month", "2026-13", "-o", "x.xlsx"], "--month: not a month"),
        (["--month", "十一月", "-o", "x.xlsx"], "--month: not a month"),
        (["--month", "2026-11", "-o", "x.docx"], "-o: a review is written as .xlsx or .pdf"),
        (["--month", "2026-11"], "say where to write it"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    desk: Path, tmp_path: Path, capsys, args: list[str], said: str
) -> None:
    args = [a if a != "x.xlsx" and a != "x.docx" else str(tmp_path / a) for a in args]
    capsys.readouterr()
    assert main(["--data-dir", str(desk), "report", "review", *args]) == 1
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
