"""Home: start a blank plan, and find it again in a fresh session (a refresh or restart)."""

from __future__ import annotations

from planner.storage import PlanStore
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
