"""Pure edits of a Plan by dotted path, used by the pages' widgets ("elements.interest.slogan").

Each edit returns a new, validated Plan or the problems that stop it; the old plan is untouched.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, ValidationError

from models.plan import Plan
from models.problems import Problem
from planner.plan_core.json_io import validation_problems


def _walk(data: Any, part: str) -> Any:
    return data[int(part)] if isinstance(data, list) else data[part]


def get_at(plan: Plan, path: str) -> Any:
    """The JSON-mode value at `path` (lists and dicts as plain Python).

    Every bound widget asks for its value on every run: dumping the whole plan each time cost a page
    of a year-long plan some 15 ms a run. The path is walked on the models instead and only the field
    it reaches inside the deepest model on the way is dumped, by that model (the same JSON)."""
    parts = path.split(".")
    model: BaseModel = plan
    rest = parts
    node: Any = plan
    for index, part in enumerate(parts[:-1]):
        if isinstance(node, BaseModel):
            if part not in type(node).model_fields:
                break
            node = getattr(node, part)
        elif isinstance(node, list) and part.lstrip("-").isdigit() and -len(node) <= int(part) < len(node):
            node = node[int(part)]
        else:
            break  # a dict or a plain value: walked in its JSON form below
        if isinstance(node, BaseModel):
            model, rest = node, parts[index + 1:]
    if rest[0] not in type(model).model_fields:
        return _get_in_dump(plan, parts)  # not a field: fails (or not) exactly as the full dump does
    data: Any = model.model_dump(mode="json", include={rest[0]})[rest[0]]
    for part in rest[1:]:
        data = _walk(data, part)
    return data


def _get_in_dump(plan: Plan, parts: list[str]) -> Any:
    data: Any = plan.model_dump(mode="json")
    for part in parts:
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
