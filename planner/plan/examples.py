"""The example plans shipped in `assets/examples/<slug>.json`."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from models.plan import Plan
from planner.paths import EXAMPLES
from planner.plan_core.json_io import plan_from_json


def example_slugs() -> list[str]:
    """The shipped examples' slugs, sorted. Every field's placeholder asks (planner.plan.hints), a
    dozen times a rerun: the folder is listed again only when its modification time changed (a file
    added, removed or renamed), one stat instead of a directory scan."""
    try:
        changed = EXAMPLES.stat().st_mtime_ns
    except OSError:  # no examples folder: no examples
        return []
    return list(_slugs_in(EXAMPLES, changed))


@lru_cache(maxsize=4)
def _slugs_in(folder: Path, changed: int) -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in folder.glob("*.json")))


@cache
def _example(slug: str) -> Plan:
    path = EXAMPLES / f"{slug}.json"
    plan, problems = plan_from_json(path.read_bytes(), file=path.name)
    if plan is None:
        raise ValueError(f"example {slug} is invalid: {[p.key for p in problems]}")
    return plan


def example_slugs_for(lang: str) -> list[str]:
    """The slugs with the examples written in `lang` first: lists and default choices start with
    plans a person can read; the others follow (names are not translated)."""
    return sorted(example_slugs(), key=lambda slug: _example(slug).meta.language != lang)


def load_example(slug: str, fresh_id: bool = True) -> Plan:
    """The example as a new plan (its own id unless `fresh_id` is False)."""
    if slug not in example_slugs():
        raise KeyError(slug)
    plan = _example(slug).model_copy(deep=True)
    if fresh_id:
        plan.id = Plan().id
        plan.meta.created_on = None
        plan.meta.updated_at = None
    return plan


def new_blank_plan(name: str = "", lang: str = "zh") -> Plan:
    plan = Plan()
    plan.meta.name = name
    plan.meta.language = lang
    return plan
