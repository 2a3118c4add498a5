"""Issue 17: a long history (11 years) through every chart and every document format.

The WeChat export holds joins of names with an apostrophe and a comma; the activity log is the
shipped sample generator run over eleven years (the case that made every export fail with
MaxRowsError before charts were aggregated by span)."""

from __future__ import annotations

import io
import random
import zipfile
from datetime import date, datetime, timedelta

import pytest

from planner.data import charts as charts_data
from planner.data import sample
from planner.data.analysis import Analysis
from planner.data.analytics import analyze
from planner.data.chat_formats.fixtures import Joined, Say, liuhen_v1_csv
from planner.data.ingest import load_files
from planner.export import FORMATS, build_document, render
from planner.plan.examples import load_example

APOSTROPHE = "Alexander 'Leo' Bergolth"
COMMA = "Bergolth, Alexander"


def long_wechat_export() -> bytes:
    """40 members joining over 2014–2025, each speaking now and then; two of them with awkward names."""
    rng = random.Random(17)
    start = datetime(2014, 3, 2, 9, 0)
    events: list = []
    names = [APOSTROPHE, COMMA, *(f"成员{i:02d}" for i in range(38))]
    for i, name in enumerate(names):
        joined = start + timedelta(days=100 * i)
        events.append(Joined(joined, (name,), (f"wxid_{i:03d}",)))
        for k in range(1, 30):
            when = joined + timedelta(days=rng.randint(1, 4000), minutes=k)
            if when < datetime(2025, 6, 30):
                events.append(Say(when, f"wxid_{i:03d}", name, "打卡" if k % 3 == 0 else "早"))
    events.sort(key=lambda e: e.time)
    return liuhen_v1_csv(events)


@pytest.fixture(scope="module")
def plan():
    return load_example("early_rise_camp")


@pytest.fixture(scope="module")
def wechat_analysis(plan) -> Analysis:
    result = load_files([("群聊_读书会.csv", long_wechat_export())], plan=plan)
    assert result.ok
    return analyze(result, plan)


@pytest.fixture(scope="module")
def log_analysis(plan) -> Analysis:
    files = sample.to_files(sample.generate(members=300, days=11 * 365, start=date(2014, 1, 6)))
    return analyze(load_files(list(files.items()), plan=plan), plan)


def test_names_with_an_apostrophe_or_a_comma_join(wechat_analysis: Analysis) -> None:
    table = wechat_analysis.member_table.set_index("nickname")
    for name in (APOSTROPHE, COMMA):
        assert not table.loc[name, ["join_date"]].isna().any()
    assert wechat_analysis.members == 40


@pytest.mark.parametrize("which", ["wechat_analysis", "log_analysis"])
def test_every_chart_stays_within_the_budget_at_the_grain_of_the_span(which: str, request) -> None:
    analysis: Analysis = request.getfixturevalue(which)
    assert charts_data.span_days(analysis) > 10 * 365
    assert charts_data.grain_of(analysis, None) == "month"
    charts = charts_data.export_charts(analysis, "zh")
    assert len(charts) >= 7
    for _caption, chart in charts:
        assert 0 < charts_data.point_count(chart) <= charts_data.POINT_BUDGET
    trend = charts_data.active_users(analysis, "zh")
    spec = trend.to_dict()
    assert spec["encoding"]["x"]["axis"]["format"] == "%Y-%m"  # the year is in every tick
    assert charts_data.notes(trend)  # aggregated by month, and it says so


@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_a_grain_the_user_picks_is_cut_to_the_budget_with_a_note(log_analysis: Analysis, grain: str) -> None:
    for chart in (charts_data.new_active(log_analysis, grain, "en"),
                  charts_data.active_users(log_analysis, "en", grain),
                  charts_data.dau_mau(log_analysis, "en", grain),
                  charts_data.checkin_rate(log_analysis, "en", grain)):
        assert charts_data.point_count(chart) <= charts_data.POINT_BUDGET
        if grain == "day":
            assert any("Only the latest" in n for n in charts_data.notes(chart))


def test_daily_data_gets_a_rolling_mean_and_no_year_in_ticks_within_one_year(plan) -> None:
    files = sample.to_files(sample.generate(members=80, days=60, start=date(2026, 2, 2)))
    analysis = analyze(load_files(list(files.items()), plan=plan), plan)
    assert charts_data.grain_of(analysis, None) == "day"
    chart = charts_data.checkin_rate(analysis, "en")
    spec = chart.to_dict()
    series = {row["series"] for rows in spec["datasets"].values() for row in rows}
    assert series == {"check-in rate", "check-in rate (7-day mean)"}
    assert spec["encoding"]["x"]["axis"]["format"] == "%m-%d"
    assert any("7-day" in n for n in charts_data.notes(chart))


def test_retention_keeps_recent_cohorts_and_says_how_many_are_left_out(log_analysis: Analysis) -> None:
    chart = charts_data.retention_heatmap(log_analysis, "en")
    cohorts = {row["cohort"] for rows in chart.to_dict()["datasets"].values() for row in rows}
    assert len(cohorts) == charts_data.MAX_COHORTS["month"]
    assert max(cohorts) == max(log_analysis.retention)
    assert any("Only the latest 36 cohorts" in n for n in charts_data.notes(chart))


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_every_document_format_exports_a_long_history(plan, log_analysis: Analysis, fmt: str) -> None:
    doc = build_document(plan, "zh", log_analysis)
    data = render(doc, fmt)
    assert data
    if fmt in ("md", "html"):
        if data[:4] == b"PK\x03\x04":  # Markdown with charts: document.md in a ZIP beside them
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = archive.read("document.md")
        text = data.decode("utf-8")
        assert "MaxRowsError" not in text
