"""planner.sop.schedule: trigger expansion, the dated schedule, defaults and 话术 placeholders."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from models.enums import CommunityType, Layer
from models.plan import ConversionTier, Goal, Plan, Role
from models.sop import Audience, EventKind, SopRule, Trigger, TriggerKind
from planner.days import display_day, stored_day
from planner.plan.examples import example_slugs, load_example
from planner.sop import schedule as sop

MONDAY = date(2026, 3, 2)


def make_plan(*rules: SopRule, length: int | None = 21, start: date | None = MONDAY,
              roles: list[Role] | None = None) -> Plan:
    plan = Plan()
    plan.lifecycle.length_days = length
    plan.lifecycle.start_date = start
    plan.roles = roles if roles is not None else [Role(id="host", name="群主", hours_per_week=14)]
    plan.sop.rules = list(rules)
    return plan


def rule(trigger: Trigger, **kw: object) -> SopRule:
    return SopRule(trigger=trigger, owner_role="host", **kw)


def days_of(schedule: sop.Schedule, rule_id: str | None = None) -> list[int]:
    return [t.day for t in schedule.tasks if rule_id is None or t.rule_id == rule_id]


# --- each trigger kind ----------------------------------------------------------------------------
def test_group_day_zero_is_the_opening_day_at_its_time() -> None:
    plan = make_plan(rule(Trigger(kind=TriggerKind.GROUP_DAY, day=0, at_time=time(20, 0)), minutes=45))
    [task] = sop.expand(plan).tasks
    assert task.day == 0 and task.date == MONDAY
    assert task.start == datetime(2026, 3, 2, 20, 0)
    assert task.end == datetime(2026, 3, 2, 20, 45)


@pytest.mark.parametrize(("day", "expected"), [(0, [0]), (20, [20]), (21, []), (400, [])])
def test_group_day_inside_or_past_the_lifecycle(day: int, expected: list[int]) -> None:
    plan = make_plan(rule(Trigger(kind=TriggerKind.GROUP_DAY, day=day)))
    assert days_of(sop.expand(plan)) == expected


def test_member_day_counts_from_a_nominal_member_joining_on_day_zero() -> None:
    plan = make_plan(rule(Trigger(kind=TriggerKind.MEMBER_DAY, day=3, at_time=time(12, 0))))
    [task] = sop.expand(plan).tasks
    assert (task.day, task.date, task.kind) == (3, MONDAY + timedelta(days=3), TriggerKind.MEMBER_DAY)


def test_weekly_rule_across_a_lifecycle_hits_every_listed_weekday() -> None:
    # 70 days from a Monday: 10 Mondays and 10 Thursdays.
    plan = make_plan(rule(Trigger(kind=TriggerKind.WEEKLY, weekdays=[0, 3], at_time=time(19, 0))), length=70)
    tasks = sop.expand(plan).tasks
    assert len(tasks) == 20
    assert {t.date.weekday() for t in tasks} == {0, 3}
    assert [t.day for t in tasks][:4] == [0, 3, 7, 10]
    assert all(t.start.time() == time(19, 0) for t in tasks)


def test_weekly_rule_depends_on_the_start_weekday() -> None:
    sunday_only = rule(Trigger(kind=TriggerKind.WEEKLY, weekdays=[6]))
    from_monday = sop.expand(make_plan(sunday_only), MONDAY)
    from_sunday = sop.expand(make_plan(sunday_only), MONDAY - timedelta(days=1))
    assert days_of(from_monday) == [6, 13, 20]
    assert days_of(from_sunday) == [0, 7, 14]


def test_daily_rule_is_weekly_with_seven_days_and_fills_the_lifecycle() -> None:
    plan = make_plan(rule(Trigger(kind=TriggerKind.WEEKLY, weekdays=list(range(7)))), length=30)
    assert days_of(sop.expand(plan)) == list(range(30))


@pytest.mark.parametrize(("start", "length", "last"), [
    (date(2026, 1, 20), 30, date(2026, 2, 18)),  # across a 31-day month end
    (date(2024, 2, 20), 21, date(2024, 3, 11)),  # across 29 February in a leap year
    (date(2026, 2, 20), 21, date(2026, 3, 12)),  # across 28 February
    (date(2026, 12, 20), 21, date(2027, 1, 9)),  # across the year end
])
def test_dates_cross_month_and_year_ends(start: date, length: int, last: date) -> None:
    plan = make_plan(rule(Trigger(kind=TriggerKind.WEEKLY, weekdays=list(range(7)))), length=length, start=start)
    schedule = sop.expand(plan)
    assert schedule.tasks[-1].date == last == schedule.last_date
    assert [t.date for t in schedule.tasks] == [start + timedelta(days=d) for d in range(length)]


def test_absolute_on_a_month_end_inside_the_lifecycle() -> None:
    plan = make_plan(rule(Trigger(kind=TriggerKind.ABSOLUTE, at=datetime(2026, 1, 31, 21, 30))),
                     start=date(2026, 1, 20), length=30)
    [task] = sop.expand(plan).tasks
    assert (task.day, task.start) == (11, datetime(2026, 1, 31, 21, 30))


@pytest.mark.parametrize("at", [datetime(2026, 3, 1, 10, 0), datetime(2026, 3, 23, 0, 0), datetime(2027, 1, 1, 9, 0)])
def test_absolute_outside_the_lifecycle_is_dropped_and_reported(at: datetime) -> None:
    r = rule(Trigger(kind=TriggerKind.ABSOLUTE, at=at))
    schedule = sop.expand(make_plan(r))  # 2026-03-02 … 2026-03-22
    assert schedule.tasks == ()
    assert schedule.unscheduled == (r.id,)


def test_absolute_with_a_time_zone_keeps_its_wall_clock_time() -> None:
    at = datetime(2026, 3, 5, 9, 15, tzinfo=timezone(timedelta(hours=8)))
    [task] = sop.expand(make_plan(rule(Trigger(kind=TriggerKind.ABSOLUTE, at=at)))).tasks
    assert task.start == datetime(2026, 3, 5, 9, 15) and task.start.tzinfo is None


def test_event_rules_are_standing_not_dated() -> None:
    joins = rule(Trigger(kind=TriggerKind.EVENT, event=EventKind.MEMBER_JOINS))
    silent = rule(Trigger(kind=TriggerKind.EVENT, event=EventKind.MEMBER_INACTIVE, threshold=3))
    schedule = sop.expand(make_plan(joins, silent))
    assert schedule.tasks == ()
    assert [r.id for r in schedule.standing] == [joins.id, silent.id]
    assert schedule.unscheduled == ()


def test_missing_time_uses_the_default_time() -> None:
    [task] = sop.expand(make_plan(rule(Trigger(kind=TriggerKind.GROUP_DAY, day=2, at_time=None)))).tasks
    assert task.start.time() == sop.DEFAULT_TIME


# --- the schedule as a whole ----------------------------------------------------------------------
def test_order_is_by_time_then_rule_position() -> None:
    late = rule(Trigger(kind=TriggerKind.GROUP_DAY, day=0, at_time=time(20, 0)), name="late")
    early = rule(Trigger(kind=TriggerKind.GROUP_DAY, day=0, at_time=time(8, 0)), name="early")
    same_a = rule(Trigger(kind=TriggerKind.GROUP_DAY, day=0, at_time=time(20, 0)), name="same")
    schedule = sop.expand(make_plan(late, early, same_a))
    assert [t.name for t in schedule.tasks] == ["early", "late", "same"]
    assert sop.expand(make_plan(late, early, same_a)) == schedule  # deterministic


def test_start_defaults_to_the_plan_start_and_is_required() -> None:
    plan = make_plan(rule(Trigger(kind=TriggerKind.GROUP_DAY, day=1)))
    assert sop.expand(plan).start == MONDAY
    assert sop.expand(plan, date(2026, 5, 1)).tasks[0].date == date(2026, 5, 2)
    with pytest.raises(ValueError, match="start"):
        sop.expand(make_plan(start=None))


def test_missing_length_falls_back_and_says_so() -> None:
    schedule = sop.expand(make_plan(rule(Trigger(kind=TriggerKind.WEEKLY, weekdays=list(range(7)))), length=None))
    assert schedule.length_assumed and schedule.length_days == sop.FALLBACK_LENGTH
    assert len(schedule.tasks) == sop.FALLBACK_LENGTH


def test_owner_name_and_unknown_owner() -> None:
    known = rule(Trigger(kind=TriggerKind.GROUP_DAY, day=0))
    unknown = SopRule(trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=1), owner_role="gone")
    tasks = sop.expand(make_plan(known, unknown)).tasks
    assert [(t.owner_role, t.owner_name) for t in tasks] == [("host", "群主"), ("gone", "")]


def test_daily_minutes_and_capacity() -> None:
    a = rule(Trigger(kind=TriggerKind.GROUP_DAY, day=0, at_time=time(9, 0)), minutes=30)
    b = rule(Trigger(kind=TriggerKind.WEEKLY, weekdays=[0], at_time=time(10, 0)), minutes=15)
    load = sop.daily_minutes(sop.expand(make_plan(a, b)))
    assert load[("host", 0)] == 45 and load[("host", 7)] == 15 and ("host", 1) not in load
    assert sop.capacity_minutes(Role(hours_per_week=7, headcount=2)) == pytest.approx(120)
    assert sop.capacity_minutes(Role(hours_per_week=0)) == 0


# --- placeholders ---------------------------------------------------------------------------------
def test_unknown_placeholders() -> None:
    assert sop.unknown_placeholders("欢迎{member_name}来到{group_name}") == []
    assert sop.unknown_placeholders("{name} {group_name} {name} {goal.x} {}") == ["name", "goal.x", ""]
    assert sop.unknown_placeholders("") == []
    assert sop.unknown_placeholders("only { braces") == []


def test_fill_script_fills_known_and_keeps_unknown() -> None:
    plan = make_plan(rule(Trigger(kind=TriggerKind.GROUP_DAY, day=0)))
    plan.meta.name = "晨读营"
    plan.lifecycle.goals = [Goal(statement="每天读书 20 分钟")]
    plan.lifecycle.conversion_ladder = [ConversionTier(name="进阶营", price=199)]
    r = SopRule(owner_role="host", material="书单", script=(
        "{group_name}|{member_name}|{day}|{days_left}|{lifecycle_days}|{date}|{weekday}|{goal}|{owner}|"
        "{material}|{offer}|{price}|{oops}"))
    text = sop.fill_script(r, plan, 2, lang="zh", member_name="阿青")
    assert text == "晨读营|阿青|3|18|21|2026-03-04|周三|每天读书 20 分钟|群主|书单|进阶营|199 元|{oops}"
    assert sop.fill_script(r, plan, 2, lang="en").split("|")[6] == "Wednesday"


def test_fill_script_without_a_start_date_names_the_day() -> None:
    plan = make_plan(start=None)
    r = SopRule(script="{date}/{weekday}")
    assert sop.fill_script(r, plan, 4, lang="zh") == "第 5 天/"


def test_every_placeholder_has_a_description() -> None:
    from planner import i18n
    for lang in i18n.LANGS:
        assert [p for p in sop.PLACEHOLDERS if not i18n.has(f"sop.placeholder.{p}", lang)] == []


# --- describe -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("trigger", "zh"), [
    # stored days count from 0, a person reads them from 1: the opening day is 第 1 天, named as such
    (Trigger(kind=TriggerKind.GROUP_DAY, day=0, at_time=time(20, 0)), "开营日（第 1 天）20:00"),
    (Trigger(kind=TriggerKind.GROUP_DAY, day=3, at_time=time(9, 0)), "第 4 天 09:00"),
    (Trigger(kind=TriggerKind.MEMBER_DAY, day=0, at_time=time(10, 0)), "入群当天（成员第 1 天）10:00"),
    (Trigger(kind=TriggerKind.MEMBER_DAY, day=1, at_time=time(12, 0)), "入群第 2 天 12:00"),
    (Trigger(kind=TriggerKind.WEEKLY, weekdays=[2, 0], at_time=time(20, 0)), "每周 周一、周三 20:00"),
    (Trigger(kind=TriggerKind.WEEKLY, weekdays=list(range(7)), at_time=time(8, 30)), "每天 08:30"),
    (Trigger(kind=TriggerKind.ABSOLUTE, at=datetime(2026, 5, 1, 10, 0)), "定时 2026-05-01 10:00"),
    (Trigger(kind=TriggerKind.EVENT, event=EventKind.MEMBER_INACTIVE, threshold=3), "成员连续 3 天未打卡或发言时"),
    (Trigger(kind=TriggerKind.EVENT, event=EventKind.GROUP_SIZE, threshold=200), "群人数达到 200 人时"),
])
def test_describe_trigger(trigger: Trigger, zh: str) -> None:
    assert sop.describe_trigger(trigger, "zh") == zh
    assert not sop.describe_trigger(trigger, "en").startswith("sop.")


# --- defaults -------------------------------------------------------------------------------------
TEAM = [
    Role(id="r1", name="群主", responsibility="开营、结营", hours_per_week=7),
    Role(id="r2", name="助教", responsibility="打卡提醒、答疑", hours_per_week=14, headcount=2),
    Role(id="r3", name="夸夸官", behaviour="发现进步并表扬", hours_per_week=3.5),
    Role(id="r4", name="课程顾问", responsibility="转化 sales", hours_per_week=3.5),
]


@pytest.mark.parametrize("length", [1, 2, 7, 21, 30, 70, 100, 365])
@pytest.mark.parametrize("kind", list(CommunityType))
def test_defaults_fit_inside_every_lifecycle(length: int, kind: CommunityType) -> None:
    plan = make_plan(length=length, roles=TEAM)
    plan.meta.community_type = kind
    plan.sop.rules = sop.default_rules(plan)
    ids = [r.id for r in plan.sop.rules]
    assert len(ids) == len(set(ids)) and all(i.startswith("default-") for i in ids)
    schedule = sop.expand(plan)
    assert schedule.unscheduled == ()
    assert all(0 <= t.day < length for t in schedule.tasks)
    assert all(t.owner_name for t in schedule.tasks)
    assert {"default-opening", "default-checkin", "default-conversion"} <= set(ids)
    assert ("default-closing" in ids) == (length >= 2)
    assert ("default-promotion" in ids) == (kind == CommunityType.ECOMMERCE and length >= 7)


def test_defaults_cover_the_method() -> None:
    plan = make_plan(length=30, roles=TEAM)
    rules = {r.id: r for r in sop.default_rules(plan)}
    assert rules["default-opening"].trigger.day == 0
    assert rules["default-self_intro"].trigger.day == 0
    assert rules["default-midpoint"].trigger.day == 15
    assert rules["default-closing"].trigger.day == 29
    assert rules["default-checkin"].trigger.weekdays == list(range(7))
    assert rules["default-review"].trigger.kind == TriggerKind.WEEKLY
    assert rules["default-conversion"].is_marketing
    assert rules["default-first_day"].trigger.kind == TriggerKind.MEMBER_DAY
    layers = {r.audience_ref for r in rules.values() if r.audience == Audience.LAYER}
    assert layers == {layer.value for layer in Layer}
    assert rules["default-lurkers"].trigger.event == EventKind.MEMBER_INACTIVE


def test_long_lifecycles_get_monthly_showcases() -> None:
    ids = [r.id for r in sop.default_rules(make_plan(length=100, roles=TEAM))]
    assert [i for i in ids if i.startswith("default-showcase")] == ["default-showcase_30", "default-showcase_60",
                                                                     "default-showcase_90"]


def test_owner_heuristic_picks_by_duty_and_leaves_empty_when_nothing_fits() -> None:
    rules = {r.id: r.owner_role for r in sop.default_rules(make_plan(roles=TEAM))}
    assert rules["default-opening"] == "r1"
    assert rules["default-checkin"] == "r2"
    assert rules["default-activists"] == "r3"
    assert rules["default-conversion"] == "r4"
    strangers = [Role(id="x", name="摄影师", responsibility="拍照")]
    assert {r.owner_role for r in sop.default_rules(make_plan(roles=strangers))} == {""}
    assert {r.owner_role for r in sop.default_rules(make_plan(roles=[]))} == {""}


def test_defaults_use_the_plan_language_and_rituals() -> None:
    plan = make_plan(roles=TEAM)
    plan.rituals.opening_ceremony = "我们的开营流程"
    assert sop.default_rules(plan, "en")[0].name == "Opening ceremony"
    assert sop.default_rules(plan, "zh")[0].script == "我们的开营流程"
    assert all(sop.unknown_placeholders(r.script) == [] for r in sop.default_rules(plan, "en"))


def test_missing_defaults_skips_ones_already_present() -> None:
    plan = make_plan(roles=TEAM)
    plan.sop.rules = sop.default_rules(plan)[:3]
    missing = sop.missing_defaults(plan)
    assert missing and not {r.id for r in missing} & {r.id for r in plan.sop.rules}
    plan.sop.rules += missing
    assert sop.missing_defaults(plan) == []


def test_review_cadence_and_coordination_meetings_are_generated() -> None:
    plan = make_plan(roles=TEAM)
    plan.review.weekday, plan.review.at_time = 4, time(18, 30)
    review = next(r for r in sop.default_rules(plan, "zh") if r.id == "default-review")
    assert (review.trigger.weekdays, review.trigger.at_time) == ([4], time(18, 30))
    assert not [r for r in sop.default_rules(plan, "zh") if r.id.startswith("default-coordination")]
    plan.review.before_events = True
    rules = sop.default_rules(plan, "zh")
    big = sop.big_event_days(rules)  # the mid-point session and the closing ceremony
    meetings = {r.trigger.day for r in rules if r.id.startswith("default-coordination")}
    assert big and meetings == {day - 1 for day in big}
    assert all(r.owner_role for r in rules if r.id.startswith("default-coordination"))


@pytest.mark.parametrize(("length", "showcases"), [(7, 0), (21, 1), (30, 1), (100, 3)])
def test_short_camps_get_a_role_model_showcase_too(length: int, showcases: int) -> None:
    rules = sop.default_rules(make_plan(roles=TEAM, length=length), "zh")
    assert len([r for r in rules if r.id.startswith("default-showcase")]) == showcases


# --- shipped examples -----------------------------------------------------------------------------
@pytest.mark.parametrize("slug", example_slugs())
def test_every_example_schedule_has_owners_and_stays_inside_the_lifecycle(slug: str) -> None:
    plan = load_example(slug)
    start = plan.lifecycle.start_date or sop.NOMINAL_START
    schedule = sop.expand(plan, start)
    assert schedule.tasks, "an example should have dated SOP tasks"
    assert [t.name for t in schedule.tasks if not t.owner_name] == []
    assert all(start <= t.date <= schedule.last_date for t in schedule.tasks)
    assert all(plan.role_by_id(r.owner_role) for r in schedule.standing)


def test_the_daily_reminder_reinforces_the_standard_behaviours() -> None:
    plan = make_plan(roles=TEAM)
    plain = next(r for r in sop.default_rules(plan, "zh") if r.id == "default-checkin")
    plan.elements.structure.standard_behaviours = ["7 点前打卡", "给一位同伴点赞"]
    reminder = next(r for r in sop.default_rules(plan, "zh") if r.id == "default-checkin")
    assert "7 点前打卡" in reminder.task and "给一位同伴点赞" in reminder.task and reminder.task != plain.task


@pytest.mark.parametrize("length", [21, 100])
def test_the_role_model_showcase_picks_by_the_standard_behaviours(length: int) -> None:
    """Short camps and long cycles alike: the role models are the members who live the behaviours."""
    plan = make_plan(roles=TEAM)
    plan.lifecycle.length_days = length
    plain = [r for r in sop.default_rules(plan, "zh") if r.id.startswith("default-showcase")]
    plan.elements.structure.standard_behaviours = ["7 点前打卡", "给一位同伴点赞"]
    showcases = [r for r in sop.default_rules(plan, "zh") if r.id.startswith("default-showcase")]
    assert showcases and len(showcases) == len(plain)
    assert all("7 点前打卡" in r.task and "给一位同伴点赞" in r.task for r in showcases)
    assert all("7 点前打卡" not in r.task for r in plain)


def test_display_day_and_stored_day_are_inverse_and_start_at_one() -> None:
    assert display_day(0) == 1  # the opening day is day 1 to a person
    assert [stored_day(display_day(d)) for d in (0, 5, 364)] == [0, 5, 364]


@pytest.mark.parametrize(("trigger", "en"), [
    # "Day 1 after opening" would read as the day after the opening day
    (Trigger(kind=TriggerKind.GROUP_DAY, day=0, at_time=time(20, 0)), "Opening day (day 1), 20:00"),
    (Trigger(kind=TriggerKind.GROUP_DAY, day=2, at_time=time(9, 0)), "Day 3, 09:00"),
    (Trigger(kind=TriggerKind.MEMBER_DAY, day=0, at_time=time(10, 0)), "Joining day (the member's day 1), 10:00"),
    (Trigger(kind=TriggerKind.MEMBER_DAY, day=6, at_time=time(12, 0)), "Member's day 7, 12:00"),
])
def test_describe_day_triggers_in_english(trigger: Trigger, en: str) -> None:
    assert sop.describe_trigger(trigger, "en") == en


def test_preview_day_two_stored_is_day_three_read() -> None:
    plan = Plan()
    plan.lifecycle.length_days = 21
    rule = SopRule(name="r", script="第{day}天，还剩{days_left}天，{date}",
                   trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=2))
    assert sop.fill_script(rule, plan, 2, lang="zh") == "第3天，还剩18天，第 3 天"
    assert sop.describe_trigger(rule.trigger, "zh").startswith("第 3 天")


def test_default_names_number_days_as_read() -> None:
    plan = Plan()
    plan.lifecycle.length_days = 21
    plan.review.before_events = True
    by_id = {r.id: r for r in sop.default_rules(plan, "zh")}
    showcase = by_id["default-showcase"]
    assert showcase.name == f"第 {showcase.trigger.day + 1} 天榜样分享"
    coordination = next(r for r in by_id.values() if r.id.startswith("default-coordination_"))
    big_day = int(coordination.id.rsplit("_", 1)[1])  # the stored day of the activity it prepares
    assert coordination.name == f"第 {big_day + 1} 天活动统筹会"
