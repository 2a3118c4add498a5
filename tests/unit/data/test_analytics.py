"""Hand-computed analytics on a tiny log that crosses a month and a year boundary.

The log (see LOG): a joins 12-30 and is active on 12-30 (three events), 01-02 and 02-01; b joins
12-31, checks in that day, skips January, buys on 02-01 and is removed on 02-02; c has no join
event (joins with its first event, 12-31) and is active only in its first month; d joins 01-15.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from models.enums import Layer
from models.plan import Kpi, MemberLayer, Plan
from planner.data.analysis import AnalysisOptions, to_json
from planner.data.analytics import analyze
from planner.data.ingest import load_files

LOG = """成员ID,昵称,时间,行为
a,A,2025-12-30 09:00,加入
a,A,2025-12-30 10:00,发言
a,A,2025-12-30 11:00,发言
a,A,2025-12-30 12:00,打卡
b,B,2025-12-31 08:00,加入
b,B,2025-12-31 09:00,打卡
c,C,2025-12-31 10:00,发言
a,A,2026-01-02 10:00,打卡
d,D,2026-01-15 10:00,加入
d,D,2026-01-15 11:00,发言
a,A,2026-02-01 09:00,发言
b,B,2026-02-01 10:00,购买
b,B,2026-02-02 10:00,移出
"""


def _plan() -> Plan:
    plan = Plan()
    plan.lifecycle.start_date = date(2025, 12, 30)
    plan.member_layers.layers = [
        MemberLayer(layer=Layer.ACTIVIST, min_checkin_days=1, min_messages=1),
        MemberLayer(layer=Layer.WATCHER, min_checkin_days=0, min_messages=1),
        MemberLayer(layer=Layer.LURKER, min_checkin_days=0, min_messages=0, treatment="私聊关心"),
    ]
    plan.kpis = [
        Kpi(metric="members", due_day=2, target=3),
        Kpi(metric="active_members", due_day=3, target=4),
        Kpi(metric="checkin_rate", due_day=1),
        Kpi(metric="messages", due_day=0, target=2),
        Kpi(metric="buyers", due_day=33, target=1),
        Kpi(metric="new_members", due_day=16),
        Kpi(metric="retention_m1", due_day=33),
        Kpi(metric="dau_mau", due_day=33),
        Kpi(metric="口碑", due_day=5),
        Kpi(metric="members", due_day=100),
    ]
    return plan


@pytest.fixture(scope="module")
def analysis():
    result = load_files([("log.csv", LOG.encode())])
    assert result.bad_rows == 0
    return analyze(result, _plan(), AnalysisOptions(inactive_prior_days=30, inactive_silent_days=10,
                                                    inactive_min_events=1, event_date=date(2026, 1, 2)))


def _day(analysis, iso: str):
    return analysis.daily.set_index(analysis.daily["date"].dt.strftime("%Y-%m-%d")).loc[iso]


def test_members_and_new_per_period(analysis) -> None:
    assert analysis.start == date(2025, 12, 30) and analysis.as_of == date(2026, 2, 2)
    assert analysis.members == 3  # b was removed on the last day
    assert analysis.events == 13
    assert analysis.new_per_month == {"2025-12": 3, "2026-01": 1, "2026-02": 0}
    assert analysis.new_per_week["2025-12-29"] == 3 and analysis.new_per_week["2026-01-12"] == 1
    assert _day(analysis, "2025-12-31")["members"] == 3
    assert _day(analysis, "2026-01-15")["members"] == 4


def test_active_per_period_counts_distinct_members(analysis) -> None:
    assert analysis.active_per_month == {"2025-12": 3, "2026-01": 2, "2026-02": 2}
    assert analysis.active_per_day["2025-12-30"] == 1  # three events, one member
    assert analysis.active_per_day["2025-12-31"] == 2
    assert analysis.active_per_day["2026-01-01"] == 0


def test_dau_wau_mau_and_checkin_rate(analysis) -> None:
    assert _day(analysis, "2026-01-02")["wau"] == 3  # a, b, c within 12-27 … 01-02
    assert _day(analysis, "2026-01-09")["wau"] == 0  # 01-03 … 01-09: nobody
    assert _day(analysis, "2026-02-01")["mau"] == 3  # d (01-15), a and b (02-01)
    assert _day(analysis, "2026-02-01")["dau_mau"] == pytest.approx(2 / 3)
    assert _day(analysis, "2025-12-30")["checkin_rate"] == pytest.approx(1.0)
    assert _day(analysis, "2025-12-31")["checkin_rate"] == pytest.approx(1 / 3)
    assert _day(analysis, "2025-12-30")["messages"] == 2


def test_monthly_cohort_retention(analysis) -> None:
    dec = analysis.retention["2025-12"]
    assert analysis.cohort_sizes == {"2025-12": 3, "2026-01": 1}
    assert dec["0"] == 1.0 and dec["1"] == pytest.approx(1 / 3) and dec["2"] == pytest.approx(2 / 3)
    assert dec["3"] is None and len(dec) == 13
    assert analysis.retention["2026-01"]["1"] == 0.0


def test_funnel_layers_concentration(analysis) -> None:
    assert [(f["step"], f["count"]) for f in analysis.funnel] == [
        ("joined", 4), ("spoke", 3), ("checked_in", 2), ("bought", 1)]
    assert analysis.layers == {"activist": 0, "watcher": 1, "lurker": 2}
    table = analysis.member_table.set_index("member_id")
    assert table.loc["a", "layer"] == "watcher" and table.loc["b", "layer"] == ""
    conc = analysis.concentration
    assert conc["total_events"] == 9 and conc["members_for_half"] == 1
    assert conc["top1_share"] == pytest.approx(5 / 9) and conc["top5_share"] == pytest.approx(1.0)


def test_inactivity_alerts_and_lurker_treatment(analysis) -> None:
    assert [row["member_id"] for row in analysis.inactivity] == ["c", "d"]
    assert analysis.inactivity[0]["last_active"] == "2025-12-31"
    assert analysis.lurker_treatment == "私聊关心"


def test_plan_vs_actual_on_due_days(analysis) -> None:
    rows = analysis.plan_vs_actual
    actual = [r["actual"] for r in rows]
    assert actual[:6] == [3, 3, pytest.approx(1 / 3), 2, 1, 4]
    assert actual[6] == pytest.approx(1 / 3) and actual[7] == pytest.approx(2 / 3)
    assert [r["status"] for r in rows] == ["met", "missed", "measured", "met", "met", "measured", "measured",
                                           "measured", "manual", "pending"]
    assert rows[0]["due_date"] == "2026-01-01"


def test_before_after_around_a_day(analysis) -> None:
    ba = analysis.before_after
    assert ba["before"]["events"] == 5 and ba["before"]["active_members"] == 3
    assert ba["before"]["messages"] == 3 and ba["before"]["checkins"] == 2
    assert ba["after"]["events"] == 1 and ba["after"]["checkins"] == 1
    assert ba["change"]["events"] == pytest.approx(-0.8)


def test_members_table_join_dates_win_over_events() -> None:
    members = "成员ID,昵称,入群时间\na,A,2025-11-20\nz,Z,2026-01-20\n"
    result = load_files([("log.csv", LOG.encode()), ("members.csv", members.encode())])
    analysis = analyze(result)
    assert analysis.new_per_month["2025-11"] == 1  # a's join date from the table
    assert analysis.retention["2025-11"]["0"] == 0.0  # a was first active in December
    assert analysis.members == 4  # z has no events but is a member


def test_as_of_cuts_later_events() -> None:
    result = load_files([("log.csv", LOG.encode())])
    analysis = analyze(result, options=AnalysisOptions(as_of=date(2025, 12, 31)))
    assert analysis.events == 7 and analysis.active_per_month == {"2025-12": 3}


def test_as_of_leaves_out_members_first_seen_later() -> None:
    """A member whose first event is after the as-of day was not there yet: not a member on any day before
    it (they used to count from the first day), not in the member table."""
    log = "成员ID,时间,行为\nu1,2026-03-01 08:00,发言\nu2,2026-03-02 09:00,发言\nu3,2026-03-05 10:00,发言\n"
    table = "成员ID,入群时间\nu9,2026-03-01\n"
    result = load_files([("log.csv", log.encode()), ("members.csv", table.encode())])
    analysis = analyze(result, options=AnalysisOptions(as_of=date(2026, 3, 2)))
    assert analysis.daily["members"].tolist() == [2, 3]  # u9 (table) and u1, then u2
    assert analysis.members == 3
    assert sorted(analysis.member_table["member_id"]) == ["u1", "u2", "u9"]
    assert analyze(result).members == 4  # without as_of, u3 is one


def test_weekly_cohorts_and_json_shape() -> None:
    result = load_files([("log.csv", LOG.encode())])
    analysis = analyze(result, options=AnalysisOptions(weekly_cohorts=True))
    assert analysis.retention_weekly["2025-12-29"]["0"] == 1.0  # a, b, c all active that week
    data = to_json(analysis, result)
    for key in ("members", "events", "new_per_month", "active_per_month", "retention", "layers",
                "concentration", "bad_rows", "format"):
        assert key in data


def test_empty_result_gives_empty_analysis() -> None:
    from planner.data.frames import LoadResult

    assert analyze(LoadResult()).members == 0


def test_daily_statistics_alone() -> None:
    daily = "日期,群成员总数,新增成员数,发言成员数,消息总数\n2026-03-01,10,10,4,20\n2026-03-03,12,2,5,9\n"
    analysis = analyze(load_files([("d.csv", daily.encode())]))
    assert analysis.source == "daily" and analysis.members == 12
    assert analysis.new_per_month == {"2026-03": 12}
    assert analysis.active_per_day == {"2026-03-01": 4, "2026-03-03": 5}


def _shuffled_plain(result):
    """The same load result with plain text columns (as chat readers and hand-built frames give) and
    rows out of time order."""
    from planner.data.frames import LoadResult

    activity = result.activity.astype({"member_id": "str", "action": "str", "nickname": "str"})
    return LoadResult(activity=activity.iloc[::-1].reset_index(drop=True), members=result.members)


def test_categorical_and_plain_unsorted_logs_give_the_same_analysis() -> None:
    """The loader hands over categoricals in time order; the fast paths for them (codes, slices of a
    sorted log) must agree with plain text in any order."""
    members = "成员ID,昵称,入群时间\na,A,2025-11-20\nz,Z,2026-01-20\n"
    result = load_files([("log.csv", LOG.encode()), ("members.csv", members.encode())])
    assert isinstance(result.activity["member_id"].dtype, pd.CategoricalDtype)
    options = AnalysisOptions(inactive_prior_days=30, inactive_silent_days=10, inactive_min_events=1)
    fast, plain = analyze(result, _plan(), options), analyze(_shuffled_plain(result), _plan(), options)
    assert to_json(fast) == to_json(plain)
    # member order follows first appearance in the given rows: compare as sets
    assert sorted(fast.inactivity, key=str) == sorted(plain.inactivity, key=str)
    assert [sorted(p["members"]) for p in fast.presence] == [sorted(p["members"]) for p in plain.presence]
    assert fast.member_table.sort_values("member_id").reset_index(drop=True).equals(
        plain.member_table.sort_values("member_id").reset_index(drop=True))


def test_distinct_keys_by_mask_and_by_sort_agree() -> None:
    import numpy as np

    from planner.data.day_arrays import unique

    rng = np.random.default_rng(3)
    for span in (50, 5_000, 10**9):  # dense (bincount / mask) and sparse (sort) key ranges
        keys = rng.integers(0, span, 2_000) + 7
        expected, counts = np.unique(keys, return_counts=True)
        assert np.array_equal(unique(keys), expected)
        got, got_counts = unique(keys, return_counts=True)
        assert np.array_equal(got, expected) and np.array_equal(got_counts, counts)


def test_latest_nickname_skips_empty_ones() -> None:
    """Names come from each member's latest row with a non-empty nickname (a blank name does not win)."""
    log = LOG + "a,,2026-02-03 10:00,发言\nb, ,2026-02-03 11:00,发言\n"
    table = analyze(load_files([("log.csv", log.encode())]), _plan()).member_table.set_index("member_id")
    assert table.loc["a", "nickname"] == "A" and table.loc["b", "nickname"] == "B"


def test_shown_nicknames_are_trimmed_from_log_and_members_table() -> None:
    """The loader keeps nicknames as written; the names analytics shows have no surrounding spaces."""
    log = LOG + "a,  阿明 ,2026-02-03 10:00,发言\n"
    members = "成员ID,昵称,入群时间\nd,\u3000小丁  ,2026-01-15\n"
    result = load_files([("log.csv", log.encode()), ("members.csv", members.encode())])
    table = analyze(result, _plan()).member_table.set_index("member_id")
    assert table.loc["a", "nickname"] == "阿明"
    assert table.loc["d", "nickname"] == "D"  # the log's latest name overrides the table's
    only_table = analyze(load_files([("members.csv", members.encode())])).member_table.set_index("member_id")
    assert only_table.loc["d", "nickname"] == "小丁"


def test_presence_window_counts_exactly_the_last_n_days() -> None:
    """Window 7 up to 03-10 is 03-04 … 03-10: x (03-04 and 03-10) has 2 active days in it, y (03-03 and
    03-10) only 1, so only x is present at "2 days a week"; with 3 days needed, nobody is."""
    log = ("成员ID,时间,行为\nx,2026-03-04 09:00,发言\ny,2026-03-03 09:00,发言\n"
           "x,2026-03-10 09:00,发言\ny,2026-03-10 10:00,发言\n")
    analysis = analyze(load_files([("log.csv", log.encode())]),
                       options=AnalysisOptions(presence=((7, 2), (7, 3), (8, 2))))
    by_rule = {(p["window_days"], p["min_days"]): p["members"] for p in analysis.presence}
    assert by_rule == {(7, 2): ["x"], (7, 3): [], (8, 2): ["x", "y"]}
