"""Research page: answers are kept across pages and saved."""

from __future__ import annotations

from models.plan import Plan
from planner.plan.view import RESEARCH_ITEMS
from tests.ui.planning_helpers import away_and_back, bound, fresh, reload, stored_plan

PAGE = "pages/research.py"


def test_every_item_has_a_field_with_the_example_as_placeholder(isolated_db) -> None:
    stored_plan(isolated_db)
    at = fresh(PAGE)
    for item in RESEARCH_ITEMS:
        field = bound(at.text_area, "research", f"research.{item}")
        assert field.value == ""
        assert field.label and not field.label.startswith("research.")
    assert at.caption[0].value.startswith("动笔之前")  # the guidance


def test_answers_survive_a_page_switch_and_are_saved(isolated_db) -> None:
    plan = stored_plan(isolated_db)
    at = fresh(PAGE)
    bound(at.text_area, "research", "research.user_needs").input("想早起但一个人坚持不了")
    bound(at.text_area, "research", "research.profit_model").input("挑战金+进阶营")
    at.run()
    away_and_back(at, PAGE)
    assert bound(at.text_area, "research", "research.user_needs").value == "想早起但一个人坚持不了"
    saved = reload(isolated_db, plan.id)
    assert saved.research.user_needs == "想早起但一个人坚持不了"
    assert saved.research.profit_model == "挑战金+进阶营"
    again = fresh(PAGE)
    assert bound(again.text_area, "research", "research.profit_model").value == "挑战金+进阶营"


def test_english_labels(isolated_db) -> None:
    stored_plan(isolated_db, Plan(), lang="en")
    at = fresh(PAGE)
    assert bound(at.text_area, "research", "research.channels").label == "Channel resources"


def test_self_check_rating_and_cover_plan_clear_the_not_capable_tip(isolated_db) -> None:
    from models.enums import Ability
    from planner.plan.doctor import diagnose

    plan = stored_plan(isolated_db)
    at = fresh(PAGE)
    bound(at.select_slider, "research", "operator.ratings.data").set_value(1)
    at.run()
    assert not at.exception, at.exception
    saved = reload(isolated_db, plan.id)
    assert saved.operator.ratings == {Ability.DATA: 1}
    assert "myth.not_capable" in [f.rule_id for f in diagnose(saved)]
    bound(at.text_area, "research", "operator.cover_plan").input("搭档小周做数据周报")
    at.run()
    assert "myth.not_capable" not in [f.rule_id for f in diagnose(reload(isolated_db, plan.id))]
