"""The SOP's three passes: draft → with materials and a timeline → with scripts and exact times."""

from __future__ import annotations

from datetime import time

from models.plan import Plan, Role
from models.sop import EventKind, SopRule, Trigger, TriggerKind
from planner.sop.maturity import Gap, maturity


def _plan(*rules: SopRule) -> Plan:
    plan = Plan()
    plan.roles = [Role(id="host", name="主理人")]
    plan.sop.rules = list(rules)
    return Plan.model_validate(plan.model_dump())


def _rule(name: str, **fields: object) -> SopRule:
    base: dict[str, object] = {"task": "发通知", "owner_role": "host", "material": "海报", "script": "大家好",
                               "trigger": Trigger(kind=TriggerKind.GROUP_DAY, day=1, at_time=time(20, 0))}
    return SopRule(name=name, **{**base, **fields})


def test_no_rules_is_pass_zero() -> None:
    assert maturity(Plan()).reached == 0 and maturity(Plan()).next_pass == 1


def test_a_rule_without_a_task_keeps_the_sop_before_the_draft() -> None:
    result = maturity(_plan(_rule("a", task=""), _rule("b")))
    assert (result.reached, result.next_pass, result.missing) == (0, 1, {Gap.TASK: ["a"]})


def test_draft_needs_material_and_owner_for_the_second_pass() -> None:
    result = maturity(_plan(_rule("a", material=""), _rule("b", owner_role="ghost"), _rule("c", script="")))
    assert (result.reached, result.next_pass) == (1, 2)
    assert result.missing == {Gap.MATERIAL: ["a"], Gap.OWNER: ["b"]}  # the script waits for pass 3
    assert result.rules_to_fix == 2


def test_second_pass_needs_scripts_and_times_for_the_third() -> None:
    untimed = Trigger(kind=TriggerKind.GROUP_DAY, day=3, at_time=None)
    result = maturity(_plan(_rule("a", script=""), _rule("b", trigger=untimed)))
    assert (result.reached, result.next_pass) == (2, 3)
    assert result.missing == {Gap.SCRIPT: ["a"], Gap.TIME: ["b"]}


def test_everything_in_place_is_executable_and_event_rules_count_as_timed() -> None:
    event = Trigger(kind=TriggerKind.EVENT, event=EventKind.MEMBER_JOINS, day=None, at_time=None)
    result = maturity(_plan(_rule("a"), _rule("b", trigger=event)))
    assert (result.reached, result.next_pass, result.missing) == (3, None, {})
