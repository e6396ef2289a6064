<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>Actions</name>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="107"/>
        <source>搜索流程</source>
        <translation>Search flows</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="124"/>
        <source>质检工作台</source>
        <translation>QA workspace</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="108"/>
        <source>开始通话</source>
        <translation>Start call</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="109"/>
        <source>开始通话（输入呼叫编号）</source>
        <translation>Start call (enter call id)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="110"/>
        <source>重建搜索索引</source>
        <translation>Rebuild search index</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="111"/>
        <source>检查更新</source>
        <translation>Check for updates</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="112"/>
        <source>回退流程包</source>
        <translation>Roll back pack</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="113"/>
        <source>结束通话</source>
        <translation>End call</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="114"/>
        <source>搜索结果</source>
        <translation>Search results</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="115"/>
        <source>流程地图</source>
        <translation>Process map</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="116"/>
        <source>回到流程</source>
        <translation>Back to the flow</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="117"/>
        <source>下一个打开的流程</source>
        <translation>Next open flow</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="118"/>
        <source>上一个打开的流程</source>
        <translation>Previous open flow</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="119"/>
        <source>反馈：话术有误</source>
        <translation>Feedback: the script is wrong</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="120"/>
        <source>复制通话小结</source>
        <translation>Copy call summary</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="121"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="122"/>
        <source>快捷键</source>
        <translation>Shortcuts</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="123"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="124"/>
        <source>完成此步，下一步</source>
        <translation>Step done, next</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="125"/>
        <source>上一步</source>
        <translation>Previous step</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="126"/>
        <source>重新开始</source>
        <translation>Restart</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="127"/>
        <source>完成流程</source>
        <translation>Complete flow</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="128"/>
        <source>复制话术</source>
        <translation>Copy script</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="129"/>
        <source>关闭此流程（记为放弃）</source>
        <translation>Close this flow (recorded as abandoned)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="130"/>
        <source>回到搜索</source>
        <translation>Back to search</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="131"/>
        <source>选择选项 </source>
        <translation>Choose option </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/actions.py" line="132"/>
        <source>最近流程 </source>
        <translation>Recent flow </translation>
    </message>
</context>
<context>
    <name>CallBar</name>
    <message>
        <location filename="../../src/flowdesk/ui/call_bar.py" line="30"/>
        <source>开始通话 F2</source>
        <extracomment>How many recent flows the bar names (Alt+1…9 reach all of them).</extracomment>
        <translation>Start call F2</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/call_bar.py" line="32"/>
        <source>结束通话 F4</source>
        <translation>End call F4</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/call_bar.py" line="70"/>
        <source>通话中 </source>
        <translation>On call </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/call_bar.py" line="74"/>
        <source>未在通话中</source>
        <translation>Not on a call</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/call_bar.py" line="82"/>
        <source>最近：</source>
        <translation>Recent: </translation>
    </message>
</context>
<context>
    <name>ComplianceMapModel</name>
    <message>
        <location filename="../../src/flowdesk/ui/qa/map_model.py" line="120"/>
        <source>运行 {0}，完成 {1}，规范 {2}</source>
        <translation>Runs {0}, completed {1}, compliant {2}</translation>
    </message>
</context>
<context>
    <name>Domain</name>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="27"/>
        <source>业务受理</source>
        <translation>Handling</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="28"/>
        <source>查询</source>
        <translation>Query</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="29"/>
        <source>核对</source>
        <translation>Verification</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="30"/>
        <source>咨询</source>
        <translation>Consultation</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="31"/>
        <source>投诉</source>
        <translation>Complaint</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="32"/>
        <source>质量管理</source>
        <translation>Quality</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="33"/>
        <source>知识管理</source>
        <translation>Knowledge</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="34"/>
        <source>现场管理</source>
        <translation>Floor</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="35"/>
        <source>系统管理</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="36"/>
        <source>专席管理</source>
        <translation>Specialist desk</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="37"/>
        <source>指标管理</source>
        <translation>KPI</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="38"/>
        <source>话术</source>
        <translation>Script</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="39"/>
        <source>核实</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="40"/>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="41"/>
        <source>判断</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="42"/>
        <source>转接</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/labels.py" line="43"/>
        <source>结束</source>
        <translation>End</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../src/flowdesk/ui/errors.py" line="35"/>
        <source>操作被拒绝。</source>
        <translation>The operation was refused.</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/errors.py" line="39"/>
        <source>无法写入数据文件夹（只读或没有权限），请联系组长或IT。</source>
        <translation>The data folder cannot be written (read-only or no permission); please contact your team lead or IT.</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/errors.py" line="43"/>
        <source>磁盘已满，请释放空间后重试。</source>
        <translation>The disk is full; free some space and try again.</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/errors.py" line="45"/>
        <source>无法读取或写入文件，请稍后重试；若仍失败请联系组长或IT。</source>
        <translation>A file could not be read or written; try again later, and if it still fails contact your team lead or IT.</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/errors.py" line="48"/>
        <source>出现了意外错误，操作未完成。详情已记入日志文件 flowdesk.log，请告知组长或IT。</source>
        <translation>Something unexpected went wrong and the operation was not completed. The details are in the log file flowdesk.log; please tell your team lead or IT.</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/errors.py" line="71"/>
        <source>操作未完成</source>
        <translation>Not completed</translation>
    </message>
</context>
<context>
    <name>FeedbackDialog</name>
    <message>
        <location filename="../../src/flowdesk/ui/feedback.py" line="17"/>
        <source>反馈：话术有误</source>
        <translation>Feedback: the script is wrong</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/feedback.py" line="21"/>
        <source>哪里不对？应该怎么说？</source>
        <translation>What is wrong? What should it say?</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/feedback.py" line="25"/>
        <source>提交 Ctrl+Enter</source>
        <translation>Send Ctrl+Enter</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/feedback.py" line="30"/>
        <source>会连同当前流程和步骤一起提交给流程管理员：</source>
        <translation>Sent to the process owner with the current flow and step: </translation>
    </message>
</context>
<context>
    <name>FlowView</name>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="70"/>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="281"/>
        <source>还没有打开流程</source>
        <extracomment>Something about the run changed (step, completion): the window updates its bars. A message for the status bar.</extracomment>
        <translation>No flow open yet</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="73"/>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="282"/>
        <source>按 Ctrl+K 搜索，或在流程地图中选择接触点</source>
        <translation>Press Ctrl+K to search, or pick a touch point on the process map</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="87"/>
        <source>必做</source>
        <translation>Required</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="120"/>
        <source>完成此步 ␣</source>
        <translation>Step done ␣</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="121"/>
        <source>上一步 ⌫</source>
        <translation>Back ⌫</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="122"/>
        <source>重新开始</source>
        <translation>Restart</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="123"/>
        <source>复制话术</source>
        <translation>Copy script</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="124"/>
        <source>完成流程</source>
        <translation>Complete flow</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="125"/>
        <source>话术有误…</source>
        <translation>Script wrong…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="211"/>
        <source>接触点 </source>
        <translation>Touch point </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="221"/>
        <source>
（⌫ 返回可改选）</source>
        <translation>
(⌫ to go back and choose otherwise)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="227"/>
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="227"/>
        <source>已放弃</source>
        <translation>Abandoned</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="232"/>
        <source>流程已完成。按 Ctrl+K 搜索下一个流程。</source>
        <translation>Flow completed. Press Ctrl+K to search for the next one.</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="234"/>
        <source>此流程已记为放弃。</source>
        <translation>This flow was recorded as abandoned.</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="246"/>
        <source>第 %1 步（全流程 %2 步）</source>
        <translation>Step %1 (flow has %2 steps)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="252"/>
        <source>提示：</source>
        <translation>Note: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_actions.py" line="125"/>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="256"/>
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="258"/>
        <source>转接至：</source>
        <translation>Transfer to: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="258"/>
        <source>（未指定）</source>
        <translation>(not specified)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="269"/>
        <source>按数字键选择 · ⌫ 上一步 · Ctrl+R 重新开始</source>
        <translation>Press a digit to choose · ⌫ back · Ctrl+R restart</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="272"/>
        <source>输入后按 Enter 确认并前进 · Esc 回到搜索</source>
        <translation>Type, then Enter to confirm and go on · Esc back to search</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="274"/>
        <source>空格：完成流程 · ⌫ 上一步 · Ctrl+C 复制话术</source>
        <translation>Space: complete the flow · ⌫ back · Ctrl+C copy script</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="277"/>
        <source>空格：完成此步并前进 · ⌫ 上一步 · Ctrl+R 重新开始 · Ctrl+C 复制话术</source>
        <translation>Space: step done, go on · ⌫ back · Ctrl+R restart · Ctrl+C copy script</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="290"/>
        <source>F2 开始通话
Ctrl+K 搜索流程，↑↓ 选择，Enter 打开
空格 完成此步 · 数字键 选择分支 · ⌫ 上一步
Alt+1…9 最近流程 · F7 反馈话术问题 · F4 结束通话</source>
        <translation>F2 start a call
Ctrl+K search flows, ↑↓ choose, Enter open
Space step done · digits choose a branch · ⌫ back
Alt+1…9 recent flows · F7 report a wrong script · F4 end the call</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_view.py" line="297"/>
        <source>F1 查看全部快捷键</source>
        <translation>F1 shows every shortcut</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_actions.py" line="106"/>
        <source>话术已复制</source>
        <translation>Script copied</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_actions.py" line="117"/>
        <source>通话小结已复制</source>
        <translation>Call summary copied</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_actions.py" line="147"/>
        <source>流程已完成：</source>
        <translation>Flow completed: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/flow_actions.py" line="149"/>
        <source>流程已放弃：</source>
        <translation>Flow abandoned: </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../src/flowdesk/ui/app.py" line="275"/>
        <source>使用记录文件已损坏，已原样保留为 {0}，并开始新的记录。</source>
        <translation>The usage log was damaged; it was kept as it is as {0}, and a new log was started.</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/app.py" line="285"/>
        <source>尚未安装流程包：</source>
        <translation>No flow pack installed yet: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/app.py" line="316"/>
        <source>质检 QA</source>
        <translation>QA</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/app.py" line="328"/>
        <source>首次启动：正在导入样例流程包…</source>
        <translation>First start: importing the sample flow pack…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/app.py" line="327"/>
        <source>导入流程包</source>
        <translation>Import flow pack</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/main_window.py" line="60"/>
        <source>FlowDesk 流程助手</source>
        <extracomment>A pack was loaded into the window (tests and the start-up timer wait for it).</extracomment>
        <translation>FlowDesk Flow Assistant</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/main_window.py" line="76"/>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/main_window.py" line="77"/>
        <source>流程地图</source>
        <translation>Process map</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/main_window.py" line="173"/>
        <source>流程包：</source>
        <translation>Flow pack: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/main_window.py" line="183"/>
        <source>流程包</source>
        <translation>Flow pack</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/main_window.py" line="183"/>
        <source>读取流程包失败：</source>
        <translation>Could not read the flow pack: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/main_window.py" line="203"/>
        <source>没有流程认领接触点 </source>
        <translation>No flow serves touch point </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/main_window.py" line="225"/>
        <source>流程已不在当前流程包中：</source>
        <translation>The flow is no longer in the active pack: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/window_dialogs.py" line="27"/>
        <source>开始通话</source>
        <translation>Start call</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/window_dialogs.py" line="28"/>
        <source>呼叫编号（可留空）：</source>
        <translation>Call id (may be left empty):</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/main_window.py" line="264"/>
        <source>重建搜索索引</source>
        <translation>Rebuild search index</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/main_window.py" line="265"/>
        <source>正在重建搜索索引，可以继续使用…</source>
        <translation>Rebuilding the search index; you can keep working…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/main_window.py" line="267"/>
        <source>搜索索引已重建</source>
        <translation>Search index rebuilt</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/main_window.py" line="277"/>
        <source>通话已结束</source>
        <translation>Call ended</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/main_window.py" line="347"/>
        <source>来电弹屏数据有误，已拒绝：</source>
        <translation>Screen pop refused, its data is malformed: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/window_dialogs.py" line="48"/>
        <source>反馈已记录，谢谢</source>
        <translation>Feedback recorded, thank you</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/window_dialogs.py" line="76"/>
        <source>快捷键</source>
        <translation>Shortcuts</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/progress.py" line="33"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>NoticeController</name>
    <message>
        <location filename="../../src/flowdesk/ui/notices.py" line="189"/>
        <source>此流程有必读变更，请阅读并确认</source>
        <extracomment>The open notices were (re)loaded (their number).</extracomment>
        <translation>This flow has a must-read change: please read and confirm it</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/notices.py" line="196"/>
        <source>必读变更已全部确认</source>
        <translation>All must-read changes confirmed</translation>
    </message>
</context>
<context>
    <name>NoticeDialog</name>
    <message>
        <location filename="../../src/flowdesk/ui/notices.py" line="56"/>
        <source>必读变更</source>
        <translation>Must-read change</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/notices.py" line="70"/>
        <source>原来</source>
        <translation>Before</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/notices.py" line="70"/>
        <source>现在</source>
        <translation>Now</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/notices.py" line="79"/>
        <source>已阅读，确认 (Ctrl+Enter)</source>
        <translation>Read, confirm (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/notices.py" line="81"/>
        <source>稍后</source>
        <translation>Later</translation>
    </message>
</context>
<context>
    <name>PendingVersions</name>
    <message>
        <location filename="../../src/flowdesk/ui/versions.py" line="119"/>
        <source>新版本已生效：</source>
        <extracomment>How often (ms) an idle window looks whether a pending version has fallen due. Versions became active (``&quot;pack #seq&quot;`` each). A desk status went into the usage log (the number of events).</extracomment>
        <translation>A new version is now active: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/versions.py" line="119"/>
        <source>（改动的流程标有 新/改）</source>
        <translation> (changed flows are marked 新 new / 改 changed)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/versions.py" line="126"/>
        <source>启用待生效版本失败：</source>
        <translation>Activating the pending version failed: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/versions.py" line="136"/>
        <source>待生效：</source>
        <translation>Pending: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/versions.py" line="137"/>
        <source>已下载并校验，到生效时间后在两通电话之间自动启用</source>
        <translation>Downloaded and verified; it becomes active by itself between calls once its effective time comes</translation>
    </message>
</context>
<context>
    <name>ProcessMapModel</name>
    <message>
        <location filename="../../src/flowdesk/ui/process_map.py" line="163"/>
        <source>⚠ 盲点</source>
        <extracomment>&quot;新&quot; / &quot;改&quot; while the cell&apos;s flow changed in the last update and is not yet opened here.</extracomment>
        <translation>⚠ Blind spot</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/process_map.py" line="169"/>
        <source>管理盲点：该接触点开放办理，但没有流程认领</source>
        <translation>Blind spot: this touch point is offered but no flow serves it</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/process_map.py" line="170"/>
        <source>该渠道不办理此业务</source>
        <translation>This business is not offered on this channel</translation>
    </message>
</context>
<context>
    <name>ProcessMapView</name>
    <message>
        <location filename="../../src/flowdesk/ui/process_map.py" line="248"/>
        <source>管理流程（按类别）</source>
        <extracomment>The agent opened a cell or a management flow: (flow_id, touch point code or &quot;&quot;).</extracomment>
        <translation>Management flows (by class)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/process_map.py" line="251"/>
        <source>品牌(&amp;P)</source>
        <translation>Brand(&amp;P)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../src/flowdesk/ui/process_map.py" line="315"/>
        <source>本品牌盲点：%n 个</source>
        <translation>
            <numerusform>Blind spots for this brand: %n</numerusform>
            <numerusform>Blind spots for this brand: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QaView</name>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="95"/>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="238"/>
        <source>全部班组</source>
        <translation>All teams</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="97"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="202"/>
        <source>查询中…</source>
        <translation>Querying…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="213"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="84"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="92"/>
        <source>标杆值 </source>
        <translation>Benchmark </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="93"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="103"/>
        <source>尚未加载</source>
        <translation>Not loaded yet</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="112"/>
        <source>流程规范率趋势</source>
        <translation>Compliance rate trend</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="113"/>
        <source>班组符合度（对比标杆值）</source>
        <translation>Team compliance (against the benchmark)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="145"/>
        <source>按流程规范率</source>
        <translation>By compliance rate</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="146"/>
        <source>按使用量</source>
        <translation>By usage</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="153"/>
        <source>没有流程包：无法显示流程地图</source>
        <translation>No pack: the process map cannot be shown</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="164"/>
        <source>概览</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="165"/>
        <source>流程</source>
        <translation>Flows</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="166"/>
        <source>流程地图</source>
        <translation>Process map</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="167"/>
        <source>班组与坐席</source>
        <translation>Teams and agents</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="168"/>
        <source>搜索未命中</source>
        <translation>Searches with no hit</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="230"/>
        <source>加载失败：{0}</source>
        <translation>Loading failed: {0}</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="260"/>
        <source>运行 {0}，流程规范率 {1}</source>
        <translation>Runs {0}, compliance rate {1}</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="343"/>
        <source>导出失败：{0}</source>
        <translation>Export failed: {0}</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="350"/>
        <source>导出报表</source>
        <translation>Export report</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/view.py" line="350"/>
        <source>Excel (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/rollout_tabs.py" line="54"/>
        <source>终端状态</source>
        <translation>Desk status</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/rollout_tabs.py" line="55"/>
        <source>必读确认</source>
        <translation>Must-read confirmations</translation>
    </message>
</context>
<context>
    <name>ResultDelegate</name>
    <message>
        <location filename="../../src/flowdesk/ui/results.py" line="78"/>
        <source>部分匹配</source>
        <extracomment>&quot;新&quot; / &quot;改&quot; while the flow changed in the last update and this desk has not opened it.</extracomment>
        <translation>Partial match</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/results.py" line="193"/>
        <source>部分</source>
        <translation>Partial</translation>
    </message>
</context>
<context>
    <name>RolloutPage</name>
    <message>
        <location filename="../../src/flowdesk/ui/qa/rollout_pages.py" line="75"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/rollout_pages.py" line="77"/>
        <location filename="../../src/flowdesk/ui/qa/rollout_pages.py" line="111"/>
        <source>全部班组</source>
        <translation>All teams</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/rollout_pages.py" line="78"/>
        <source>尚未加载</source>
        <translation>Not loaded yet</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/rollout_pages.py" line="97"/>
        <source>加载中…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/rollout_pages.py" line="103"/>
        <source>加载失败：{0}</source>
        <translation>Loading failed: {0}</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/qa/rollout_pages.py" line="137"/>
        <source>需关注 {0} 项 · </source>
        <translation>{0} need attention · </translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../src/flowdesk/ui/search_panel.py" line="163"/>
        <source>搜索流程：中文、拼音、首字母或接触点编码（Ctrl+K）</source>
        <extracomment>(query, hits, typeahead) for the current generation only. The agent chose a result (Enter or double-click): (hit, query, result_count). Results for the settled (full) query: (query, result_count). The channel filter changed (remembered as the agent&apos;s usual channel).</extracomment>
        <translation>Search flows: Chinese, pinyin, initials or touch point code (Ctrl+K)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/search_panel.py" line="183"/>
        <source>渠道(&amp;C)</source>
        <translation>Channel(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/search_panel.py" line="184"/>
        <source>品牌(&amp;B)</source>
        <translation>Brand(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/search_panel.py" line="185"/>
        <source>类别(&amp;L)</source>
        <translation>Class(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/search_panel.py" line="205"/>
        <source>搜索出错：</source>
        <translation>Search failed: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/search_panel.py" line="219"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message numerus="yes">
        <location filename="../../src/flowdesk/ui/search_panel.py" line="254"/>
        <source>%n 个结果</source>
        <translation>
            <numerusform>%n result</numerusform>
            <numerusform>%n results</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/search_panel.py" line="252"/>
        <source>没有完全匹配的流程，以下是部分匹配</source>
        <translation>No flow matches all of it; partial matches below</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/search_panel.py" line="256"/>
        <source>没有找到流程：试试拼音首字母、同义词或接触点编码</source>
        <translation>No flow found: try pinyin initials, a synonym or a touch point code</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../src/flowdesk/ui/settings_dialog.py" line="33"/>
        <source>欢迎使用 FlowDesk</source>
        <translation>Welcome to FlowDesk</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/settings_dialog.py" line="33"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/settings_dialog.py" line="36"/>
        <source>工号，例如 A1001</source>
        <translation>Agent id, e.g. A1001</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/settings_dialog.py" line="39"/>
        <source>班组，例如 话务一组</source>
        <translation>Team, e.g. Team 1</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/settings_dialog.py" line="50"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/settings_dialog.py" line="57"/>
        <source>工号(&amp;A)</source>
        <translation>Agent id(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/settings_dialog.py" line="58"/>
        <source>班组(&amp;T)</source>
        <translation>Team(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/settings_dialog.py" line="60"/>
        <source>界面语言(&amp;L)</source>
        <translation>Language(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/settings_dialog.py" line="61"/>
        <source>常用渠道(&amp;C)</source>
        <translation>Usual channel(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/settings_dialog.py" line="62"/>
        <source>常用品牌(&amp;B)</source>
        <translation>Usual brand(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/settings_dialog.py" line="71"/>
        <source>请填写工号和班组：使用记录会带上它们，质检据此统计流程规范率。</source>
        <translation>Enter your agent id and team: usage records carry them, and QA measures compliance by them.</translation>
    </message>
</context>
<context>
    <name>SideTabs</name>
    <message>
        <location filename="../../src/flowdesk/ui/side_tabs.py" line="50"/>
        <source>无法打开：</source>
        <translation>Cannot open: </translation>
    </message>
</context>
<context>
    <name>SummaryPanel</name>
    <message>
        <location filename="../../src/flowdesk/ui/step_words.py" line="86"/>
        <source>通话小结（F8 复制到剪贴板，粘贴到 CRM）</source>
        <extracomment>(variable name, or &quot;&quot; for the input step&apos;s own variable; the text typed)</extracomment>
        <translation>Call summary (F8 copies it for the CRM)</translation>
    </message>
</context>
<context>
    <name>UpdateController</name>
    <message>
        <location filename="../../src/flowdesk/ui/updates/__init__.py" line="71"/>
        <source>检查更新</source>
        <translation>Check for updates</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/__init__.py" line="72"/>
        <source>检查更新 Ctrl+U · 回退流程包 Ctrl+Shift+U</source>
        <translation>Check for updates Ctrl+U · Roll back pack Ctrl+Shift+U</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/manual.py" line="96"/>
        <source>本机还没有配置更新来源。请由组长添加，例如：</source>
        <translation>This desk has no update source yet. Ask your team lead to add one, for example:</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/manual.py" line="108"/>
        <source>已是最新版本，无需更新。</source>
        <translation>Up to date: nothing to update.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../src/flowdesk/ui/updates/__init__.py" line="92"/>
        <source>有 %n 个流程包更新，已下载并校验签名。请查看改动后应用：</source>
        <translation>
            <numerusform>%n pack update, downloaded and its signature verified. Review the changes, then apply:</numerusform>
            <numerusform>%n pack updates, downloaded and their signatures verified. Review the changes, then apply:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/manual.py" line="115"/>
        <source>通话中：当前打开的流程不受影响，之后打开的流程使用新版本。</source>
        <translation>On a call: the flows open now stay as they are; flows opened afterwards use the new version.</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/manual.py" line="138"/>
        <source>已自动更新流程包：</source>
        <translation>Pack updated automatically: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/manual.py" line="141"/>
        <source>（改动的流程标有 新/改）</source>
        <translation> (changed flows are marked 新 new / 改 changed)</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/manual.py" line="145"/>
        <source>已更新流程包：</source>
        <translation>Pack updated: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/manual.py" line="177"/>
        <source>没有可回退的流程包</source>
        <translation>No pack to roll back</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/manual.py" line="182"/>
        <source>已是本机最早的版本，无法回退：</source>
        <translation>This is the oldest version on this desk; nothing to roll back to: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/manual.py" line="188"/>
        <source>将流程包回退到上一版本？</source>
        <translation>Roll the pack back to the previous version?</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/manual.py" line="190"/>
        <source>回退会记录在同步历史中；之后可以再次检查更新。</source>
        <translation>The rollback is recorded in the sync history; you can check for updates again later.</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/manual.py" line="194"/>
        <source>回退流程包</source>
        <translation>Roll back pack</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/manual.py" line="205"/>
        <source>已回退流程包：</source>
        <translation>Pack rolled back: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/manual.py" line="213"/>
        <source>回退失败：</source>
        <translation>Rollback failed: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/scheduled.py" line="96"/>
        <source>后台检查更新失败：</source>
        <translation>Background update check failed: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/scheduled.py" line="142"/>
        <source>自动更新被拒绝：</source>
        <translation>Automatic update refused: </translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/scheduled.py" line="169"/>
        <source>有新流程包 #%1，点此查看</source>
        <translation>New pack #%1 — click to view</translation>
    </message>
</context>
<context>
    <name>UpdateDialog</name>
    <message>
        <location filename="../../src/flowdesk/ui/updates/dialog.py" line="55"/>
        <source>检查更新</source>
        <translation>Check for updates</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/dialog.py" line="60"/>
        <source>正在检查更新来源…</source>
        <translation>Checking update sources…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/dialog.py" line="75"/>
        <source>应用更新</source>
        <translation>Apply update</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/dialog.py" line="78"/>
        <location filename="../../src/flowdesk/ui/updates/dialog.py" line="104"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/dialog.py" line="95"/>
        <source>正在下载并校验…</source>
        <translation>Downloading and verifying…</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/dialog.py" line="104"/>
        <location filename="../../src/flowdesk/ui/updates/dialog.py" line="115"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/dialog.py" line="112"/>
        <source>未更新，本机流程包没有任何改动。原因：</source>
        <translation>Not updated; nothing on this desk was changed. Reason:</translation>
    </message>
    <message>
        <location filename="../../src/flowdesk/ui/updates/dialog.py" line="119"/>
        <source>正在导入更新…</source>
        <translation>Importing the update…</translation>
    </message>
</context>
</TS>
