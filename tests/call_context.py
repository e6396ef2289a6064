"""A pack whose flow uses call context (flowpack §5), shared by the tests of every part.

The test pack of ``conftest`` with one more flow, 携号转网（带客户资料）: CTI values
in its words, a masked porting code, an agent's ``input`` step and three
decisions the values can answer (a chain: brand, then arrears).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from tests.conftest import FLOWS, PACK_YAML, write_pack

CTX_FLOW: dict[str, Any] = {
    "id": "np-ctx",
    "title": "携号转网（带客户资料）",
    "class": "handling",
    "business": "B0101",
    "touchpoints": [{"channel": "C1"}],
    "keywords": ["携转", "转网"],
    "variables": [
        {"name": "name", "label": "客户姓名"},
        {"name": "plan", "label": "当前套餐"},
        {"name": "amount", "label": "欠费金额"},
        {"name": "has_debt", "label": "是否欠费"},
        {"name": "port_code", "label": "携转授权码", "mask": True},
        {"name": "carrier", "label": "转入运营商", "source": "agent"},
    ],
    "steps": [
        {
            "id": "greet",
            "type": "script",
            "text": "{{name}}您好，您的号码当前套餐为{{ plan }}。",
            "note": "授权码 {{port_code}}",
        },
        {"id": "verify", "type": "check", "text": "核实机主身份（服务密码）", "required": True},
        {
            "id": "brand",
            "type": "decision",
            "text": "客户是否为全球通客户？",
            "required": True,
            "options": [
                {"label": "全球通", "next": "vip", "when": {"brand": "G"}},
                {"label": "其他品牌", "next": "debt", "when": {"brand": ["M", "E"]}},
            ],
        },
        {"id": "vip", "type": "script", "text": "全球通积分将在转网后清零，请知悉。"},
        {
            "id": "debt",
            "type": "decision",
            "text": "是否有欠费？",
            "options": [
                {"label": "有欠费", "next": "pay", "when": {"has_debt": "是"}},
                {"label": "无欠费", "next": "carrier", "when": {"has_debt": "否"}},
            ],
        },
        {"id": "pay", "type": "script", "text": "您有欠费{{amount}}元，需先结清。"},
        {
            "id": "carrier",
            "type": "input",
            "variable": "carrier",
            "text": "请问您要转入哪家运营商？",
            "required": True,
        },
        {
            "id": "apply",
            "type": "action",
            "text": "在CRM提交携转申请：转入{{carrier}}，授权码{{port_code}}",
            "required": True,
        },
        {"id": "handoff", "type": "transfer", "text": "转携号转网专席确认", "target": "携转专席"},
        {"id": "end", "type": "end", "text": "感谢来电，再见。"},
    ],
}


def context_flows() -> dict[str, dict[str, Any]]:
    """The test pack's flows plus the context flow (np-out keeps only C2)."""
    flows = copy.deepcopy(FLOWS)
    flows["flows/number/np.yaml"]["touchpoints"] = [{"channel": "C2"}]
    flows["flows/number/np-ctx.yaml"] = copy.deepcopy(CTX_FLOW)
    return flows


def write_context_pack(folder: Path, flow: dict[str, Any] | None = None) -> Path:
    """Write the pack; ``flow`` replaces the context flow (a broken variant, say)."""
    flows = context_flows()
    if flow is not None:
        flows["flows/number/np-ctx.yaml"] = flow
    return write_pack(folder, copy.deepcopy(PACK_YAML), flows)
