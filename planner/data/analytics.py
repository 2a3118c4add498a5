"""Member-data analytics with pinned definitions (the written ones live in `planner.data.metrics`).

Conventions every metric shares:
- a *day* is a calendar day of the local, naive timestamps; `as_of` (default: the last day in
  the data) is the end of the analysis, later events are ignored;
- an *activity event* is any activity-log row whose action is not 加入 / 移出;
- a member *joined* on the members table's join date, else on their first 加入 event, else on
  their first event of any kind; a member *left* on a 移出 event later than their last 加入;
- *members(d)* = joined on or before d and not left on or before d (unknown join: from the start);
- weeks start on Monday and are labelled by that Monday (YYYY-MM-DD); months are YYYY-MM;
- windows "the N days up to d" include d: [d-N+1, d].
Everything is computed on integer day numbers and member codes with numpy, so 10⁶ events take
well under a second.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from models.enums import Layer
from planner.concurrency import in_sequence
from planner.data.analysis import HEADLINE_DAYS, LAYER_ORDER, RETENTION_MONTHS, Analysis, AnalysisOptions
from planner.data.cohorts import cohort_retention
from planner.data.day_arrays import (
    MASK_LIMIT,
    day_dates,
    day_label,
    day_labels,
    flatnonzero,
    mark_keys,
    month_label,
    month_labels,
    month_of,
    per_period,
    period_counts,
    pooled,
    ratio,
    take_where,
    to_day,
    unique,
    week_label,
    week_labels,
    week_of,
)
from planner.data.events import BACKGROUND_ROWS, BIG, Events
from planner.data.frames import LoadResult
from planner.data.groups import compare_groups
from planner.data.kpis import plan_vs_actual
from planner.data.member_metrics import assign_layers, concentration, inactivity, layer_column


def _pairs(keys: np.ndarray, checkin: np.ndarray | None, space: int) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct member-day keys and, for each, whether a check-in is among its events. Dense keys
    (the usual case) are marked in boolean masks and never sorted."""
    # check-ins are a minority: gathering them by position is several times cheaper than a boolean index
    checkin_keys = keys.take(np.flatnonzero(checkin)) if checkin is not None else keys[:0]
    if space <= min(64 * len(keys) + 65_536, MASK_LIMIT):
        mark = pooled(space, bool)  # a bool mask: numpy finds its set entries far faster than bytes'
        mark[:] = False
        mark_keys(mark, keys)
        pair_keys = flatnonzero(mark)
        if not len(checkin_keys):
            return pair_keys, np.zeros(len(pair_keys), dtype=bool)
        mark[checkin_keys] = False  # every pair is still marked: unmarking the check-ins saves clearing it all
        return pair_keys, ~mark[pair_keys]
    pair_keys = unique(keys)
    checked = np.zeros(len(pair_keys), dtype=bool)
    checked[np.searchsorted(pair_keys, unique(checkin_keys))] = True
    return pair_keys, checked


def _rolling_distinct(dau: np.ndarray, pair_d: np.ndarray, next_d: np.ndarray, nd: int, window: int,
                      tmp: np.ndarray) -> np.ndarray:
    """Distinct members with ≥1 active day in [t-window+1, t], for t = 0…nd-1.

    Pairs are the distinct (member, day) sorted by member then day, `next_d` the member's next active day
    (nd after its last). A member counts on day t for its latest active day d ≤ t while t < d+window, so
    each pair covers [d, min(next_d, d+window)): these runs never overlap within a member, and counting
    run starts (the DAU) minus run ends gives the distinct members of every window in one pass."""
    end = np.add(pair_d, window, out=tmp)
    np.minimum(end, next_d, out=end)
    ends = np.bincount(end, minlength=nd + 1)[:nd]
    return np.cumsum(dau - ends)


def _member_periods(pair_m: np.ndarray, period: np.ndarray, boundary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (member, period) of the sorted (member, day) pairs, `boundary` marking pairs that start a
    new member. A member's periods never decrease with its days, so a new (member, period) starts where the
    member or the period changes: no sort, no mask."""
    if not len(pair_m):
        return pair_m, period
    new = np.empty(len(pair_m), dtype=bool)
    new[0] = True
    np.not_equal(period[1:], period[:-1], out=new[1:])
    new[1:] |= boundary
    return take_where(new, pair_m, period)


def _messages_per_day(data: Events, d0: int, nd: int) -> np.ndarray:
    """Speak events per day. A log in time order is cut at the day boundaries and each day's flags are
    counted (no per-event keys); otherwise the days of the speak events are counted."""
    if not data.speak_codes:
        return np.zeros(nd, dtype=np.int64)
    speak = data.flag(data.speak_codes)
    if data.sorted:
        bounds = np.searchsorted(data.d, np.arange(d0, d0 + nd + 1)).tolist()
        return np.array([np.count_nonzero(speak[lo:hi]) for lo, hi in pairwise(bounds)],
                        dtype=np.int64)
    return np.bincount(data.d[speak] - d0, minlength=nd)[:nd]


def analyze(result: LoadResult, plan: Any = None, options: AnalysisOptions | None = None) -> Analysis:
    """Every metric of the metric dictionary, from one load result (and the plan, when given)."""
    options = options or AnalysisOptions()
    if plan is not None and options.plan_start is not None:  # plan day 0 aligned with a day of the data
        plan = plan.model_copy(deep=True)
        plan.lifecycle.start_date = options.plan_start
    words = frozenset(w.strip() for w in plan.data.checkin_keywords) if plan is not None else frozenset()
    data = Events(result, options.as_of, words)
    out = Analysis(bad_rows=result.bad_rows)
    if data.end is None or data.start is None:
        if result.daily is not None and len(result.daily):
            daily_only = _daily_only(result.daily, plan, options)
            daily_only.bad_rows = result.bad_rows
            return daily_only
        return out
    out.source = "activity" if len(data.d) else "members"
    d0, nd = data.start, data.end - data.start + 1
    out.start, out.as_of = np.datetime64(d0, "D").item(), np.datetime64(data.end, "D").item()
    days = np.arange(d0, data.end + 1)
    out.events = len(data.d)

    messages = _messages_per_day(data, d0, nd)

    # activity: the distinct (member, day) pairs, sorted by member then day, and which of them hold a
    # check-in, from one pass over the events
    sel = slice(None) if data.every_active else data.is_active  # most logs hold no joins or removals
    checkin = data.is_checkin[sel] if data.checkin_codes else None
    pair_keys, pair_checked = _pairs(data.key(data.m, nd, data.d, d0)[sel], checkin, data.n * nd)
    pair_d = pooled(len(pair_keys), np.int64)
    pair_m, _ = np.divmod(pair_keys, nd, out=(pair_keys, pair_d))  # in place: the keys are not needed again
    if set(data.checkin_codes) - set(data.active_codes) and (data.is_checkin & ~data.is_active).any():
        # a check-in word that is also a join or removal: its days count as check-ins too
        ck = unique(data.m[data.is_checkin] * nd + (data.d[data.is_checkin] - d0))
        ck_m, ck_d = np.divmod(ck, nd)
    else:
        ck_m, ck_d = take_where(pair_checked, pair_m, pair_d)
    # membership over time (join and leave days may have been worked out on another core meanwhile)
    join_idx = np.where(data.join < BIG, np.clip(data.join - d0, 0, None), 0)
    joined_known = (data.join < BIG) & (data.join <= data.end)
    present_from = np.where(data.join < BIG, data.join, d0)
    in_range = (present_from <= data.end) & data.member
    members_on = np.cumsum(np.bincount(join_idx[in_range], minlength=nd)[:nd])
    gone = (data.left < BIG) & (data.left <= data.end) & in_range
    members_on = members_on - np.cumsum(np.bincount(data.left[gone] - d0, minlength=nd)[:nd])
    current = in_range & ~gone
    out.members = int(current.sum())
    new_days = data.join[joined_known]
    new_on = np.bincount(new_days - d0, minlength=nd)[:nd]

    boundary = np.not_equal(pair_m[1:], pair_m[:-1])  # pair i+1 starts a new member
    day_week = week_of(days)
    day_month = month_of(days)
    events_per = data.per_member(data.active_codes)

    # cohorts: calendar periods of the join day; retention k = share active in cohort period + k
    cohort_day = np.where(data.join < BIG, data.join, -1)
    has_cohort = (cohort_day >= 0) & (cohort_day <= data.end)

    def by_month() -> None:
        """Active members per month, and the monthly cohorts' retention."""
        month_m, month = _member_periods(pair_m, np.take(day_month, pair_d, out=pooled(len(pair_d), np.int64)),
                                         boundary)
        out.active_per_month = per_period(day_month, period_counts(day_month, month), month_labels)
        out.retention, out.cohort_sizes = cohort_retention(
            cohort=np.where(has_cohort, month_of(np.maximum(cohort_day, 0)), -1),
            member=month_m, period=month, last_period=int(day_month[-1]), horizon=RETENTION_MONTHS,
            label=month_label)

    def by_week() -> None:
        """Active members per week, and the weekly cohorts' retention when asked for."""
        week_m, week = _member_periods(pair_m, np.take(day_week, pair_d, out=pooled(len(pair_d), np.int64)),
                                       boundary)
        out.active_per_week = per_period(day_week, period_counts(day_week, week), week_labels)
        if options.weekly_cohorts:
            out.retention_weekly, _ = cohort_retention(
                cohort=np.where(has_cohort, week_of(np.maximum(cohort_day, 0)), -1),
                member=week_m, period=week, last_period=int(day_week[-1]), horizon=options.retention_weeks,
                label=week_label)

    def presence() -> None:
        """Presence levels: active days in the window per member, counted among the pairs of the longest window
        only (a few months of a long log), gathered once."""
        longest = max((win for win, _ in options.presence), default=0)
        recent = np.flatnonzero(pair_d > nd - 1 - longest)
        recent_m, recent_d = pair_m.take(recent), pair_d.take(recent)
        for win, min_days in options.presence:
            count = np.bincount(recent_m[recent_d > nd - 1 - win], minlength=data.n)
            who = (count >= min_days) & current
            out.presence.append({"window_days": win, "min_days": min_days, "count": int(who.sum()),
                                 "members": data.ids.filter(pa.array(who)).to_pylist()})

    def how_concentrated() -> None:
        out.concentration = concentration(events_per)

    # Everything below needs only the pairs: on a large log the periods, cohorts, presence and concentration
    # are worked out on a second core while this one does the days, layers and member table, and whatever the
    # second core has not started by then is done here (see planner.concurrency.in_sequence).
    second_core = in_sequence([by_month, by_week, presence, how_concentrated], len(pair_m) >= BACKGROUND_ROWS)
    next_d = pooled(len(pair_d), np.int64)  # the member's next active day, nd after its last
    next_d[:-1] = pair_d[1:]
    np.copyto(next_d[:-1], nd, where=boundary)
    next_d[-1:] = nd
    pair_tmp = pooled(len(pair_d), np.int64)  # scratch for the pair-level keys below
    dau = np.bincount(pair_d, minlength=nd)[:nd]
    wau = _rolling_distinct(dau, pair_d, next_d, nd, 7, pair_tmp)
    mau = _rolling_distinct(dau, pair_d, next_d, nd, 30, pair_tmp)
    checkins = np.bincount(ck_d, minlength=nd)[:nd]
    with np.errstate(divide="ignore", invalid="ignore"):
        dau_mau = np.where(mau > 0, dau / np.maximum(mau, 1), np.nan)
        rate = np.where(members_on > 0, checkins / np.maximum(members_on, 1), np.nan)
    out.daily = pd.DataFrame({
        "date": days.astype("datetime64[D]").astype("datetime64[ns]"), "members": members_on, "new": new_on,
        "dau": dau, "wau": wau, "mau": mau, "dau_mau": dau_mau, "checkins": checkins, "checkin_rate": rate,
        "messages": messages,
    })
    labels = day_labels(days)
    out.new_per_day = dict(zip(labels, new_on.tolist(), strict=True))
    out.active_per_day = dict(zip(labels, dau.tolist(), strict=True))
    out.new_per_week = per_period(day_week, period_counts(day_week, week_of(new_days)), week_labels)
    out.new_per_month = per_period(day_month, period_counts(day_month, month_of(new_days)), month_labels)

    # per-member facts
    data.names_done.result()
    active_days = np.zeros(data.n, dtype=np.int64)
    last_active = np.full(data.n, -1, dtype=np.int64)
    if len(pair_m):
        ends = np.append(np.flatnonzero(boundary), len(pair_m) - 1)  # each member's last pair
        who = pair_m.take(ends)
        last_active[who] = pair_d.take(ends) + d0
        active_days[who] = np.diff(ends, prepend=-1)  # a member's pairs follow the previous member's last one

    # funnel: each step counts members who did it at least once, against everyone who joined
    spoke, checked, bought = (data.per_member(c) > 0 for c in (data.speak_codes, data.checkin_codes,
                                                                data.purchase_codes))
    everyone = int(in_range.sum())
    out.funnel = [
        {"step": step, "count": int(count), "share": ratio(count, everyone)}
        for step, count in (("joined", everyone), ("spoke", (spoke & in_range).sum()),
                            ("checked_in", (checked & in_range).sum()), ("bought", (bought & in_range).sum()))
    ]

    # layers over the plan's window, for current members
    layers_cfg = plan.member_layers if plan is not None else None
    window = layers_cfg.window_days if layers_cfg is not None else 7
    out.layer_window_days = window
    lo = nd - window
    checkin_days = np.bincount(ck_m[ck_d > lo], minlength=data.n)
    win = data.between(d0 + lo)
    msgs_win = np.bincount(data.m[win][data.flag(data.speak_codes, win)], minlength=data.n)
    layer_code = np.where(current, assign_layers(checkin_days, msgs_win, layers_cfg), -1)  # -1: not a member now
    per_layer = np.bincount(layer_code[layer_code >= 0], minlength=len(LAYER_ORDER))
    out.layers = {layer.value: int(per_layer[i]) for i, layer in enumerate(LAYER_ORDER)}

    out.inactivity = inactivity(data, last_active, nd, current, options)
    if layers_cfg is not None:
        out.lurker_treatment = next((ly.treatment for ly in layers_cfg.layers if ly.layer == Layer.LURKER), "")

    member_rows = np.flatnonzero(in_range)
    out.member_table = pd.DataFrame({
        "member_id": data.ids.take(member_rows).to_pandas(),
        "nickname": data.names.take(member_rows).to_pandas(),
        "join_date": day_dates(data.join[member_rows]),
        "left": day_dates(data.left[member_rows]),
        "events": events_per[member_rows],
        "active_days": active_days[member_rows],
        "last_active": day_dates(last_active[member_rows]),
        "layer": layer_column(layer_code[member_rows]),
        "checkin_days": checkin_days[member_rows],
        "messages": msgs_win[member_rows],
    })
    for task in reversed(second_core):  # the last ones first: those the second core has not reached yet
        task.result()
    lo_w, hi_w, basis = headline_window(plan, d0, data.end)
    if hi_w >= data.end:  # a window that runs to the end holds a member's last active day if it holds any
        active_in_window = int(np.count_nonzero(last_active >= lo_w))
    else:
        in_window = (pair_d >= lo_w - d0) & (pair_d <= hi_w - d0)
        window_members = pair_m[in_window]  # sorted by member: distinct members are where the code changes
        active_in_window = int(np.count_nonzero(np.diff(window_members))) + 1 if len(window_members) else 0
    span = data.between(lo_w - 1, hi_w)
    events_in_window = len(data.d[span]) if data.every_active else int(np.count_nonzero(data.is_active[span]))
    out.window = _window_counts(out.daily, lo_w - d0, hi_w - d0, basis, active_in_window, events_in_window)
    if plan is not None:
        out.plan_vs_actual = plan_vs_actual(plan, out, data)
    out.comparison = compare_groups(result, plan, options, analyze)
    if options.event_date is not None:
        out.before_after = _before_after(out.daily, to_day(options.event_date) - d0, options.around_days, data,
                                         d0, nd)
    return out


def headline_window(plan: Any, first: int, last: int) -> tuple[int, int, str]:
    """(first day, last day, basis) of the headline period, as day numbers: the plan's lifecycle where
    it overlaps the data ("plan"), else the last `HEADLINE_DAYS` days of the data ("last_days"), or all
    of it when it is shorter ("all")."""
    life = plan.lifecycle if plan is not None else None
    if life is not None and life.start_date is not None:
        lo = to_day(life.start_date)
        hi = lo + (life.length_days or 1) - 1
        if lo <= last and hi >= first:
            return max(lo, first), min(hi, last), "plan"
    if last - first + 1 <= HEADLINE_DAYS:
        return first, last, "all"
    return last - HEADLINE_DAYS + 1, last, "last_days"


def _window_counts(daily: pd.DataFrame, lo: int, hi: int, basis: str, active: int | None,
                   events: int | None) -> dict[str, Any]:
    """The headline counts over rows lo…hi of the daily table (read as numpy: a pandas slice and its
    missing-value checks took a millisecond)."""
    def part(column: str) -> np.ndarray:
        return daily[column].to_numpy(dtype=np.float64)[lo:hi + 1]

    def total(column: str) -> int | None:
        values = part(column)
        return None if np.isnan(values).all() else int(np.nansum(values))

    members, dau_mau = part("members"), part("dau_mau")
    member_days = float(np.nansum(members))
    checkins = total("checkins")
    dates = daily["date"].to_numpy(dtype="datetime64[D]")[lo:hi + 1]
    return {
        "start": str(dates[0]), "end": str(dates[-1]),
        "days": len(members), "basis": basis,
        "members": None if np.isnan(members[-1]) else int(members[-1]),
        "new": total("new"), "active": active, "events": events, "messages": total("messages"),
        "checkins": checkins,
        "checkin_rate": ratio(checkins, member_days) if checkins is not None and member_days else None,
        "dau_mau": None if np.isnan(dau_mau).all() else round(float(np.nanmean(dau_mau)), 6),
    }


def _before_after(daily: pd.DataFrame, center: int, span: int, data: Events, d0: int, nd: int) -> dict[str, Any]:
    """Activity in the `span` days before the chosen day vs the `span` days from it (it included)."""
    def window(lo: int, hi: int) -> dict[str, Any]:
        lo_c, hi_c = max(lo, 0), min(hi, nd - 1)
        if lo_c > hi_c:
            return {"days": 0, "events": 0, "active_members": 0, "messages": 0, "checkins": 0, "avg_dau": None}
        rel = data.d - d0
        sel = data.is_active & (rel >= lo_c) & (rel <= hi_c)
        part = daily.iloc[lo_c:hi_c + 1]
        return {"days": hi_c - lo_c + 1, "events": int(sel.sum()), "active_members": len(unique(data.m[sel])),
                "messages": int(part["messages"].sum()), "checkins": int(part["checkins"].sum()),
                "avg_dau": float(part["dau"].mean())}

    before, after = window(center - span, center - 1), window(center, center + span - 1)
    change = {k: (ratio(after[k] - before[k], before[k]) if before[k] else None)
              for k in ("events", "active_members", "messages", "checkins")}
    return {"date": day_label(center + d0), "span": span, "before": before, "after": after, "change": change}


def _daily_only(daily: pd.DataFrame, plan: Any, options: AnalysisOptions) -> Analysis:
    """Group statistics without a member-level log: counts per day only."""
    out = Analysis(source="daily")
    frame = daily.copy()
    if options.as_of:
        frame = frame[frame["date"] <= pd.Timestamp(options.as_of)]
    if frame.empty:
        return out
    start, end = frame["date"].min(), frame["date"].max()
    full = pd.DataFrame({"date": pd.date_range(start, end, freq="D")}).merge(frame, on="date", how="left")
    out.start, out.as_of = start.date(), end.date()
    members = full["member_total"].ffill()
    out.members = int(members.iloc[-1]) if not pd.isna(members.iloc[-1]) else 0
    out.daily = pd.DataFrame({
        "date": full["date"], "members": members, "new": full["new_members"].fillna(0),
        "dau": full["members_spoke"], "wau": np.nan, "mau": np.nan, "dau_mau": np.nan, "checkins": np.nan,
        "checkin_rate": np.nan, "messages": full["messages"],
    })
    labels = full["date"].dt.strftime("%Y-%m-%d")
    new = full["new_members"].fillna(0)
    out.new_per_day = {lb: int(v) for lb, v in zip(labels, new, strict=True) if v}
    out.new_per_month = {k: int(v) for k, v in new.groupby(full["date"].dt.strftime("%Y-%m")).sum().items()}
    monday = full["date"] - pd.to_timedelta(full["date"].dt.day_of_week, unit="D")
    out.new_per_week = {k: int(v) for k, v in new.groupby(monday.dt.strftime("%Y-%m-%d")).sum().items()}
    out.active_per_day = {lb: int(v) for lb, v in zip(labels, full["members_spoke"], strict=True) if not pd.isna(v)}
    lo_w, hi_w, basis = headline_window(plan, to_day(out.start), to_day(out.as_of))
    d0 = to_day(out.start)
    part = out.daily.iloc[lo_w - d0:hi_w - d0 + 1]
    out.window = _window_counts(out.daily, lo_w - d0, hi_w - d0, basis, None, None)
    out.window["messages"] = None if part["messages"].isna().all() else int(part["messages"].fillna(0).sum())
    if plan is not None:
        out.plan_vs_actual = plan_vs_actual(plan, out)
    return out
