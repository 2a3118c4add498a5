"""Pure edits of a Plan by dotted path, used by the pages' widgets ("elements.interest.slogan").

Each edit returns a new, validated Plan or the problems that stop it; the old plan is untouched.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from models.plan import Plan
from models.problems import Problem
from planner.plan_core.json_io import validation_problems


def _walk(data: Any, part: str) -> Any:
    return data[int(part)] if isinstance(data, list) else data[part]


def get_at(plan: Plan, path: str) -> Any:
    """The JSON-mode value at `path` (lists and dicts as plain Python)."""
    data: Any = plan.model_dump(mode="json")
    for part in path.split("."):
        data = _walk(data, part)
    return data


def with_value(plan: Plan, path: str, value: Any) -> tuple[Plan, list[Problem]]:
    """A copy of `plan` with `value` at `path`, validated; on failure (plan, problems)."""
    data: Any = copy.deepcopy(plan.model_dump(mode="json"))
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = _walk(node, part)
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    try:
        return Plan.model_validate(data), []
    except ValidationError as exc:
        return plan, validation_problems(exc)
