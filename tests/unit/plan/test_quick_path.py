"""Quick path: ten answers written onto the plan's own fields; bad length or no name refused."""

from __future__ import annotations

from datetime import date

import pytest

from models.enums import CommunityType
from models.plan import Goal, Plan
from planner.plan.doctor import diagnose
from planner.plan.quick_path import QuickAnswers, answers_from_plan, apply_answers, length_options, parse_length

ANSWERS = QuickAnswers(
    name="读书会", community_type=CommunityType.PAID_MEMBERSHIP, category="读书", target_members="上班族",
    why="带动会员续费", what="每周共读一本书", length_days=30, start_date=date(2026, 12, 1),
    goal="70% 会员读完 4 本书", goal_target=70, goal_unit="%", how="199 元年费",
)


def test_answers_land_on_the_plan_fields() -> None:
    plan, problems = apply_answers(Plan(), ANSWERS)
    assert problems == []
    assert plan.meta.name == "读书会" and plan.meta.community_type == CommunityType.PAID_MEMBERSHIP
    assert plan.elements.interest.category == "读书"
    assert plan.elements.structure.target_members == "上班族"
    assert (plan.positioning.why, plan.positioning.what, plan.positioning.how) == ("带动会员续费", "每周共读一本书",
                                                                                   "199 元年费")
    assert (plan.lifecycle.length_days, plan.lifecycle.start_date) == (30, date(2026, 12, 1))
    assert [(g.statement, g.target, g.unit) for g in plan.lifecycle.goals] == [("70% 会员读完 4 本书", 70, "%")]


def test_round_trip_prefills_the_form() -> None:
    plan, _ = apply_answers(Plan(), ANSWERS)
    assert answers_from_plan(plan) == ANSWERS


def test_quick_plan_clears_the_errors_the_ten_questions_cover() -> None:
    plan, _ = apply_answers(Plan(), ANSWERS)
    ids = {f.rule_id for f in diagnose(plan)}
    assert not ids & {"lifecycle.no_length", "lifecycle.no_start", "goal.none", "goal.no_target",
                      "positioning.no_why", "positioning.free_no_value", "positioning.no_monetisation",
                      "elements.no_category", "positioning.no_who"}
    assert "roles.none" in ids  # the full path still has work to do


def test_existing_goal_keeps_metric_and_other_goals() -> None:
    plan = Plan()
    plan.lifecycle.goals = [Goal(statement="old", metric="checkin_rate", evaluation_rule="按记录"), Goal(statement="b")]
    updated, _ = apply_answers(plan, ANSWERS)
    first = updated.lifecycle.goals[0]
    assert (first.statement, first.metric, first.evaluation_rule) == ("70% 会员读完 4 本书", "checkin_rate", "按记录")
    assert len(updated.lifecycle.goals) == 2
    assert plan.lifecycle.goals[0].statement == "old"  # the input plan is untouched


def test_no_goal_answer_adds_no_goal() -> None:
    plan, _ = apply_answers(Plan(), ANSWERS.model_copy(update={"goal": "", "goal_target": None}))
    assert plan.lifecycle.goals == []


@pytest.mark.parametrize(("raw", "days"), [(21, 21), ("45", 45), (" 45 天", 45), ("90 days", 90), ("3650", 3650)])
def test_parse_length_accepts(raw: object, days: int) -> None:
    assert parse_length(raw) == (days, [])


@pytest.mark.parametrize("raw", [None, "", "abc", "0", 0, "3651", "-5", "4.5"])
def test_parse_length_rejects(raw: object) -> None:
    days, problems = parse_length(raw)
    assert days is None and [p.key for p in problems] == ["quick.problem.bad_length"]


def test_name_and_length_are_required() -> None:
    plan = Plan()
    result, problems = apply_answers(plan, ANSWERS.model_copy(update={"name": "  ", "length_days": "x"}))
    assert result is plan
    assert [p.key for p in problems] == ["quick.problem.no_name", "quick.problem.bad_length"]


def test_length_options_include_a_custom_length() -> None:
    assert length_options(None) == [21, 30, 70, 100, 365]
    assert length_options(45) == [21, 30, 45, 70, 100, 365]
    assert length_options(30) == [21, 30, 70, 100, 365]
