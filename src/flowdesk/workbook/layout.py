"""The sheets and columns of a pack workbook, shared by the writer and the reader.

Headers carry the Chinese name for people and, on their last line, the key
the reader goes by, so columns may be moved, and extra columns (a reviewer's
remarks) are left alone.
"""

from __future__ import annotations

from flowdesk.workbook.cells import Column

ABOUT_SHEET = "说明 About"
PACK_SHEET = "流程包 Pack"
CHANNELS_SHEET = "渠道 Channels"
BRANDS_SHEET = "品牌 Brands"
BUSINESSES_SHEET = "业务 Businesses"
SYNONYMS_SHEET = "同义词 Synonyms"
FLOWS_SHEET = "流程 Flows"
MAP_SHEET_PREFIX = "地图 Map "
"""One map sheet per brand, ``地图 Map G``: written for people, never read back."""

BLIND = "盲点"
NOT_OFFERED = ""

PACK_KEYS = (
    ("format", "格式"),
    ("id", "流程包ID"),
    ("title", "标题"),
    ("sequence", "序号"),
    ("version", "版本"),
    ("publisher", "发布单位"),
    ("effective", "生效"),
    ("call_summary", "通话小结模板"),
)

AXIS_COLUMNS = (Column("code", "代码", "code", 10), Column("name", "名称", "name", 24))
BUSINESS_COLUMNS = (
    Column("code", "代码", "code", 10),
    Column("name", "名称", "name", 22),
    Column("group", "分组", "group", 16),
    Column("channels", "开放渠道", "channels", 24),
    Column("brands", "品牌（空=全部）", "brands", 18),
)

ELEMENT_COLUMNS = (
    Column("elements.input", "输入资源", "input", 24, True),
    Column("elements.activities", "活动", "activities", 24, True),
    Column("elements.relations", "活动关系", "relations", 24, True),
    Column("elements.output", "输出结果", "output", 24, True),
    Column("elements.customer", "客户", "customer", 18, True),
    Column("elements.value", "价值", "value", 24, True),
)

FLOW_COLUMNS = (
    Column("file", "文件", "file", 26, True),
    Column("id", "流程ID", "flow id", 20, True),
    Column("title", "流程名称", "title", 24, True),
    Column("class", "类别", "class", 13, True),
    Column("business", "业务", "business", 10, True),
    Column("touchpoints", "接触点（渠道: 品牌）", "touch points", 18, True),
    Column("keywords", "关键词", "keywords", 18, True),
    Column("summary", "摘要", "summary", 30, True),
    *ELEMENT_COLUMNS,
    Column("owner", "责任部门", "owner", 16, True),
    Column("variables", "变量", "variables", 28, True),
)
STEP_COLUMNS = (
    Column("step.id", "步骤ID", "step id", 12),
    Column("step.type", "类型", "type", 10),
    Column("step.text", "内容", "text", 44),
    Column("step.note", "提示", "note", 24),
    Column("step.required", "必做", "required", 7),
    Column("step.next", "下一步", "next", 12),
    Column("step.options", "选项（标签 → 下一步）", "options", 30),
    Column("step.target", "转至", "target", 14),
    Column("step.variable", "录入变量", "variable", 12),
)
FLOWS_SHEET_COLUMNS = FLOW_COLUMNS + STEP_COLUMNS
REQUIRED_FLOW_KEYS = ("id", "title", "class", "step.id", "step.type", "step.text")
