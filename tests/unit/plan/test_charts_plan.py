"""The stage timeline spec: one bar per stage, days as x, stages in method order."""

from __future__ import annotations

from datetime import date

from models.enums import Stage
from models.plan import Plan, StageSpan
from planner.plan.charts import stage_rows, stage_timeline
from planner.plan.lifecycle import split_evenly


def _plan() -> Plan:
    plan = Plan()
    plan.lifecycle.length_days = 21
    plan.lifecycle.stages = split_evenly(21)
    plan.lifecycle.stages[0].focus = "invite old users"
    return plan


def _values(spec: dict) -> list[dict]:
    data = spec["data"]
    return spec["datasets"][data["name"]] if "name" in data else data["values"]


def test_spec_has_one_bar_per_stage() -> None:
    spec = stage_timeline(_plan(), "zh").to_dict()
    assert spec["mark"]["type"] == "bar"
    values = _values(spec)
    assert [v["label"] for v in values] == ["拉新", "促活", "留存", "转化"]
    # read from 1 (the opening day is day 1): days 1–5 are a bar from 1 up to 6
    assert [(v["start"], v["end"]) for v in values] == [(1, 6), (6, 11), (11, 16), (16, 22)]
    assert values[0]["focus"] == "invite old users"


def test_spec_encoding() -> None:
    spec = stage_timeline(_plan(), "en").to_dict()
    enc = spec["encoding"]
    assert enc["x"]["field"] == "start"
    assert enc["x2"]["field"] == "end"
    assert enc["x"]["scale"]["domain"] == [1, 22]
    assert enc["y"]["field"] == "label"
    assert enc["y"]["sort"] == ["Acquisition", "Activation", "Retention", "Conversion"]
    assert enc["x"]["title"] == "Day of the lifecycle"


def test_dates_appear_when_the_start_date_is_known() -> None:
    plan = _plan()
    assert "from" not in stage_rows(plan, "en")[0]
    plan.lifecycle.start_date = date(2026, 3, 1)
    rows = stage_rows(plan, "en")
    assert (rows[1]["from"], rows[1]["to"]) == ("2026-03-06", "2026-03-10")
    tooltips = [t["field"] for t in stage_timeline(plan, "en").to_dict()["encoding"]["tooltip"]]
    assert "from" in tooltips


def test_rows_sorted_by_start_day_and_empty_plan_still_charts() -> None:
    plan = Plan()
    plan.lifecycle.stages = [StageSpan(stage=Stage.CONVERSION, start_day=9, end_day=9),
                             StageSpan(stage=Stage.ACQUISITION, start_day=0, end_day=8)]
    assert [r["stage"] for r in stage_rows(plan, "en")] == ["acquisition", "conversion"]
    assert stage_rows(plan, "en")[1]["days"] == 1
    assert _values(stage_timeline(Plan(), "en").to_dict()) == []
