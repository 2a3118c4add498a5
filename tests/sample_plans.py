"""Plans built in code for the doctor, progress, diff and summary tests (independent of the
shipped examples, which may change)."""

from __future__ import annotations

from datetime import date, time

from models.enums import CommunityType, Feeling, JoinMode, Layer, Stage
from models.plan import (
    ContentPillar,
    ConversionTier,
    Goal,
    Kpi,
    Level,
    MemberLayer,
    Plan,
    Role,
    StageSpan,
)
from models.sop import Audience, SopRule, Trigger, TriggerKind


def complete_plan() -> Plan:
    """A 21-day early-rise camp with every step filled in: the doctor finds nothing."""
    plan = Plan()
    plan.meta.name = "21 天早起营"
    plan.meta.community_type = CommunityType.CHECKIN_CAMP
    for name in type(plan.research).model_fields:
        setattr(plan.research, name, f"{name} answered")
    interest = plan.elements.interest
    interest.category = "早起"
    interest.brand_name = "早起俱乐部"
    interest.slogan = "和太阳一起醒来"
    interest.visual_identity = "橙色日出"
    interest.signature_content = "6:00 晨读音频"
    structure = plan.elements.structure
    structure.join_mode = JoinMode.PAID
    structure.fee = 49
    structure.target_members = "想早起的职场新人"
    structure.admins = ["小林"]
    structure.kols = ["晨读老师"]
    structure.group_rules = ["只发与早起相关的内容", "不发广告"]
    structure.interaction_mechanisms = ["打卡接龙"]
    structure.standard_behaviours = ["每天 7:00 前打卡", "每周日交一次复盘"]
    plan.elements.content = [ContentPillar(topic="晨读", form="音频", cadence="每天 6:00")]
    plan.elements.operations.feelings = {f: [f"{f.value} action"] for f in Feeling}
    plan.elements.operations.routines = ["每日打卡"]
    pos = plan.positioning
    pos.why, pos.what, pos.where = "培养早起习惯", "每天有人陪你早起", "企业微信群"
    pos.who, pos.when, pos.how = "职场新人", "每月 1 日开营", "49 元入营，结营推荐年度会员"
    pos.persona.age = "22-30"
    life = plan.lifecycle
    life.length_days = 21
    life.start_date = date(2026, 12, 1)
    life.values.stand_for = ["长期主义"]
    life.values.stand_against = ["打卡作弊"]
    life.goals = [Goal(statement="80% 成员完成 15 次打卡", metric="checkin_rate", target=0.8, unit="",
                       evaluation_rule="以打卡记录为准")]
    life.stages = [
        StageSpan(stage=Stage.ACQUISITION, start_day=0, end_day=4),
        StageSpan(stage=Stage.ACTIVATION, start_day=5, end_day=11),
        StageSpan(stage=Stage.RETENTION, start_day=12, end_day=17),
        StageSpan(stage=Stage.CONVERSION, start_day=18, end_day=21),
    ]
    life.acquisition_moves = ["老用户一对一", "定向渠道", "洗群"]
    life.long_term_goal = "结营成员成为下一期的助教"
    life.retention.referral = "老营员带一位朋友，两人各减 10 元"
    life.retention.service = "助教当天回复每个问题"
    life.conversion_ladder = [ConversionTier(name="早起营", price=49), ConversionTier(name="年度会员", price=365)]
    lead = Role(id="lead", name="领教", behaviour="每天 6:00 领读", responsibility="内容与节奏", headcount=1,
                hours_per_week=7)
    helper = Role(id="help", name="助教", behaviour="点评打卡", responsibility="拉动观望者", headcount=2,
                  hours_per_week=7)
    plan.roles = [lead, helper]
    plan.member_layers.layers = [
        MemberLayer(layer=Layer.ACTIVIST, min_checkin_days=5, min_messages=10, treatment="树榜样"),
        MemberLayer(layer=Layer.WATCHER, min_checkin_days=1, treatment="助教点名邀请"),
        MemberLayer(layer=Layer.LURKER, treatment="一对一私聊"),
    ]
    plan.incentives.rewards = ["全勤退款"]
    plan.incentives.penalties = ["连续 3 天未打卡移出"]
    plan.incentives.levels = [Level(name="早鸟", requirement="打卡 7 天", perk="勋章")]
    plan.rituals.opening_ceremony = "目标、团队、日程、内容"
    plan.rituals.self_intro_template = "我是谁 / 来自哪里 / 这次的目标"
    plan.admin_training.who, plan.admin_training.when = "连续打卡 7 天并常帮别人的营员", "第 8 天"
    plan.admin_training.how = "领教一对一带教一周"
    for name in type(plan.setup).model_fields:
        setattr(plan.setup, name, f"{name} ready")
    plan.setup.welcome_card = "欢迎来到早起俱乐部！每天 7:00 前打卡。先按模板做个自我介绍吧。"
    plan.review.weekday, plan.review.at_time = 6, time(19, 0)
    plan.sop.rules = [
        SopRule(name="开营", task="开营仪式", owner_role="lead", script="欢迎！", material="开营海报",
                trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=0, at_time=time(20, 0))),
        SopRule(name="打卡提醒", task="提醒打卡", owner_role="help", script="早上好！", material="打卡卡片",
                trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=[0, 1, 2, 3, 4], at_time=time(8, 30))),
        SopRule(name="潜水关怀", task="私聊潜水者", owner_role="help", script="最近还好吗？", material="关怀清单",
                audience=Audience.LAYER, audience_ref="lurker",
                trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=[2], at_time=time(12, 30))),
    ]
    rep = plan.replication
    rep.planned = True
    for name in type(rep.culture).model_fields:
        setattr(rep.culture, name, f"{name} formed")
    rep.rhythm, rep.method, rep.traps = "每月一个新群", "复制 SOP 模板", ["盲目扩张"]
    plan.compliance.privacy_note = "只收集昵称和打卡记录"
    plan.compliance.moderation_policy = "先提醒后移出"
    plan.kpis = [Kpi(metric="checkin_rate", label="打卡率", target=0.8, due_day=21, measures_goal=True),
                 Kpi(metric="active_members", label="活跃人数", target=80, due_day=14)]
    return Plan.model_validate(plan.model_dump())  # re-validate after the attribute edits
