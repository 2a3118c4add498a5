"""The fast analytics paths against plain references on random logs.

`_rolling_distinct` (runs up to the next active day), `_member_periods` (period changes along sorted
pairs) and `cohort_retention` (on distinct member-periods) replaced mask/sort based versions; the previous
versions are kept here verbatim as references. The whole analysis is also checked against a pandas
computation of the same definitions (distinct members per day, 7 and 30 day windows, week, month)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.data.analysis import AnalysisOptions, to_json
from planner.data.analytics import _member_periods, _rolling_distinct, analyze
from planner.data.cohorts import cohort_retention
from planner.data.day_arrays import month_label, month_of, unique, week_of
from planner.data.ingest import load_files


# --- the previous implementations (reference) ---------------------------------------------------------
def _old_rolling_distinct(pair_m: np.ndarray, pair_d: np.ndarray, nd: int, window: int) -> np.ndarray:
    diff = np.zeros(nd + window + 1, dtype=np.int64)
    if len(pair_m):
        same = np.r_[False, pair_m[1:] == pair_m[:-1]]
        prev_end = np.where(same, np.r_[0, pair_d[:-1]] + window, pair_d)
        start = np.maximum(pair_d, prev_end)
        end = pair_d + window
        covered = start < end
        diff += np.bincount(start[covered], minlength=len(diff))
        diff -= np.bincount(end[covered], minlength=len(diff))
    return np.cumsum(diff)[:nd]


def _old_distinct_per_period(member: np.ndarray, period: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    span = int(period.max()) + 1 - int(period.min())
    base = int(period.min())
    keys = unique(member.astype(np.int64) * span + (period - base))
    return unique(keys % span + base, return_counts=True)


def _old_retention(cohort, pair_m, pair_period, last_period, horizon, label):
    valid = cohort >= 0
    if not valid.any():
        return {}, {}
    cohorts, sizes = unique(cohort[valid], return_counts=True)
    size_of = dict(zip(cohorts.tolist(), sizes.tolist(), strict=True))
    k = pair_period - cohort[pair_m]
    ok = (cohort[pair_m] >= 0) & (k >= 0) & (k <= horizon)
    keys = unique(pair_m[ok] * (horizon + 1) + k[ok])
    km, kk = keys // (horizon + 1), keys % (horizon + 1)
    rank = np.searchsorted(cohorts, cohort[km])
    cells = np.bincount(rank * (horizon + 1) + kk, minlength=len(cohorts) * (horizon + 1))
    cells = cells.reshape(len(cohorts), horizon + 1).tolist()
    table = {}
    for r, c in enumerate(cohorts.tolist()):
        table[label(c)] = {str(s): None if c + s > last_period else cells[r][s] / size_of[c]
                           for s in range(horizon + 1)}
    return table, {label(c): int(s) for c, s in size_of.items()}


def _random_pairs(rng: np.random.Generator, members: int, nd: int, events: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (member, day) pairs sorted by member then day, as the analysis builds them."""
    keys = np.unique(rng.integers(0, members, events) * nd + rng.integers(0, nd, events))
    return keys // nd, keys % nd


@pytest.mark.parametrize("seed", range(20))
def test_new_pair_algorithms_match_the_previous_ones(seed: int) -> None:
    rng = np.random.default_rng(seed)
    nd = int(rng.integers(1, 400))
    pair_m, pair_d = _random_pairs(rng, int(rng.integers(1, 50)), nd, int(rng.integers(1, 3000)))
    boundary = pair_m[1:] != pair_m[:-1]
    next_d = np.full(len(pair_d), nd, dtype=np.int64)
    next_d[:-1] = np.where(boundary, nd, pair_d[1:])
    dau = np.bincount(pair_d, minlength=nd)[:nd]
    for window in (1, 7, 30):
        new = _rolling_distinct(dau, pair_d, next_d, nd, window, np.empty_like(pair_d))
        assert np.array_equal(new, _old_rolling_distinct(pair_m, pair_d, nd, window))
    days = np.arange(nd) + int(rng.integers(18_000, 21_000))
    for period_of in (week_of, month_of):
        period = period_of(days)[pair_d]
        member, distinct = _member_periods(pair_m, period, boundary)
        periods, counts = np.unique(distinct, return_counts=True)
        old_periods, old_counts = _old_distinct_per_period(pair_m, period)
        assert np.array_equal(periods, old_periods) and np.array_equal(counts, old_counts)
        assert len(set(zip(member.tolist(), distinct.tolist(), strict=True))) == len(member)  # distinct
    month = month_of(days)
    cohort = np.where(rng.random(int(pair_m.max()) + 1) < 0.8, rng.choice(np.unique(month), int(pair_m.max()) + 1),
                      -1)
    member, months = _member_periods(pair_m, month[pair_d], boundary)
    new = cohort_retention(cohort, member, months, int(month[-1]), 12, month_label)
    assert new == _old_retention(cohort, pair_m, month[pair_d], int(month[-1]), 12, month_label)


def _random_log(rng: np.random.Generator, joins: bool) -> str:
    events = int(rng.integers(50, 2000))
    start = np.datetime64("2025-11-15T00:00:00")
    times = start + rng.integers(0, 120 * 86400, events).astype("timedelta64[s]")
    if rng.random() < 0.7:
        times = np.sort(times)
    actions = ["发言", "打卡", "分享", "购买"] + (["加入", "移出"] if joins else [])
    action = rng.choice(actions, events)
    member = rng.integers(0, 40, events)
    rows = [f"m{m},N{m},{str(t).replace('T', ' ')},{a}" for m, t, a in zip(member, times, action, strict=True)]
    return "成员ID,昵称,时间,行为\n" + "\n".join(rows) + "\n"


@pytest.mark.parametrize("seed", range(12))
def test_daily_weekly_monthly_counts_match_pandas(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    log = _random_log(rng, joins=seed % 2 == 1)
    result = load_files([("log.csv", log.encode())])
    analysis = analyze(result, options=AnalysisOptions())
    act = result.activity.assign(member_id=result.activity["member_id"].astype(str),
                                 action=result.activity["action"].astype(str))
    act["day"] = act["time"].dt.normalize()
    days = pd.date_range(act["day"].min(), act["day"].max(), freq="D")
    active = act[~act["action"].isin(["加入", "移出"])]
    pairs = active[["member_id", "day"]].drop_duplicates()
    by_day = pairs.groupby("day")["member_id"].apply(set).reindex(days)
    by_day = by_day.apply(lambda s: s if isinstance(s, set) else set())

    def window(n: int) -> list[int]:
        return [len(set().union(*by_day.iloc[max(0, i - n + 1): i + 1])) for i in range(len(days))]

    daily = analysis.daily
    assert daily["dau"].tolist() == [len(s) for s in by_day]
    assert daily["wau"].tolist() == window(7)
    assert daily["mau"].tolist() == window(30)
    checkins = active[active["action"] == "打卡"][["member_id", "day"]].drop_duplicates().groupby("day").size()
    assert daily["checkins"].tolist() == checkins.reindex(days, fill_value=0).tolist()
    messages = act[act["action"] == "发言"].groupby("day").size()
    assert daily["messages"].tolist() == messages.reindex(days, fill_value=0).tolist()
    monthly = pairs.groupby(pairs["day"].dt.strftime("%Y-%m"))["member_id"].nunique()
    assert {k: v for k, v in analysis.active_per_month.items() if v} == monthly.to_dict()
    monday = pairs["day"] - pd.to_timedelta(pairs["day"].dt.day_of_week, unit="D")
    weekly = pairs.groupby(monday.dt.strftime("%Y-%m-%d"))["member_id"].nunique()
    assert {k: v for k, v in analysis.active_per_week.items() if v} == weekly.to_dict()
    table = analysis.member_table.set_index("member_id")
    assert table["active_days"].to_dict() == pairs.groupby("member_id").size().reindex(table.index,
                                                                                      fill_value=0).to_dict()
    assert table["events"].to_dict() == active.groupby("member_id").size().reindex(table.index,
                                                                                   fill_value=0).to_dict()


@pytest.mark.parametrize("seed", range(6))
def test_side_by_side_paths_give_the_sequential_result(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Large logs split work over two threads (names, per-period counts, mask halves); forcing those paths
    on small random logs must give exactly what the one-thread path gives."""
    import planner.data.analytics as analytics
    import planner.data.day_arrays as day_arrays
    import planner.data.events as events

    rng = np.random.default_rng(300 + seed)
    result = load_files([("log.csv", _random_log(rng, joins=seed % 2 == 0).encode())])
    options = AnalysisOptions(weekly_cohorts=True)
    sequential = to_json(analyze(result, options=options))
    sequential_table = analyze(result, options=options).member_table
    monkeypatch.setattr(analytics, "BACKGROUND_ROWS", 0)
    monkeypatch.setattr(events, "BACKGROUND_ROWS", 0)
    monkeypatch.setattr(day_arrays, "HALVES_FROM", 0)
    parallel = analyze(result, options=options)
    assert to_json(parallel) == sequential
    pd.testing.assert_frame_equal(parallel.member_table, sequential_table)
