"""pages.ui.plan_checks: the doctor's findings are cached by the plan's content, so an edit is seen."""

from __future__ import annotations

from pages.ui.plan_checks import findings_of
from planner.plan import doctor
from planner.plan.examples import load_example


def test_same_findings_as_the_doctor_and_an_edit_is_seen() -> None:
    plan = load_example("early_rise_camp")
    first = findings_of(plan, "zh")
    assert first == doctor.diagnose(plan)
    assert findings_of(plan, "zh") == first  # from the cache
    plan.roles = []  # no roles: the doctor says so
    edited = findings_of(plan, "zh")
    assert edited == doctor.diagnose(plan)
    assert {f.rule_id for f in edited} != {f.rule_id for f in first}
