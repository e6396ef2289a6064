"""Builders the tests share: real pack source folders and an in-memory keyring.

Pack sources are written from plain dicts (the documents of ``pack.yaml`` and
each flow file) so a test changes a copy of :data:`PACK` or :data:`FLOWS` and
writes it; tests that need exact lines and columns write YAML text with
:func:`write_files` instead.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring.backend
import keyring.errors
import yaml

#: The small valid Chinese test pack's ``pack.yaml``; 话费查询 via C2 is a deliberate blind spot.
PACK: dict[str, Any] = {
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


#: 携号转网（带客户资料）: a flow that uses call context (flowpack §5): CTI values in its
#: words, a masked porting code, an agent's ``input`` step and three decisions the values
#: can answer (a chain: brand, then arrears).
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


def dump_yaml(document: Any) -> str:
    """A document as a process owner's YAML: Chinese as written, keys in the given order."""
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def write_pack(folder: Path, pack: dict | None = None, flows: dict | None = None) -> Path:
    """Write a flowpack/1 source folder; defaults to the small valid Chinese test pack."""
    files = {"pack.yaml": dump_yaml(PACK if pack is None else pack)}
    files |= {name: dump_yaml(body) for name, body in (FLOWS if flows is None else flows).items()}
    folder.mkdir(parents=True, exist_ok=True)
    return write_files(folder, files)


def read_pack(folder: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """A source folder's ``pack.yaml`` and its flow documents by relative name, to change."""
    pack = yaml.safe_load((folder / "pack.yaml").read_text(encoding="utf-8"))
    flows = {
        path.relative_to(folder).as_posix(): yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((folder / "flows").rglob("*.yaml"))
    }
    return pack, flows


def edit_yaml(path: Path, change: Callable[[Any], None]) -> Path:
    """Rewrite one YAML file of a source after ``change`` edits its document in place."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(dump_yaml(document), encoding="utf-8")
    return path


def sheet_rows(path: Path, sheet: str | None = None) -> list[tuple[Any, ...]]:
    """The values of one sheet of a written workbook, the file closed before returning.

    openpyxl's read-only mode keeps the file open until the book is closed; a test that
    forgets leaves a ResourceWarning that fails whichever test runs next.
    """
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return list((book[sheet] if sheet else book.active).values)
    finally:
        book.close()


def write_files(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write a folder from ``{relative name: text or bytes}`` (text as UTF-8)."""
    for name, body in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
    return folder


def context_flows() -> dict[str, dict[str, Any]]:
    """The test pack's flows plus the context flow (np-out keeps only C2)."""
    flows = copy.deepcopy(FLOWS)
    flows["flows/number/np.yaml"]["touchpoints"] = [{"channel": "C2"}]
    flows["flows/number/np-ctx.yaml"] = copy.deepcopy(CTX_FLOW)
    return flows


def write_context_pack(folder: Path, flow: dict[str, Any] | None = None) -> Path:
    """The test pack with the context flow; ``flow`` replaces it (a broken variant, say)."""
    flows = context_flows()
    if flow is not None:
        flows["flows/number/np-ctx.yaml"] = flow
    return write_pack(folder, copy.deepcopy(PACK), flows)


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A complete keyring backend that keeps secrets in a dict: tests never touch the
    machine's own keyring, and deleting what is not there fails as a real backend does."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)
