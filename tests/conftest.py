"""Fixtures shared by every test: real pack folders written into tmp_path."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

# GUI tests run offscreen; set before any Qt import anywhere in the session.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PACK_YAML: dict[str, Any] = {
    "format": "flowpack/1",
    "id": "test-hotline",
    "title": "测试热线流程包",
    "sequence": 1,
    "version": "2026.11 第1版",
    "publisher": "流程管理室",
    "effective": "2026-11-01",
    "channels": [{"code": "C1", "name": "热线语音"}, {"code": "C2", "name": "网上营业厅"}],
    "brands": [
        {"code": "G", "name": "全球通"},
        {"code": "M", "name": "动感地带"},
        {"code": "E", "name": "神州行"},
    ],
    "businesses": [
        {"code": "B0101", "name": "携号转网", "group": "号码业务", "channels": ["C1", "C2"]},
        {"code": "B0201", "name": "话费查询", "group": "查询", "channels": ["C1", "C2"]},
        {"code": "B0301", "name": "密码重置", "group": "安全", "channels": ["C1"], "brands": ["G"]},
    ],
}

FLOWS: dict[str, dict[str, Any]] = {
    "flows/number/np.yaml": {
        "id": "np-out",
        "title": "携号转网受理",
        "class": "handling",
        "business": "B0101",
        "touchpoints": [{"channel": "C1"}, {"channel": "C2"}],
        "keywords": ["转网", "携转", "带号转网"],
        "summary": "客户要求把号码转到其他运营商。",
        "steps": [
            {"id": "greet", "type": "script", "text": "您好，请问您是要办理携号转网吗？"},
            {"id": "verify", "type": "check", "text": "核实机主身份（服务密码）", "required": True},
            {
                "id": "ask",
                "type": "decision",
                "text": "是否有未结清的合约？",
                "options": [
                    {"label": "有合约", "next": "contract"},
                    {"label": "无合约", "next": "apply"},
                ],
            },
            {
                "id": "contract",
                "type": "script",
                "text": "您的合约未到期，需先解除合约。",
                "next": "end",
            },
            {"id": "apply", "type": "action", "text": "在CRM中提交转网申请", "required": True},
            {"id": "end", "type": "end", "text": "感谢来电，再见。"},
        ],
    },
    "flows/query/bill.yaml": {
        "id": "bill-query",
        "title": "话费查询",
        "class": "query",
        "business": "B0201",
        "touchpoints": [{"channel": "C1"}],
        "keywords": ["查话费", "话费余额"],
        "steps": [
            {"id": "s1", "type": "script", "text": "请稍等，我为您查询本月话费。"},
            {"id": "s2", "type": "action", "text": "在计费系统查询余额", "required": True},
            {"id": "s3", "type": "end", "text": "还有什么可以帮您？"},
        ],
    },
    "flows/security/pwd.yaml": {
        "id": "pwd-reset",
        "title": "服务密码重置",
        "class": "handling",
        "business": "B0301",
        "touchpoints": [{"channel": "C1"}],
        "keywords": ["改密码", "忘记密码"],
        "steps": [
            {"id": "v", "type": "check", "text": "核实身份证件后四位", "required": True},
            {"id": "t", "type": "transfer", "text": "转人工安全专席", "target": "安全专席"},
        ],
    },
    "flows/mgmt/quality.yaml": {
        "id": "qa-sample",
        "title": "录音抽检",
        "class": "quality",
        "steps": [
            {"id": "a", "type": "action", "text": "每日抽取录音10通"},
            {"id": "b", "type": "end", "text": "填写质检报告"},
        ],
    },
}


def write_pack(folder: Path, pack: dict | None = None, flows: dict | None = None) -> Path:
    """Write a flowpack/1 source folder; defaults to the small valid Chinese test pack."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(
        yaml.safe_dump(pack or PACK_YAML, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    for name, body in (FLOWS if flows is None else flows).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(body, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture
def pack_source(tmp_path: Path) -> Path:
    """A valid small pack source folder; 话费查询 via C2 is a deliberate blind spot (3 brands)."""
    return write_pack(tmp_path / "src")


@pytest.fixture
def pack_data() -> tuple[dict, dict]:
    """Deep copies of the test pack's pack.yaml and flows, to modify in a test."""
    return copy.deepcopy(PACK_YAML), copy.deepcopy(FLOWS)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
