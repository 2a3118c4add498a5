"""planner.sop.checks: each design check fires on a bad SOP and stays quiet on a good one."""

from __future__ import annotations

import string
from datetime import date, datetime, time

import pytest

from models.plan import Plan, Role
from models.problems import Severity, Step
from models.sop import EventKind, SopRule, Trigger, TriggerKind
from planner import i18n
from planner.plan.doctor import diagnose
from planner.sop import checks as sop_checks

MONDAY = date(2026, 3, 2)
DAILY = list(range(7))


def make_plan(*rules: SopRule, length: int = 14, roles: list[Role] | None = None) -> Plan:
    plan = Plan()
    plan.lifecycle.length_days = length
    plan.lifecycle.start_date = MONDAY
    plan.roles = roles if roles is not None else [Role(id="host", name="群主", hours_per_week=14)]
    plan.sop.rules = list(rules)
    return plan


def daily(name: str = "打卡提醒", at: time = time(9, 0), minutes: int = 10, owner: str = "host",
          **kw: object) -> SopRule:
    return SopRule(name=name, trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=DAILY, at_time=at),
                   minutes=minutes, owner_role=owner, **kw)


def ids(plan: Plan) -> list[str]:
    return [f.rule_id for f in sop_checks.design_findings(plan)]


def test_a_sound_sop_has_no_findings() -> None:
    assert sop_checks.design_findings(make_plan(daily())) == []


def test_no_rules() -> None:
    assert ids(make_plan()) == ["sop.none"]


def test_owner_missing_and_unknown() -> None:
    plan = make_plan(daily(name="A", owner=""), daily(name="B", owner="ghost", at=time(10, 0)),
                     SopRule(name="C", trigger=Trigger(kind=TriggerKind.EVENT, event=EventKind.MEMBER_JOINS)))
    found = [(f.rule_id, f.params.get("rule"), f.severity) for f in sop_checks.design_findings(plan)]
    assert ("sop.no_owner", "A", Severity.ERROR) in found
    assert ("sop.unknown_owner", "B", Severity.ERROR) in found
    assert ("sop.no_owner", "C", Severity.ERROR) in found  # event rules need owners too
    assert "sop.no_owner" not in ids(make_plan(daily()))


def test_over_capacity_uses_hours_per_week_and_headcount() -> None:
    # 14 h/week = 120 min/day. A 90-minute daily task plus a 60-minute task on day 3 → over once.
    plan = make_plan(daily(minutes=90), SopRule(name="活动", owner_role="host", minutes=60,
                                                trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=3,
                                                                at_time=time(20, 0))))
    [finding] = [f for f in sop_checks.design_findings(plan) if f.rule_id == "sop.over_capacity"]
    assert finding.params["days"] == 1 and finding.params["first_date"] == "2026-03-05"
    assert finding.params["peak"] == 150 and finding.params["capacity"] == 120
    plan.roles[0].headcount = 2
    assert "sop.over_capacity" not in ids(plan)


def test_role_without_hours_gets_a_tip_not_an_over_capacity() -> None:
    plan = make_plan(daily(), roles=[Role(id="host", name="群主", hours_per_week=0)])
    found = sop_checks.design_findings(plan)
    assert [(f.rule_id, f.severity) for f in found] == [("sop.hours_unknown", Severity.TIP)]


def test_two_tasks_of_one_role_at_the_same_time() -> None:
    a = daily(name="A", at=time(9, 0), minutes=30)
    b = SopRule(name="B", owner_role="host", minutes=10,
                trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=[2], at_time=time(9, 20)))
    [finding] = [f for f in sop_checks.design_findings(make_plan(a, b)) if f.rule_id == "sop.overlap"]
    assert (finding.params["rule"], finding.params["other"], finding.params["times"]) == ("A", "B", 2)
    assert finding.params["first"] == "2026-03-04 09:20"


def test_back_to_back_tasks_do_not_overlap_and_a_second_person_absorbs_one() -> None:
    a = daily(name="A", at=time(9, 0), minutes=30)
    b = daily(name="B", at=time(9, 30), minutes=30)
    assert "sop.overlap" not in ids(make_plan(a, b))
    c = daily(name="C", at=time(9, 15), minutes=10)
    assert "sop.overlap" in ids(make_plan(a, c))
    two = [Role(id="host", name="群主", hours_per_week=28, headcount=2)]
    assert "sop.overlap" not in ids(make_plan(a, c, roles=two))


def test_tasks_of_different_roles_may_meet() -> None:
    roles = [Role(id="host", name="群主", hours_per_week=14), Role(id="ta", name="助教", hours_per_week=14)]
    assert "sop.overlap" not in ids(make_plan(daily(name="A"), daily(name="B", owner="ta"), roles=roles))


@pytest.mark.parametrize(("at", "minutes", "quiet"), [
    (time(23, 0), 10, True), (time(7, 30), 10, True), (time(21, 55), 10, True),  # runs into 22:00
    (time(21, 50), 10, False), (time(8, 0), 10, False), (time(0, 0), 0, True),
])
def test_quiet_hours_default_window(at: time, minutes: int, quiet: bool) -> None:
    plan = make_plan(daily(at=at, minutes=minutes))
    assert ("sop.quiet_hours" in ids(plan)) is quiet


def test_quiet_hours_are_configurable_and_can_be_switched_off() -> None:
    plan = make_plan(daily(at=time(13, 0), minutes=30))
    assert "sop.quiet_hours" not in ids(plan)
    plan.sop.settings.quiet_start, plan.sop.settings.quiet_end = time(12, 0), time(14, 0)
    [finding] = [f for f in sop_checks.design_findings(plan) if f.rule_id == "sop.quiet_hours"]
    assert finding.params["quiet"] == "12:00–14:00" and finding.params["time"] == "13:00"
    late = make_plan(daily(at=time(23, 0)))
    late.sop.settings.quiet_start = late.sop.settings.quiet_end = time(0, 0)
    assert "sop.quiet_hours" not in ids(late)


def test_in_quiet_hours_across_midnight() -> None:
    q0, q1 = time(22, 0), time(8, 0)
    assert sop_checks.in_quiet_hours(datetime(2026, 3, 2, 21, 0), datetime(2026, 3, 3, 9, 0), q0, q1)
    assert not sop_checks.in_quiet_hours(datetime(2026, 3, 2, 8, 0), datetime(2026, 3, 2, 22, 0), q0, q1)


def test_marketing_share_above_the_setting() -> None:
    promo = daily(name="促销", at=time(12, 0), is_marketing=True)
    plan = make_plan(daily(), promo)  # 50 %
    [finding] = [f for f in sop_checks.design_findings(plan) if f.rule_id == "sop.marketing_share"]
    assert (finding.params["share"], finding.params["max"]) == (50, 30)
    plan.sop.settings.max_marketing_share = 0.5
    assert "sop.marketing_share" not in ids(plan)


def test_days_in_a_row_without_value_content() -> None:
    # Value only on Mondays (days 0 and 7) in 14 days: gaps 1–6 and 8–13, 6 days each.
    weekly = SopRule(name="周一分享", owner_role="host",
                     trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=[0], at_time=time(9, 0)))
    plan = make_plan(weekly)
    [finding] = [f for f in sop_checks.design_findings(plan) if f.rule_id == "sop.value_gap"]
    assert finding.params == {"days": 6, "first": "2026-03-03", "last": "2026-03-08", "runs": 2, "max": 3}
    plan.sop.settings.max_days_without_value = 6
    assert "sop.value_gap" not in ids(plan)


def test_marketing_days_do_not_count_as_value() -> None:
    plan = make_plan(daily(name="促销", is_marketing=True))
    plan.sop.settings.max_marketing_share = 1
    [finding] = [f for f in sop_checks.design_findings(plan) if f.rule_id == "sop.value_gap"]
    assert finding.params["days"] == 14


def test_unknown_placeholders_in_a_script() -> None:
    plan = make_plan(daily(script="欢迎{member_name}，今天是{dya}，{name}"))
    [finding] = [f for f in sop_checks.design_findings(plan) if f.rule_id == "sop.unknown_placeholder"]
    assert finding.params["placeholders"] == "{dya} {name}"
    assert "sop.unknown_placeholder" not in ids(make_plan(daily(script="欢迎{member_name}")))


def test_findings_are_well_formed_and_localized() -> None:
    plan = make_plan(daily(name="A", owner=""), daily(at=time(23, 0), script="{x}", is_marketing=True,
                                                      minutes=500))
    found = sop_checks.design_findings(plan)
    assert len({f.rule_id for f in found}) >= 5
    for f in found:
        assert f.step == Step.SOP and f.rule_id.startswith("sop.")
        for lang in i18n.LANGS:
            for key in (f.message_key, f.fix_key):
                assert i18n.has(key, lang), key
                fields = {name.split("|")[0] for _, name, _, _ in string.Formatter().parse(i18n.t(key, lang))
                          if name}  # a plural form {n|one|other} names its count n
                assert fields <= f.params.keys(), key


def test_the_doctor_reports_shared_owner_findings_once() -> None:
    plan = make_plan(daily(name="A", owner=""))
    assert [f.rule_id for f in diagnose(plan)].count("sop.no_owner") == 1


def test_checks_work_without_a_start_date() -> None:
    plan = make_plan(daily(at=time(23, 0)))
    plan.lifecycle.start_date = None
    assert "sop.quiet_hours" in ids(plan)


def test_design_findings_use_a_given_schedule() -> None:
    """The SOP page hands over the schedule it shows; the findings are those of that expansion."""
    from dataclasses import replace

    from planner.sop.schedule import expand

    plan = make_plan(daily(at=time(23, 30)))
    start = date(2026, 3, 2)
    schedule = expand(plan, start)
    given = sop_checks.design_findings(plan, schedule=schedule)
    assert given == sop_checks.design_findings(plan, start)
    assert "sop.quiet_hours" in [f.rule_id for f in given]
    empty = replace(schedule, tasks=())
    assert "sop.quiet_hours" not in [f.rule_id for f in sop_checks.design_findings(plan, schedule=empty)]
