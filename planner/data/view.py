"""What the data page shows, computed here so the page only renders (and tests need no streamlit)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from models.problems import Problem
from planner import i18n
from planner.data.analysis import Analysis, AnalysisOptions
from planner.data.canonical import DATE_ORDER_QUESTION
from planner.data.frames import ALIASES
from planner.data.metrics import dictionary
from planner.data.pseudonym import alias_map, pseudonymise

CANONICAL_CHOICES = tuple(ALIASES)


def _labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`frame` with its columns named as the page shows them (`data.col.<column>`)."""
    return frame.rename(columns={c: i18n.t(f"data.col.{c}", lang) for c in frame.columns})


def date_questions(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.key == DATE_ORDER_QUESTION]


def file_problems(problems: list[Problem], lang: str, escape: Callable[[str], str] = str) -> list[str]:
    """File-level problems (not bad rows, not questions) as sentences; `escape` applies to user text."""
    return [i18n.render_problem(p, lang, escape) for p in problems if p.row is None and p.key != DATE_ORDER_QUESTION]


def bad_row_table(problems: list[Problem], lang: str) -> pd.DataFrame:
    """One line per reported bad row: file, row, column, value, reason."""
    rows = [{"file": p.file or "", "row": p.row, "column": p.column or "", "value": str(p.params.get("value", "")),
             "reason": i18n.t(p.key, lang, **p.params)} for p in problems if p.row is not None]
    frame = pd.DataFrame(rows, columns=["file", "row", "column", "value", "reason"])
    return _labelled(frame, lang)


def aliases_for(analysis: Analysis, on: bool) -> dict[str, str] | None:
    if not on or analysis.member_table.empty:
        return None
    return alias_map(analysis.member_table["member_id"], prefix=i18n.t("data.alias_prefix", "zh"))


def _show(frame: pd.DataFrame, aliases: dict[str, str] | None, lang: str) -> pd.DataFrame:
    if aliases is not None:
        frame = pseudonymise(frame, aliases)
    return _labelled(frame, lang)


def _pct(value: float | None) -> str:
    return "—" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{value:.1%}"


HEADLINE_TILES = ("members", "new", "active", "events", "messages", "checkins", "checkin_rate")


def headline_period(analysis: Analysis, lang: str) -> str:
    """The sentence that states the headline period and why it was chosen."""
    w = analysis.window
    if not w:
        return ""
    return i18n.t(f"data.window.{w['basis']}", lang, start=w["start"], end=w["end"], days=w["days"])


def headline(analysis: Analysis, lang: str) -> list[tuple[str, str, str]]:
    """(label, value, definition) for the metric tiles at the top of the page: counts over the headline
    period (`Analysis.window`), the period's short name in every label."""
    w = analysis.window
    if not w:
        return []
    period = i18n.t(f"data.window.short.{w['basis']}", lang, days=w["days"])
    tiles = []
    for key in HEADLINE_TILES:
        value = w.get(key)
        shown = _pct(value) if key == "checkin_rate" else "—" if value is None else f"{value:,}"
        tiles.append((i18n.t(f"data.tile.w.{key}", lang, period=period), shown,
                      i18n.t(f"data.tile.w.{key}.help", lang)))
    return tiles


def no_checkin_matched(analysis: Analysis) -> bool:
    """An activity log in which no event matched a check-in keyword (the check-in charts are flat)."""
    return analysis.source == "activity" and bool(analysis.events) and not any(
        f["count"] for f in analysis.funnel if f["step"] == "checked_in")


GROUP_COLUMNS = ("group", "start", "members", "new", "active", "active_share", "retention", "checkin_rate",
                 "concentration", "lagging")


def groups_table(comparison: dict[str, Any], lang: str) -> pd.DataFrame:
    """One row per group (batch order for batches) with the measures it lags on named; a batch's shares
    carry the change against the batch before."""
    rows = []
    for name in comparison.get("order", []):
        g = comparison["groups"][name]

        def share(key: str, g: dict[str, Any] = g) -> str:
            change = g["change"].get(key)
            text = _pct(g[key])
            return text if change is None else f"{text} ({change * 100:+.0f} pp)"

        rows.append({"group": name, "start": g["start"], "members": g["members"], "new": g["new"],
                     "active": g["active"], "active_share": share("active_share"), "retention": share("retention"),
                     "checkin_rate": share("checkin_rate"), "concentration": _pct(g["concentration"]),
                     "lagging": i18n.t("data.list_sep", lang).join(i18n.t(f"data.groups.measure.{m}", lang)
                                                                    for m in g["lagging"])})
    frame = pd.DataFrame(rows, columns=GROUP_COLUMNS)
    return frame.rename(columns={c: i18n.t(f"data.groups.col.{c}", lang) for c in GROUP_COLUMNS})


def kpi_value(metric: str, value: float | None) -> str:
    """A KPI's target or actual as shown beside the plan: shares as percentages, counts as numbers."""
    if metric in ("checkin_rate", "dau_mau", "retention_m1"):
        return _pct(value)
    return "—" if value is None else f"{value:g}"


def plan_vs_actual_table(rows: list[dict[str, Any]], lang: str) -> pd.DataFrame:
    out = []
    for r in rows:
        out.append({"kpi": r["label"], "metric": i18n.t(f"data.metric.{r['metric']}.name", lang)
                    if i18n.has(f"data.metric.{r['metric']}.name", lang) else r["metric"],
                    "due_date": r["due_date"] or "—", "target": kpi_value(r["metric"], r["target"]),
                    "actual": kpi_value(r["metric"], r["actual"]),
                    "status": i18n.t(f"data.status.{r['status']}", lang)})
    frame = pd.DataFrame(out, columns=["kpi", "metric", "due_date", "target", "actual", "status"])
    return _labelled(frame, lang)


def members_in_layer(analysis: Analysis, layer: str, aliases: dict[str, str] | None, lang: str) -> pd.DataFrame:
    table = analysis.member_table
    if table.empty:
        return pd.DataFrame()
    part = table[table["layer"] == layer][["member_id", "nickname", "checkin_days", "messages", "last_active"]]
    # a day, as in the inactivity table (the column holds midnight timestamps)
    part = part.assign(last_active=part["last_active"].dt.strftime("%Y-%m-%d").fillna("—"))
    return _show(part.reset_index(drop=True), aliases, lang)


def presence_table(analysis: Analysis, lang: str) -> pd.DataFrame:
    rows = [{"level": i18n.t("data.presence.level", lang, min_days=p["min_days"], window=p["window_days"]),
             "count": p["count"]} for p in analysis.presence]
    frame = pd.DataFrame(rows, columns=["level", "count"])
    return _labelled(frame, lang)


def inactivity_table(analysis: Analysis, aliases: dict[str, str] | None, lang: str) -> pd.DataFrame:
    frame = pd.DataFrame(analysis.inactivity, columns=["member_id", "nickname", "prior_events", "last_active"])
    return _show(frame, aliases, lang)


def before_after_table(ba: dict[str, Any] | None, lang: str) -> pd.DataFrame:
    if not ba:
        return pd.DataFrame()
    rows = []
    for key in ("events", "active_members", "messages", "checkins", "avg_dau"):
        before, after = ba["before"][key], ba["after"][key]
        change = ba["change"].get(key)
        rows.append({"measure": i18n.t(f"data.ba.{key}", lang),
                     "before": "—" if before is None else f"{before:g}" if isinstance(before, int) else f"{before:.1f}",
                     "after": "—" if after is None else f"{after:g}" if isinstance(after, int) else f"{after:.1f}",
                     "change": "—" if change is None else f"{change:+.0%}"})
    frame = pd.DataFrame(rows, columns=["measure", "before", "after", "change"])
    return _labelled(frame, lang)


def dictionary_table(lang: str) -> pd.DataFrame:
    frame = pd.DataFrame([{"metric": e["name"], "definition": e["definition"]} for e in dictionary(lang)])
    return _labelled(frame, lang)


def canonical_label(column: str, lang: str) -> str:
    """A mapping target as the override selector shows it ("" = automatic, "-" = ignore)."""
    return i18n.t(f"data.canon.{column or 'auto'}" if column != "-" else "data.canon.ignore", lang)


# The data page's analysis settings before the user changes them (inactivity thresholds in days).
DEFAULT_SETTINGS: dict[str, Any] = {"prior": 90, "silent": 30, "min_events": 10, "event_date": None,
                                    "plan_start": None}


def analysis_options(settings: dict[str, Any]) -> AnalysisOptions:
    """The analysis options behind the data page's settings, so the export analyses the same way."""
    return AnalysisOptions(
        weekly_cohorts=True,
        inactive_prior_days=settings["prior"], inactive_silent_days=settings["silent"],
        inactive_min_events=settings["min_events"],
        event_date=date.fromisoformat(settings["event_date"]) if settings.get("event_date") else None,
        plan_start=date.fromisoformat(settings["plan_start"]) if settings.get("plan_start") else None,
    )


def plan_calendar(plan: Any, analysis: Analysis) -> str:
    """How the plan's lifecycle lies against the data: "overlap", "apart" (no day in common), "no_start"
    or "no_data"."""
    if analysis.start is None or analysis.as_of is None:
        return "no_data"
    life = plan.lifecycle if plan is not None else None
    if life is None or life.start_date is None:
        return "no_start"
    end = life.start_date + timedelta(days=(life.length_days or 1) - 1)
    return "overlap" if life.start_date <= analysis.as_of and end >= analysis.start else "apart"
