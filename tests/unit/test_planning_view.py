"""Soft checks the planning pages show while the user types."""

from __future__ import annotations

from models.enums import Feeling, JoinMode
from models.plan import Plan
from planner.planning_view import CULTURE_MARKERS, all_feelings, fee_applies, missing_culture_markers


def test_fee_only_for_paid_membership() -> None:
    plan = Plan()
    assert not fee_applies(plan)
    plan.elements.structure.join_mode = JoinMode.PAID
    assert fee_applies(plan)


def test_missing_culture_markers() -> None:
    plan = Plan()
    assert missing_culture_markers(plan) == list(CULTURE_MARKERS)
    plan.replication.culture.language = "早安体"
    plan.replication.culture.timing = "  "
    assert "language" not in missing_culture_markers(plan)
    assert "timing" in missing_culture_markers(plan)


def test_all_feelings_fills_the_gaps_only_when_needed() -> None:
    plan = Plan()
    assert all_feelings(plan) is None
    plan.elements.operations.feelings = {Feeling.RITUAL: ["opening"]}
    filled = all_feelings(plan)
    assert filled == {"ritual": ["opening"], "participation": [], "organisation": [], "belonging": []}
