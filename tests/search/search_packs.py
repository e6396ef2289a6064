"""Chinese flows and packs for the search tests, built as flowdesk.model objects."""

from __future__ import annotations

from flowdesk.model import Brand, Business, Channel, Flow, Pack, Step, TouchPoint

CHANNELS = (Channel("C1", "热线语音"), Channel("C2", "网上营业厅"), Channel("C3", "短信"))
BRANDS = (Brand("G", "全球通"), Brand("M", "动感地带"), Brand("E", "神州行"))


def service_flow(
    flow_id: str,
    title: str,
    business: str,
    touchpoints: list[tuple[str, str]],
    steps: list[str],
    keywords: tuple[str, ...] = (),
    flow_class: str = "handling",
) -> Flow:
    return Flow(
        id=flow_id,
        title=title,
        flow_class=flow_class,
        business=business,
        touchpoints=tuple(TouchPoint(c, b, business) for c, b in touchpoints),
        keywords=keywords,
        steps=tuple(Step(f"s{i}", "script", text) for i, text in enumerate(steps, start=1)),
    )


def sample_flows() -> list[Flow]:
    return [
        service_flow(
            "xhzw",
            "携号转网",
            "B0102",
            [("C1", "G"), ("C1", "M")],
            ["核实机主身份证件", "告知携转条件：无欠费、无合约", "提交携号转网申请"],
            keywords=("转网", "携转", "换运营商"),
        ),
        service_flow(
            "hfcx",
            "话费查询",
            "B0201",
            [("C1", "G"), ("C2", "G"), ("C2", "E")],
            ["询问查询月份", "读出本月话费与套餐费用", "提醒可通过短信查询"],
            keywords=("查话费", "余额"),
            flow_class="query",
        ),
        service_flow(
            "tcbg",
            "套餐变更",
            "B0301",
            [("C1", "M"), ("C3", "M")],
            ["确认当前套餐", "介绍可选套餐", "次月生效"],
            keywords=("改套餐", "换套餐"),
        ),
        service_flow(
            "gjmy",
            "国际漫游开通",
            "B0401",
            [("C1", "G")],
            ["确认出行国家与行程", "开通国际长途与漫游功能", "提醒流量资费"],
            keywords=("出国", "漫游"),
        ),
        service_flow(
            "mmcz",
            "密码重置",
            "B0501",
            [("C1", "E"), ("C2", "E")],
            ["核验身份证号码", "发送随机密码短信", "提醒客户修改密码"],
            keywords=("服务密码", "忘记密码"),
        ),
        service_flow(
            "kdbx",
            "宽带报修",
            "B0601",
            [("C1", "G"), ("C1", "M"), ("C1", "E")],
            ["记录故障现象与光猫指示灯", "派发维修工单", "告知上门时间"],
            keywords=("宽带故障", "断网"),
            flow_class="complaint",
        ),
        service_flow(
            "5gtc",
            "5G套餐办理",
            "B0302",
            [("C2", "G"), ("C2", "M")],
            ["确认终端支持5G与VoLTE", "推荐iPhone用户适用的套餐", "办理成功后短信通知"],
            keywords=("5G", "升级5G"),
        ),
        service_flow(
            "hkcx",
            "信用卡还款提醒",
            "B0701",
            [("C3", "G")],
            ["告知银行还款日", "提醒按时还款"],
            keywords=("还款",),
            flow_class="consultation",
        ),
        service_flow(
            "lljb",
            "流量包办理",
            "B0801",
            [("C1", "M"), ("C2", "M")],
            ["确认流量包档位", "办理并短信告知"],
            keywords=("加流量",),
        ),
        Flow(
            id="zjgl",
            title="质检抽检管理",
            flow_class="quality",
            steps=(Step("s1", "action", "每日抽取录音进行质检"),),
            keywords=("质检",),
        ),
    ]


def sample_pack(flows: list[Flow] | None = None, sequence: int = 1) -> Pack:
    flows = sample_flows() if flows is None else flows
    codes = sorted({f.business for f in flows if f.business})
    return Pack(
        id="hotline",
        title="热线服务流程",
        sequence=sequence,
        channels=CHANNELS,
        brands=BRANDS,
        businesses=tuple(Business(code, f"业务{code}", channels=("C1",)) for code in codes),
        flows=tuple(flows),
    )
