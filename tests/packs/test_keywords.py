"""Writing learned keywords into flow files: only the keywords change, atomically."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flowdesk.packs.keywords import add_keywords
from flowdesk.packs.load import load_pack
from flowdesk.paths import sample_pack
from flowdesk.problems import Refused


@pytest.fixture
def sample_source(tmp_path: Path) -> Path:
    folder = tmp_path / "sample"
    shutil.copytree(Path(str(sample_pack())), folder)
    return folder


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_keywords_are_appended_and_every_other_byte_kept(sample_source: Path) -> None:
    before = snapshot(sample_source)
    result = add_keywords(
        sample_source,
        [("report-loss", "手机不见了"), ("report-loss", "挂失"), ("bb-repair", "光猫闪红灯")],
    )
    assert result.files() == ["flows/broadband/bb-repair.yaml", "flows/security/report-loss.yaml"]
    assert result.skipped == [("report-loss", "挂失", "already a keyword")]
    after = snapshot(sample_source)
    changed = [p for p in before if before[p] != after[p]]
    assert sorted(p.name for p in changed) == ["bb-repair.yaml", "report-loss.yaml"]
    for path in changed:
        old, new = before[path].decode().splitlines(), after[path].decode().splitlines()
        assert len(old) == len(new)
        differing = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
        assert len(differing) == 1 and differing[0][1].startswith("keywords:")
        assert differing[0][1] == differing[0][0][:-1] + ", " + (
            "手机不见了]" if path.name == "report-loss.yaml" else "光猫闪红灯]"
        )
    loaded = load_pack(sample_source)
    assert loaded.ok
    assert "手机不见了" in loaded.pack.flow("report-loss").keywords


def test_a_flow_without_keywords_gets_a_list_after_its_title(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(Path(str(sample_pack())), source)
    flow_file = source / "flows" / "security" / "report-loss.yaml"
    text = flow_file.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("keywords:")]
    flow_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    add_keywords(source, [("report-loss", "手机不见了")])
    written = flow_file.read_text(encoding="utf-8").splitlines()
    title_at = next(i for i, ln in enumerate(written) if ln.startswith("title:"))
    assert written[title_at + 1] == "keywords: [手机不见了]"
    assert [ln for ln in written if not ln.startswith("keywords:")] == lines


def test_nothing_is_written_for_an_unknown_flow_or_a_dry_run(sample_source: Path) -> None:
    before = snapshot(sample_source)
    with pytest.raises(Refused, match="no flow 'nope'"):
        add_keywords(sample_source, [("report-loss", "手机不见了"), ("nope", "x")])
    result = add_keywords(sample_source, [("report-loss", "手机不见了")], dry_run=True)
    assert result.added and snapshot(sample_source) == before


def test_an_invalid_source_is_refused_untouched(sample_source: Path) -> None:
    (sample_source / "pack.yaml").write_text("format: flowpack/1\n", encoding="utf-8")
    before = snapshot(sample_source)
    with pytest.raises(Refused, match="does not validate"):
        add_keywords(sample_source, [("report-loss", "手机不见了")])
    assert snapshot(sample_source) == before
