"""One-page summary: fixed sections, localized, gaps visible as "—"."""

from __future__ import annotations

from datetime import time

import pytest

from models.plan import Plan
from models.sop import SopRule, Trigger, TriggerKind
from planner import i18n
from planner.plan.summary import MAX_SOP_MOMENTS, SummarySection, one_page, trigger_text
from tests.sample_plans import complete_plan

KEYS = ["positioning", "goal", "lifecycle", "roles", "sop", "kpis"]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_sections_in_fixed_order_with_titles(lang: str) -> None:
    sections = one_page(complete_plan(), lang)
    assert [s.key for s in sections] == KEYS
    assert all(isinstance(s, SummarySection) and s.title and s.lines for s in sections)
    for section in sections:
        for label, value in section.lines:
            assert "summary." not in label and "summary." not in value


def test_content_of_a_complete_plan() -> None:
    by_key = {s.key: dict(s.lines) for s in one_page(complete_plan(), "en")}
    assert by_key["positioning"]["Why"] == "培养早起习惯"
    assert by_key["goal"]["Goal"] == "80% 成员完成 15 次打卡"
    assert by_key["goal"]["Target"] == "0.8"
    assert by_key["lifecycle"]["Length"] == "21 days"
    assert by_key["lifecycle"]["Acquisition"] == "days 1–5"  # stored 0–4: the opening day is day 1
    assert by_key["roles"]["助教 ×2"] == "拉动观望者"
    assert by_key["sop"]["Opening day (day 1) 20:00"] == "开营 (领教)"  # the opening day is day 1 to a reader
    assert by_key["sop"]["Every Mon/Tue/Wed/Thu/Fri 08:30"] == "打卡提醒 (助教)"
    assert by_key["kpis"]["活跃人数"] == "80 (day 15)"  # stored due day 14, read from 1


def test_blank_plan_shows_gaps() -> None:
    sections = {s.key: s for s in one_page(Plan(), "zh")}
    assert dict(sections["positioning"].lines)["为什么（WHY）"] == "—"
    assert sections["roles"].lines == [("尚未设置角色", "—")]
    assert sections["kpis"].lines == [("尚未设置 KPI", "—")]


def test_sop_moments_are_capped_and_ordered() -> None:
    plan = complete_plan()
    plan.sop.rules = [
        SopRule(name=f"r{day}", owner_role="lead", trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=day))
        for day in range(MAX_SOP_MOMENTS + 3, 0, -1)
    ]
    lines = next(s for s in one_page(plan, "en") if s.key == "sop").lines
    assert len(lines) == MAX_SOP_MOMENTS + 1
    assert lines[0][1].startswith("r1 ")
    assert lines[-1] == ("…", "3 more rules")


def test_trigger_text_for_each_kind() -> None:
    rule = SopRule(trigger=Trigger(kind=TriggerKind.MEMBER_DAY, day=2, at_time=time(9, 30)))
    assert trigger_text(rule, "zh") == "入群第 3 天 09:30"  # stored from 0, read from 1
    opening = SopRule(trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=0, at_time=time(20, 0)))
    assert trigger_text(opening, "zh") == "开营日（第 1 天）20:00"  # named, not 第 1 天 after opening
    rule = SopRule(trigger=Trigger(kind=TriggerKind.EVENT, event="member_joins", day=None))
    assert trigger_text(rule, "en") == "A member joins"


def test_long_term_goal_behaviours_and_review_are_in_the_summary() -> None:
    by_key = {s.key: dict(s.lines) for s in one_page(complete_plan(), "zh")}
    assert by_key["goal"]["长期目标"] == "结营成员成为下一期的助教"
    assert "每天 7:00 前打卡" in by_key["goal"]["成员标准行为"]
    assert by_key["lifecycle"]["复盘"].endswith("19:00")
