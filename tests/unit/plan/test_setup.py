"""Group set-up before opening: drafted from the plan, and the welcome card's checks."""

from __future__ import annotations

from models.enums import SetupItem
from models.plan import GroupSetup
from planner.plan.doctor import diagnose
from planner.plan.examples import load_example
from planner.plan.setup import CardGap, card_gaps, draft_setup, fill_setup


def test_drafts_use_the_plan_and_clear_the_set_up_findings() -> None:
    plan = load_example("early_rise_camp")
    plan.setup = GroupSetup()
    assert "setup.missing" in [f.rule_id for f in diagnose(plan)]
    plan.setup = draft_setup(plan, "zh")
    name = plan.elements.interest.brand_name
    assert name in plan.setup.entry_announcement and name in plan.setup.welcome_card
    assert all(getattr(plan.setup, item.value).strip() for item in SetupItem)
    assert "22:00" in plan.setup.quiet_hours
    ids = [f.rule_id for f in diagnose(plan)]
    assert "setup.missing" not in ids and "setup.card_gaps" not in ids


def test_fill_keeps_what_the_operator_wrote() -> None:
    plan = load_example("early_rise_camp")
    plan.setup = GroupSetup(naming_rule="组号-昵称")
    filled = fill_setup(plan, "en")
    assert filled.naming_rule == "组号-昵称" and filled.welcome_card.startswith("👋 Welcome")


def test_card_checks_name_rule_and_first_step_with_a_near_miss() -> None:
    plan = load_example("early_rise_camp")
    plan.setup.welcome_card = "欢迎！有问题找助教。"
    assert card_gaps(plan) == [CardGap.NAME, CardGap.RULE, CardGap.FIRST_STEP]
    rule = plan.elements.structure.group_rules[0]
    plan.setup.welcome_card = f"欢迎来到{plan.elements.interest.brand_name}！{rule}\n先做个自我介绍吧。"
    assert card_gaps(plan) == []
    plan.setup.welcome_card = ""
    assert card_gaps(plan) == []  # a blank card is setup.missing's business
