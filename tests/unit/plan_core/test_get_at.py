"""get_at walks the models and dumps only the field it reaches: the same JSON as a walk in the whole
plan's dump, for every path of every example plan, and the same errors for paths that are not there."""

from __future__ import annotations

from typing import Any

import pytest

from models.plan import Plan
from planner.plan.examples import example_slugs, load_example
from planner.plan_core.edit import get_at


def _in_full_dump(plan: Plan, path: str) -> Any:
    data: Any = plan.model_dump(mode="json")
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _paths(data: Any, prefix: str = "") -> list[str]:
    found = [prefix] if prefix else []
    items = enumerate(data) if isinstance(data, list) else data.items() if isinstance(data, dict) else ()
    for key, value in items:
        found += _paths(value, f"{prefix}.{key}" if prefix else str(key))
    return found


@pytest.mark.parametrize("slug", example_slugs())
def test_every_path_reads_as_in_the_full_dump(slug: str) -> None:
    plan = load_example(slug)
    paths = _paths(plan.model_dump(mode="json"))
    assert len(paths) > 50  # a real plan, not an empty walk
    for path in paths:
        assert get_at(plan, path) == _in_full_dump(plan, path), path


def test_a_blank_plan_and_negative_indexes() -> None:
    plan = load_example(example_slugs()[0])
    assert get_at(plan, "sop.rules.-1") == _in_full_dump(plan, "sop.rules.-1")
    blank = Plan()
    for path in _paths(blank.model_dump(mode="json")):
        assert get_at(blank, path) == _in_full_dump(blank, path), path


@pytest.mark.parametrize("path", ["nope", "meta.nope", "sop.rules.999.name", "sop.rules.x", "meta.name.0"])
def test_missing_paths_fail_as_the_full_dump_does(path: str) -> None:
    plan = load_example(example_slugs()[0])
    with pytest.raises(Exception) as expected:
        _in_full_dump(plan, path)
    with pytest.raises(type(expected.value)):
        get_at(plan, path)
