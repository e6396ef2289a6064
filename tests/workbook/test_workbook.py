"""Pack workbooks: to-xlsx then from-xlsx gives the same pack; bad workbooks are refused."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from benchmarks.synthetic import synthetic_pack, write_pack_source
from flowdesk.cli import main
from flowdesk.cli.show import flow_json
from flowdesk.model import Pack
from flowdesk.packs import load_pack
from flowdesk.paths import sample_pack
from flowdesk.problems import Refused
from flowdesk.workbook import workbook_bytes, workbook_to_source

# A source written by hand elsewhere: mixed indentation, block scalars, explicit
# defaults, codes that look like numbers, claims of one channel split apart. The
# Studio's benchmark round-trips the same files.
OUTSIDE = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "outside-pack"
HOLD = "flows/账户/hold.yaml"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    return Path(shutil.copytree(OUTSIDE, tmp_path / "outside"))


def _show(pack: Pack) -> dict[str, dict]:
    info = SimpleNamespace(pack_id=pack.id, sequence=pack.sequence, version=pack.version)
    return {f.id: flow_json(f, info) for f in pack.flows}


def _round_trip(src: Path, tmp_path: Path) -> tuple[Pack, Pack]:
    before = load_pack(src)
    assert before.pack is not None, before.problems
    book = tmp_path / "pack.xlsx"
    assert main(["pack", "to-xlsx", str(src), "-o", str(book)]) == 0
    out = tmp_path / "back"
    assert main(["pack", "from-xlsx", str(book), "-o", str(out)]) == 0
    after = load_pack(out)
    assert after.pack is not None, after.problems
    return before.pack, after.pack


def _same_pack(before: Pack, after: Pack) -> None:
    assert _show(after) == _show(before)
    assert [f.id for f in after.flows] == [f.id for f in before.flows]
    assert [f.file for f in after.flows] == [f.file for f in before.flows]
    keys = ("id", "title", "sequence", "version", "publisher", "effective", "call_summary")
    for key in (*keys, "synonyms"):
        assert getattr(after, key) == getattr(before, key), key
    assert (after.channels, after.brands, after.businesses) == (
        before.channels,
        before.brands,
        before.businesses,
    )
    assert after.blind_spots() == before.blind_spots()


def test_sample_pack_round_trips(tmp_path: Path) -> None:
    before, after = _round_trip(Path(str(sample_pack())), tmp_path)
    _same_pack(before, after)
    assert len(after.flows) > 50


def test_a_pack_written_outside_round_trips(outside: Path, tmp_path: Path) -> None:
    before, after = _round_trip(outside, tmp_path)
    _same_pack(before, after)
    hold = after.flow("hold")
    assert [tp.code for tp in hold.touchpoints] == [
        "C1-G-0105",
        "C7-G-0105",
        "C7-M-0105",
        "C1-M-0105",
    ]
    assert hold.steps[0].text == "{{cust}}您好，请问要办理停机保号吗？\n第二行说明 {{ brand }}。\n"
    assert hold.steps[1].options[0].label == "本人 → 直接办"
    assert hold.steps[1].options[0].when == (("brand", ("G", "M")),)
    assert hold.steps[1].options[1].when == (("channel", ("C7",)),)
    assert hold.steps[2].variable == "months"
    assert [v.name for v in hold.variables if v.mask] == ["idno"]
    assert after.call_summary == before.call_summary == "{{cust}} 办理停机保号"
    assert after.synonyms == (("停机保号", "保号", "停机留号"), ("交费", "缴费", "充话费"))
    assert hold.keywords == ("10086", "保号", "bao hao")


def test_a_synthetic_pack_round_trips(tmp_path: Path) -> None:
    src = tmp_path / "synthetic"
    write_pack_source(synthetic_pack(150, seed=7), src)
    before, after = _round_trip(src, tmp_path)
    _same_pack(before, after)


def test_show_json_is_equal_after_import(outside: Path, tmp_path: Path, capsys) -> None:
    _before, _after = _round_trip(outside, tmp_path)
    shown = []
    for name, src in (("a", outside), ("b", tmp_path / "back")):
        data = tmp_path / f"data-{name}"
        assert main(["--data-dir", str(data), "pack", "import", str(src)]) == 0
        capsys.readouterr()
        assert main(["--data-dir", str(data), "show", "hold", "--var", "cust=张敏", "--json"]) == 0
        shown.append(json.loads(capsys.readouterr().out))
    assert shown[0] == shown[1]
    assert shown[0]["touchpoints"][0] == "C1-G-0105"
    assert shown[0]["steps"][0]["rendered"].startswith("张敏您好")


def test_the_workbook_is_for_people(outside: Path) -> None:
    pack = load_pack(outside).pack
    assert pack is not None
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(pack)))
    assert "地图 Map G" in book.sheetnames and "地图 Map M" in book.sheetnames
    map_m = book["地图 Map M"]
    cells = {c.value: c for row in map_m.iter_rows() for c in row if c.value}
    assert "盲点 C7-M-0105" not in cells  # claimed by hold's `channel: C7` (all brands)
    assert cells["pay-m"].coordinate == "B3"
    flows = book["流程 Flows"]
    assert flows.freeze_panes is not None
    header = [c.value for c in flows[1]]
    assert header[1] == "流程ID\nid"
    rows = [r for r in flows.iter_rows(min_row=2, values_only=True) if r[1] == "hold"]
    assert len(rows) == 5  # one row per step
    assert rows[0][2] == "停机保号 tingji" and rows[1][2] is None
    assert "{name: idno, label: 证件号, mask: true}" in rows[0][15].splitlines()
    options = next(r for r in rows if r[16] == "ask")[22]
    assert options.splitlines()[1] == "{label: 代办, next: agent, when: {channel: C7}}"


def test_blind_spots_are_marked_on_the_map(tmp_path: Path, outside: Path) -> None:
    (outside / "flows/pay.yaml").unlink()
    pack = load_pack(outside).pack
    assert pack is not None and [tp.code for tp in pack.blind_spots()] == ["C1-M-B2"]
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(pack)))
    cell = book["地图 Map M"]["B3"]
    assert cell.value == "盲点 C1-M-B2"
    assert cell.fill.fgColor.rgb.endswith("F8CBAD")
    assert book["地图 Map G"]["B3"].value is None  # B2 is not offered to G


def _edited(outside: Path, tmp_path: Path, edit) -> Path:
    pack = load_pack(outside).pack
    assert pack is not None
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(pack)))
    edit(book)
    path = tmp_path / "edited.xlsx"
    book.save(path)
    return path


def test_a_malformed_workbook_is_refused_with_its_cell(
    outside: Path, tmp_path: Path, capsys
) -> None:
    def bad_required(book) -> None:
        book["流程 Flows"]["U3"] = "也许"

    path = _edited(outside, tmp_path, bad_required)
    out = tmp_path / "never"
    assert main(["pack", "from-xlsx", str(path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "edited.xlsx: 流程 Flows!U3 (step.required)" in err
    assert not out.exists()


def test_a_validation_error_is_told_at_its_cell(outside: Path, tmp_path: Path) -> None:
    def bad_next(book) -> None:
        sheet = book["流程 Flows"]
        row = next(r for r in range(2, 20) if sheet.cell(r, 17).value == "agent")
        sheet.cell(row, 22).value = "没有这一步"

    with pytest.raises(Refused) as refused:
        workbook_to_source(_edited(outside, tmp_path, bad_next).read_bytes(), "e.xlsx")
    problem = next(p for p in refused.value.problems if p.severity == "error")
    assert problem.file.startswith("e.xlsx: 流程 Flows!V")
    assert "(step.next)" in problem.file and "没有这一步" in problem.message


def test_missing_sheet_and_column_are_refused(outside: Path, tmp_path: Path) -> None:
    def drop(book) -> None:
        del book["渠道 Channels"]
        book["流程 Flows"].delete_cols(3)  # the title column

    with pytest.raises(Refused) as refused:
        workbook_to_source(_edited(outside, tmp_path, drop).read_bytes(), "e.xlsx")
    messages = [str(p) for p in refused.value.problems]
    assert any("渠道 Channels" in m and "missing sheet" in m for m in messages)
    assert any("流程 Flows!1" in m and "'title'" in m for m in messages)
    with pytest.raises(Refused):
        workbook_to_source(b"not a workbook", "e.xlsx")


def test_reading_into_the_source_changes_only_edited_files(outside: Path, tmp_path: Path) -> None:
    def add_keyword(book) -> None:
        sheet = book["流程 Flows"]
        row = next(r for r in range(2, 20) if sheet.cell(r, 2).value == "pay-m")
        sheet.cell(row, 7).value = "交话费\njiao fei"

    path = _edited(outside, tmp_path, add_keyword)
    before = {p: p.read_bytes() for p in outside.rglob("*.yaml")}
    copy = tmp_path / "copy"
    shutil.copytree(outside, copy)
    assert main(["pack", "from-xlsx", str(path), "-o", str(outside)]) == 0
    after = {p: p.read_bytes() for p in outside.rglob("*.yaml")}
    changed = [p.name for p in before if before[p] != after[p]]
    assert changed == ["pay.yaml"]
    assert (
        b"keywords: [\xe4\xba\xa4\xe8\xaf\x9d\xe8\xb4\xb9, jiao fei]"
        in after[outside / "flows/pay.yaml"]
    )
    assert (outside / HOLD).read_bytes() == (OUTSIDE / HOLD).read_bytes()
