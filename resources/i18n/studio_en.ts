<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AxesEditor</name>
    <message>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="29"/>
        <source>渠道</source>
        <translation>Channels</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="31"/>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="39"/>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="47"/>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="32"/>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="40"/>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="48"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="37"/>
        <source>品牌</source>
        <translation>Brands</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="45"/>
        <source>业务</source>
        <translation>Businesses</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="49"/>
        <source>分组</source>
        <translation>Group</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="50"/>
        <source>开放渠道</source>
        <translation>Offered channels</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="51"/>
        <source>品牌（空=全部）</source>
        <translation>Brands (empty = all)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="77"/>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="107"/>
        <source>添加一行</source>
        <translation>Add a row</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="102"/>
        <source>新项目</source>
        <translation>New item</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/axes.py" line="131"/>
        <source>编辑坐标轴</source>
        <translation>Edit axes</translation>
    </message>
</context>
<context>
    <name>FlowEditor</name>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="47"/>
        <source>输入资源</source>
        <extracomment>the six elements&apos; names (the core&apos;s Chinese ones, here so lupdate finds them)</extracomment>
        <translation>Input resources</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="48"/>
        <source>活动</source>
        <translation>Activities</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="49"/>
        <source>活动关系</source>
        <translation>Relations between activities</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="50"/>
        <source>输出结果</source>
        <translation>Output</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="51"/>
        <source>客户</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="52"/>
        <source>价值</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="75"/>
        <source>流程ID(&amp;I)</source>
        <translation>Flow &amp;ID</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="76"/>
        <source>名称(&amp;T)</source>
        <translation>&amp;Title</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="83"/>
        <source>类别(&amp;C)</source>
        <translation>&amp;Class</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="84"/>
        <source>业务(&amp;B)</source>
        <translation>&amp;Business</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="88"/>
        <source>接触点（每行：渠道 或 渠道: 品牌, …）</source>
        <translation>Touch points (a line each: channel, or channel: brand, …)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="91"/>
        <source>关键词（每行一个）</source>
        <translation>Keywords (one a line)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="92"/>
        <source>摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="95"/>
        <source>责任部门(&amp;O)</source>
        <translation>&amp;Owner</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="99"/>
        <source>变量（每行：{name: x, label: 标签}）</source>
        <translation>Variables (a line each: {name: x, label: Label})</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="137"/>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="326"/>
        <source>添加步骤</source>
        <translation>Add step</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="142"/>
        <source>添加判断</source>
        <translation>Add decision</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="146"/>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="334"/>
        <source>删除步骤</source>
        <translation>Delete step</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="147"/>
        <source>上移</source>
        <translation>Move up</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="148"/>
        <source>下移</source>
        <translation>Move down</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="271"/>
        <source>编辑 %1</source>
        <translation>Edit %1</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="316"/>
        <source>新步骤</source>
        <translation>New step</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="318"/>
        <source>请选择：</source>
        <translation>Choose:</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="321"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="322"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/flow_editor.py" line="340"/>
        <source>移动步骤</source>
        <translation>Move step</translation>
    </message>
</context>
<context>
    <name>FlowGraph</name>
    <message>
        <location filename="../../src/flowdesk/ui/studio/graph.py" line="67"/>
        <source>不可达</source>
        <translation>unreachable</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <location filename="../../src/flowdesk/ui/studio/preview.py" line="54"/>
        <source>预览：%1</source>
        <translation>Preview: %1</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/preview.py" line="76"/>
        <source>试搜：座席会怎样搜到这个流程？</source>
        <extracomment>the pack with every flow read whole, for the index (a large source keeps stubs) events a desk would have recorded; counted, never stored (a preview is not a call)</extracomment>
        <translation>Try a search: how would an agent find this flow?</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/preview.py" line="83"/>
        <source>样例变量值</source>
        <translation>Sample variable values</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/preview.py" line="85"/>
        <source>搜索预览</source>
        <translation>Search preview</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/preview.py" line="127"/>
        <source>正在建立索引…</source>
        <translation>Building the index…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/preview.py" line="143"/>
        <source>无法建立索引：%1</source>
        <translation>Cannot build the index: %1</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/preview.py" line="150"/>
        <source>没有结果</source>
        <translation>No results</translation>
    </message>
</context>
<context>
    <name>PublishDialog</name>
    <message>
        <location filename="../../src/flowdesk/ui/studio/publish.py" line="90"/>
        <source>发布流程包</source>
        <extracomment>building and comparing a large pack takes seconds: never on the UI thread</extracomment>
        <translation>Publish the pack</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/publish.py" line="99"/>
        <source>发布到（源文件夹）</source>
        <translation>Publish to (source folder)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/publish.py" line="100"/>
        <source>签名密钥（空=唯一的）</source>
        <translation>Signing key (empty = the only one)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/publish.py" line="101"/>
        <source>密钥口令</source>
        <translation>Key passphrase</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/publish.py" line="102"/>
        <source>查看变更</source>
        <translation>Show changes</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/publish.py" line="106"/>
        <source>发布</source>
        <translation>Publish</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/publish.py" line="122"/>
        <source>正在比较……</source>
        <translation>Comparing…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/publish.py" line="138"/>
        <source>正在发布……</source>
        <translation>Publishing…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/publish.py" line="144"/>
        <source>已发布：%1</source>
        <translation>Published: %1</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/publish.py" line="150"/>
        <source>发布失败：%1</source>
        <translation>Publishing failed: %1</translation>
    </message>
</context>
<context>
    <name>StepsModel</name>
    <message>
        <location filename="../../src/flowdesk/ui/studio/steps_model.py" line="33"/>
        <source>步骤ID</source>
        <translation>Step ID</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/steps_model.py" line="34"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/steps_model.py" line="35"/>
        <source>内容</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/steps_model.py" line="36"/>
        <source>提示</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/steps_model.py" line="37"/>
        <source>必做</source>
        <translation>Required</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/steps_model.py" line="38"/>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/steps_model.py" line="39"/>
        <source>选项（标签 → 下一步）</source>
        <translation>Options (label → next)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/steps_model.py" line="40"/>
        <source>转至</source>
        <translation>Transfer to</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/steps_model.py" line="41"/>
        <source>录入变量</source>
        <translation>Input variable</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/steps_model.py" line="155"/>
        <source>编辑步骤 %1 的 %2</source>
        <extracomment>(new steps, description) — the editor pushes it as one undoable command. a cell could not be read: (row, key, message)</extracomment>
        <translation>Edit %2 of step %1</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/steps_model.py" line="211"/>
        <source>移动步骤</source>
        <translation>Move step</translation>
    </message>
</context>
<context>
    <name>StudioOpening</name>
    <message>
        <location filename="../../src/flowdesk/ui/studio/opening.py" line="42"/>
        <source>读取并检查流程文件</source>
        <translation>Reading and checking the flow files</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/opening.py" line="56"/>
        <source>FlowDesk Studio 流程设计器</source>
        <translation>FlowDesk Studio</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/opening.py" line="57"/>
        <source>正在打开 %1</source>
        <translation>Opening %1</translation>
    </message>
</context>
<context>
    <name>StudioWindow</name>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="28"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="32"/>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="39"/>
        <source>导出为 Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="46"/>
        <source>从 Excel 导入…</source>
        <translation>Import from Excel…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="53"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="57"/>
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="59"/>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="63"/>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="72"/>
        <source>流程包(&amp;P)</source>
        <translation>&amp;Pack</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="76"/>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="74"/>
        <source>流程地图</source>
        <translation>Process map</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="83"/>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="75"/>
        <source>渠道·品牌·业务</source>
        <translation>Channels · brands · businesses</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="90"/>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="76"/>
        <source>流程编辑</source>
        <translation>Flow editor</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="97"/>
        <source>问题列表</source>
        <translation>Problems list</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="104"/>
        <source>预览(&amp;V)</source>
        <translation>Pre&amp;view</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/actions.py" line="111"/>
        <source>发布…</source>
        <translation>Publish…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/spreadsheets.py" line="30"/>
        <source>流程包有错误，先修正再导出。</source>
        <translation>The pack has errors; fix them before exporting.</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/spreadsheets.py" line="35"/>
        <source>导出为 Excel</source>
        <translation>Export to Excel</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/spreadsheets.py" line="45"/>
        <source>正在导出 %1…</source>
        <translation>Exporting %1…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/spreadsheets.py" line="50"/>
        <source>已导出 %1</source>
        <translation>Exported %1</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/spreadsheets.py" line="64"/>
        <location filename="../../src/flowdesk/ui/studio/spreadsheets.py" line="79"/>
        <source>从 Excel 导入</source>
        <translation>Import from Excel</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/spreadsheets.py" line="76"/>
        <source>工作簿有错误，未导入（见问题列表）。</source>
        <translation>The workbook has errors; nothing was imported (see the problems list).</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/checking.py" line="81"/>
        <source>（检查中 %1/%2）</source>
        <translation> (checking %1/%2)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/checking.py" line="89"/>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="87"/>
        <source>问题</source>
        <translation>Problems</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/checking.py" line="99"/>
        <source>仍在检查流程（%1 个未完成），检查完成前不能导出或发布。</source>
        <translation>Still checking the flows (%1 to go); the pack can be exported or published when every check is done.</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="121"/>
        <source>FlowDesk Studio 流程设计器</source>
        <translation>FlowDesk Studio</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="180"/>
        <source>错误 %1 个，警告 %2 个</source>
        <translation>%1 errors, %2 warnings</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="221"/>
        <source>新建流程 %1</source>
        <translation>New flow %1</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="246"/>
        <source>文件已在磁盘上被修改</source>
        <translation>Files changed on disk</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="248"/>
        <source>这些文件在打开后被别人修改过：
%1

覆盖它们吗？选“否”则保留磁盘上的版本，不保存这些文件。</source>
        <translation>Someone else changed these files since they were opened:
%1

Overwrite them? No keeps the version on disk and does not save these files.</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="259"/>
        <source>已保存 %1 个文件</source>
        <translation>Saved %1 files</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="263"/>
        <source>；未保存（磁盘上已修改）：</source>
        <translation>; not saved (changed on disk): </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="263"/>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="280"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="279"/>
        <source>磁盘上的文件已被修改：%1（保存时会询问）</source>
        <translation>Files changed on disk: %1 (saving will ask)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="294"/>
        <source>保存修改？</source>
        <translation>Save changes?</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="295"/>
        <source>流程包有未保存的修改。保存吗？</source>
        <translation>The pack has unsaved changes. Save them?</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="312"/>
        <source>FlowDesk Studio</source>
        <translation>FlowDesk Studio</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="321"/>
        <source>先打开一个能读出的流程。</source>
        <translation>Open a flow that can be read first.</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/studio/window.py" line="335"/>
        <source>流程包有 %1 个错误，不能发布。</source>
        <translation>The pack has %1 errors and cannot be published.</translation>
    </message>
</context>
</TS>
