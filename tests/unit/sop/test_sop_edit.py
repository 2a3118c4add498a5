"""planner.sop.edit: rules from the page's form values, upsert, delete, appending defaults."""

from __future__ import annotations

from datetime import date, time

import pytest

from models.plan import Plan, Role
from models.sop import EventKind, TriggerKind
from planner.sop import edit as sop_edit


def values(**kw: object) -> dict[str, object]:
    # "day" is as the form asks it, counted from 1 (the opening day is day 1); rules store it from 0
    base: dict[str, object] = {"name": "打卡提醒", "kind": "group_day", "day": 3, "at_time": time(8, 30),
                               "owner_role": "ta", "minutes": 15, "type": "periodic", "stage": "activation",
                               "audience": "everyone", "task": "提醒", "script": "{member_name}", "channel": "群",
                               "material": "", "is_marketing": False}
    return {**base, **kw}


@pytest.mark.parametrize(("extra", "check"), [
    ({}, lambda t: (t.kind, t.day, t.at_time) == (TriggerKind.GROUP_DAY, 2, time(8, 30))),
    ({"kind": "member_day", "day": 1}, lambda t: (t.kind, t.day) == (TriggerKind.MEMBER_DAY, 0)),
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
    ({"day": 0}, "sop.form.need_day"),  # there is no day 0 for a person: the opening day is day 1
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


def _example_with_defaults(slug: str, times: int) -> Plan:
    from planner.plan.examples import load_example

    plan = load_example(slug)
    for _ in range(times):
        plan, _ = sop_edit.add_missing_defaults(plan, "zh")
    return plan


@pytest.mark.parametrize("slug", ["early_rise_camp", "paid_reading_club"])
def test_defaults_next_to_an_example_never_add_a_second_ceremony(slug: str) -> None:
    from planner.sop.schedule import ceremony_of

    plan = _example_with_defaults(slug, 2)
    kinds = [ceremony_of(r) for r in plan.sop.rules if ceremony_of(r)]
    assert sorted(kinds) == ["closing", "opening"]
    assert not any(r.id in ("default-opening", "default-closing") for r in plan.sop.rules)


def test_duplicate_ceremonies_are_detected_and_merged() -> None:
    from planner.sop.checks import design_findings
    from planner.sop.schedule import default_rules

    plan = Plan()
    plan.roles = [Role(id="host", name="主理人")]
    own = default_rules(plan, "zh")[0].model_copy(update={"id": "mine", "name": "开营仪式（我们的）", "script": "",
                                                          "material": "开营海报"})
    default = default_rules(plan, "zh")[0]  # default-opening with the catalog's script
    plan = Plan.model_validate({**plan.model_dump(mode="json"),
                                "sop": {"rules": [own.model_dump(mode="json"), default.model_dump(mode="json")]}})
    assert sop_edit.duplicate_ceremonies(plan) == {"opening": ["mine", "default-opening"]}
    assert [f.rule_id for f in design_findings(plan)].count("sop.duplicate_ceremony") == 1
    merged, removed = sop_edit.merge_duplicate_ceremonies(plan)
    assert removed == 1 and [r.id for r in merged.sop.rules] == ["mine"]
    kept = merged.sop.rules[0]
    assert kept.material == "开营海报" and kept.script == default.script  # the empty script filled in
    assert "sop.duplicate_ceremony" not in [f.rule_id for f in design_findings(merged)]
    again, added = sop_edit.add_missing_defaults(plan, "zh")  # merging happens there too
    assert [r.id for r in again.sop.rules].count("default-opening") == 0 and added > 0
