"""The plan's KPIs against the data: a metric measured on a day, due dates, and plan vs actual."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from planner.data.analysis import KPI_METRICS, Analysis
from planner.data.day_arrays import month_label, month_of, to_day, unique
from planner.data.events import BIG, Events


def measure(metric: str, analysis: Analysis, day: date, plan: Any = None, data: Events | None = None) -> float | None:
    """The measured value of a KPI metric on `day` (None: no data for that day or unknown metric)."""
    frame = analysis.daily
    if frame.empty or analysis.start is None or not (analysis.start <= day <= analysis.as_of):
        return None
    i = (day - analysis.start).days
    row = frame.iloc[i]
    if metric == "members":
        return float(row["members"])
    if metric == "new_members":
        start = plan.lifecycle.start_date if plan is not None and plan.lifecycle.start_date else analysis.start
        lo = max((start - analysis.start).days, 0)
        return float(frame["new"].iloc[lo:i + 1].sum())
    if metric == "active_members":
        return float(row["wau"])
    if metric == "checkin_rate":
        return None if pd.isna(row["checkin_rate"]) else float(row["checkin_rate"])
    if metric == "dau_mau":
        return None if pd.isna(row["dau_mau"]) else float(row["dau_mau"])
    if metric == "messages":
        return float(row["messages"])
    if metric == "buyers" and data is not None:
        sel = data.is_purchase & (data.d <= to_day(day))
        return float(len(unique(data.m[sel])))
    if metric == "retention_m1" and data is not None:
        return _retention_m1(analysis, data, plan, day)
    return None


def _retention_m1(analysis: Analysis, data: Events, plan: Any, day: date) -> float | None:
    """Share of the first-month cohort (the lifecycle start's month, else the first cohort) that was
    active in the following calendar month, counting events up to `day`."""
    start = plan.lifecycle.start_date if plan is not None and plan.lifecycle.start_date else analysis.start
    month = int(np.datetime64(start, "M").astype(np.int64))
    known = data.join < BIG
    cohort = known & (month_of(np.where(known, data.join, 0)) == month)
    if not cohort.any():
        return None
    day_n = to_day(day)
    sel = data.is_active & (data.d <= day_n) & (month_of(data.d) == month + 1) & cohort[data.m]
    if to_day(date.fromisoformat(month_label(month + 1) + "-01")) > day_n:
        return None  # month 1 has not begun by the due day
    return float(len(unique(data.m[sel])) / cohort.sum())


def due_date(plan: Any, due_day: int | None) -> date | None:
    """Lifecycle day N is `start_date + N days` (day 0 is the start date)."""
    if due_day is None or plan is None or plan.lifecycle.start_date is None:
        return None
    return plan.lifecycle.start_date + timedelta(days=due_day)


def plan_vs_actual(plan: Any, analysis: Analysis, data: Events | None = None) -> list[dict[str, Any]]:
    """Each KPI of the plan with its measured value on its due day and a status:
    met / missed / pending (due after the data ends) / no_data / no_date / manual."""
    rows = []
    for kpi in plan.kpis:
        due = due_date(plan, kpi.due_day)
        row: dict[str, Any] = {"metric": kpi.metric, "label": kpi.label or kpi.metric, "target": kpi.target,
                               "unit": kpi.unit, "due_day": kpi.due_day,
                               "due_date": due.isoformat() if due else None, "actual": None}
        if kpi.metric not in KPI_METRICS:
            row["status"] = "manual"
        elif due is None:
            row["status"] = "no_date"
        elif analysis.as_of is not None and due > analysis.as_of:
            row["status"] = "pending"
        else:
            row["actual"] = measure(kpi.metric, analysis, due, plan, data)
            if row["actual"] is None:
                row["status"] = "no_data"
            elif kpi.target is None:
                row["status"] = "measured"
            else:
                row["status"] = "met" if row["actual"] >= kpi.target else "missed"
        rows.append(row)
    return rows
