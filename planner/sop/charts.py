"""Altair charts of the SOP schedule: a Gantt by owner role and a workload heatmap. Pure.

Both are built from `planner.sop.schedule.expand` and aggregated so that a chart never carries more than
`MAX_POINTS` data rows, whatever the lifecycle length:

- Gantt: one bar per run of occurrences of a rule. Occurrences on consecutive days merge into one
  bar (a daily reminder over 365 days is one bar); when that still gives too many bars, runs merge
  across gaps of up to a week, then a month, then the whole lifecycle.
- Heatmap: minutes per role per day, coloured by the share of the role's daily capacity
  (hours_per_week / 7 × headcount). When roles × days is above MAX_POINTS, days are grouped into
  weeks and a week shows its busiest day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import altair as alt
import pandas as pd

from models.plan import Plan
from planner import i18n
from planner.sop.schedule import Schedule, ScheduledTask, capacity_minutes, daily_minutes

MAX_POINTS = 5000
MERGE_GAPS: tuple[int | None, ...] = (1, 7, 31, None)  # None = the whole lifecycle

STATUSES: tuple[str, ...] = ("idle", "ok", "busy", "over", "unknown")
STATUS_COLORS: dict[str, str] = {
    "idle": "#eef1f5", "ok": "#8cc7a1", "busy": "#f2c14e", "over": "#e4572e", "unknown": "#9aa5b1",
}
BUSY_SHARE = 0.8  # above this share of capacity a day counts as busy

# Role colours of the Gantt, in the app and in every document (the one place they are defined):
# calm, distinct mid-tones. No red or orange: a role is not an alarm, and the workload heatmap
# keeps those for "busy" and "over". The list repeats for a team with more roles than colours.
ROLE_COLOURS: tuple[str, ...] = (
    "#5B8DB8", "#6DAE9E", "#9C8FC4", "#C9A96E", "#B592AE", "#8DB07A", "#7E97A6", "#7FA3C9",
    "#A8B86C", "#8C9EC9",
)
TICK_LABELS = 8  # at most this many date labels on the Gantt's axis, so they never run into each other


def _role_labels(plan: Plan, schedule: Schedule, lang: str) -> dict[str, str]:
    """Role id → label, in the plan's order; unowned and unknown owners get one extra row."""
    labels = {r.id: r.name or r.id for r in plan.roles}
    if any(t.owner_role not in labels for t in schedule.tasks):
        labels[""] = i18n.t("sop.unassigned", lang)
    return labels


def _owner_key(task: ScheduledTask, labels: dict[str, str]) -> str:
    return task.owner_role if task.owner_role in labels else ""


# --- Gantt ----------------------------------------------------------------------------------------
def _runs(days: list[int], gap: int | None) -> list[tuple[int, int, int]]:
    """(first day, last day, occurrences) for sorted `days`, merging steps of at most `gap`."""
    runs: list[tuple[int, int, int]] = []
    for day in days:
        if runs and (gap is None or day - runs[-1][1] <= gap):
            first, _, count = runs[-1]
            runs[-1] = (first, day, count + 1)
        else:
            runs.append((day, day, 1))
    return runs


def gantt_data(plan: Plan, schedule: Schedule, lang: str) -> pd.DataFrame:
    """One row per bar: role, rule, row label, start/end (end exclusive), time of day, count."""
    labels = _role_labels(plan, schedule, lang)
    by_rule: dict[tuple[str, str], list[ScheduledTask]] = {}
    for task in schedule.tasks:
        by_rule.setdefault((_owner_key(task, labels), task.rule_id), []).append(task)
    role_order = list(labels)
    ordered = sorted(by_rule.items(), key=lambda kv: (role_order.index(kv[0][0]), kv[1][0].day, kv[1][0].rule_index))
    rows: list[dict[str, Any]] = []
    for gap in MERGE_GAPS:
        rows = []
        for (role_id, _), tasks in ordered:
            first_task = tasks[0]
            rule_name = first_task.name or first_task.task[:20] or first_task.rule_id
            for first, last, count in _runs(sorted({t.day for t in tasks}), gap):
                rows.append({
                    "role": labels[role_id], "rule": rule_name, "row": f"{labels[role_id]} · {rule_name}",
                    "start": pd.Timestamp(schedule.start + timedelta(days=first)),
                    "end": pd.Timestamp(schedule.start + timedelta(days=last + 1)),
                    "first": (schedule.start + timedelta(days=first)).isoformat(),
                    "last": (schedule.start + timedelta(days=last)).isoformat(),
                    "time": first_task.start.strftime("%H:%M"), "count": count, "minutes": first_task.minutes,
                })
        if len(rows) <= MAX_POINTS:
            break
    return pd.DataFrame(rows, columns=["role", "rule", "row", "start", "end", "first", "last", "time", "count",
                                       "minutes"])


def date_axis(first: date, last: date) -> alt.Axis:
    """A date axis whose labels do not collide: ticks a day, a week or a month apart so that at most
    `TICK_LABELS` are drawn, the year in the label when the span crosses one, and any label that
    would still overlap its neighbour (a phone-narrow chart) left out."""
    days = (last - first).days + 1
    if days <= 62:
        interval, step = "day", max(1, -(-days // TICK_LABELS))
    elif days <= 7 * 26:
        interval, step = "week", max(1, -(-days // (7 * TICK_LABELS)))
    else:
        interval, step = "month", max(1, -(-days // (30 * TICK_LABELS)))
    label = "%Y-%m" if first.year != last.year and interval == "month" else "%m-%d"
    if first.year != last.year and interval != "month":
        label = "%Y-%m-%d"
    return alt.Axis(format=label, tickCount={"interval": interval, "step": step}, labelOverlap="greedy",
                    labelAngle=0, labelSeparation=6, labelFlush=True)


def role_scale(roles: list[str]) -> alt.Scale:
    """The roles' colours (ROLE_COLOURS in turn)."""
    return alt.Scale(domain=roles, range=[ROLE_COLOURS[i % len(ROLE_COLOURS)] for i in range(len(roles))])


def gantt(plan: Plan, schedule: Schedule, lang: str) -> alt.Chart:
    """Bars per rule over the lifecycle, one row per (owner role, rule), coloured by role."""
    data = gantt_data(plan, schedule, lang)
    rows = list(dict.fromkeys(data["row"]))
    roles = list(dict.fromkeys(data["role"]))
    t = lambda key: i18n.t(f"sop.chart.{key}", lang)  # noqa: E731
    last = schedule.start + timedelta(days=max(schedule.length_days - 1, 0))
    return alt.Chart(data, title=t("gantt_title")).mark_bar(cornerRadius=2).encode(
        x=alt.X("start:T", title=t("date"), axis=date_axis(schedule.start, last)),
        x2="end:T",
        y=alt.Y("row:N", sort=rows, title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False)),
        color=alt.Color("role:N", title=t("role"), sort=roles, scale=role_scale(roles)),
        tooltip=[
            alt.Tooltip("rule:N", title=t("rule")), alt.Tooltip("role:N", title=t("role")),
            alt.Tooltip("first:N", title=t("first")), alt.Tooltip("last:N", title=t("last")),
            alt.Tooltip("time:N", title=t("time")), alt.Tooltip("count:Q", title=t("count")),
            alt.Tooltip("minutes:Q", title=t("minutes")),
        ],
    ).properties(width="container", height=max(80, 26 * len(rows)))


# --- workload -------------------------------------------------------------------------------------
def load_status(minutes: float, capacity: float) -> str:
    if minutes <= 0:
        return "idle"
    if capacity <= 0:
        return "unknown"
    share = minutes / capacity
    return "ok" if share <= BUSY_SHARE else "busy" if share <= 1 else "over"


def workload_data(plan: Plan, schedule: Schedule, lang: str) -> pd.DataFrame:
    """Minutes per role per day (or per week, see module doc) with capacity and status."""
    labels = _role_labels(plan, schedule, lang)
    capacity = {r.id: capacity_minutes(r) for r in plan.roles}
    load: dict[tuple[str, int], int] = {}
    for (role_id, day), minutes in daily_minutes(schedule).items():
        key = (role_id if role_id in labels else "", day)
        load[key] = load.get(key, 0) + minutes
    weekly = len(labels) * schedule.length_days > MAX_POINTS
    rows: dict[tuple[str, date], dict[str, Any]] = {}
    for role_id, label in labels.items():
        cap = capacity.get(role_id, 0.0)
        for day in range(schedule.length_days):
            when = schedule.start + timedelta(days=day)
            bucket = when - timedelta(days=when.weekday()) if weekly else when
            minutes = load.get((role_id, day), 0)
            row = rows.setdefault((role_id, bucket), {
                "role": label, "date": pd.Timestamp(bucket),
                "date_end": pd.Timestamp(bucket + timedelta(days=7 if weekly else 1)), "day": bucket.isoformat(),
                "minutes": 0,
                "capacity": round(cap), "share": 0.0,
            })
            row["minutes"] = max(row["minutes"], minutes)
    out = pd.DataFrame(list(rows.values()), columns=["role", "date", "date_end", "day", "minutes", "capacity",
                                                       "share"])
    out["share"] = [round(m / c * 100) if c else None for m, c in zip(out["minutes"], out["capacity"], strict=True)]
    out["status"] = [load_status(m, c) for m, c in zip(out["minutes"], out["capacity"], strict=True)]
    out["status_label"] = [i18n.t(f"sop.chart.status.{s}", lang) for s in out["status"]]
    out.attrs["weekly"] = weekly
    return out


def workload_heatmap(plan: Plan, schedule: Schedule, lang: str) -> alt.Chart:
    """Roles × days, coloured by load against capacity (idle, ok, busy, over, hours not stated)."""
    data = workload_data(plan, schedule, lang)
    t = lambda key: i18n.t(f"sop.chart.{key}", lang)  # noqa: E731
    weekly = data.attrs.get("weekly", False)
    domain = [i18n.t(f"sop.chart.status.{s}", lang) for s in STATUSES]
    roles = list(dict.fromkeys(data["role"]))
    return alt.Chart(data, title=t("weekly_title" if weekly else "workload_title")).mark_rect(
        stroke="white", strokeWidth=0.5,
    ).encode(
        x=alt.X("date:T", title=t("week" if weekly else "date"), axis=alt.Axis(format="%m-%d")),
        x2="date_end:T",
        y=alt.Y("role:N", sort=roles, title=None),
        color=alt.Color("status_label:N", title=t("load"),
                        scale=alt.Scale(domain=domain, range=[STATUS_COLORS[s] for s in STATUSES])),
        tooltip=[
            alt.Tooltip("role:N", title=t("role")), alt.Tooltip("day:N", title=t("week" if weekly else "date")),
            alt.Tooltip("minutes:Q", title=t("minutes")), alt.Tooltip("capacity:Q", title=t("capacity")),
            alt.Tooltip("share:Q", title=t("share")), alt.Tooltip("status_label:N", title=t("load")),
        ],
    ).properties(width="container", height=max(60, 30 * len(roles)))
