"""What an analysis of member data holds (`Analysis`), the options it takes, and its JSON form.
The metric definitions are written out in `planner.data.metrics`; `planner.data.analytics` computes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from models.enums import Layer
from planner.data.frames import LoadResult

RETENTION_MONTHS = 12
HEADLINE_DAYS = 30  # the headline period when the plan's lifecycle does not overlap the data


KPI_METRICS = ("members", "new_members", "active_members", "checkin_rate", "dau_mau", "retention_m1", "buyers",
               "messages")


LAYER_ORDER = tuple(Layer)


@dataclass
class AnalysisOptions:
    as_of: date | None = None
    weekly_cohorts: bool = False
    retention_weeks: int = 12
    presence: tuple[tuple[int, int], ...] = ((7, 2), (30, 7), (90, 30))  # (window days, min active days)
    inactive_prior_days: int = 90
    inactive_silent_days: int = 30
    inactive_min_events: int = 10
    event_date: date | None = None  # before/after around this day
    around_days: int = 7
    plan_start: date | None = None  # compare as if the plan's day 0 were this day (plan and data apart)


@dataclass
class Analysis:
    source: str = "none"  # "activity" | "daily" | "members" | "none"
    start: date | None = None
    as_of: date | None = None
    members: int = 0
    events: int = 0
    bad_rows: int = 0  # copied from the load result, for the export's overview
    new_per_day: dict[str, int] = field(default_factory=dict)
    new_per_week: dict[str, int] = field(default_factory=dict)
    new_per_month: dict[str, int] = field(default_factory=dict)
    active_per_day: dict[str, int] = field(default_factory=dict)
    active_per_week: dict[str, int] = field(default_factory=dict)
    active_per_month: dict[str, int] = field(default_factory=dict)
    # one row per day: date, members, new, dau, wau, mau, dau_mau, checkins, checkin_rate, messages
    daily: pd.DataFrame = field(default_factory=pd.DataFrame)
    retention: dict[str, dict[str, float | None]] = field(default_factory=dict)
    cohort_sizes: dict[str, int] = field(default_factory=dict)
    retention_weekly: dict[str, dict[str, float | None]] = field(default_factory=dict)
    funnel: list[dict[str, Any]] = field(default_factory=list)
    layers: dict[str, int] = field(default_factory=dict)
    layer_window_days: int = 7
    presence: list[dict[str, Any]] = field(default_factory=list)
    concentration: dict[str, Any] = field(default_factory=dict)
    inactivity: list[dict[str, Any]] = field(default_factory=list)
    lurker_treatment: str = ""
    plan_vs_actual: list[dict[str, Any]] = field(default_factory=list)
    before_after: dict[str, Any] | None = None
    # the headline period: start, end (ISO days), basis ("plan" | "last_days" | "all") and the counts over it
    # (members at its end, new, active, events, messages, checkins, checkin_rate, dau_mau); see headline_window
    window: dict[str, Any] = field(default_factory=dict)
    # several groups side by side (planner.data.groups.compare_groups), {} for one group
    comparison: dict[str, Any] = field(default_factory=dict)
    # one row per member: member_id, nickname, join_date, left, events, active_days, last_active,
    # layer, checkin_days, messages (the last two over the layer window)
    member_table: pd.DataFrame = field(default_factory=pd.DataFrame)


def to_json(analysis: Analysis, result: LoadResult | None = None) -> dict[str, Any]:
    """The analysis as plain JSON types (the CLI prints this; the export can reuse it)."""
    return {
        "format": result.format if result is not None else None,
        "source": analysis.source,
        "start": analysis.start.isoformat() if analysis.start else None,
        "as_of": analysis.as_of.isoformat() if analysis.as_of else None,
        "members": analysis.members,
        "events": analysis.events,
        "bad_rows": result.bad_rows if result is not None else 0,
        "new_per_day": analysis.new_per_day,
        "new_per_week": analysis.new_per_week,
        "new_per_month": analysis.new_per_month,
        "active_per_week": analysis.active_per_week,
        "active_per_month": analysis.active_per_month,
        "dau_mau": _series(analysis.daily, "dau_mau"),
        "checkin_rate": _series(analysis.daily, "checkin_rate"),
        "retention": analysis.retention,
        "cohort_sizes": analysis.cohort_sizes,
        "retention_weekly": analysis.retention_weekly,
        "funnel": analysis.funnel,
        "layers": analysis.layers,
        "layer_window_days": analysis.layer_window_days,
        "presence": [{k: v for k, v in p.items() if k != "members"} for p in analysis.presence],
        "concentration": {k: v for k, v in analysis.concentration.items() if k != "curve"},
        "inactivity": len(analysis.inactivity),
        "plan_vs_actual": analysis.plan_vs_actual,
        "before_after": analysis.before_after,
        "window": analysis.window,
        "groups": (analysis.comparison or {}).get("groups", {}),
        "group_horizon_days": (analysis.comparison or {}).get("horizon_days"),
    }


def _series(frame: pd.DataFrame, column: str) -> dict[str, float | None]:
    if frame.empty or column not in frame:
        return {}
    values = frame[column].to_numpy(dtype="float64")
    labels = frame["date"].dt.strftime("%Y-%m-%d")
    return {lb: (None if np.isnan(v) else round(float(v), 6)) for lb, v in zip(labels, values, strict=True)}
