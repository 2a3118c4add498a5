"""Several groups side by side (the 复制 step made measurable).

Activity rows carry an optional `group` (a group column such as 群名, the chat's name in an export, or
the user's label per file). Each group is analysed on its own over the same number of days from its own
first day (the *horizon*: the shortest group's span), so a camp that started last week is compared
with the first week of an older one, not with its whole history. Figures per group:

- members: members at the end of the horizon; new: members who joined within it;
- active: distinct members with an activity event within it; active_share = active / members;
- retention: of the members who joined in the group's first 7 days, the share active in the horizon's
  last 7 days (None when the horizon is shorter than 14 days);
- checkin_rate: check-ins (member-days) / the sum of each day's members;
- concentration: the share of active members who produce half of the events (smaller = a few carry it);
- events, messages within the horizon.

A group *lags* on a measure when it is below `LAG_SHARE` of the median of all groups (active share,
retention, check-in rate). Names like 第2期 / batch 2 make the groups batches of one repeated camp,
compared in batch order, each with its change against the batch before.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from itertools import pairwise
from statistics import median
from typing import Any

import pandas as pd

from planner.data.analysis import Analysis, AnalysisOptions
from planner.data.frames import LoadResult

LAG_SHARE = 0.8
LAG_MEASURES = ("active_share", "retention", "checkin_rate")
FIRST_WEEK = 7
_BATCH = re.compile(r"第\s*(\d+)\s*期|(?:batch|cohort|期)\s*#?\s*(\d+)", re.IGNORECASE)


def batch_number(name: str) -> int | None:
    found = _BATCH.search(name)
    return int(found.group(1) or found.group(2)) if found else None


def group_names(result: LoadResult) -> list[str]:
    activity = result.activity
    if activity is None or "group" not in activity:
        return []
    values = activity["group"].dropna().astype(str).str.strip()
    return sorted(set(values[values != ""]))


def _subset(result: LoadResult, name: str) -> LoadResult:
    activity = result.activity
    rows = activity[activity["group"].astype(str).str.strip() == name].drop(columns="group").reset_index(drop=True)
    members = None
    if result.members is not None:
        members = result.members[result.members["member_id"].astype(str).isin(
            set(rows["member_id"].astype(str)))].reset_index(drop=True)
    return LoadResult(activity=rows, members=members, format=result.format)


def _figures(analysis: Analysis, horizon: int) -> dict[str, Any]:
    daily, table = analysis.daily, analysis.member_table
    end = pd.Timestamp(analysis.as_of)
    members = analysis.members
    active = int((table["active_days"] > 0).sum()) if not table.empty else 0
    retention = None
    if horizon >= 2 * FIRST_WEEK and not table.empty:
        first_week = table["join_date"] < pd.Timestamp(analysis.start) + pd.Timedelta(days=FIRST_WEEK)
        if first_week.any():
            stayed = table["last_active"] >= end - pd.Timedelta(days=FIRST_WEEK - 1)
            retention = round(float((first_week & stayed).sum() / first_week.sum()), 6)
    member_days = float(daily["members"].sum())
    checkins = float(daily["checkins"].sum())
    conc = analysis.concentration
    return {
        "start": analysis.start.isoformat(), "horizon_days": horizon, "members": members,
        "new": int(daily["new"].sum()), "active": active,
        "active_share": round(active / members, 6) if members else None,
        "retention": retention,
        "checkin_rate": round(checkins / member_days, 6) if member_days else None,
        "concentration": round(conc["members_for_half"] / conc["active_members"], 6)
        if conc.get("active_members") else None,
        "events": analysis.events, "messages": int(daily["messages"].sum()),
        "batch": None, "lagging": [], "change": {},
    }


def compare_groups(result: LoadResult, plan: Any, options: AnalysisOptions | None,
                   analyze: Any) -> dict[str, Any]:
    """{"horizon_days", "batches", "order", "groups": {name: figures}, "daily": aligned DAU rows} for an
    upload with two or more groups, else {}. `analyze` is planner.data.analytics.analyze (passed in, so
    this module and analytics do not import each other)."""
    names = group_names(result)
    if len(names) < 2:
        return {}
    parts = {name: _subset(result, name) for name in names}
    spans = {}
    for name, part in parts.items():
        times = part.activity["time"].dropna()
        if times.empty:
            continue
        spans[name] = (times.min().normalize(), times.max().normalize())
    if len(spans) < 2:
        return {}
    horizon = min((hi - lo).days + 1 for lo, hi in spans.values())
    base = options or AnalysisOptions()
    figures: dict[str, dict[str, Any]] = {}
    aligned: list[dict[str, Any]] = []
    for name, (lo, _hi) in spans.items():
        opts = replace(base, as_of=(lo + timedelta(days=horizon - 1)).date(), event_date=None, plan_start=None,
                       weekly_cohorts=False)
        part = parts[name]
        cut = lo + timedelta(days=horizon)  # rows from later days are left out, not just ignored: a member
        part.activity = part.activity[part.activity["time"] < cut].reset_index(drop=True)  # first seen later
        if part.members is not None:  # is not a member yet (analytics counts an unknown join from day 0)
            part.members = part.members[~(part.members["join_date"] >= cut)].reset_index(drop=True)
        analysis = analyze(part, plan, opts)
        figures[name] = _figures(analysis, horizon)
        dau = analysis.daily["dau"].to_numpy()
        aligned += [{"group": name, "day": int(d), "dau": int(v)} for d, v in enumerate(dau[:horizon])]
    batches = all(batch_number(n) is not None for n in figures)
    order = sorted(figures, key=lambda n: (batch_number(n) or 0, n)) if batches else sorted(
        figures, key=lambda n: spans[n][0])
    for measure in LAG_MEASURES:
        values = [f[measure] for f in figures.values() if f[measure] is not None]
        if len(values) < 2 or median(values) <= 0:
            continue
        mid = median(values)
        for f in figures.values():
            if f[measure] is not None and f[measure] < LAG_SHARE * mid:
                f["lagging"].append(measure)
    if batches:
        for previous, name in pairwise(order):
            figures[name]["batch"] = batch_number(name)
            figures[name]["change"] = {
                m: (round(figures[name][m] - figures[previous][m], 6)
                    if figures[name][m] is not None and figures[previous][m] is not None else None)
                for m in ("members", "active_share", "retention", "checkin_rate")}
        figures[order[0]]["batch"] = batch_number(order[0])
    return {"horizon_days": horizon, "batches": batches, "order": order, "groups": figures, "daily": aligned}


def laggards(comparison: dict[str, Any]) -> list[str]:
    return [n for n in comparison.get("order", []) if comparison["groups"][n]["lagging"]]

