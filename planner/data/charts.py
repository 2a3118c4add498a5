"""Altair charts of an `Analysis`, aggregated before plotting so every chart stays within
`POINT_BUDGET` data rows (all series and layers together), whatever the span of the data.

- The time grain follows the span (`auto_grain`: day up to half a year, week up to three years,
  then month) unless the caller picks one; a daily line of noisy data gets a rolling 7-day mean.
- Date ticks carry the year whenever the data crosses a year.
- Nothing is cut silently: every aggregation or cut is said in the chart's subtitle (`notes`).

Charts only show counts and shares, never member ids or names, so pseudonymisation has nothing
to hide here. Every text comes from the catalog (`data.chart.*`).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from models.enums import Layer
from planner import i18n
from planner.data.analysis import Analysis
from planner.days import display_day

DATE_TIP = "%Y-%m-%d"

POINT_BUDGET = 1500  # data rows per chart, every series and layer counted
MAX_POINTS = POINT_BUDGET  # the name older callers use
DAY_GRAIN_DAYS = 183  # up to about half a year a day is one point
WEEK_GRAIN_DAYS = 3 * 366  # up to three years a week is one point, beyond that a month
ROLLING_DAYS = 7
ROLLING_FROM_DAYS = 21  # a daily line shorter than this is read as it is
MAX_COHORTS = {"month": 36, "week": 26}  # heatmap rows: older cohorts are left out, with a note
BAR_PERIODS = 60  # up to this many periods new/active are bars side by side, beyond that lines
GRAINS = ("day", "week", "month")


def _t(key: str, lang: str, **params: Any) -> str:
    return i18n.t(f"data.chart.{key}", lang, **params)


def span_days(analysis: Analysis) -> int:
    if analysis.start is None or analysis.as_of is None:
        return 0
    return (analysis.as_of - analysis.start).days + 1


def auto_grain(days: int) -> str:
    """The time grain a span of `days` reads best in."""
    if days <= DAY_GRAIN_DAYS:
        return "day"
    return "week" if days <= WEEK_GRAIN_DAYS else "month"


def grain_of(analysis: Analysis, grain: str | None) -> str:
    return grain if grain in GRAINS else auto_grain(span_days(analysis))


def axis_format(first: pd.Timestamp, last: pd.Timestamp, grain: str) -> str:
    """Numeric dates (Vega would print English month names); the year whenever the span crosses one."""
    if grain == "month":
        return "%Y-%m"
    return "%Y-%m-%d" if first.year != last.year else "%m-%d"


def _titled(title: str, notes: list[str]) -> alt.TitleParams:
    if not notes:
        return alt.TitleParams(title)
    return alt.TitleParams(title, subtitle=notes, subtitleColor="#666666")


def notes(chart: alt.TopLevelMixin) -> list[str]:
    """The notes a chart carries in its subtitle (what was aggregated or left out)."""
    title = chart.to_dict().get("title")
    if not isinstance(title, dict):
        return []
    sub = title.get("subtitle") or []
    return [sub] if isinstance(sub, str) else list(sub)


def period_start(dates: pd.Series, grain: str) -> pd.Series:
    """The first day of each date's week (Monday) or month."""
    if grain == "week":
        return dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    if grain == "month":
        return dates.dt.to_period("M").dt.start_time
    return dates


def resample(daily: pd.DataFrame, columns: list[str], grain: str) -> pd.DataFrame:
    """Daily rows (`date` + `columns`) as the mean per week or month (a day: as they are)."""
    part = daily[["date", *columns]]
    if grain == "day":
        return part.reset_index(drop=True)
    out = part.groupby(period_start(part["date"], grain))[columns].mean()
    return out.rename_axis("date").reset_index()


def keep_last(frame: pd.DataFrame, rows: int, total_label: str, lang: str, notes_out: list[str]) -> pd.DataFrame:
    """The last `rows` rows of `frame`, with a note when earlier ones are left out."""
    if len(frame) <= rows:
        return frame
    notes_out.append(_t("note.cut", lang, shown=f"{rows:,}", total=f"{len(frame):,}", unit=total_label))
    return frame.iloc[len(frame) - rows:]


def limit_points(frame: pd.DataFrame, max_points: int = POINT_BUDGET) -> pd.DataFrame:
    """Daily rows (column `date`) averaged into equal spans when there are too many."""
    if len(frame) <= max_points:
        return frame
    step = -(-len(frame) // max_points)
    groups = frame.groupby(pd.RangeIndex(len(frame)) // step)
    out = groups.mean(numeric_only=True)
    out.insert(0, "date", groups["date"].first().to_numpy())
    return out.reset_index(drop=True)


def _time_lines(analysis: Analysis, series: dict[str, str], title: str, axis_title: str, lang: str, *,
                share: bool = False, noisy: tuple[str, ...] = (), grain: str | None = None) -> alt.Chart | None:
    """Lines of daily columns (`series`: column → legend label) at the grain that fits the span, a rolling
    7-day mean beside each noisy column at day grain, the most recent points within the budget."""
    daily = analysis.daily
    columns = [c for c in series if c in daily and not daily[c].isna().all()]
    if daily.empty or not columns:
        return None
    g = grain_of(analysis, grain)
    said: list[str] = []
    frame = resample(daily, columns, g)
    if g != "day":
        said.append(_t(f"note.grain.{g}", lang))
    labels = {c: series[c] for c in columns}
    smooth: set[str] = set()
    if g == "day" and len(frame) >= ROLLING_FROM_DAYS:
        for c in columns:
            if c in noisy:
                frame[f"{c}__7"] = frame[c].rolling(ROLLING_DAYS, min_periods=1).mean()
                labels[f"{c}__7"] = _t("series.rolling", lang, name=series[c], days=ROLLING_DAYS)
                smooth.add(f"{c}__7")
        if smooth:
            said.append(_t("note.rolling", lang, days=ROLLING_DAYS))
    frame = keep_last(frame, POINT_BUDGET // len(labels), _t(f"unit.{g}", lang), lang, said)
    long = frame.melt("date", var_name="column", value_name="value").dropna()
    if long.empty:
        return None
    long["series"] = long["column"].map(labels)
    raw_faint = {c for c in columns if f"{c}__7" in smooth}
    long["weight"] = ["faint" if c in raw_faint else "solid" for c in long["column"]]
    long = long.drop(columns="column")
    fmt = axis_format(long["date"].iloc[0], long["date"].iloc[-1], g)
    order = list(labels.values())
    return alt.Chart(long, title=_titled(title, said)).mark_line(
        point=len(frame) <= 120 and len(order) == 1).encode(
        x=alt.X("date:T", title=_t("axis.date", lang), axis=alt.Axis(format=fmt, labelOverlap=True)),
        y=alt.Y("value:Q", title=axis_title, axis=alt.Axis(format=".0%" if share else "d")),
        color=alt.Color("series:N", title=None, sort=order, legend=alt.Legend(orient="top")),
        opacity=alt.Opacity("weight:N", scale=alt.Scale(domain=["faint", "solid"], range=[0.35, 1.0]), legend=None),
        tooltip=[alt.Tooltip("date:T", format=DATE_TIP), "series:N",
                 alt.Tooltip("value:Q", format=".1%" if share else ".1f")],
    )


def new_active(analysis: Analysis, period: str | None = None, lang: str = "zh") -> alt.Chart | None:
    """New and active members per day / week / month (`period`; None or "auto": the grain of the span)."""
    g = grain_of(analysis, period)
    new = getattr(analysis, f"new_per_{g}")
    active = getattr(analysis, f"active_per_{g}")
    keys = sorted(set(new) | set(active))
    if not keys:
        return None
    said: list[str] = []
    keys = keep_last(pd.DataFrame({"k": keys}), POINT_BUDGET // 2, _t(f"unit.{g}", lang), lang, said)["k"].tolist()
    new_label, active_label = _t("series.new", lang), _t("series.active", lang)
    rows = [{"period": k, "series": new_label, "count": new.get(k, 0)} for k in keys]
    rows += [{"period": k, "series": active_label, "count": active[k]} for k in keys if k in active]
    frame = pd.DataFrame(rows, columns=["period", "series", "count"])
    title = _titled(_t(f"new_active.{g}", lang), said)
    color = alt.Color("series:N", title=None, sort=[new_label, active_label], legend=alt.Legend(orient="top"))
    if len(keys) <= BAR_PERIODS:
        return alt.Chart(frame, title=title).mark_bar().encode(
            x=alt.X("period:N", title=_t(f"axis.{g}", lang), axis=alt.Axis(labelOverlap=True)),
            xOffset=alt.XOffset("series:N", sort=[new_label, active_label]),
            y=alt.Y("count:Q", title=_t("axis.members", lang)),
            color=color,
            tooltip=["period:N", "series:N", "count:Q"],
        )
    frame["date"] = pd.to_datetime(frame["period"])
    fmt = axis_format(frame["date"].min(), frame["date"].max(), g)
    return alt.Chart(frame.drop(columns="period"), title=title).mark_line().encode(
        x=alt.X("date:T", title=_t(f"axis.{g}", lang), axis=alt.Axis(format=fmt, labelOverlap=True)),
        y=alt.Y("count:Q", title=_t("axis.members", lang)),
        color=color,
        tooltip=[alt.Tooltip("date:T", format=DATE_TIP), "series:N", "count:Q"],
    )


def dau_mau(analysis: Analysis, lang: str = "zh", grain: str | None = None) -> alt.Chart | None:
    return _time_lines(analysis, {"dau_mau": "DAU/MAU"}, _t("dau_mau", lang), _t("axis.share", lang), lang,
                       share=True, noisy=("dau_mau",), grain=grain)


def checkin_rate(analysis: Analysis, lang: str = "zh", grain: str | None = None) -> alt.Chart | None:
    return _time_lines(analysis, {"checkin_rate": _t("series.checkin_rate", lang)}, _t("checkin_rate", lang),
                       _t("axis.share", lang), lang, share=True, noisy=("checkin_rate",), grain=grain)


def active_users(analysis: Analysis, lang: str = "zh", grain: str | None = None) -> alt.Chart | None:
    """DAU, WAU and MAU on one time axis."""
    return _time_lines(analysis, {"dau": "DAU", "wau": "WAU", "mau": "MAU"}, _t("active_users", lang),
                       _t("axis.members", lang), lang, noisy=("dau",), grain=grain)


def retention_heatmap(analysis: Analysis, lang: str = "zh", weekly: bool = False) -> alt.Chart | None:
    table = analysis.retention_weekly if weekly else analysis.retention
    rows = [{"cohort": c, "k": int(k), "share": v, "size": analysis.cohort_sizes.get(c)}
            for c, row in table.items() for k, v in row.items() if v is not None]
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    said: list[str] = []
    cohorts = sorted(frame["cohort"].unique())
    per_cohort = max(1, frame["k"].nunique())
    limit = min(MAX_COHORTS["week" if weekly else "month"], POINT_BUDGET // per_cohort)
    keep = keep_last(pd.DataFrame({"c": cohorts}), limit, _t("unit.cohort", lang), lang, said)["c"]
    frame = frame[frame["cohort"].isin(set(keep))]
    title = _titled(_t("retention_weekly" if weekly else "retention", lang), said)
    base = alt.Chart(frame).encode(
        x=alt.X("k:O", title=_t("axis.weeks_after" if weekly else "axis.months_after", lang)),
        y=alt.Y("cohort:O", title=_t("axis.cohort", lang)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("share:Q", title=_t("axis.share", lang), scale=alt.Scale(domain=[0, 1], scheme="blues"),
                        legend=alt.Legend(format=".0%")),
        tooltip=["cohort:O", "k:O", alt.Tooltip("share:Q", format=".1%"), "size:Q"],
    )
    labels = base.mark_text(fontSize=10).encode(
        text=alt.Text("share:Q", format=".0%"),
        color=alt.condition("datum.share > 0.5", alt.value("white"), alt.value("black")),
    )
    return (cells + labels).properties(title=title)


def funnel(analysis: Analysis, lang: str = "zh") -> alt.Chart | None:
    if not analysis.funnel:
        return None
    frame = pd.DataFrame([{"step": _t(f"funnel.{f['step']}", lang), "order": i, "count": f["count"],
                           "share": f["share"] or 0.0} for i, f in enumerate(analysis.funnel)])
    return alt.Chart(frame, title=_t("funnel", lang)).mark_bar().encode(
        y=alt.Y("step:N", sort=alt.EncodingSortField("order"), title=None),
        x=alt.X("count:Q", title=_t("axis.members", lang)),
        tooltip=["step:N", "count:Q", alt.Tooltip("share:Q", format=".1%")],
    )


def layers(analysis: Analysis, lang: str = "zh") -> alt.Chart | None:
    if not analysis.layers or not sum(analysis.layers.values()):
        return None
    frame = pd.DataFrame([{"layer": i18n.t(f"enum.Layer.{k}", lang), "order": list(Layer).index(Layer(k)),
                           "count": v} for k, v in analysis.layers.items()])
    return alt.Chart(frame, title=_t("layers", lang)).mark_bar().encode(
        x=alt.X("layer:N", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("count:Q", title=_t("axis.members", lang)),
        tooltip=["layer:N", "count:Q"],
    )


def concentration(analysis: Analysis, lang: str = "zh") -> alt.Chart | None:
    """Cumulative share of events against the share of (most active first) members."""
    curve = analysis.concentration.get("curve") or []
    if not curve:
        return None
    frame = pd.DataFrame(curve)
    line = alt.Chart(frame, title=_t("concentration", lang)).mark_line().encode(
        x=alt.X("members_share:Q", title=_t("axis.members_share", lang), axis=alt.Axis(format=".0%")),
        y=alt.Y("events_share:Q", title=_t("axis.events_share", lang), axis=alt.Axis(format=".0%")),
        tooltip=[alt.Tooltip("members_share:Q", format=".1%"), alt.Tooltip("events_share:Q", format=".1%")],
    )
    half = alt.Chart(pd.DataFrame({"y": [0.5]})).mark_rule(strokeDash=[4, 4]).encode(y="y:Q")
    return line + half


def export_charts(analysis: Any, lang: str = "zh", plan: Any = None) -> list[tuple[str, alt.Chart]]:
    """(caption, chart) for the export: every chart that has data, each at the grain of the span."""
    if not isinstance(analysis, Analysis):
        return []
    grain = grain_of(analysis, None)
    charts = [
        (f"new_active.{grain}", new_active(analysis, grain, lang)), ("active_users", active_users(analysis, lang)),
        ("dau_mau", dau_mau(analysis, lang)), ("checkin_rate", checkin_rate(analysis, lang)),
        ("retention", retention_heatmap(analysis, lang)), ("funnel", funnel(analysis, lang)),
        ("layers", layers(analysis, lang)), ("concentration", concentration(analysis, lang)),
        ("groups_aligned", groups_aligned(analysis.comparison, lang) if analysis.comparison else None),
    ]
    return [(_t(key, lang), chart) for key, chart in charts if chart is not None]


def point_count(chart: alt.TopLevelMixin) -> int:
    """How many data rows a chart carries (all layers), for tests of the point limit."""
    spec = chart.to_dict()
    return sum(len(v) for v in spec.get("datasets", {}).values())


def groups_aligned(comparison: dict[str, Any], lang: str = "zh") -> alt.Chart | None:
    """Daily active members of each group by the group's own day (its first day is day 1, as every day a
    person reads; a rolling 7-day mean when the horizon is long enough to be noisy), within the point budget."""
    rows = comparison.get("daily") or []
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    said: list[str] = []
    horizon = int(frame["day"].max()) + 1
    if horizon >= ROLLING_FROM_DAYS:
        frame["dau"] = frame.groupby("group")["dau"].transform(lambda s: s.rolling(ROLLING_DAYS, min_periods=1).mean())
        said.append(_t("note.groups_rolling", lang, days=ROLLING_DAYS))
    groups = frame["group"].nunique()
    if len(frame) > POINT_BUDGET:  # every group averaged over the same spans of days
        step = -(-len(frame) // POINT_BUDGET)
        frame = frame.assign(day=frame["day"] // step * step).groupby(["group", "day"], as_index=False)["dau"].mean()
        said.append(_t("note.groups_step", lang, step=step))
    frame["day"] = display_day(frame["day"])  # stored from 0, read from 1: a group's first day is day 1
    order = comparison.get("order") or sorted(frame["group"].unique())
    return alt.Chart(frame, title=_titled(_t("groups_aligned", lang), said)).mark_line(
        point=horizon <= 31 and groups <= 6).encode(
        x=alt.X("day:Q", title=_t("axis.days_since_start", lang), axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("dau:Q", title=_t("axis.members", lang)),
        color=alt.Color("group:N", title=None, sort=order, legend=alt.Legend(orient="top")),
        tooltip=["group:N", alt.Tooltip("day:Q", title=_t("axis.days_since_start", lang)),
                 alt.Tooltip("dau:Q", format=".1f", title=_t("axis.members", lang))],
    )
