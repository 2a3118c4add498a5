"""Lifecycle page: length presets, one goal, stages split evenly, tables, and saving."""

from __future__ import annotations

from datetime import date
from functools import partial

from models.enums import Stage
from models.plan import Goal, Kpi, Plan, StageSpan
from planner import i18n
from tests.ui.planning_helpers import away_and_back, bound, button, choose_tab, editor_key, fresh, reload, stored_plan

PAGE = "pages/lifecycle.py"
NS = "lifecycle"


TABS = ("lifecycle.tab.basics", "lifecycle.section.stages", "lifecycle.tab.growth", "lifecycle.section.kpis")


def _length(at):  # the preset control
    return bound(at.button_group, NS, "length_choice")


on_tab = partial(choose_tab, "lifecycle")


def test_only_the_open_tab_is_drawn(isolated_db) -> None:
    stored_plan(isolated_db)
    at = fresh(PAGE)
    assert [t.label for t in at.tabs][:4] == [i18n.t(t, "zh") for t in TABS]
    assert _length(at) and not at.data_editor
    on_tab(at, "kpis")
    assert bound(at.data_editor, NS, "kpis") and len(at.data_editor) == 1
    assert not [w for w in at.button_group if (w.key or "").startswith(f"{NS}.length_choice")]


def test_preset_length_start_and_values_saved(isolated_db) -> None:
    plan = stored_plan(isolated_db)
    at = fresh(PAGE)
    _length(at).set_value(30)
    at.run()
    bound(at.date_input, NS, "lifecycle.start_date").set_value(date(2026, 3, 1))
    bound(at.text_area, NS, "lifecycle.values.stand_for").input("长期主义")
    at.run()
    away_and_back(at, PAGE)
    assert _length(at).value == 30
    assert bound(at.text_area, NS, "lifecycle.values.stand_for").value == "长期主义"
    saved = reload(isolated_db, plan.id)
    assert (saved.lifecycle.length_days, saved.lifecycle.start_date) == (30, date(2026, 3, 1))
    assert saved.lifecycle.values.stand_for == ["长期主义"]


def test_custom_length(isolated_db) -> None:
    plan = stored_plan(isolated_db)
    at = fresh(PAGE)
    _length(at).set_value("custom")
    at.run()
    bound(at.number_input, NS, "lifecycle.length_days").set_value(45)
    at.run()
    assert reload(isolated_db, plan.id).lifecycle.length_days == 45
    away_and_back(at, PAGE)
    assert _length(at).value == "custom"
    assert bound(at.number_input, NS, "lifecycle.length_days").value == 45


def test_add_the_goal_and_fill_it(isolated_db) -> None:
    plan = stored_plan(isolated_db)
    at = fresh(PAGE)
    button(at, "lifecycle.goal.add").click()
    at.run()
    bound(at.text_input, NS, "lifecycle.goals.0.statement").input("21 天里 60% 的人打卡满 18 天")
    bound(at.number_input, NS, "lifecycle.goals.0.target").set_value(60.0)
    at.run()
    goals = reload(isolated_db, plan.id).lifecycle.goals
    assert [(g.statement, g.target) for g in goals] == [("21 天里 60% 的人打卡满 18 天", 60.0)]
    assert bound(fresh(PAGE).text_input, NS, "lifecycle.goals.0.statement").value.startswith("21 天")


def test_several_goals_are_flagged_and_one_can_be_kept(isolated_db) -> None:
    plan = Plan()
    plan.lifecycle.goals = [Goal(statement="早起"), Goal(statement="读书"), Goal(statement="跑步")]
    plan = stored_plan(isolated_db, plan)
    at = fresh(PAGE)
    assert "3" in at.warning[0].value
    assert bound(at.text_input, NS, "lifecycle.goals.0.statement").value == "早起"
    button(at, "lifecycle.goal.keep.1").click()
    at.run()
    assert not at.warning
    assert bound(at.text_input, NS, "lifecycle.goals.0.statement").value == "读书"
    assert [g.statement for g in reload(isolated_db, plan.id).lifecycle.goals] == ["读书"]


def test_split_evenly_fills_the_stage_table_and_chart(isolated_db) -> None:
    plan = Plan()
    plan.lifecycle.length_days = 21
    plan.lifecycle.stages = [StageSpan(stage=Stage.ACQUISITION, start_day=0, end_day=9, focus="老用户私信")]
    plan = stored_plan(isolated_db, plan)
    at = on_tab(fresh(PAGE), "stages")
    button(at, "lifecycle.split").click()
    at.run()
    assert not at.exception, at.exception
    stages = reload(isolated_db, plan.id).lifecycle.stages
    assert [(s.stage, s.start_day, s.end_day) for s in stages] == [
        (Stage.ACQUISITION, 0, 4), (Stage.ACTIVATION, 5, 9), (Stage.RETENTION, 10, 14), (Stage.CONVERSION, 15, 20)]
    assert stages[0].focus == "老用户私信"
    table = bound(at.data_editor, NS, "lifecycle.stages").value
    # the editor shows the new stages, not the old, with days read from 1 (stored 4, 9, 14, 20)
    assert list(table["start_day"]) == [1, 6, 11, 16] and list(table["end_day"]) == [5, 10, 15, 21]
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    # an edit after the split applies to the new rows
    at.session_state[editor_key(at, NS, "lifecycle.stages")] = {
        "edited_rows": {3: {"focus": "介绍进阶营"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert reload(isolated_db, plan.id).lifecycle.stages[3].focus == "介绍进阶营"
    # a day typed in is read from 1 too: 结束 12 for 留存 is stored as day 11
    at.session_state[editor_key(at, NS, "lifecycle.stages")] = {
        "edited_rows": {3: {"focus": "介绍进阶营"}, 2: {"end_day": 12}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    kept = reload(isolated_db, plan.id).lifecycle.stages
    assert [(s.start_day, s.end_day) for s in kept] == [(0, 4), (5, 9), (10, 11), (15, 20)]


def test_split_needs_a_length(isolated_db) -> None:
    stored_plan(isolated_db)
    at = on_tab(fresh(PAGE), "stages")
    assert button(at, "lifecycle.split").disabled
    assert at.info  # no stages yet: says how to get them


def test_kpi_and_ladder_tables(isolated_db) -> None:
    plan = Plan()
    plan.kpis = [Kpi(metric="members", label="入群人数", target=150, unit="人", due_day=2)]
    plan = stored_plan(isolated_db, plan)
    at = on_tab(fresh(PAGE), "kpis")
    at.session_state[editor_key(at, NS, "kpis")] = {
        "edited_rows": {0: {"target": 200}},
        # the table reads days from 1: the last day of a 21-day camp is typed as 21, stored as 20
        "added_rows": [{"metric": "checkin_rate", "label": "结营打卡率", "target": 0.6, "due_day": 21}],
        "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    assert list(bound(at.data_editor, NS, "kpis").value["due_day"])[:1] == [3]  # stored 2, read as day 3
    on_tab(at, "growth")
    at.session_state[editor_key(at, NS, "lifecycle.conversion_ladder")] = {
        "edited_rows": {}, "added_rows": [{"name": "进阶营", "price": 199, "offer": "70 天陪跑"}], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    saved = reload(isolated_db, plan.id)
    assert [(k.metric, k.target, k.due_day) for k in saved.kpis] == [("members", 200, 2), ("checkin_rate", 0.6, 20)]
    assert [(t.name, t.price) for t in saved.lifecycle.conversion_ladder] == [("进阶营", 199)]


def test_kpis_keep_their_ids_when_a_row_is_deleted(isolated_db) -> None:
    # Two sessions' KPI edits merge by id: deleting the first row must not hand its id to the second.
    plan = Plan()
    plan.kpis = [Kpi(metric="members", target=150, due_day=2), Kpi(metric="checkin_rate", target=0.6, due_day=20)]
    plan = stored_plan(isolated_db, plan)
    second = plan.kpis[1].id
    at = on_tab(fresh(PAGE), "kpis")
    at.session_state[editor_key(at, NS, "kpis")] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    at.run()
    assert not at.exception, at.exception
    assert [(k.id, k.metric) for k in reload(isolated_db, plan.id).kpis] == [(second, "checkin_rate")]


def test_bad_table_value_is_explained_not_saved(isolated_db) -> None:
    plan = Plan()
    plan.lifecycle.stages = [StageSpan(stage=Stage.ACQUISITION, start_day=0, end_day=4)]
    plan = stored_plan(isolated_db, plan)
    at = on_tab(fresh(PAGE), "stages")
    at.session_state[editor_key(at, NS, "lifecycle.stages")] = {
        "edited_rows": {0: {"end_day": 0, "start_day": 3}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert at.error  # the model's own message, shown under the table
    assert reload(isolated_db, plan.id).lifecycle.stages[0].end_day == 4


def test_the_stage_chart_is_made_again_only_when_what_it_draws_changes(isolated_db, monkeypatch) -> None:
    # keyed on the stages, start and length: an edit elsewhere on the page (a value) reuses it
    import uuid

    from planner.plan import charts as plan_charts

    made: list[int] = []
    real = plan_charts.stage_timeline

    def counted(plan, lang):
        made.append(1)
        return real(plan, lang)

    monkeypatch.setattr(plan_charts, "stage_timeline", counted)
    plan = Plan()
    plan.lifecycle.length_days = 30
    # a focus no other test uses, so the chart is not already made in this process
    plan.lifecycle.stages = [StageSpan(stage=Stage.ACQUISITION, start_day=0, end_day=9, focus=uuid.uuid4().hex)]
    plan = stored_plan(isolated_db, plan)
    at = on_tab(fresh(PAGE), "stages")
    assert len(made) == 1 and (at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart"))
    on_tab(at, "basics")
    bound(at.text_area, NS, "lifecycle.values.stand_for").input("长期主义")
    at.run()
    assert reload(isolated_db, plan.id).lifecycle.values.stand_for == ["长期主义"]
    on_tab(at, "stages")
    assert len(made) == 1
    on_tab(at, "basics")
    bound(at.date_input, NS, "lifecycle.start_date").set_value(date(2026, 3, 1))
    at.run()
    on_tab(at, "stages")
    assert len(made) == 2
