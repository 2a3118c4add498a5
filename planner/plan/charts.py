"""Chart specs of the plan itself (not of member data): pure Altair, rendered by pages and export."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import altair as alt
import pandas as pd

from models.enums import STAGE_ORDER
from models.plan import Plan
from planner import i18n
from planner.days import display_day

STAGE_COLOURS: dict[str, str] = {
    "acquisition": "#4C78A8", "activation": "#F58518", "retention": "#54A24B", "conversion": "#B279A2",
}


def stage_rows(plan: Plan, lang: str) -> list[dict[str, Any]]:
    """One row per stage span: label, inclusive day range, and dates when the start date is known.

    Days are as a person reads them (the opening day is day 1, planner.days.display_day);
    `end` is the first day after the stage so a one-day stage still has a visible bar."""
    start = plan.lifecycle.start_date
    rows = []
    for span in sorted(plan.lifecycle.stages, key=lambda s: (s.start_day, STAGE_ORDER.index(s.stage))):
        row: dict[str, Any] = {
            "stage": span.stage.value,
            "label": i18n.enum_label(span.stage, lang),
            "start": display_day(span.start_day),
            "end": display_day(span.end_day) + 1,
            "days": span.end_day - span.start_day + 1,
            "focus": span.focus,
        }
        if start is not None:
            row["from"] = (start + timedelta(days=span.start_day)).isoformat()
            row["to"] = (start + timedelta(days=span.end_day)).isoformat()
        rows.append(row)
    return rows


def stage_timeline(plan: Plan, lang: str) -> alt.Chart:
    """A horizontal bar per stage along the lifecycle's days (拉新→促活→留存→转化, top to bottom)."""
    rows = stage_rows(plan, lang)
    columns = ["stage", "label", "start", "end", "days", "focus", "from", "to"]
    frame = pd.DataFrame([{"from": "", "to": "", **r} for r in rows], columns=columns)
    present = {r["stage"] for r in rows}
    order = [i18n.enum_label(s, lang) for s in STAGE_ORDER if s.value in present]
    day_title = i18n.t("lifecycle.chart.day", lang)
    tooltip = [
        alt.Tooltip("label:N", title=i18n.t("lifecycle.chart.stage", lang)),
        alt.Tooltip("start:Q", title=i18n.t("lifecycle.chart.first_day", lang)),
        alt.Tooltip("days:Q", title=i18n.t("lifecycle.chart.days", lang)),
        alt.Tooltip("focus:N", title=i18n.t("lifecycle.chart.focus", lang)),
    ]
    if plan.lifecycle.start_date is not None:
        tooltip += [alt.Tooltip("from:N", title=i18n.t("lifecycle.chart.from", lang)),
                    alt.Tooltip("to:N", title=i18n.t("lifecycle.chart.to", lang))]
    last = display_day(plan.lifecycle.length_days - 1) + 1 if plan.lifecycle.length_days else None
    end = last or max([r["end"] for r in rows], default=display_day(0) + 1)
    return (
        alt.Chart(frame, title=i18n.t("lifecycle.chart.title", lang))
        .mark_bar(cornerRadius=3)
        .encode(
            x=alt.X("start:Q", title=day_title, scale=alt.Scale(domain=[display_day(0), end])),
            x2="end:Q",
            y=alt.Y("label:N", sort=order, title=None),
            color=alt.Color("stage:N", legend=None,
                            scale=alt.Scale(domain=list(STAGE_COLOURS), range=list(STAGE_COLOURS.values()))),
            tooltip=tooltip,
        )
        .properties(height=40 * max(len(order), 1))
    )
