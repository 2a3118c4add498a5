"""Presence levels (members active on at least N of the last W days) against a pandas count of the same
definition on random logs, including logs shorter than the window (a 90-day level over 20 days of data
once counted other members' days)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.data.analytics import analyze
from planner.data.ingest import load_files


@pytest.mark.parametrize(("seed", "days"), [(1, 5), (2, 20), (3, 45), (4, 200)])
def test_presence_counts_distinct_active_days_in_the_window(seed: int, days: int) -> None:
    rng = np.random.default_rng(seed)
    rows = 40 * days
    log = pd.DataFrame({
        "成员ID": np.char.add("U", rng.integers(0, 60, rows).astype(str)),
        "时间": (np.datetime64("2026-01-01") + rng.integers(0, days * 86400, rows).astype("m8[s]")).astype(str),
        "行为": rng.choice(["发言", "打卡", "加入"], rows, p=[0.7, 0.25, 0.05]),
    })
    result = load_files([("log.csv", log.to_csv(index=False).encode())])
    analysis = analyze(result)
    activity = result.activity[result.activity["action"] != "加入"]
    day = activity["time"].dt.normalize()
    last = result.activity["time"].max().normalize()
    assert len(analysis.presence) == 3
    for level in analysis.presence:
        recent = activity[day > last - pd.Timedelta(days=level["window_days"])]
        active_days = recent.groupby(recent["member_id"].astype(str), observed=True)["time"].agg(
            lambda t: t.dt.normalize().nunique())
        expected = sorted(active_days[active_days >= level["min_days"]].index)
        assert sorted(level["members"]) == expected and level["count"] == len(expected)
