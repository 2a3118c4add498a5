"""Soft checks the planning pages show while the user types."""

from __future__ import annotations

from models.enums import JoinMode
from models.plan import Plan
from planner.plan.view import CULTURE_MARKERS, fee_applies, missing_culture_markers


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
