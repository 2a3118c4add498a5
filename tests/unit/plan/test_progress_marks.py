"""The per-step marks of the sidebar's completeness list: done, started or empty, from filled/total."""

from __future__ import annotations

from models.plan import Plan
from planner.plan.progress import STEPS, StepProgress, completeness
from tests.sample_plans import complete_plan


def test_marks_follow_filled_and_total() -> None:
    assert StepProgress(step="meta", filled=2, total=2, missing=[]).state == "done"
    assert StepProgress(step="meta", filled=1, total=2, missing=["x"]).state == "started"
    assert StepProgress(step="meta", filled=0, total=2, missing=["x", "y"]).state == "empty"


def test_a_blank_plan_and_a_complete_one() -> None:
    blank = Plan()
    blank.meta.name = "空白"
    states = {s.step: s.state for s in completeness(blank).steps}
    assert list(states) == list(STEPS)
    assert states["meta"] == "started" and states["research"] == "empty"
    assert {s.state for s in completeness(complete_plan()).steps} == {"done"}
