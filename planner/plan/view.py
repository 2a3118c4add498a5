"""Small pure facts the guided planning pages show: which fields a step has, and soft checks
that are worth saying while the user types (the plan doctor does the full review)."""

from __future__ import annotations

from models.enums import JoinMode
from models.plan import Plan

RESEARCH_ITEMS: tuple[str, ...] = (
    "user_needs", "past_data", "core_goal_factors", "selling_points",
    "channels", "user_scenarios", "cost_and_acquisition", "profit_model",
)
PERSONA_FIELDS: tuple[str, ...] = ("age", "gender", "region", "interests", "pain_points")
CULTURE_MARKERS: tuple[str, ...] = ("language", "visuals", "topics", "timing", "behaviours")
INTEREST_FIELDS: tuple[str, ...] = ("category", "brand_name", "slogan", "visual_identity", "signature_content")


def fee_applies(plan: Plan) -> bool:
    """A fee is asked for only when members pay to join."""
    return plan.elements.structure.join_mode == JoinMode.PAID


def missing_culture_markers(plan: Plan) -> list[str]:
    """Culture markers still blank; replication should wait until none are."""
    culture = plan.replication.culture
    return [m for m in CULTURE_MARKERS if not getattr(culture, m).strip()]
