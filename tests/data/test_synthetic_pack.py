"""benchmarks.synthetic: site-scale packs that are valid, deterministic and loadable."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.synthetic import main, pack_errors, synthetic_pack, write_pack_source
from flowdesk.model import MANAGEMENT_CLASSES, SERVICE_CLASSES, Option, Pack, TouchPoint
from flowdesk.packs import load_pack


def _comparable(pack: Pack) -> Pack:
    """The pack with flows in id order and no source path: what a round trip must keep."""
    flows = sorted((dataclasses.replace(f, file=None) for f in pack.flows), key=lambda f: f.id)
    return dataclasses.replace(pack, flows=tuple(flows))


@pytest.fixture(scope="module")
def pack500() -> Pack:
    return synthetic_pack(500, seed=3)


def test_synthetic_pack_has_the_requested_size_and_passes_the_model_checks(pack500: Pack) -> None:
    assert len(pack500.flows) == 500
    assert len(pack500.channels) == 8 and len(pack500.brands) == 3
    assert pack_errors(pack500) == []
    classes = Counter(f.flow_class for f in pack500.flows)
    assert set(SERVICE_CLASSES) <= set(classes)
    assert set(MANAGEMENT_CLASSES) & set(classes)


def test_synthetic_pack_is_deterministic_for_a_seed() -> None:
    assert synthetic_pack(500, seed=11) == synthetic_pack(500, seed=11)
    assert synthetic_pack(500, seed=11) != synthetic_pack(500, seed=12)


def test_touch_points_are_claimed_at_most_once_with_a_few_blind_spots(pack500: Pack) -> None:
    claims = Counter(tp for f in pack500.flows for tp in f.touchpoints)
    assert max(claims.values()) == 1
    offered = list(pack500.offered_touchpoints())
    assert set(claims) <= set(offered)
    assert len(pack500.blind_spots()) < 0.1 * len(offered)


def test_flows_read_like_a_call_centre(pack500: Pack) -> None:
    steps = [s for f in pack500.flows for s in f.steps]
    assert all(5 <= len(f.steps) <= 40 for f in pack500.flows)
    assert any(s.type == "decision" and len(s.options) >= 2 for s in steps)
    assert any(s.type == "transfer" and s.target for s in steps)
    assert any(s.required for s in steps)
    titles = " ".join(f.title for f in pack500.flows)
    assert "国际漫游" in titles and "（热线" in titles
    assert any("全球通" in f.title for f in pack500.flows)
    assert all(f.keywords for f in pack500.flows)


def test_site_scale_pack_has_site_scale_axes() -> None:
    # Its speed is measured in benchmarks/, never in a unit test.
    pack = synthetic_pack(10_000)
    assert len(pack.flows) == 10_000
    assert sum(1 for _ in pack.offered_touchpoints()) >= 3000
    assert len(pack.businesses) >= 200


def test_channel_and_brand_counts_are_honoured() -> None:
    pack = synthetic_pack(200, seed=1, n_channels=10, n_brands=5)
    assert [c.code for c in pack.channels] == [f"C{i}" for i in range(1, 11)]
    assert len(pack.brands) == 5
    with pytest.raises(ValueError, match="n_channels"):
        synthetic_pack(10, n_channels=0)
    with pytest.raises(ValueError, match="n_brands"):
        synthetic_pack(10, n_brands=9)


def test_pack_errors_catches_a_double_claim_and_a_dangling_next(pack500: Pack) -> None:
    claimer = next(f for f in pack500.flows if f.touchpoints)
    decision_flow = next(f for f in pack500.flows if any(s.type == "decision" for s in f.steps))
    index = next(i for i, s in enumerate(decision_flow.steps) if s.type == "decision")
    broken_step = dataclasses.replace(
        decision_flow.steps[index], options=(Option("是", "不存在的步骤"),)
    )
    steps = list(decision_flow.steps)
    steps[index] = broken_step
    broken = dataclasses.replace(decision_flow, steps=tuple(steps))
    thief = dataclasses.replace(pack500.flows[-1], id="抢占", touchpoints=claimer.touchpoints[:1])
    flows = (*(broken if f.id == decision_flow.id else f for f in pack500.flows), thief)
    problems = pack_errors(dataclasses.replace(pack500, flows=flows))
    code = claimer.touchpoints[0].code
    assert any(f"{code} already claimed by {claimer.id}" in p for p in problems)
    assert any("不存在的步骤" in p for p in problems)
    assert any("fewer than two options" in p for p in problems)
    assert TouchPoint.parse(code) == claimer.touchpoints[0]


def test_written_source_round_trips_through_the_loader(tmp_path: Path) -> None:
    pack = synthetic_pack(500, seed=5, n_channels=6)
    write_pack_source(pack, tmp_path / "src")
    assert (tmp_path / "src" / "pack.yaml").is_file()
    assert len(list((tmp_path / "src" / "flows").glob("*/*.yaml"))) == 500
    loaded = load_pack(tmp_path / "src")
    assert loaded.ok, [str(p) for p in loaded.errors[:5]]
    assert all("blind spot" in p.message for p in loaded.warnings)
    assert len(loaded.warnings) == len(pack.blind_spots())
    assert loaded.pack is not None
    assert _comparable(loaded.pack) == _comparable(pack)
    groups = {b.code: b.group for b in pack.businesses}
    first = loaded.pack.flow(pack.flows[0].id)
    assert first.file == f"flows/{groups[first.business or '']}/{first.id}.yaml"


def test_command_line_writes_a_loadable_pack(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--flows", "120", "--seed", "2", "-o", str(tmp_path / "out")]) == 0
    assert "120 flows" in capsys.readouterr().out
    loaded = load_pack(tmp_path / "out")
    assert loaded.ok and loaded.pack is not None
    assert len(loaded.pack.flows) == 120


def test_command_line_refuses_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--flows", "10", "--channels", "99", "-o", str(tmp_path / "out")])
    assert exit_info.value.code == 2
    assert "n_channels" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
