"""The review loop beside plan vs actual (data page): for each missed KPI the likely causes and a
one-click change to the plan, recorded as a revision note; revenue from the amount column; which SOP
rules and content pillars go with more activity; the notes recorded so far. The logic lives in planner.plan.review."""

from __future__ import annotations

from typing import Any

import streamlit as st

from models.plan import Plan
from pages.ui import state
from planner.data.analysis import Analysis
from planner.data.frames import LoadResult
from planner.data.view import kpi_value
from planner.plan import review

NS = "data.review"
NOTICE = "data.review.notice"
PROBLEMS = "data.review.problems"


def notes_table(plan: Plan) -> None:
    """The revision notes the reviews recorded (newest last), or a line saying where they come from."""
    st.markdown(f"**{state.t('sop.review.notes')}**")
    if not plan.review.notes:
        st.caption(state.t("sop.review.no_notes"))
        return
    st.dataframe([{state.t_plain(f"sop.review.col.{k}"): getattr(n, k) for k in ("on", "kpi", "cause", "change")}
                  for n in plan.review.notes], hide_index=True, width="stretch")


def _adopt(suggestion_id: str, kpi_label: str) -> None:
    new_plan, problems = review.apply_suggestion(state.require_plan(), suggestion_id, kpi_label, state.lang())
    if problems:
        state.set_scratch(PROBLEMS, problems)
        return
    state.save(new_plan)
    state.set_scratch(NOTICE, kpi_label)


def _comparison(effect: dict[str, Any]) -> dict[str, Any]:
    """The columns shared by the rule and the pillar tables: run days, activity on them and on the others."""
    lift = effect["lift"]
    return {state.t_plain("sop.review.col.days"): effect["days"],
            state.t_plain("sop.review.col.on_days"): round(effect["on_days"], 1),
            state.t_plain("sop.review.col.other_days"): round(effect["other_days"], 1),
            state.t_plain("sop.review.col.lift"): None if lift is None else f"{lift:+.0%}"}


def render(plan: Plan, analysis: Analysis, result: LoadResult | None) -> None:
    with st.container(border=True):
        st.markdown(f"**{state.t('sop.review.loop')}**")
        st.caption(state.t("data.review.intro"))
        adopted = state.scratch(NOTICE)
        if adopted:
            st.success(state.t("sop.review.adopted", kpi=adopted), icon=":material/check_circle:")
            state.set_scratch(NOTICE, None)
        for problem in state.scratch(PROBLEMS) or []:
            st.error(state.problem_text(problem), icon=":material/error:")
        state.set_scratch(PROBLEMS, None)
        money = review.revenue(result, plan)
        if money is not None:
            st.metric(state.t("sop.review.revenue"), f"{money['total']:,.2f}",
                      help=state.t_plain("sop.review.revenue_help", orders=money["orders"], buyers=money["buyers"]))
        if not any(k.measures_goal for k in plan.kpis):  # the one goal itself should be measured
            st.warning(state.t("data.review.no_goal_kpi"), icon=":material/flag:")
        missed = review.missed_kpis(plan, analysis)
        if not missed:
            st.success(state.t("sop.review.all_met"), icon=":material/check_circle:")
        # A change this review already recorded for that KPI is shown, not offered again.
        recorded = {(n.kpi, n.change) for n in plan.review.notes}
        for row in missed:
            title = state.t("sop.review.missed", kpi=row["label"], actual=kpi_value(row["metric"], row["actual"]),
                            target=kpi_value(row["metric"], row["target"]))
            # A Material icon marks the goal's KPI: emoji show as empty boxes where no emoji font is installed.
            with st.expander(title, expanded=row["measures_goal"],
                             icon=":material/flag:" if row["measures_goal"] else None):
                suggestions = review.suggestions_for(row["metric"])
                if not suggestions:
                    st.caption(state.t("sop.review.no_suggestion"))
                for s in suggestions:
                    # The change as text beside a short button: a long button label is cut off on a phone.
                    text, action = st.columns([4, 1], vertical_alignment="center")
                    text.markdown(state.t("sop.review.cause", cause=state.t_plain(s.cause)) + "  \n"
                                  + state.t("data.review.try", change=state.t_plain(s.change)))
                    done = (row["label"], state.t_plain(s.change)) in recorded
                    action.button(state.t("data.review.adopted" if done else "data.review.adopt"),
                                  key=state.widget_key(NS, "adopt", row["kpi_id"], s.id),
                                  on_click=_adopt, args=(s.id, row["label"]), disabled=state.read_only() or done,
                                  icon=":material/check:" if done else ":material/add:",
                                  help=state.t_plain("data.review.adopted_help" if done else "sop.review.adopt_help"))
        effects = review.rule_effects(plan, analysis)
        if effects:
            st.markdown(f"**{state.t('sop.review.effects')}**")
            st.caption(state.t("sop.review.effects_help"))
            st.dataframe([{state.t_plain("sop.review.col.rule"): e["rule"], **_comparison(e)} for e in effects],
                         hide_index=True, width="stretch")
        pillars = review.pillar_effects(plan, analysis)
        if pillars:
            st.markdown(f"**{state.t('data.review.pillars')}**")
            st.caption(state.t("data.review.pillars_help"))
            st.dataframe([{state.t_plain("data.review.col.pillar"): e["pillar"],
                           state.t_plain("data.review.col.cadence"): e["cadence"],
                           **_comparison(e)} for e in pillars], hide_index=True, width="stretch")
        notes_table(plan)
        st.page_link("pages/sop.py", label=state.t("data.review.cadence_link"), icon=":material/event_repeat:")
