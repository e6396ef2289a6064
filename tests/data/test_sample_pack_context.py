"""The sample pack uses call context where real scripts have it (flowpack §5)."""

from __future__ import annotations

from pathlib import Path

from flowdesk.packs import load_pack
from flowdesk.variables import FlowContext, axis_names

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample-pack"


def test_names_amounts_plans_and_a_masked_porting_code_fill_the_scripts() -> None:
    pack = load_pack(SAMPLE).pack
    values = {
        "customer_name": "张先生",
        "plan": "4G飞享58元",
        "monthly_fee": "58",
        "in_contract": "否",
        "np_eligible": "不具备",
        "np_reason": "尚有欠费12.5元",
        "np_code": "NP20261201A7K3",
        "brand": "G",
        "star": "五星",
        "points": "12800",
    }
    names = axis_names(pack)
    change = FlowContext(pack.flow("plan-change-hotline"), values, names)
    assert change.render(pack.flow("plan-change-hotline").steps[0].text) == (
        "张先生您好，您现在的套餐是4G飞享58元，每月58元，请问您是想更换套餐吗？"
    )
    assert change.auto_branches() == [("allowed", "pick")]
    porting = pack.flow("np-qualify")
    np = FlowContext(porting, values, names)
    assert (
        np.render(porting.step("code").note) == "客户已收到授权码时，可核对后四位：**********A7K3"
    )
    assert np.render(porting.step("reasons").text).startswith(
        "您的号码目前暂不满足转网条件，原因是尚有欠费12.5元"
    )
    points = FlowContext(pack.flow("points-query"), values, names)
    assert points.auto_branches() == [("which-brand", "rule-gotone")]
    assert (
        points.reason(pack.flow("points-query").step("which-brand").options[0]) == "品牌 = 全球通"
    )
    answered = [
        (f.id, s.id)
        for f in pack.flows
        for s in f.steps
        if s.type == "decision" and any(o.when for o in s.options)
    ]
    assert len(answered) >= 3
