"""Home: start a blank plan, and find it again in a fresh session (a refresh or restart)."""

from __future__ import annotations

from planner.store import PlanStore
from tests.ui.helpers import app_on


def test_home_explains_and_offers_four_ways_in() -> None:
    at = app_on()
    assert not at.exception
    assert at.title[0].value == "社群运营规划工作台"
    assert len(at.tabs) == 4


def test_blank_plan_is_created_saved_and_survives_a_new_session(isolated_db) -> None:
    at = app_on()
    at.text_input(key="home.blank.name").input("读书打卡群")
    at.button(key="FormSubmitter:home.blank.form-新建并进入快速通道").click().run()
    assert not at.exception
    plans = PlanStore(isolated_db).list()
    assert [p.name for p in plans] == ["读书打卡群"]

    fresh = app_on()  # a browser refresh starts a new session
    assert "读书打卡群" in fresh.success[0].value


def test_language_switch_to_english() -> None:
    at = app_on()
    at.segmented_control(key="sidebar.lang").set_value("en").run()
    assert at.title[0].value == "Community Ops Planner"
    assert app_on().title[0].value == "Community Ops Planner"  # remembered


def test_start_from_an_example_makes_an_own_copy(isolated_db) -> None:
    from planner.plan.examples import example_slugs, load_example

    slug = example_slugs()[0]
    at = app_on()
    at.button(key=f"home.example.use.{slug}").click().run()
    assert not at.exception
    (saved,) = PlanStore(isolated_db).list()
    example = load_example(slug, fresh_id=False)
    assert saved.name == example.meta.name
    assert saved.id != example.id  # the shipped example itself stays untouched
