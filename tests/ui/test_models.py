"""The item models are thin, correct adapters (pytest-qt's model tester) over desk data."""

from __future__ import annotations

from PySide6.QtCore import Qt

from flowdesk.ui.process_map import FLOW_ID_ROLE, KIND_ROLE, ProcessMapModel
from flowdesk.ui.results import HIT_ROLE, ResultModel, _segments


def test_result_model_passes_the_model_tester(qtmodeltester, desk) -> None:
    model = ResultModel()
    model.set_hits(desk.search("zhuanwang"))
    assert model.rowCount() >= 1
    assert model.data(model.index(0), HIT_ROLE).flow_id == "np-out"
    assert model.data(model.index(0)) == "携号转网受理"
    qtmodeltester.check(model)
    model.set_hits([])
    qtmodeltester.check(model)


def test_the_next_keystroke_changes_rows_without_a_reset(qtmodeltester, qtbot, desk) -> None:
    """Typing on: rows are changed, added or removed in place; the list keeps its layout."""
    model = ResultModel()
    qtmodeltester.check(model)  # watches every signal from here on
    resets: list[str] = []
    model.modelReset.connect(lambda: resets.append("reset"))
    many, few = desk.search("h", limit=12), desk.search("话费", limit=3)
    assert len(many) > len(few) >= 1
    model.set_hits(many)
    assert resets == ["reset"]  # from empty
    for hits in (few, many, desk.search("hf", limit=12), few):
        with qtbot.waitSignal(model.dataChanged, timeout=1000):
            model.set_hits(hits)
        assert [model.hit(r).flow_id for r in range(model.rowCount())] == [h.flow_id for h in hits]
        assert model.data(model.index(0)) == hits[0].title
    assert resets == ["reset"]
    model.set_hits([])
    assert model.rowCount() == 0 and resets == ["reset", "reset"]


def test_process_map_model_passes_the_model_tester(qtmodeltester, desk) -> None:
    model = ProcessMapModel()
    model.set_pack(desk.pack(), "G")
    qtmodeltester.check(model)
    headers = [model.headerData(c, Qt.Orientation.Horizontal, 0) for c in range(2)]
    assert headers == ["热线语音\nC1", "网上营业厅\nC2"]
    groups = [model.row_info(r).group for r in range(model.rowCount()) if model.is_group(r)]
    assert groups == ["号码业务", "查询", "安全"]


def test_map_cells_for_each_brand(desk) -> None:
    model = ProcessMapModel()
    model.set_pack(desk.pack(), "M")
    cells = {
        model.data(model.index(r, c), Qt.ItemDataRole.UserRole + 2): (
            model.data(model.index(r, c), KIND_ROLE),
            model.data(model.index(r, c), FLOW_ID_ROLE),
            model.data(model.index(r, c)),
        )
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if not model.is_group(r)
    }
    assert cells["C1-M-B0101"] == ("flow", "np-out", "携号转网受理")
    assert cells["C2-M-B0201"][0] == "blind"
    assert "盲点" in cells["C2-M-B0201"][2]
    assert cells["C1-M-B0301"][0] == "none"  # 密码重置 is offered to 全球通 only


def test_highlight_segments_merge_and_clip() -> None:
    assert _segments("携号转网受理", [(2, 4), (3, 5), (9, 12)]) == [
        (0, 2, False),
        (2, 5, True),
        (5, 6, False),
    ]
    assert _segments("", [(0, 1)]) == []
