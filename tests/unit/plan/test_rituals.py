"""Generated ritual texts carry the plan's own name, goal, team and schedule."""

from __future__ import annotations

from datetime import date

import pytest

from models.plan import ContentPillar, Goal, Plan, Role
from planner.plan.lifecycle import split_evenly
from planner.plan.rituals import opening_ceremony_text, self_intro_template


def _plan() -> Plan:
    plan = Plan()
    plan.meta.name = "Morning Club"
    plan.elements.interest.slogan = "Up with the sun"
    plan.lifecycle.length_days = 21
    plan.lifecycle.start_date = date(2026, 3, 1)
    plan.lifecycle.goals = [Goal(statement="Rise at 6:00 for 21 days", evaluation_rule="18 check-ins")]
    plan.lifecycle.stages = split_evenly(21)
    plan.roles = [Role(name="Coach Li", responsibility="answers questions")]
    plan.elements.content = [ContentPillar(topic="Sleep science", form="voice", cadence="weekly")]
    plan.elements.structure.group_rules = ["No ads"]
    return plan


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_opening_ceremony_uses_the_plan(lang: str) -> None:
    text = opening_ceremony_text(_plan(), lang)
    for expected in ("Morning Club", "Up with the sun", "Rise at 6:00 for 21 days", "18 check-ins", "Coach Li",
                     "answers questions", "2026-03-01", "Sleep science", "No ads"):
        assert expected in text
    assert "roles.gen." not in text  # every catalog key resolved
    assert "{" not in text


def test_brand_name_wins_over_plan_name() -> None:
    plan = _plan()
    plan.elements.interest.brand_name = "十点起床"
    assert "十点起床" in opening_ceremony_text(plan, "zh")
    assert "十点起床" in self_intro_template(plan, "zh")


def test_blank_plan_still_gets_a_usable_text() -> None:
    text = opening_ceremony_text(Plan(), "en")
    assert "Lifecycle page" in text  # says where to write the goal
    assert "Untitled" in text or "untitled" in text.lower() or "未命名" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_self_intro_template_mentions_goal_and_six_prompts(lang: str) -> None:
    text = self_intro_template(_plan(), lang)
    assert "Morning Club" in text and "Rise at 6:00 for 21 days" in text
    assert sum(1 for line in text.splitlines() if line[:2] in {f"{i}." for i in range(1, 7)}) == 6
    assert "Rise at" not in self_intro_template(Plan(), lang)
