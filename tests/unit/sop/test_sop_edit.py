"""planner.sop.edit: rules from the page's form values, upsert, delete, appending defaults."""

from __future__ import annotations

from datetime import date, time

import pytest

from models.plan import Plan, Role
from models.sop import EventKind, TriggerKind
from planner.sop import edit as sop_edit


def values(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {"name": "打卡提醒", "kind": "group_day", "day": 2, "at_time": time(8, 30),
                               "owner_role": "ta", "minutes": 15, "type": "periodic", "stage": "activation",
                               "audience": "everyone", "task": "提醒", "script": "{member_name}", "channel": "群",
                               "material": "", "is_marketing": False}
    return {**base, **kw}


@pytest.mark.parametrize(("extra", "check"), [
    ({}, lambda t: (t.kind, t.day, t.at_time) == (TriggerKind.GROUP_DAY, 2, time(8, 30))),
    ({"kind": "member_day", "day": 0}, lambda t: (t.kind, t.day) == (TriggerKind.MEMBER_DAY, 0)),
    ({"kind": "weekly", "weekdays": [4, 0, 4]}, lambda t: t.weekdays == [0, 4] and t.day is None),
    ({"kind": "absolute", "at_date": date(2026, 5, 1), "at_time": time(10, 0)},
     lambda t: t.at is not None and t.at.isoformat() == "2026-05-01T10:00:00"),
    ({"kind": "event", "event": "member_inactive", "threshold": 3},
     lambda t: (t.event, t.threshold, t.at_time) == (EventKind.MEMBER_INACTIVE, 3, None)),
    ({"kind": "event", "event": "member_joins", "threshold": 9}, lambda t: t.threshold is None),
])
def test_each_kind_keeps_only_its_fields(extra: dict[str, object], check) -> None:
    rule, problems = sop_edit.rule_from_form(values(**extra))
    assert problems == [] and rule is not None
    assert check(rule.trigger)


@pytest.mark.parametrize(("extra", "key"), [
    ({"name": "  "}, "sop.form.need_name"),
    ({"kind": "weekly", "weekdays": []}, "sop.form.need_weekday"),
    ({"kind": "absolute", "at_date": None}, "sop.form.need_date"),
    ({"kind": "event", "event": "group_size", "threshold": None}, "sop.form.need_threshold"),
    ({"day": None}, "sop.form.need_day"),
    ({"minutes": -5}, "validation.greater_than_equal"),
])
def test_bad_values_give_problems(extra: dict[str, object], key: str) -> None:
    rule, problems = sop_edit.rule_from_form(values(**extra))
    assert rule is None and [p.key for p in problems] == [key]


def test_upsert_replaces_by_id_and_delete_removes() -> None:
    plan = Plan()
    first, _ = sop_edit.rule_from_form(values())
    plan, problems = sop_edit.upsert_rule(plan, first)
    assert problems == [] and [r.name for r in plan.sop.rules] == ["打卡提醒"]
    renamed, _ = sop_edit.rule_from_form(values(name="晨间提醒"), first.id)
    plan, _ = sop_edit.upsert_rule(plan, renamed)
    assert [(r.id, r.name) for r in plan.sop.rules] == [(first.id, "晨间提醒")]
    plan, _ = sop_edit.delete_rule(plan, first.id)
    assert plan.sop.rules == []


def test_add_missing_defaults_twice_adds_once() -> None:
    plan = Plan()
    plan.lifecycle.length_days = 21
    plan.roles = [Role(name="助教")]
    plan, added = sop_edit.add_missing_defaults(plan, "zh")
    assert added == len(plan.sop.rules) > 5
    again, added_again = sop_edit.add_missing_defaults(plan, "zh")
    assert added_again == 0 and again.sop.rules == plan.sop.rules
