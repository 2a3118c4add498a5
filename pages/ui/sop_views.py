"""What the SOP page's tabs show, computed once per plan, start day and language.

For a year-long SOP the schedule table, the two charts and the design checks take a quarter of a second
together (more on a busy machine). Reruns that leave the plan as it is (picking a rule to edit, changing
a trigger kind, trying the 话术 preview) reuse them; an edit computes them anew, and only for the tab
that shows them: the rules tab, where the page opens and most edits happen, needs none of them, the
charts are made apart. Kept as resources, not pickled data: the page only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from models.plan import Plan
from models.problems import Finding
from models.sop import SopRule
from pages.ui.charts import to_spec
from planner import i18n
from planner.sop import charts as charts_sop
from planner.sop import files as sop_export
from planner.sop import schedule as sop
from planner.sop.checks import design_findings
from planner.sop.schedule import Schedule


@dataclass(frozen=True)
class SopViews:
    schedule: Schedule
    tasks: pd.DataFrame | None  # the tables and charts are None when the schedule has no such rows
    standing: pd.DataFrame | None
    findings: list[Finding]


@dataclass(frozen=True)
class SopChart:
    """A chart as its Vega-Lite spec, made once: st.altair_chart would convert and check it against the
    schema again on every run (0.2-1 s for a year's Gantt and workload)."""
    key: str
    spec: dict[str, Any]
    height: int  # the chart sizes its height to its rows


@dataclass(frozen=True)
class RulesTab:
    """What the rules tab shows beside the editor: the rules as a table, the default rules missing."""
    rules: pd.DataFrame
    missing: tuple[SopRule, ...]


# Each cache is keyed by the plan's JSON; `_plan` is the plan it was dumped from (not hashed), so a miss
# costs no second parse.
@st.cache_resource(show_spinner=False, max_entries=16)
def _rules_tab(plan_json: str, lang: str, _plan: Plan) -> RulesTab:
    return RulesTab(rules=sop_export.rules_frame(_plan, lang), missing=tuple(sop.missing_defaults(_plan, lang)))


def rules_tab(plan: Plan, lang: str) -> RulesTab:
    """The rules table and the missing defaults, once per plan version and language: the page opens on
    this tab, and working them out (a dozen ms, several times that on a busy machine) was most of its
    script on a switch."""
    return _rules_tab(plan.model_dump_json(), lang, plan)


@st.cache_resource(show_spinner=False, max_entries=16)
def _schedule(plan_json: str, start: date | None) -> Schedule:
    """The plan expanded into its dated schedule, once per plan version and start day: the views and the
    charts read the same one (they were expanded apart, twice after an edit with the charts tab open).
    Expanded from its own parse: the schedule keeps the event rules, and sessions share it."""
    return sop.expand(Plan.model_validate_json(plan_json), start)


@st.cache_resource(show_spinner=False, max_entries=16)
def _views(plan_json: str, start: date | None, lang: str, _plan: Plan) -> SopViews:
    schedule = _schedule(plan_json, start)
    return SopViews(
        schedule=schedule,
        tasks=sop_export.schedule_frame(schedule, _plan, lang) if schedule.tasks else None,
        standing=sop_export.standing_frame(schedule, _plan, lang) if schedule.standing else None,
        findings=design_findings(_plan, schedule=schedule),  # the schedule shown, not a second expansion
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def _charts(plan_json: str, start: date | None, lang: str, _plan: Plan) -> list[SopChart]:
    schedule = _schedule(plan_json, start)
    if not schedule.tasks:
        return []
    charts = (("sop.gantt", charts_sop.gantt(_plan, schedule, lang)),
              ("sop.workload", charts_sop.workload_heatmap(_plan, schedule, lang)))
    return [SopChart(key, to_spec(chart), int(chart.height)) for key, chart in charts]


def sop_charts(plan: Plan, start: date | None, lang: str) -> list[SopChart]:
    """The Gantt and workload charts, made only when their tab is open: an edit elsewhere on the page
    no longer waits for them."""
    with st.spinner(i18n.t("sop.views.working", lang)):
        return _charts(plan.model_dump_json(), start, lang, plan)


def sop_views(plan: Plan, start: date | None, lang: str) -> SopViews:
    """The schedule, its tables and the design checks, for the tabs that show them (not the rules tab)."""
    # Worked out anew after an edit (up to a second for a year on a busy machine): the spinner shows
    # only when it takes over half a second, i.e. never for a view already cached.
    with st.spinner(i18n.t("sop.views.working", lang)):
        return _views(plan.model_dump_json(), start, lang, plan)
