"""Plans for the export tests: one filled in every step (Chinese), and one whose every text field
holds markup that must never become live HTML; a small member log with distinctive names."""

from __future__ import annotations

from datetime import date, datetime, time

import pandas as pd

from models.enums import CommunityType, Feeling, JoinMode, Layer, Stage
from models.plan import (
    ContentPillar,
    ConversionTier,
    Goal,
    Kpi,
    Level,
    Plan,
    Role,
    StageSpan,
)
from models.sop import Audience, EventKind, SopRule, SopType, Trigger, TriggerKind
from planner.data.frames import LoadResult

PLAN_NAME = "晨光二十一天早起营"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[点我](javascript:alert(1))"


def rich_plan(name: str = PLAN_NAME) -> Plan:
    plan = Plan()
    m = plan.meta
    m.name, m.slogan, m.community_type = name, "六点起床，给自己多一小时", CommunityType.CHECKIN_CAMP
    m.owner_team, m.description = "晨光运营小组", "面向职场新人的 21 天早起打卡训练营 🌅"
    r = plan.research
    r.user_needs, r.past_data, r.profit_model = "想早起却坚持不下来", "上期 180 人，完成率 46%", "低价营转年度会员"
    e = plan.elements
    e.interest.category, e.interest.brand_name, e.interest.slogan = "早起 / 自律", "晨光营", "六点见"
    e.structure.join_mode, e.structure.fee = JoinMode.PAID, 9.9
    e.structure.target_members = "22–30 岁的职场新人"
    e.structure.admins, e.structure.kols = ["阿晨", "小光"], ["早起达人老周"]
    e.structure.group_rules = ["每天 6:30 前打卡", "不发广告", "22:00 后不发消息"]
    e.structure.interaction_mechanisms = ["打卡接龙", "周日复盘"]
    e.content = [ContentPillar(topic="早起方法", form="语音", cadence="每天"),
                 ContentPillar(topic="时间管理", form="直播", cadence="每周")]
    e.operations.feelings = {Feeling.RITUAL: ["开营仪式"], Feeling.PARTICIPATION: ["打卡接龙"],
                             Feeling.ORGANISATION: ["小组长制"], Feeling.BELONGING: ["结营证书"]}
    e.operations.routines = ["早安问候", "打卡统计"]
    p = plan.positioning
    p.why, p.what, p.where, p.who = "培养早起习惯", "同伴监督与方法", "企业微信群", "想改变作息的年轻人"
    p.when, p.how = "每月 1 日开营，21 天", "9.9 元入营，结营转年度会员"
    p.persona.age, p.persona.pain_points = "22–30", "晚睡晚起"
    life = plan.lifecycle
    life.length_days, life.start_date = 21, date(2026, 3, 1)
    life.values.stand_for, life.values.stand_against = ["长期主义"], ["打卡造假"]
    life.goals = [Goal(statement="21 天内 60% 成员完成 15 次打卡", metric="checkin_rate", target=60, unit="%",
                       evaluation_rule="打卡截图计数")]
    life.stages = [StageSpan(stage=Stage.ACQUISITION, start_day=0, end_day=4, focus="拉人入营"),
                   StageSpan(stage=Stage.ACTIVATION, start_day=5, end_day=10, focus="打卡接龙"),
                   StageSpan(stage=Stage.RETENTION, start_day=11, end_day=16, focus="复盘"),
                   StageSpan(stage=Stage.CONVERSION, start_day=17, end_day=20, focus="年度会员")]
    life.acquisition_moves = ["老用户一对一邀请", "公众号推文带群码", "洗群留下精准用户"]
    life.conversion_ladder = [ConversionTier(name="体验营", price=9.9, offer="21 天陪跑"),
                              ConversionTier(name="年度会员", price=199, offer="全年早起社群")]
    plan.roles = [Role(id="lead", name="领教", behaviour="每天领读", responsibility="内容输出", headcount=1,
                       hours_per_week=5),
                  Role(id="helper", name="助教", behaviour="督促打卡", responsibility="统计与提醒", headcount=2,
                       hours_per_week=7)]
    plan.member_layers.layers[0].treatment = "请他们做榜样"
    plan.incentives.rewards, plan.incentives.penalties = ["全勤送书"], ["连续 3 天未打卡移出"]
    plan.incentives.levels = [Level(name="晨星", requirement="打卡 7 天", perk="专属头衔")]
    plan.rituals.opening_ceremony = "介绍目标、团队与日程"
    plan.rituals.self_intro_template = "我是谁／来自哪里／这次的目标"
    plan.sop.rules = [
        SopRule(name="开营仪式", type=SopType.WELCOME, stage=Stage.ACQUISITION,
                trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=0, at_time=time(20, 0)),
                task="主持开营", owner_role="lead", script="欢迎来到{group_name}！", material="开营海报"),
        SopRule(name="打卡提醒", type=SopType.PERIODIC, stage=Stage.ACTIVATION,
                trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=[0, 2, 4], at_time=time(6, 0)),
                audience=Audience.LAYER, audience_ref=Layer.WATCHER.value, task="提醒打卡", owner_role="helper"),
        SopRule(name="沉默关怀", type=SopType.NURTURE, stage=Stage.RETENTION,
                trigger=Trigger(kind=TriggerKind.EVENT, event=EventKind.MEMBER_INACTIVE, threshold=3, at_time=None),
                task="私聊关怀", owner_role="helper"),
        SopRule(name="结营转化", type=SopType.CONVERSION, stage=Stage.CONVERSION,
                trigger=Trigger(kind=TriggerKind.ABSOLUTE, at=datetime(2026, 3, 21, 20, 0)),
                task="介绍年度会员", owner_role="lead", is_marketing=True),
    ]
    plan.replication.planned, plan.replication.rhythm = True, "每月开一期"
    plan.replication.culture.language = "早安口令"
    plan.replication.traps = ["人多了不再点名"]
    plan.compliance.privacy_note = "不公开成员手机号"
    plan.compliance.legal_notes = ["遵守《个人信息保护法》"]
    plan.kpis = [Kpi(metric="checkin_rate", label="打卡率", target=60, unit="%", due_day=20),
                 Kpi(metric="members", label="入营人数", target=200, unit="人", due_day=4)]
    return plan


def hostile_plan() -> Plan:
    """Every free-text field carries markup; a renderer that forgets to escape will show it."""
    plan = rich_plan(name=f"{SCRIPT}{IMG}恶意方案")
    plan.meta.slogan = IMG
    plan.meta.owner_team = LINK
    plan.meta.description = '"><svg onload=alert(1)>'
    plan.research.user_needs = SCRIPT
    plan.elements.interest.brand_name = IMG
    plan.elements.structure.group_rules = [SCRIPT, IMG, LINK]
    plan.elements.content[0].topic = IMG
    plan.positioning.why = "<a href='javascript:alert(1)'>x</a>"
    plan.lifecycle.goals[0].statement = SCRIPT
    plan.lifecycle.stages[0].focus = IMG
    plan.roles[0].name = SCRIPT
    plan.sop.rules[0].script = IMG
    plan.sop.rules[0].name = "<iframe src=javascript:alert(1)>"
    plan.compliance.legal_notes = [SCRIPT]
    plan.kpis[0].label = IMG
    return plan


QUIET = {"wxid_zq81": "朱雀小明", "wxid_bh22": "Zorblax"}  # twelve active days, then silent: to reach out to
TALKER = {"wxid_xw33": "玄武阿花"}  # keeps talking for sixty days


def member_log() -> LoadResult:
    """An activity log whose members have distinctive names (for the pseudonymisation tests)."""
    rows = []
    for members, days in ((QUIET, 12), (TALKER, 60)):
        for member_id, nickname in members.items():
            start = pd.Timestamp(2026, 3, 1, 8)
            rows.append({"member_id": member_id, "nickname": nickname, "time": start, "action": "加入", "amount": None})
            rows += [{"member_id": member_id, "nickname": nickname, "time": start + pd.Timedelta(days=d, hours=1),
                      "action": "发言", "amount": None} for d in range(days)]
    return LoadResult(activity=pd.DataFrame(rows))
