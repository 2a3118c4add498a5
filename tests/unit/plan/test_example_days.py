"""Day numbers written in the example plans' texts are the days a person reads (counted from 1).

Stored lifecycle days count from 0 (planner/sop/schedule.py); a text written by hand says "第 7 天"
or "day 7" as read. Where a text belongs to something with a stored day (a dated SOP rule, a stage,
a KPI, the opening and closing ceremonies) the numbers are compared with that day as shown.
Free texts that name a day without anything stored to compare with are only checked for day 0.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from models.plan import Plan
from models.sop import TriggerKind
from planner.days import display_day
from planner.paths import EXAMPLES
from planner.plan.examples import example_slugs
from planner.plan_core.json_io import plan_from_json

# "第 7 天", "第7天", "day 7", "Day 7" — not "7天" or "7 days" (a length, not a day).
_DAY = re.compile(r"第\s*(\d+)\s*天|\bday\s+(\d+)\b", re.IGNORECASE)


def days_named(text: str) -> list[int]:
    return [int(zh or en) for zh, en in _DAY.findall(text)]


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


@pytest.fixture(params=example_slugs())
def plan(request: pytest.FixtureRequest) -> Plan:
    path = EXAMPLES / f"{request.param}.json"
    loaded, problems = plan_from_json(path.read_bytes(), file=path.name)
    assert problems == [] and loaded is not None
    return loaded


def test_days_named_reads_both_languages() -> None:
    assert days_named("第 7 天直播，第30天结营；day 4 and Day 30; 7天, 30 days") == [7, 30, 4, 30]


def test_no_text_names_day_zero(plan: Plan) -> None:
    texts = list(_texts(json.loads(plan.model_dump_json())))
    assert [t for t in texts if 0 in days_named(t)] == []


def test_dated_rules_name_their_own_day(plan: Plan) -> None:
    checked = 0
    for rule in plan.sop.rules:
        trigger = rule.trigger
        if trigger.kind not in (TriggerKind.GROUP_DAY, TriggerKind.MEMBER_DAY) or trigger.day is None:
            continue
        for text in (rule.name, rule.task, rule.script, rule.material):
            for day in days_named(text):
                checked += 1
                assert day == display_day(trigger.day), (rule.id, text)
    # at least the examples with a "入群第 N 天" rule are actually compared
    assert checked or plan.meta.language == "en"


def test_stage_texts_name_days_inside_the_stage(plan: Plan) -> None:
    for stage in plan.lifecycle.stages:
        shown = range(display_day(stage.start_day), display_day(stage.end_day) + 1)
        for day in days_named(stage.focus):
            assert day in shown, (stage.stage, stage.focus)


def test_kpi_labels_name_their_due_day(plan: Plan) -> None:
    for kpi in plan.kpis:
        for day in days_named(kpi.label):
            assert kpi.due_day is not None and day == display_day(kpi.due_day), kpi.label


def test_ceremonies_start_on_the_day_of_their_rule(plan: Plan) -> None:
    # Each example's ceremony text opens with its day ("第1天20:00…", "Day 30, 19:00: …"), the
    # same day as the SOP rule that holds the ceremony.
    for rule_id, text in (("opening", plan.rituals.opening_ceremony), ("closing", plan.rituals.closing_ceremony)):
        rule = next(r for r in plan.sop.rules if r.id == rule_id)
        assert rule.trigger.day is not None
        assert days_named(text)[:1] == [display_day(rule.trigger.day)], (rule_id, text)
