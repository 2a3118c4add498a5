"""A 话术 filled from a plan that leaves a placeholder empty still reads as a sentence: no 「」, no
"( yuan)", no double space (planner/sop/schedule.py `fill`)."""

from __future__ import annotations

from datetime import date

import pytest

from models.plan import Goal, Plan, Role
from models.sop import SopRule
from planner.sop import schedule as sop


def bare_plan() -> Plan:
    plan = Plan()
    plan.meta.name = "晨读营"
    plan.lifecycle.length_days = 21
    plan.lifecycle.start_date = date(2026, 3, 2)
    plan.roles = [Role(id="host", name="群主")]
    return plan


def fill(script: str, plan: Plan, lang: str = "zh", **rule: object) -> str:
    return sop.fill_script(SopRule(script=script, **rule), plan, 0, lang=lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_default_opening_without_a_goal_reads_naturally(lang: str) -> None:
    plan = bare_plan()  # no goal
    opening = next(r for r in sop.default_rules(plan, lang) if r.id == "default-opening")
    assert "{goal}" in opening.script
    text = sop.fill_script(opening, plan, 0, lang=lang)
    assert "「」" not in text and "“”" not in text and "  " not in text
    assert {"zh": "一起朝着我们共同的目标努力", "en": "towards our shared goal."}[lang] in text


def test_a_goal_keeps_its_quotes() -> None:
    plan = bare_plan()
    plan.lifecycle.goals = [Goal(statement="读完 3 本书")]
    assert fill("朝着「{goal}」努力", plan) == "朝着「读完 3 本书」努力"


def test_empty_values_in_quotes_brackets_and_plain_text() -> None:
    plan = bare_plan()  # no goal, no ladder, no slogan; the rule has no owner and no material
    assert fill("朝着「{goal}」努力", plan) == "朝着我们共同的目标努力"
    assert fill("towards “{goal}”.", plan, "en") == "towards our shared goal."
    assert fill("我们只做一件事：{goal}。", plan) == "我们只做一件事：我们共同的目标。"
    assert fill("报名{offer}（{price}），老成员优先", plan) == "报名下一期，老成员优先"
    assert fill("Join {offer} ({price}); members first", plan, "en") == "Join the next round; members first"
    assert fill("{owner}先来做个示范", plan) == "群主先来做个示范"
    assert fill("福利：{material}。", plan) == "福利：详见群公告。"
    assert fill("口号：{slogan}！", plan) == "口号：！"  # nothing neutral to say: left empty, not a placeholder
    assert fill("{oops}「{goal}」", plan) == "{oops}我们共同的目标"  # unknown names stay as typed


def test_filled_values_are_unchanged_around_marks() -> None:
    plan = bare_plan()
    assert fill("第 {day} 天（{weekday}）", plan) == "第 1 天（周一）"
    assert fill("{owner}：{material}", plan, owner_role="host", material="书单") == "群主：书单"
