"""Lifecycle days are read from 1 everywhere a person reads them (stored from 0: the opening day
is stored as 0 and read as 第 1 天): the opening ceremony draft, the one-page summary, the doctor's
stage messages and the stage chart."""

from __future__ import annotations

from models.enums import Stage
from models.plan import Plan, StageSpan
from planner.plan import doctor
from planner.plan.charts import stage_rows
from planner.plan.rituals import opening_ceremony_text
from planner.plan.summary import one_page


def _plan() -> Plan:
    plan = Plan()
    plan.meta.name = "早起营"
    plan.lifecycle.length_days = 21
    plan.lifecycle.stages = [StageSpan(stage=Stage.ACQUISITION, start_day=0, end_day=4),
                             StageSpan(stage=Stage.ACTIVATION, start_day=8, end_day=20)]
    return plan


def test_opening_ceremony_draft_names_the_opening_day_day_one() -> None:
    text = opening_ceremony_text(_plan(), "zh")
    assert "第 1–5 天" in text and "第 9–21 天" in text and "第 0" not in text


def test_summary_reads_days_from_one() -> None:
    by_key = {s.key: dict(s.lines) for s in one_page(_plan(), "zh")}
    assert by_key["lifecycle"]["拉新"].startswith("第 1–5 天")


def test_doctor_gap_is_told_in_days_as_read() -> None:
    [gap] = [f for f in doctor.diagnose(_plan()) if f.rule_id == "stages.gap"]
    assert (gap.params["from_day"], gap.params["to_day"]) == (6, 8)  # stored 5–7


def test_stage_chart_starts_at_day_one() -> None:
    rows = stage_rows(_plan(), "zh")
    assert [(r["start"], r["end"], r["days"]) for r in rows] == [(1, 6, 5), (9, 22, 13)]


def test_the_document_stage_table_reads_days_from_one() -> None:
    from planner.export.build import build_document
    from planner.export.model import Table
    doc = build_document(_plan(), "zh", charts=False)
    cells = [row[1] for block in doc.blocks if isinstance(block, Table) for row in block.rows]
    assert "1–5" in cells and "9–21" in cells and "0–4" not in cells


def test_summary_kpi_due_day_is_read_from_one() -> None:
    from models.plan import Kpi
    plan = _plan()
    plan.kpis = [Kpi(metric="members", label="入群人数", target=150, unit="人", due_day=20)]
    lines = [v for s in one_page(plan, "zh") for label, v in s.lines if label == "入群人数"]
    assert lines and "第 21 天" in lines[0]
