"""Four elements page: fields, the paid-only fee, lists, the content table, feelings."""

from __future__ import annotations

from functools import partial

from models.enums import CommunityType, Feeling
from models.plan import ContentPillar, Plan
from planner import i18n
from planner.plan.hints import example_hint
from tests.ui.planning_helpers import away_and_back, bound, choose_tab, editor_key, fresh, reload, stored_plan

PAGE = "pages/elements.py"
NS = "elements"


on_tab = partial(choose_tab, "elements")


def test_only_the_open_tab_is_drawn(isolated_db) -> None:
    stored_plan(isolated_db)
    at = fresh(PAGE)
    assert [t.label for t in at.tabs][:4] == [i18n.t(f"elements.tab.{t}", "zh")
                                              for t in ("interest", "structure", "content", "operations")]
    assert bound(at.text_input, NS, "elements.interest.brand_name")
    assert not [w for w in at.text_area if (w.key or "").startswith(f"{NS}.elements.structure.group_rules@")]
    on_tab(at, "structure")
    assert bound(at.text_area, NS, "elements.structure.group_rules")
    assert not [w for w in at.text_input if (w.key or "").startswith(f"{NS}.elements.interest.brand_name@")]


def test_fields_kept_across_pages_and_saved(isolated_db) -> None:
    plan = stored_plan(isolated_db)
    at = fresh(PAGE)
    bound(at.text_input, NS, "elements.interest.brand_name").input("破晓早起营")
    at.run()
    on_tab(at, "structure")
    bound(at.text_area, NS, "elements.structure.group_rules").input("不发广告\n\n  打卡带图  ")
    at.run()
    on_tab(at, "operations")
    bound(at.text_area, NS, f"elements.operations.feelings.{Feeling.RITUAL.value}").input("开营仪式")
    at.run()
    away_and_back(at, PAGE)
    assert bound(at.text_input, NS, "elements.interest.brand_name").value == "破晓早起营"
    assert bound(on_tab(at, "structure").text_area, NS, "elements.structure.group_rules").value == "不发广告\n打卡带图"
    saved = reload(isolated_db, plan.id)
    assert saved.elements.interest.brand_name == "破晓早起营"
    assert saved.elements.structure.group_rules == ["不发广告", "打卡带图"]
    assert saved.elements.operations.feelings[Feeling.RITUAL] == ["开营仪式"]
    assert bound(fresh(PAGE).text_input, NS, "elements.interest.brand_name").value == "破晓早起营"


def test_fee_only_shown_for_paid_membership(isolated_db) -> None:
    plan = stored_plan(isolated_db)
    at = on_tab(fresh(PAGE), "structure")
    assert not [w for w in at.number_input if (w.key or "").startswith("elements.elements.structure.fee@")]
    bound(at.radio, NS, "elements.structure.join_mode").set_value("paid")
    at.run()
    bound(at.number_input, NS, "elements.structure.fee").set_value(199.0)
    at.run()
    assert not at.exception
    assert reload(isolated_db, plan.id).elements.structure.fee == 199.0


def test_content_table_add_and_edit_a_row(isolated_db) -> None:
    plan = Plan()
    plan.elements.content = [ContentPillar(topic="睡眠科学", form="语音", cadence="")]
    plan = stored_plan(isolated_db, plan)
    at = on_tab(fresh(PAGE), "content")
    key = editor_key(at, NS, "elements.content")
    at.session_state[key] = {"edited_rows": {0: {"cadence": "每周一"}},
                             "added_rows": [{"topic": "早起故事", "form": "图文", "cadence": "每天"}],
                             "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    content = reload(isolated_db, plan.id).elements.content
    assert [(c.topic, c.cadence) for c in content] == [("睡眠科学", "每周一"), ("早起故事", "每天")]


def test_placeholders_come_from_the_matching_example(isolated_db) -> None:
    plan = Plan()
    plan.meta.community_type = CommunityType.CHECKIN_CAMP
    stored_plan(isolated_db, plan)
    at = fresh(PAGE)
    expected = example_hint(plan, "elements.interest.slogan")
    # marked as an example, so it never reads as a filled-in answer
    assert bound(at.text_input, NS, "elements.interest.slogan").proto.placeholder == "例：" + expected
    assert bound(at.text_area, NS, "elements.interest.signature_content").proto.placeholder.startswith("例：")


def test_the_name_field_shows_this_plans_name_not_an_examples(isolated_db) -> None:
    # 社群名称 falls back to the plan's own name: never another plan's name as a placeholder
    plan = Plan()
    plan.meta.name = "晨光读书会"
    plan.meta.community_type = CommunityType.CHECKIN_CAMP
    stored_plan(isolated_db, plan)
    at = fresh(PAGE)
    name = bound(at.text_input, NS, "elements.interest.brand_name")
    assert name.value == "" and name.proto.placeholder == "留空时沿用：晨光读书会"
    assert example_hint(plan, "elements.interest.brand_name") not in name.proto.placeholder


def test_partial_feelings_of_an_imported_plan_are_completed(isolated_db) -> None:
    plan = Plan()
    plan.elements.operations.feelings = {Feeling.BELONGING: ["队名"]}
    plan = stored_plan(isolated_db, plan)
    at = on_tab(fresh(PAGE), "operations")
    assert bound(at.text_area, NS, "elements.operations.feelings.ritual").value == ""
    assert reload(isolated_db, plan.id).elements.operations.feelings[Feeling.BELONGING] == ["队名"]


def test_select_labels_follow_a_language_switch(isolated_db) -> None:
    # A select widget keeps what it was drawn with while its key stays; widget keys carry the
    # language, so after a switch the community type is a new widget in the new language (the
    # chosen type kept showing in Chinese).
    from tests.ui.helpers import app_on
    from tests.ui.planning_helpers import bound, stored_plan

    stored_plan(isolated_db)
    at = app_on("pages/elements.py")
    before = bound(at.selectbox, "elements", "meta.community_type")
    assert not before.proto.options[before.proto.default].isascii()  # drawn in Chinese
    at.session_state["lang"] = "en"  # what the sidebar's language switch does (AppTest draws it once)
    at.run()
    assert not at.exception
    after = bound(at.selectbox, "elements", "meta.community_type")
    assert after.key != before.key
    assert after.proto.options[after.proto.default].isascii()
    assert all(label.isascii() for label in after.proto.options)


def test_the_example_rows_are_drawn_only_when_unfolded(isolated_db) -> None:
    plan = Plan()
    plan.meta.community_type = CommunityType.CHECKIN_CAMP
    stored_plan(isolated_db, plan)
    at = on_tab(fresh(PAGE), "content")
    assert [e.label for e in at.expander if e.label == i18n.t("elements.example_rows", "zh")]
    assert not [d for d in at.dataframe if d.key is None]  # folded: the example table is not sent
    at.session_state["elements.examples.content"] = True  # what unfolding it does
    at.run()
    assert not at.exception, at.exception
    (table,) = [d for d in at.dataframe if d.key is None]  # beside the editor, which has a key
    assert len(table.value) > 0 and table.value.iloc[0]["topic"]
