"""planner.sop.files and planner.sop.charts: exports read back, charts stay small."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import pytest
from icalendar import Calendar

from models.plan import Plan, Role
from models.sop import EventKind, SopRule, Trigger, TriggerKind
from planner.sop import charts as charts_sop
from planner.sop import files as sop_export
from planner.sop import schedule as sop

MONDAY = date(2026, 3, 2)


def make_plan(length: int = 21) -> Plan:
    plan = Plan()
    plan.meta.name = "晨读营"
    plan.lifecycle.length_days = length
    plan.lifecycle.start_date = MONDAY
    plan.roles = [Role(id="host", name="群主", hours_per_week=7), Role(id="ta", name="助教", hours_per_week=14)]
    plan.sop.rules = [
        SopRule(id="open", name="开营", owner_role="host", minutes=60, script="欢迎来到{group_name}",
                trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=0, at_time=time(20, 0))),
        SopRule(id="daily", name="=打卡提醒", task="+86 群发", owner_role="ta", minutes=10, material="@all",
                script="-第{day}天", trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=list(range(7)),
                                                     at_time=time(8, 30))),
        SopRule(id="flash", name="闪念", owner_role="ta", minutes=0,
                trigger=Trigger(kind=TriggerKind.ABSOLUTE, at=datetime(2026, 3, 10, 12, 0))),
        SopRule(id="hello", name="欢迎新人", owner_role="ta",
                trigger=Trigger(kind=TriggerKind.EVENT, event=EventKind.MEMBER_JOINS)),
    ]
    return plan


@pytest.fixture
def plan() -> Plan:
    return make_plan()


@pytest.fixture
def schedule(plan: Plan) -> sop.Schedule:
    return sop.expand(plan)


def test_schedule_frame_has_one_row_per_task_with_filled_scripts(plan: Plan, schedule: sop.Schedule) -> None:
    frame = sop_export.schedule_frame(schedule, plan, "zh", labels=False)
    assert list(frame.columns) == list(sop_export.COLUMNS)
    assert len(frame) == len(schedule.tasks) == 1 + 21 + 1
    first = frame.iloc[0]
    expected = ("2026-03-02", "08:30", "助教", "=打卡提醒")
    assert (first["date"], first["start"], first["owner"], first["name"]) == expected
    assert frame[frame["name"] == "开营"]["script"].item() == "欢迎来到晨读营"
    assert frame["script"].iloc[-1] == "-第21天"
    labelled = sop_export.schedule_frame(schedule, plan, "en")
    assert "Owner role" in labelled.columns


def test_csv_reads_back_with_formulas_neutralised(plan: Plan, schedule: sop.Schedule) -> None:
    raw = sop_export.to_csv(schedule, plan, "zh")
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    frame = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str)
    assert len(frame) == len(schedule.tasks)
    daily = frame[frame["规则名称"] == "'=打卡提醒"]
    assert len(daily) == 21
    assert set(daily["任务"]) == {"'+86 群发"} and set(daily["素材"]) == {"'@all"}
    assert daily["话术"].iloc[0] == "'-第1天"
    assert not any(str(v).startswith(("=", "+", "-", "@")) for v in frame.to_numpy().ravel() if isinstance(v, str))


@pytest.mark.parametrize("hostile", ["\r=1+1", "备注\r\n=1+1", "a\n@SUM(A1)", "x\r-2\r+3"])
def test_csv_line_breaks_in_a_field_start_no_row_and_no_formula(plan: Plan, hostile: str) -> None:
    # Set in place (no validation), as text reaches the writer when a plan is edited in code.
    plan.sop.rules[1].name = plan.sop.rules[1].task = hostile
    schedule = sop.expand(plan)
    text = sop_export.to_csv(schedule, plan, "zh").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == len(schedule.tasks) + 1 and {len(r) for r in rows} == {len(rows[0])}
    # A reader that breaks rows at every CR or LF, quoted or not, still meets no formula.
    assert not [line for line in re.split(r"\r\n|\r|\n", text) if line.startswith(("=", "+", "-", "@"))]
    # Excel's own reading: the CRLF row ends are the rows; a field with a line break is quoted.
    assert all(line.count('"') % 2 == 0 for line in text.split("\r\n"))
    xlsx = pd.read_excel(io.BytesIO(sop_export.to_xlsx(schedule, plan, "zh")), dtype=str)
    assert not [v for v in xlsx.to_numpy().ravel() if isinstance(v, str)
                for line in v.split("\n") if line.startswith(("=", "+", "-", "@"))]


def test_xlsx_reads_back_with_both_sheets(plan: Plan, schedule: sop.Schedule) -> None:
    raw = sop_export.to_xlsx(schedule, plan, "en")
    sheets = pd.read_excel(io.BytesIO(raw), sheet_name=None, dtype=str)
    assert list(sheets) == ["Schedule", "Event rules"]
    table = sheets["Schedule"]
    assert len(table) == len(schedule.tasks)
    assert (table["Rule"] == "'=打卡提醒").sum() == 21
    assert table["Date"].iloc[0] == "2026-03-02"
    assert list(sheets["Event rules"]["Rule"]) == ["欢迎新人"]
    # openpyxl would have stored a formula for "=…": check the cell is plain text.
    from openpyxl import load_workbook
    ws = load_workbook(io.BytesIO(raw))["Schedule"]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_ics_one_event_per_task_with_unique_uids_and_times(plan: Plan, schedule: sop.Schedule) -> None:
    stamp = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)
    raw = sop_export.to_ics(schedule, plan, "zh", stamp=stamp)
    cal = Calendar.from_ical(raw)
    assert str(cal["VERSION"]) == "2.0" and "PRODID" in cal
    events = cal.walk("VEVENT")
    assert len(events) == len(schedule.tasks)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for event, task in zip(events, schedule.tasks, strict=True):
        assert event.decoded("DTSTART") == task.start
        assert event.decoded("DTSTAMP") == stamp
        assert task.name in str(event["SUMMARY"])
        assert "DESCRIPTION" in event
        if task.minutes:
            assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=task.minutes)
        else:
            assert "DTEND" not in event
    opening = next(e for e in events if "开营" in str(e["SUMMARY"]))
    assert "欢迎来到晨读营" in str(opening["DESCRIPTION"])
    assert raw == sop_export.to_ics(schedule, plan, "zh", stamp=stamp)  # reproducible
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded lines


def test_ics_uids_stay_the_same_across_exports(plan: Plan, schedule: sop.Schedule) -> None:
    first = Calendar.from_ical(sop_export.to_ics(schedule, plan, "zh"))
    again = Calendar.from_ical(sop_export.to_ics(sop.expand(plan), plan, "en"))
    assert [str(e["UID"]) for e in first.walk("VEVENT")] == [str(e["UID"]) for e in again.walk("VEVENT")]


def test_empty_schedule_exports(plan: Plan) -> None:
    plan.sop.rules = []
    empty = sop.expand(plan)
    assert len(pd.read_csv(io.BytesIO(sop_export.to_csv(empty, plan, "zh")))) == 0
    assert Calendar.from_ical(sop_export.to_ics(empty, plan, "zh")).walk("VEVENT") == []
    assert len(pd.read_excel(io.BytesIO(sop_export.to_xlsx(empty, plan, "zh")))) == 0


# --- charts ---------------------------------------------------------------------------------------
def test_gantt_merges_consecutive_days_and_follows_edits(plan: Plan, schedule: sop.Schedule) -> None:
    data = charts_sop.gantt_data(plan, schedule, "zh")
    daily = data[data["rule"] == "=打卡提醒"]
    assert len(daily) == 1 and daily["count"].item() == 21
    assert daily["first"].item() == "2026-03-02" and daily["last"].item() == "2026-03-22"
    spec = charts_sop.gantt(plan, schedule, "zh").to_dict()
    assert spec["mark"]["type"] == "bar"
    plan.sop.rules[0].name = "开营典礼"
    assert "群主 · 开营典礼" in charts_sop.gantt_data(plan, sop.expand(plan), "zh")["row"].tolist()


def test_gantt_weekly_rule_gives_one_bar_per_week() -> None:
    plan = make_plan(length=70)
    plan.sop.rules = [SopRule(name="周复盘", owner_role="host",
                              trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=[6], at_time=time(19, 0)))]
    assert len(charts_sop.gantt_data(plan, sop.expand(plan), "zh")) == 10


def test_charts_stay_under_the_point_limit_for_long_lifecycles() -> None:
    plan = make_plan(length=3650)
    plan.roles = [Role(id=f"r{i}", name=f"角色{i}", hours_per_week=7) for i in range(4)]
    plan.sop.rules = [
        SopRule(name=f"隔天{i}", owner_role=f"r{i % 4}",
                trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=[0, 2, 4], at_time=time(9 + i % 10, 0)))
        for i in range(12)
    ]
    schedule = sop.expand(plan)
    assert len(schedule.tasks) > charts_sop.MAX_POINTS
    gantt = charts_sop.gantt_data(plan, schedule, "zh")
    work = charts_sop.workload_data(plan, schedule, "zh")
    assert 0 < len(gantt) <= charts_sop.MAX_POINTS
    assert gantt["count"].sum() == len(schedule.tasks)
    assert 0 < len(work) <= charts_sop.MAX_POINTS and work.attrs["weekly"]


@pytest.mark.parametrize(("minutes", "capacity", "status"), [
    (0, 60, "idle"), (30, 60, "ok"), (48, 60, "ok"), (55, 60, "busy"), (60, 60, "busy"), (61, 60, "over"),
    (10, 0, "unknown"),
])
def test_load_status(minutes: int, capacity: float, status: str) -> None:
    assert charts_sop.load_status(minutes, capacity) == status


def test_workload_compares_minutes_with_capacity(plan: Plan, schedule: sop.Schedule) -> None:
    plan.sop.rules[0].minutes = 90  # 群主 has 60 min/day; the opening takes 90
    work = charts_sop.workload_data(plan, sop.expand(plan), "zh")
    assert len(work) == 2 * 21
    host = work[work["role"] == "群主"].set_index("day")
    assert host.loc["2026-03-02", "minutes"] == 90 and host.loc["2026-03-02", "status"] == "over"
    assert host.loc["2026-03-03", "status"] == "idle"
    ta = work[work["role"] == "助教"].set_index("day")
    assert ta.loc["2026-03-10", "minutes"] == 10 and ta.loc["2026-03-10", "capacity"] == 120
    spec = charts_sop.workload_heatmap(plan, schedule, "zh").to_dict()
    assert spec["mark"]["type"] == "rect"


def test_unowned_tasks_get_their_own_row(plan: Plan) -> None:
    plan.sop.rules[0].owner_role = ""
    schedule = sop.expand(plan)
    assert "（未指定负责人）" in set(charts_sop.workload_data(plan, schedule, "zh")["role"])
    assert "（未指定负责人）" in set(charts_sop.gantt_data(plan, schedule, "zh")["role"])


def test_day_column_and_script_count_from_one(plan: Plan, schedule: sop.Schedule) -> None:
    # One convention: rules store the opening day as 0, every document reads it as day 1.
    frame = sop_export.schedule_frame(schedule, plan, "zh", labels=False)
    opening = frame[frame["name"] == "开营"].iloc[0]
    assert (opening["day"], opening["date"]) == (1, "2026-03-02")
    daily = frame[frame["name"] == "=打卡提醒"]
    assert list(daily["day"])[:3] == [1, 2, 3]
    assert all(row["script"] == f"-第{row['day']}天" for _, row in daily.iterrows())
