"""Issue 17: headline tiles over a stated period, one count vocabulary, and the no-check-in state."""

from __future__ import annotations

from datetime import date

from planner import i18n
from planner.data import metrics
from planner.data import view as data_view
from planner.data.analytics import analyze
from planner.data.ingest import load_files
from planner.plan.examples import load_example

# 40 days; member a speaks every day, b checks in on days 35-40, c joins on day 38 and speaks once
ROWS = ["成员ID,昵称,时间,行为"]
for day in range(1, 41):
    when = date(2026, 1, 1).toordinal() + day - 1
    d = date.fromordinal(when).isoformat()
    ROWS.append(f"a,甲,{d} 09:00,发言")
    if day >= 35:
        ROWS.append(f"b,乙,{d} 07:00,打卡")
        ROWS.append(f"b,乙,{d} 07:05,打卡")
ROWS.append("c,丙,2026-02-07 10:00,加入")
ROWS.append("c,丙,2026-02-07 10:01,发言")
LOG = ("\n".join(ROWS) + "\n").encode()


def _analysis(start: date | None = None, length: int = 21):
    plan = load_example("early_rise_camp")
    plan.lifecycle.start_date = start
    plan.lifecycle.length_days = length
    return analyze(load_files([("log.csv", LOG)], plan=plan), plan)


def test_without_overlap_the_headline_covers_the_last_30_days() -> None:
    w = _analysis(date(2027, 3, 1)).window
    assert (w["start"], w["end"], w["days"], w["basis"]) == ("2026-01-11", "2026-02-09", 30, "last_days")
    # a: 30 messages; b: 12 check-in events on 6 days; c: 1 message (the join is not an event);
    # new: b (first seen on 02-04) and c (joined 02-07); a joined on 01-01, before the period
    assert (w["events"], w["messages"], w["checkins"], w["active"], w["new"]) == (43, 31, 6, 3, 2)
    assert w["members"] == 3


def test_a_lifecycle_overlapping_the_data_is_the_headline_period() -> None:
    w = _analysis(date(2026, 2, 1), length=21).window
    assert (w["start"], w["end"], w["days"], w["basis"]) == ("2026-02-01", "2026-02-09", 9, "plan")
    assert (w["messages"], w["checkins"], w["active"]) == (10, 6, 3)
    tiles = data_view.headline(_analysis(date(2026, 2, 1)), "zh")
    assert tiles[2][0] == "活跃成员（方案期）" and tiles[1][1] == "2"
    assert "2026-02-01" in data_view.headline_period(_analysis(date(2026, 2, 1)), "en")


def test_a_lifecycle_ending_before_the_data_counts_only_its_own_active_members() -> None:
    """A window that stops before the last day: b and c, active only later, are not counted (a window that
    runs to the end counts members by their last active day instead)."""
    w = _analysis(date(2026, 1, 5), length=10).window
    assert (w["start"], w["end"], w["basis"]) == ("2026-01-05", "2026-01-14", "plan")
    assert (w["active"], w["messages"], w["checkins"]) == (1, 10, 0)


def test_the_count_vocabulary_is_in_the_metric_dictionary() -> None:
    for lang in i18n.LANGS:
        keys = {e["key"]: e["definition"] for e in metrics.dictionary(lang)}
        for word in ("events", "joins", "checkins", "messages"):
            assert keys[word] and not keys[word].startswith("data.metric.")


def test_no_check_in_matched_is_detected() -> None:
    plain = ("成员ID,昵称,时间,行为\na,甲,2026-01-01 09:00,发言\nb,乙,2026-01-02 09:00,发言\n").encode()
    plan = load_example("early_rise_camp")
    analysis = analyze(load_files([("log.csv", plain)], plan=plan), plan)
    assert data_view.no_checkin_matched(analysis)
    assert not data_view.no_checkin_matched(_analysis())


def test_plan_day_0_aligned_with_a_day_of_the_data() -> None:
    from planner.data.analysis import AnalysisOptions

    plan = load_example("early_rise_camp")
    plan.lifecycle.start_date, plan.lifecycle.length_days = date(2027, 3, 1), 21
    result = load_files([("log.csv", LOG)], plan=plan)
    apart = analyze(result, plan)
    assert data_view.plan_calendar(plan, apart) == "apart"
    assert {r["status"] for r in apart.plan_vs_actual if r["due_date"]} == {"pending"}  # "未到考核日" only
    aligned = analyze(result, plan, AnalysisOptions(plan_start=date(2026, 1, 1)))
    w = aligned.window
    assert (w["start"], w["end"], w["basis"]) == ("2026-01-01", "2026-01-21", "plan")
    dues = [r["due_date"] for r in aligned.plan_vs_actual if r["due_date"]]
    assert dues and all(d.startswith("2026-01") for d in dues)
    assert {r["status"] for r in aligned.plan_vs_actual if r["due_date"]} <= {"met", "missed", "measured"}
    assert plan.lifecycle.start_date == date(2027, 3, 1)  # the plan itself is not changed
