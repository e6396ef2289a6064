"""Report columns in Chinese, for every place a report is shown to people.

The QA view's tables, the QA workspace and the review workbook head a column
with these words; the report's own column name (what ``--json`` prints) stays
the key. Unknown columns show their key.
"""

from __future__ import annotations

COLUMN_HEADINGS: dict[str, str] = {
    "key": "对象",
    "title": "流程名称",
    "period": "周期",
    "runs": "运行数",
    "completed_runs": "完成",
    "compliant_runs": "规范",
    "abandoned_runs": "放弃",
    "open_runs": "进行中",
    "unresolved_runs": "无法判定",
    "compliance_rate": "流程规范率",
    "abandon_rate": "放弃率",
    "benchmark": "标杆值",
    "gap": "差距",
    "below": "低于标杆",
    "required": "必做",
    "on_path_runs": "经过",
    "skipped_runs": "跳过",
    "skip_rate": "跳过率",
    "median_seconds": "中位用时(秒)",
    "searches": "搜索次数",
    "no_result": "无结果",
    "no_flow_opened": "未打开流程",
    "misses": "未命中",
    "miss_rate": "未命中率",
    "abandoned_at": "常见放弃步骤",
    "channel": "渠道",
    "brand": "品牌",
    "business": "业务",
    "used": "已使用",
    "measure": "指标",
    "value": "本月",
    "previous": "上月",
    "change": "变化",
    "previous_rate": "上月规范率",
    "flow_id": "流程",
    "step_id": "步骤",
    "keyword": "建议关键词",
    "count": "次数",
    "agents": "坐席数",
    "queries": "搜索词",
    "team": "班组",
    "agent_id": "坐席",
    "pack_id": "流程包",
    "pack_sequence": "版本",
    "note": "说明",
    "confirmed_at": "确认时间",
    "runs_before_confirm": "确认前运行",
    "status": "状态",
}
