"""Home: start a blank plan, and find it again in a fresh session (a refresh or restart)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from planner.store import PlanStore
from tests.ui.helpers import APP, app_on


def test_home_explains_and_offers_five_ways_in() -> None:
    at = app_on()
    assert not at.exception
    assert at.title[0].value == "社群运营规划工作台"
    assert [t.label for t in at.tabs][-1] == "加入工作坊"  # new, example, saved, import, and a workshop's code
    assert len(at.tabs) == 5


def test_a_typed_workshop_code_leads_to_its_join_page(isolated_db) -> None:
    from models import Plan
    from planner.store.workshops import WorkshopStore

    workshop, _ = WorkshopStore(PlanStore(isolated_db)).create("周六工作坊", Plan())
    at = app_on()
    at.text_input(key="home.workshop.code").input(workshop.code.lower())
    at.button(key="FormSubmitter:home.workshop-加入").click().run()
    assert not at.exception
    assert at.query_params["workshop"] == workshop.code
    # AppTest does not feed an address the script changed into its next run; open that address anew
    joining = AppTest.from_file(APP, default_timeout=30)
    joining.query_params["workshop"] = at.query_params["workshop"]
    joining.run()
    assert joining.title[0].value == "加入工作坊"
    assert "周六工作坊" in [s.value for s in joining.subheader]


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


def test_a_broken_json_import_is_explained_in_chinese_with_line_and_column() -> None:
    at = app_on()
    broken = b'{\n  "meta": {"name": "x",}\n}'  # a comma after the last item, on line 2
    at.file_uploader(key="home.import.file").set_value(("方案.json", broken, "application/json"))
    at.run()
    assert not at.exception
    said = " ".join(m.value for m in at.markdown)
    assert "第 2 行" in said and "多了一个逗号" in said
    assert "Expecting" not in said  # never the parser's own English
