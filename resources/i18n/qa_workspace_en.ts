<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>Asker</name>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/asking.py" line="58"/>
        <source>查询中…</source>
        <extracomment>What the status line says once every answer is in (the window sets it).</extracomment>
        <translation>Querying…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/asking.py" line="78"/>
        <source>查询失败：{0}</source>
        <translation>Query failed: {0}</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/asking.py" line="87"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
</context>
<context>
    <name>BarRows</name>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/ranked_bars.py" line="82"/>
        <source>流程规范率 {0}</source>
        <translation>Compliance {0}</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/ranked_bars.py" line="84"/>
        <source>上期 {0}</source>
        <translation>Previous {0}</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/ranked_bars.py" line="88"/>
        <source>运行 {0}</source>
        <translation>Runs {0}</translation>
    </message>
</context>
<context>
    <name>DrillPage</name>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/drill_page.py" line="98"/>
        <source>筛选：名称、工号、编码、拼音…</source>
        <extracomment>Each level&apos;s rows as QA first sees them: the worst first (lowest compliance, most skipped), the runs newest first (their own order).</extracomment>
        <translation>Filter: name, agent id, code, pinyin…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/drill_page.py" line="150"/>
        <source>这一期没有跳过此步的运行</source>
        <translation>No run skipped this step in this period</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/drill_page.py" line="208"/>
        <source>{0}：{1} / {2}</source>
        <translation>{0}: {1} / {2}</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/drill_page.py" line="232"/>
        <source>运行 {0}：{1} {2}</source>
        <translation>Run {0}: {1} {2}</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="16"/>
        <source>全站</source>
        <translation>Site</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="17"/>
        <source>班组</source>
        <translation>Team</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="18"/>
        <source>坐席</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="19"/>
        <source>流程</source>
        <translation>Flow</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="20"/>
        <source>步骤</source>
        <translation>Step</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="21"/>
        <source>跳过此步的运行</source>
        <translation>Runs that skipped the step</translation>
    </message>
</context>
<context>
    <name>FigureCard</name>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/overview.py" line="63"/>
        <source>上期 {0}</source>
        <extracomment>(measure, title, a rate, which way is better: +1 up, −1 down, 0 neither)</extracomment>
        <translation>Previous {0}</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/overview.py" line="85"/>
        <source>流程规范率趋势（按日）</source>
        <translation>Compliance trend</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/overview.py" line="86"/>
        <source>班组流程规范率（对比标杆值）</source>
        <translation>Team compliance (against the benchmark)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/overview.py" line="87"/>
        <source>流程的流程规范率</source>
        <translation>Compliance by flow</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="31"/>
        <source>运行数</source>
        <translation>Runs</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="32"/>
        <source>完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="33"/>
        <source>流程规范率</source>
        <translation>Compliance</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="34"/>
        <source>放弃</source>
        <translation>Abandoned</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="35"/>
        <source>放弃率</source>
        <translation>Abandon rate</translation>
    </message>
</context>
<context>
    <name>PeriodBar</name>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/period_bar.py" line="40"/>
        <source>上一期</source>
        <translation>Previous period</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/period_bar.py" line="43"/>
        <source>下一期</source>
        <translation>Next period</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/period_bar.py" line="47"/>
        <source>周期</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/period_bar.py" line="65"/>
        <source>本期 {0}，对比上期 {1}</source>
        <translation>This period {0}, against {1}</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="22"/>
        <source>日</source>
        <translation>Day</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="23"/>
        <source>周</source>
        <translation>Week</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="24"/>
        <source>月</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="25"/>
        <source>自定义</source>
        <translation>Custom</translation>
    </message>
</context>
<context>
    <name>QaWorkspace</name>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/export.py" line="47"/>
        <source>已导出 {0} 和 {1}</source>
        <translation>Exported {0} and {1}</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/export.py" line="61"/>
        <source>导出月度回顾</source>
        <translation>Export monthly review</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/export.py" line="63"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="69"/>
        <source>FlowDesk 质检工作台</source>
        <translation>FlowDesk QA workspace</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="79"/>
        <source>标杆值 </source>
        <translation>Benchmark </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="81"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="82"/>
        <source>导出月度回顾…</source>
        <translation>Export monthly review…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="86"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="87"/>
        <source>正在打开…</source>
        <translation>Opening…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="100"/>
        <source>按流程规范率</source>
        <translation>By compliance</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="101"/>
        <source>按使用量</source>
        <translation>By use</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="116"/>
        <source>概览</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="117"/>
        <source>逐级钻取</source>
        <translation>Drill down</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="118"/>
        <source>报表</source>
        <translation>Tables</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="119"/>
        <source>流程地图</source>
        <translation>Process map</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="120"/>
        <source>搜索未命中</source>
        <translation>Search misses</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="227"/>
        <source>{0}：运行 {1}，流程规范率 {2}</source>
        <translation>{0}: {1} runs, compliance {2}</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/window.py" line="312"/>
        <source>此格没有流程</source>
        <translation>No flow serves this cell</translation>
    </message>
</context>
<context>
    <name>RankedBars</name>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/ranked_bars.py" line="142"/>
        <source>最差</source>
        <translation>Worst</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/ranked_bars.py" line="143"/>
        <source>最好</source>
        <translation>Best</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/ranked_bars.py" line="144"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/ranked_bars.py" line="185"/>
        <source>显示 {0} / {1}</source>
        <translation>Showing {0} / {1}</translation>
    </message>
</context>
<context>
    <name>RowsModel</name>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/rows_model.py" line="66"/>
        <source>是</source>
        <extracomment>Columns where a rise is bad news (a skip or abandon rate going up). How the key column is shown (a flow class&apos;s name for its code), when not as is.</extracomment>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/rows_model.py" line="101"/>
        <source>上期</source>
        <translation>Previous</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/rows_model.py" line="101"/>
        <source>变化</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="36"/>
        <source>完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="37"/>
        <source>放弃</source>
        <translation>Abandoned</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="38"/>
        <source>进行中</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="39"/>
        <source>开始时间</source>
        <translation>Opened</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="40"/>
        <source>结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="41"/>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="86"/>
        <source>规范</source>
        <translation>Compliant</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="42"/>
        <source>对象</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="43"/>
        <source>流程名称</source>
        <translation>Flow title</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="44"/>
        <source>周期</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="45"/>
        <source>运行数</source>
        <translation>Runs</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="46"/>
        <source>无法判定</source>
        <translation>Unresolved</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="47"/>
        <source>流程规范率</source>
        <translation>Compliance</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="48"/>
        <source>放弃率</source>
        <translation>Abandon rate</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="49"/>
        <source>标杆值</source>
        <translation>Benchmark</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="50"/>
        <source>差距</source>
        <translation>Gap</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="51"/>
        <source>低于标杆</source>
        <translation>Below benchmark</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="52"/>
        <source>必做</source>
        <translation>Required</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="53"/>
        <source>经过</source>
        <translation>On path</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="54"/>
        <source>跳过</source>
        <translation>Skipped</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="55"/>
        <source>跳过率</source>
        <translation>Skip rate</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="56"/>
        <source>中位用时(秒)</source>
        <translation>Median (s)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="57"/>
        <source>搜索次数</source>
        <translation>Searches</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="58"/>
        <source>无结果</source>
        <translation>No result</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="59"/>
        <source>未打开流程</source>
        <translation>No flow opened</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="60"/>
        <source>未命中</source>
        <translation>Misses</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="61"/>
        <source>未命中率</source>
        <translation>Miss rate</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="62"/>
        <source>常见放弃步骤</source>
        <translation>Abandoned at</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="63"/>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="64"/>
        <source>品牌</source>
        <translation>Brand</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="65"/>
        <source>业务</source>
        <translation>Business</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="66"/>
        <source>已使用</source>
        <translation>Used</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="67"/>
        <source>指标</source>
        <translation>Measure</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="68"/>
        <source>本月</source>
        <translation>This month</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="69"/>
        <source>上月</source>
        <translation>Previous month</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="70"/>
        <source>上月规范率</source>
        <translation>Previous rate</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="71"/>
        <source>步骤</source>
        <translation>Step</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="72"/>
        <source>步骤内容</source>
        <translation>Step text</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="73"/>
        <source>建议关键词</source>
        <translation>Proposed keyword</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="74"/>
        <source>次数</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="75"/>
        <source>坐席数</source>
        <translation>Agents</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="76"/>
        <source>搜索词</source>
        <translation>Queries</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="77"/>
        <source>班组</source>
        <translation>Team</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="78"/>
        <source>坐席</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="79"/>
        <source>流程包</source>
        <translation>Pack</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="80"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="81"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="82"/>
        <source>确认时间</source>
        <translation>Confirmed at</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="83"/>
        <source>确认前运行</source>
        <translation>Runs before confirming</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="84"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="85"/>
        <source>流程</source>
        <translation>Flow</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="87"/>
        <source>与标杆差距</source>
        <translation>Gap to benchmark</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="88"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="89"/>
        <source>终端</source>
        <translation>Desk</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="90"/>
        <source>批次</source>
        <translation>Ring</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="91"/>
        <source>生效版本</source>
        <translation>Active version</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="92"/>
        <source>待生效版本</source>
        <translation>Pending version</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="93"/>
        <source>生效时间</source>
        <translation>Takes effect</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="94"/>
        <source>最近联系</source>
        <translation>Last contact</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="95"/>
        <source>变更说明</source>
        <translation>Change note</translation>
    </message>
</context>
<context>
    <name>TablePage</name>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/table_page.py" line="36"/>
        <location filename="../../src/flowdesk/ui/qa_workspace/table_page.py" line="77"/>
        <source>全部班组</source>
        <translation>All teams</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/table_page.py" line="38"/>
        <source>筛选…</source>
        <translation>Filter…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="26"/>
        <source>按班组</source>
        <translation>By team</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="27"/>
        <source>按坐席</source>
        <translation>By agent</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="28"/>
        <source>按流程</source>
        <translation>By flow</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="29"/>
        <source>按流程类别</source>
        <translation>By flow class</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa_workspace/words.py" line="30"/>
        <source>按接触点</source>
        <translation>By touch point</translation>
    </message>
</context>
</TS>
