"""The quick path: ten essential answers that make a short, valid plan to grow later.

The answers map onto the full plan's own fields (nothing is stored twice), so everything typed
here shows up on the guided step pages and the other way round.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from models.enums import LIFECYCLE_PRESETS, CommunityType
from models.plan import Goal, Plan
from models.problems import Problem
from planner.plan_core.json_io import validation_problems

DEFAULT_LENGTH = LIFECYCLE_PRESETS[0]
MAX_LENGTH = 3650
_LENGTH = re.compile(r"^\s*(\d+)\s*(天|日|days?|d)?\s*$", re.IGNORECASE)


class QuickAnswers(BaseModel):
    name: str = ""
    community_type: CommunityType = CommunityType.OTHER
    category: str = ""
    target_members: str = ""
    why: str = ""
    what: str = ""
    length_days: Any = None  # as the widget gives it: a preset int or typed text ("45", "45 天")
    start_date: date | None = None
    goal: str = ""
    goal_target: float | None = None
    goal_unit: str = ""
    how: str = ""


def length_options(current: int | None) -> list[int]:
    """The lifecycle presets, plus the plan's own length when it is not one of them."""
    options = list(LIFECYCLE_PRESETS)
    if current is not None and current not in options:
        options = sorted([*options, current])
    return options


def answers_from_plan(plan: Plan) -> QuickAnswers:
    """The plan's current values for the ten questions (to prefill the form)."""
    goal = next((g for g in plan.lifecycle.goals), None)
    return QuickAnswers(
        name=plan.meta.name,
        community_type=plan.meta.community_type,
        category=plan.elements.interest.category,
        target_members=plan.elements.structure.target_members,
        why=plan.positioning.why,
        what=plan.positioning.what,
        length_days=plan.lifecycle.length_days or DEFAULT_LENGTH,
        start_date=plan.lifecycle.start_date,
        goal=goal.statement if goal else "",
        goal_target=goal.target if goal else None,
        goal_unit=goal.unit if goal else "",
        how=plan.positioning.how,
    )


def parse_length(raw: Any) -> tuple[int | None, list[Problem]]:
    """A lifecycle length from a preset or typed text; a problem when it is not 1–3650 days."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        days: int | None = raw
    else:
        match = _LENGTH.match(str(raw or ""))
        days = int(match.group(1)) if match else None
    if days is None or not 1 <= days <= MAX_LENGTH:
        return None, [Problem(key="quick.problem.bad_length", params={"value": "" if raw is None else str(raw)})]
    return days, []


def apply_answers(plan: Plan, answers: QuickAnswers) -> tuple[Plan, list[Problem]]:
    """A copy of `plan` with the answers written into their fields, or (plan, problems).

    Only the name and a valid length are required; the doctor points out the rest. The first
    goal is updated in place (keeping its metric and evaluation rule), so several goals stay
    visible to the doctor rather than being silently dropped."""
    problems: list[Problem] = []
    if not answers.name.strip():
        problems.append(Problem(key="quick.problem.no_name"))
    days, length_problems = parse_length(answers.length_days)
    problems += length_problems
    if problems:
        return plan, problems

    data = plan.model_dump(mode="json")
    data["meta"].update(name=answers.name.strip(), community_type=answers.community_type.value)
    data["elements"]["interest"]["category"] = answers.category.strip()
    data["elements"]["structure"]["target_members"] = answers.target_members.strip()
    data["positioning"].update(why=answers.why.strip(), what=answers.what.strip(), how=answers.how.strip())
    life = data["lifecycle"]
    life["length_days"] = days
    life["start_date"] = answers.start_date.isoformat() if answers.start_date else None
    goal_fields = {"statement": answers.goal.strip(), "target": answers.goal_target, "unit": answers.goal_unit.strip()}
    if life["goals"]:
        life["goals"][0].update(goal_fields)
    elif goal_fields["statement"] or goal_fields["target"] is not None:
        life["goals"] = [Goal(**goal_fields).model_dump(mode="json")]
    try:
        return Plan.model_validate(data), []
    except ValidationError as exc:
        return plan, validation_problems(exc)
