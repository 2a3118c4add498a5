"""Altair charts of an `Analysis`, aggregated before plotting (at most `MAX_POINTS` marks each).

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

# Numeric dates read the same in both languages (Vega would print English month names).
DATE_AXIS = "%m-%d"
DATE_TIP = "%Y-%m-%d"

MAX_POINTS = 5000


def _t(key: str, lang: str) -> str:
    return i18n.t(f"data.chart.{key}", lang)


def limit_points(frame: pd.DataFrame, max_points: int = MAX_POINTS) -> pd.DataFrame:
    """Daily rows (column `date`) averaged into equal spans when there are too many."""
    if len(frame) <= max_points:
        return frame
    step = -(-len(frame) // max_points)
    groups = frame.groupby(pd.RangeIndex(len(frame)) // step)
    out = groups.mean(numeric_only=True)
    out.insert(0, "date", groups["date"].first().to_numpy())
    return out.reset_index(drop=True)


def _period_frame(analysis: Analysis, period: str, lang: str) -> pd.DataFrame:
    new = getattr(analysis, f"new_per_{period}")
    active = getattr(analysis, f"active_per_{period}")
    rows = [{"period": k, "series": _t("series.new", lang), "count": v} for k, v in new.items()]
    rows += [{"period": k, "series": _t("series.active", lang), "count": v} for k, v in active.items()]
    frame = pd.DataFrame(rows, columns=["period", "series", "count"])
    keep = sorted(frame["period"].unique())[-(MAX_POINTS // 2):]
    return frame[frame["period"].isin(keep)]


def new_active(analysis: Analysis, period: str = "month", lang: str = "zh") -> alt.Chart | None:
    """New and active members per day / week / month, side by side."""
    frame = _period_frame(analysis, period, lang)
    if frame.empty:
        return None
    return alt.Chart(frame, title=_t(f"new_active.{period}", lang)).mark_bar().encode(
        x=alt.X("period:N", title=_t(f"axis.{period}", lang)),
        xOffset="series:N",
        y=alt.Y("count:Q", title=_t("axis.members", lang)),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top")),
        tooltip=["period:N", "series:N", "count:Q"],
    )


def _daily_line(analysis: Analysis, column: str, title_key: str, axis_key: str, lang: str,
                share: bool = False) -> alt.Chart | None:
    if analysis.daily.empty or analysis.daily[column].isna().all():
        return None
    frame = limit_points(analysis.daily[["date", column]].dropna())
    fmt = ".0%" if share else "d"
    return alt.Chart(frame, title=_t(title_key, lang)).mark_line(point=len(frame) <= 120).encode(
        x=alt.X("date:T", title=_t("axis.date", lang), axis=alt.Axis(format=DATE_AXIS)),
        y=alt.Y(f"{column}:Q", title=_t(axis_key, lang), axis=alt.Axis(format=fmt)),
        tooltip=[alt.Tooltip("date:T", format=DATE_TIP), alt.Tooltip(f"{column}:Q", format=".1%" if share else ".0f")],
    )


def dau_mau(analysis: Analysis, lang: str = "zh") -> alt.Chart | None:
    return _daily_line(analysis, "dau_mau", "dau_mau", "axis.share", lang, share=True)


def checkin_rate(analysis: Analysis, lang: str = "zh") -> alt.Chart | None:
    return _daily_line(analysis, "checkin_rate", "checkin_rate", "axis.share", lang, share=True)


def active_users(analysis: Analysis, lang: str = "zh") -> alt.Chart | None:
    """DAU, WAU and MAU on one time axis."""
    if analysis.daily.empty:
        return None
    frame = limit_points(analysis.daily[["date", "dau", "wau", "mau"]])
    long = frame.melt("date", var_name="series", value_name="members").dropna()
    if long.empty:
        return None
    long["series"] = long["series"].str.upper()
    return alt.Chart(long, title=_t("active_users", lang)).mark_line().encode(
        x=alt.X("date:T", title=_t("axis.date", lang), axis=alt.Axis(format=DATE_AXIS)),
        y=alt.Y("members:Q", title=_t("axis.members", lang)),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("date:T", format=DATE_TIP), "series:N", alt.Tooltip("members:Q", format=".0f")],
    )


def retention_heatmap(analysis: Analysis, lang: str = "zh", weekly: bool = False) -> alt.Chart | None:
    table = analysis.retention_weekly if weekly else analysis.retention
    rows = [{"cohort": c, "k": int(k), "share": v, "size": analysis.cohort_sizes.get(c)}
            for c, row in table.items() for k, v in row.items() if v is not None]
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    keep = sorted(frame["cohort"].unique())[-(MAX_POINTS // 13):]
    frame = frame[frame["cohort"].isin(keep)]
    base = alt.Chart(frame, title=_t("retention_weekly" if weekly else "retention", lang)).encode(
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
    return cells + labels


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
    """(caption, chart) for the export: every chart that has data."""
    if not isinstance(analysis, Analysis):
        return []
    charts = [
        ("new_active.month", new_active(analysis, "month", lang)), ("active_users", active_users(analysis, lang)),
        ("dau_mau", dau_mau(analysis, lang)), ("checkin_rate", checkin_rate(analysis, lang)),
        ("retention", retention_heatmap(analysis, lang)), ("funnel", funnel(analysis, lang)),
        ("layers", layers(analysis, lang)), ("concentration", concentration(analysis, lang)),
    ]
    return [(_t(key, lang), chart) for key, chart in charts if chart is not None]


def point_count(chart: alt.TopLevelMixin) -> int:
    """How many data rows a chart carries (all layers), for tests of the point limit."""
    spec = chart.to_dict()
    return sum(len(v) for v in spec.get("datasets", {}).values())
