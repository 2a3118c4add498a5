"""How far the SOP has been written: the three passes of the method.

1. draft — the framework: rules with a task each;
2. materials and timeline — every rule also has its material, an owner and a trigger that places it
   on the timeline;
3. executable — every rule also has its script (话术) and an exact time (an event rule fires when its
   event happens, so it counts as timed).

`maturity(plan)` says which pass the SOP has reached and, for the next pass, which rules lack what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from models.plan import Plan
from models.sop import SopRule, TriggerKind


class Gap(StrEnum):
    TASK = "task"
    MATERIAL = "material"
    OWNER = "owner"
    SCRIPT = "script"
    TIME = "time"


PASS_NEEDS: dict[int, tuple[Gap, ...]] = {
    1: (Gap.TASK,),
    2: (Gap.TASK, Gap.MATERIAL, Gap.OWNER),
    3: (Gap.TASK, Gap.MATERIAL, Gap.OWNER, Gap.SCRIPT, Gap.TIME),
}
FINAL_PASS = 3


def _has_time(rule: SopRule) -> bool:
    trigger = rule.trigger
    if trigger.kind == TriggerKind.EVENT:
        return True
    if trigger.kind == TriggerKind.ABSOLUTE:
        return trigger.at is not None
    return trigger.at_time is not None


def gaps_of(rule: SopRule, plan: Plan) -> set[Gap]:
    out: set[Gap] = set()
    if not rule.task.strip():
        out.add(Gap.TASK)
    if not rule.material.strip():
        out.add(Gap.MATERIAL)
    if plan.role_by_id(rule.owner_role) is None:
        out.add(Gap.OWNER)
    if not rule.script.strip():
        out.add(Gap.SCRIPT)
    if not _has_time(rule):
        out.add(Gap.TIME)
    return out


@dataclass(frozen=True)
class Maturity:
    reached: int  # 0 = no rules yet, 1 draft, 2 materials and timeline, 3 executable
    next_pass: int | None  # None once the final pass is reached
    # For the next pass: gap → names of the rules that still lack it (in rule order).
    missing: dict[Gap, list[str]] = field(default_factory=dict)

    @property
    def rules_to_fix(self) -> int:
        return len({name for names in self.missing.values() for name in names})


def _label(rule: SopRule) -> str:
    return rule.name.strip() or rule.task.strip()[:30] or rule.id


def maturity(plan: Plan) -> Maturity:
    rules = plan.sop.rules
    if not rules:
        return Maturity(reached=0, next_pass=1, missing={})
    gaps = [(rule, gaps_of(rule, plan)) for rule in rules]
    reached = 0
    for number in (1, 2, 3):
        if all(not (g & set(PASS_NEEDS[number])) for _, g in gaps):
            reached = number
        else:
            break
    if reached == FINAL_PASS:
        return Maturity(reached=reached, next_pass=None)
    nxt = reached + 1
    missing: dict[Gap, list[str]] = {}
    for gap in PASS_NEEDS[nxt]:
        names = [_label(rule) for rule, g in gaps if gap in g]
        if names:
            missing[gap] = names
    return Maturity(reached=reached, next_pass=nxt, missing=missing)
