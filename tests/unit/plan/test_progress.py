"""Completeness per step and overall: one definition for sidebar, doctor page and CLI."""

from __future__ import annotations

import pytest

from models.enums import CommunityType, Feeling
from models.plan import Goal, Plan, Role
from models.problems import Step
from planner import i18n
from planner.plan.progress import FIELDS, META, STEPS, completeness, step_label, step_progress
from tests.sample_plans import complete_plan


def test_steps_are_meta_then_every_page_step() -> None:
    assert (META, *(s.value for s in Step)) == STEPS
    assert [s.step for s in completeness(Plan()).steps] == list(STEPS)


def test_blank_plan_is_zero_and_complete_plan_is_hundred() -> None:
    blank, full = completeness(Plan()), completeness(complete_plan())
    assert blank.score == 0 and all(s.filled == 0 for s in blank.steps)
    assert full.score == 100 and all(s.filled == s.total and not s.missing for s in full.steps)


def test_totals_match_field_lists() -> None:
    for s in completeness(Plan()).steps:
        assert s.total == len(FIELDS[s.step]) > 0
        assert s.missing == list(FIELDS[s.step])


def test_filling_a_field_counts_once() -> None:
    plan = Plan()
    plan.meta.name = "读书会"
    meta = step_progress(plan, META)
    assert (meta.filled, meta.total, meta.missing) == (1, 2, ["meta.community_type"])
    plan.meta.community_type = CommunityType.BRAND_FANS
    assert step_progress(plan, META).filled == 2


def test_whitespace_is_not_filled() -> None:
    plan = Plan()
    plan.positioning.why = "   "
    assert step_progress(plan, "positioning").filled == 0


def test_two_goals_do_not_fill_the_one_goal() -> None:
    plan = Plan()
    plan.lifecycle.goals = [Goal(statement="a", metric="m", target=1, evaluation_rule="r")]
    assert "lifecycle.goals" not in step_progress(plan, "lifecycle").missing
    plan.lifecycle.goals.append(Goal(statement="b"))
    missing = step_progress(plan, "lifecycle").missing
    assert {"lifecycle.goals", "lifecycle.goals.metric"} <= set(missing)


def test_roles_complete_needs_every_role() -> None:
    plan = Plan(roles=[Role(name="a", behaviour="x", responsibility="y"), Role(name="b")])
    progress = step_progress(plan, "roles")
    assert "roles" not in progress.missing and "roles.complete" in progress.missing


def test_feelings_count_separately() -> None:
    plan = Plan()
    plan.elements.operations.feelings[Feeling.RITUAL] = ["开营仪式"]
    missing = step_progress(plan, "elements").missing
    assert "elements.operations.feelings.ritual" not in missing
    assert "elements.operations.feelings.belonging" in missing


def test_score_is_mean_of_step_ratios() -> None:
    plan = Plan()
    plan.meta.name = "x"  # 1/2 of meta, nothing else
    progress = completeness(plan)
    assert progress.score == round(100 * 0.5 / len(STEPS))
    assert progress.step(META).percent == 50


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_step_has_a_label(lang: str) -> None:
    for step in STEPS:
        label = step_label(step, lang)
        assert label and not label.startswith(("progress.", "enum."))
