"""A small valid pack source written as YAML text, so tests can point at exact lines.

Written with :func:`tests.builders.write_files`.
"""

from __future__ import annotations

from flowdesk.problems import Problem

PACK_YAML = """\
format: flowpack/1
id: hotline-zj
title: 热线服务流程包
sequence: 3
version: 2026.11 第3版
publisher: 流程管理室
effective: 2026-11-01
channels:
  - {code: C1, name: 热线语音}
  - {code: C2, name: 短信营业厅}
brands:
  - {code: G, name: 全球通}
  - {code: M, name: 动感地带}
  - {code: E, name: 神州行}
businesses:
  - code: B0101
    name: 交费
    group: 账务
    channels: [C1, C2]
  - code: B0102
    name: 停机保号
    channels: [C1]
    brands: [G, M]
"""

PAY_FLOW = """\
id: pay
title: 话费交费（缴费）
class: handling
business: B0101
touchpoints:
  - channel: C1
  - channel: C2
keywords: [交话费, 充值, jiaofei, 10086]
summary: 客户要交话费。
elements:
  input: 客户手机号
  output: 交费成功
owner: 客服部
steps:
  - id: greet
    type: script
    text: 您好，请问要交多少话费？
  - id: verify
    type: check
    text: 核实号码与机主
    required: true
  - id: how
    type: decision
    text: 客户选择交费方式
    options:
      - {label: 银行卡, next: card}
      - {label: 微信支付, next: done}
  - id: card
    type: action
    text: 在 CRM 中录入银行卡交费
    note: 注意核对金额
  - id: done
    type: end
    text: 交费完成，感谢来电。
"""

HOLD_FLOW = """\
id: hold.keep-number
title: 停机保号办理
class: handling
business: B0102
touchpoints:
  - channel: C1
steps:
  - {id: s1, type: script, text: 请问您要办理停机保号吗？}
  - {id: s2, type: transfer, text: 转营业厅专席, target: 专席}
"""

QA_FLOW = """\
id: qa-sample
title: 录音抽检
class: quality
steps:
  - {id: a, type: action, text: 每日抽取录音十通}
  - {id: b, type: end, text: 填写质检报告}
"""

VALID_FILES = {
    "pack.yaml": PACK_YAML,
    "flows/pay.yaml": PAY_FLOW,
    "flows/account/hold.yaml": HOLD_FLOW,
    "flows/mgmt/qa/sample.yaml": QA_FLOW,
}


def at(problems: list[Problem], file: str, key: str, severity: str = "error") -> list[Problem]:
    """The problems of ``severity`` placed exactly at ``file`` and ``key``."""
    return [p for p in problems if p.file == file and p.key == key and p.severity == severity]


def only(problems: list[Problem], file: str, key: str, severity: str = "error") -> Problem:
    """The one problem at that place; fails listing every problem otherwise."""
    found = at(problems, file, key, severity)
    assert len(found) == 1, "\n".join(f"{p.severity}: {p}" for p in problems)
    text = str(found[0])
    assert text.startswith(file) and (not key or f": {key}: " in text)
    return found[0]
