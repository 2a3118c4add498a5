"""Example hints: the example matching the plan's community type fills the placeholders."""

from __future__ import annotations

import pytest

from models.enums import CommunityType
from models.plan import ContentPillar, Plan
from planner.plan.hints import (
    FALLBACK_EXAMPLE,
    example_for,
    example_hint,
    example_placeholder,
    example_rows,
    shipped_examples,
)


def _example(kind: CommunityType, why: str) -> Plan:
    plan = Plan()
    plan.meta.community_type = kind
    plan.positioning.why = why
    plan.elements.structure.group_rules = ["no ads", "be kind"]
    plan.lifecycle.length_days = 21
    plan.elements.content = [ContentPillar(topic="t", form="f", cadence="daily")]
    return plan


EXAMPLES = {
    FALLBACK_EXAMPLE: _example(CommunityType.CHECKIN_CAMP, "camp why"),
    "shop": _example(CommunityType.ECOMMERCE, "shop why"),
}


def _plan(kind: CommunityType) -> Plan:
    plan = Plan()
    plan.meta.community_type = kind
    return plan


@pytest.mark.parametrize(("kind", "expected"), [
    (CommunityType.ECOMMERCE, "shop why"),
    (CommunityType.CHECKIN_CAMP, "camp why"),
    (CommunityType.BRAND_FANS, "camp why"),  # no match: the early-rise camp
])
def test_example_matches_the_community_type(kind: CommunityType, expected: str) -> None:
    assert example_hint(_plan(kind), "positioning.why", EXAMPLES) == expected


def test_without_the_fallback_any_example_is_used() -> None:
    only_shop = {"shop": EXAMPLES["shop"]}
    assert example_hint(_plan(CommunityType.OTHER), "positioning.why", only_shop) == "shop why"


def test_no_examples_gives_empty_hints() -> None:
    assert example_for(_plan(CommunityType.OTHER), {}) is None
    assert example_hint(_plan(CommunityType.OTHER), "positioning.why", {}) == ""


@pytest.mark.parametrize(("path", "expected"), [
    ("elements.structure.group_rules", "no ads\nbe kind"),  # lists: one item per line
    ("lifecycle.length_days", "21"),
    ("lifecycle.start_date", ""),  # None
    ("replication.planned", ""),  # booleans are no hint
    ("elements.content", ""),  # tables have rows, not a hint
    ("no.such.path", ""),
    ("lifecycle.goals.0.statement", ""),  # index out of range
])
def test_hint_formats(path: str, expected: str) -> None:
    assert example_hint(_plan(CommunityType.CHECKIN_CAMP), path, EXAMPLES) == expected


def test_example_rows_keep_only_the_columns() -> None:
    rows = example_rows(_plan(CommunityType.ECOMMERCE), "elements.content", ["topic", "cadence"], EXAMPLES)
    assert rows == [{"topic": "t", "cadence": "daily"}]
    assert example_rows(_plan(CommunityType.ECOMMERCE), "positioning.why", ["x"], EXAMPLES) == []


def test_shipped_examples_give_hints() -> None:
    examples = shipped_examples()
    assert FALLBACK_EXAMPLE in examples
    camp = examples[FALLBACK_EXAMPLE]
    assert example_hint(_plan(CommunityType.OTHER), "positioning.why") == camp.positioning.why


def test_english_interface_takes_placeholders_from_the_english_example() -> None:
    from models.enums import CommunityType
    from planner.plan.hints import example_for

    plan = Plan()
    plan.meta.community_type = CommunityType.ECOMMERCE  # a type only a Chinese example has
    assert example_for(plan, lang="en").meta.language == "en"
    assert example_for(plan, lang="zh").meta.community_type == CommunityType.ECOMMERCE
    plan.meta.community_type = CommunityType.CHECKIN_CAMP
    english = example_for(plan, lang="en")
    assert english.meta.language == "en" and english.meta.community_type == CommunityType.CHECKIN_CAMP
    assert example_for(plan, lang="zh").meta.language == "zh"


@pytest.mark.parametrize(("lang", "expected"), [("zh", "例：shop why"), ("en", "e.g. shop why")])
def test_placeholder_is_marked_as_an_example(lang: str, expected: str) -> None:
    assert example_placeholder(_plan(CommunityType.ECOMMERCE), "positioning.why", lang, EXAMPLES) == expected


def test_placeholder_of_a_list_marks_its_first_line() -> None:
    hint = example_placeholder(_plan(CommunityType.ECOMMERCE), "elements.structure.group_rules", "zh", EXAMPLES)
    assert hint == "例：no ads\nbe kind"


def test_no_example_gives_no_placeholder() -> None:
    assert example_placeholder(_plan(CommunityType.OTHER), "positioning.why", "zh", {}) == ""


def test_a_field_that_falls_back_shows_this_plans_value_not_an_example() -> None:
    example = _example(CommunityType.ECOMMERCE, "w")
    example.elements.interest.brand_name = "别人的群"
    plan = _plan(CommunityType.ECOMMERCE)
    plan.meta.name = "我的早起营"
    hint = example_placeholder(plan, "elements.interest.brand_name", "zh", {"shop": example})
    assert hint == "留空时沿用：我的早起营" and "别人的群" not in hint
    plan.meta.name = ""  # nothing of its own to fall back to: the example, marked
    assert example_placeholder(plan, "elements.interest.brand_name", "zh", {"shop": example}) == "例：别人的群"
