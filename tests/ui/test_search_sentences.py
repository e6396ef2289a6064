"""The window with callers' sentences: every keystroke, synonyms said, partial matches marked."""

from __future__ import annotations

from PySide6.QtCore import Qt

from flowdesk.ui.results import HIT_ROLE, match_note
from tests.ui.agent import type_text


def rows(window) -> list:
    model = window.search.model
    return [model.index(i).data(HIT_ROLE) for i in range(model.rowCount())]


def test_a_sentence_finds_the_flow_as_it_is_typed_and_says_the_synonym(qtbot, window) -> None:
    seen: list[int] = []
    window.search.controller.results.connect(lambda q, hits, ta: seen.append(len(hits)))
    type_text(qtbot, window.search.box, "我忘了密码怎么办")
    assert len(seen) >= len("我忘了密码怎么办")  # results on every keystroke
    window.search.controller.search_now()
    first = rows(window)[0]
    assert first.flow_id == "pwd-reset"
    typed, matched = first.synonyms[0]
    assert typed == "忘了密码" and matched in ("忘记密码", "密码重置", "重置密码")
    assert first.highlights  # 密码重置 marked in the title 服务密码重置
    tip = window.search.model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert f"忘了密码 ≈ {matched}" in tip
    window.search.list.grab()  # the delegate paints it


def test_partial_matches_are_marked_and_say_what_they_lack(qtbot, window) -> None:
    type_text(qtbot, window.search.box, "查话费顺便改密码")
    window.search.controller.search_now()
    hits = rows(window)
    assert {h.flow_id for h in hits} >= {"bill-query", "pwd-reset"}
    assert all(h.partial for h in hits)
    assert "部分匹配" in window.search.status.text()
    note = match_note(next(h for h in hits if h.flow_id == "pwd-reset"))
    assert note.startswith("部分匹配") and "查话费" in note
    window.search.list.grab()


def test_small_talk_finds_nothing(qtbot, window) -> None:
    type_text(qtbot, window.search.box, "你好今天天气怎么样")
    window.search.controller.search_now()
    assert window.search.model.rowCount() == 0
    assert "没有找到" in window.search.status.text()
