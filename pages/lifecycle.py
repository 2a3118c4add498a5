"""Lifecycle and goal: length, start date, values, ONE goal, stages with a timeline, acquisition,
the conversion ladder and the KPIs."""

import streamlit as st

from models.enums import Stage
from models.plan import Goal
from models.problems import Step
from pages.ui import charts, layout, state, widgets
from pages.ui.case_notes import case_notes
from planner import fmt, i18n
from planner.days import display_day
from planner.plan.charts import stage_timeline
from planner.plan.hints import example_placeholder, example_rows
from planner.plan.lifecycle import (
    CUSTOM_LENGTH,
    goal_title,
    keep_one_goal,
    length_choice,
    length_options,
    metric_label,
    metric_options,
    next_metric,
    next_stage,
    split_evenly,
)

NS = "lifecycle"
GOAL_FIELDS = ("statement", "metric", "target", "unit", "evaluation_rule")
layout.header(NS)
plan = state.require_plan()
lang = state.lang()


def hint(path: str) -> str:
    return example_placeholder(plan, path, state.lang())


def example_table(path: str, columns: list[str]) -> None:
    sample = example_rows(plan, path, columns, lang=state.lang())
    for row in sample:  # a measured metric by its label and days read from 1, as in the editor above
        if "metric" in row:
            row["metric"] = metric_label(str(row["metric"]), lang)
        if isinstance(row.get("due_day"), int):
            row["due_day"] = display_day(row["due_day"])
    widgets.examples(f"lifecycle.examples.{path}", "lifecycle.example_rows", sample,
                     {c: state.t(f"field.{NS}.{c}") for c in columns})


def keep_goal(index: int) -> None:
    current = state.require_plan()
    goals = keep_one_goal(current.lifecycle, index)
    widgets.set_value(NS, "lifecycle.goals", [g.model_dump(mode="json") for g in goals])
    for field in GOAL_FIELDS:  # the goal fields show goal 0, which is now another goal
        state.renew_widgets(f"lifecycle.goals.0.{field}")


def split_stages() -> None:
    current = state.require_plan()
    spans = split_evenly(current.lifecycle.length_days or 0, current.lifecycle.stages)
    widgets.set_value(NS, "lifecycle.stages", [s.model_dump(mode="json") for s in spans])


def basics_tab() -> None:
    """The length and start, the values, the one goal and the long-term one."""
    with st.container(border=True):
        st.subheader(state.t("lifecycle.section.length"))
        length_col, start_col = st.columns([3, 1])
        with length_col:
            custom = state.scratch("lifecycle.custom_length", False)
            picked = st.segmented_control(
                state.t("lifecycle.label.length"), length_options(),
                default=CUSTOM_LENGTH if custom else length_choice(plan.lifecycle.length_days),
                format_func=lambda v: i18n.t("lifecycle.length.custom", lang) if v == CUSTOM_LENGTH
                else i18n.t("lifecycle.length.days", lang, n=v),
                key=state.widget_key(NS, "length_choice"), help=state.t("lifecycle.help.length"),
            )
            if picked == CUSTOM_LENGTH:
                state.set_scratch("lifecycle.custom_length", True)
                widgets.number(NS, "lifecycle.length_days", "lifecycle.label.length_custom", min_value=1,
                               max_value=3650, step=1)
            elif picked is not None:
                state.set_scratch("lifecycle.custom_length", False)
                if picked != plan.lifecycle.length_days:
                    state.edit("lifecycle.length_days", picked)
        with start_col:
            widgets.date_field(NS, "lifecycle.start_date", "lifecycle.label.start_date",
                               help_key="lifecycle.help.start_date")

        st.markdown(f"**{state.t('lifecycle.section.values')}**")
        st.caption(state.t("lifecycle.intro.values"))
        stand_for, stand_against = st.columns(2)
        with stand_for:
            widgets.lines(NS, "lifecycle.values.stand_for", "lifecycle.label.stand_for",
                          placeholder=hint("lifecycle.values.stand_for"), height=100)
        with stand_against:
            widgets.lines(NS, "lifecycle.values.stand_against", "lifecycle.label.stand_against",
                          placeholder=hint("lifecycle.values.stand_against"), height=100)

    with st.container(border=True):
        st.subheader(state.t("lifecycle.section.goal"))
        st.caption(state.t("lifecycle.intro.goal"))
        goals = state.require_plan().lifecycle.goals  # as now: the length may just have changed
        if not goals:
            st.button(state.t("lifecycle.goal.add"), key="lifecycle.goal.add", type="primary",
                      on_click=widgets.set_value, args=(NS, "lifecycle.goals", [Goal().model_dump(mode="json")]))
        else:
            if len(goals) > 1:
                st.warning(state.t("lifecycle.goal.several", n=len(goals)), icon=":material/warning:")
                for i, goal in enumerate(goals):
                    title_col, keep_col = st.columns([5, 1])
                    title_col.markdown(f"{i + 1}. {state.md(goal_title(goal, i, lang))}")
                    keep_col.button(state.t("lifecycle.goal.keep"), key=f"lifecycle.goal.keep.{i}", on_click=keep_goal,
                                    args=(i,))
                st.caption(state.t("lifecycle.goal.editing_first"))
            widgets.text(NS, "lifecycle.goals.0.statement", "lifecycle.label.goal_statement",
                         placeholder=hint("lifecycle.goals.0.statement"))
            metric_col, target_col, unit_col = st.columns([2, 1, 1])
            with metric_col:
                widgets.text(NS, "lifecycle.goals.0.metric", "lifecycle.label.goal_metric",
                             placeholder=hint("lifecycle.goals.0.metric"))
            with target_col:
                widgets.number(NS, "lifecycle.goals.0.target", "lifecycle.label.goal_target", step=1.0)
            with unit_col:
                widgets.text(NS, "lifecycle.goals.0.unit", "lifecycle.label.goal_unit",
                             placeholder=hint("lifecycle.goals.0.unit"))
            widgets.text(NS, "lifecycle.goals.0.evaluation_rule", "lifecycle.label.goal_rule",
                         help_key="lifecycle.help.goal_rule", placeholder=hint("lifecycle.goals.0.evaluation_rule"),
                         area=True, height=80)
        # Short- and long-term kept apart: the goal above is this cycle's, measured; this one is direction.
        widgets.text(NS, "lifecycle.long_term_goal", "lifecycle.label.long_term_goal",
                     help_key="lifecycle.help.long_term_goal", placeholder=hint("lifecycle.long_term_goal"))


def stages_tab() -> None:
    """The stages along the days, split evenly by a click, and their timeline."""
    st.caption(state.t("lifecycle.intro.stages"))
    stage_columns = {
        # a new row starts at the next stage the plan lacks: Streamlit's own empty choice reads "Select..."
        "stage": st.column_config.SelectboxColumn(
            state.t(f"field.{NS}.stage"), options=[s.value for s in Stage], required=True,
            default=next_stage(plan.lifecycle.stages).value, format_func=lambda v: i18n.t(f"enum.Stage.{v}", lang)),
        # days read from 1 (the opening day is day 1); the table stores them from 0
        "start_day": st.column_config.NumberColumn(state.t(f"field.{NS}.start_day"), min_value=1, step=1,
                                                   required=True),
        "end_day": st.column_config.NumberColumn(state.t(f"field.{NS}.end_day"), min_value=1, step=1,
                                                 required=True),
        "focus": st.column_config.TextColumn(state.t(f"field.{NS}.focus"), width="large"),
    }
    widgets.table(NS, "lifecycle.stages", ["stage", "start_day", "end_day", "focus"], column_config=stage_columns,
                  days=["start_day", "end_day"])
    st.button(state.t("lifecycle.split"), key="lifecycle.split", on_click=split_stages,
              disabled=not plan.lifecycle.length_days, help=state.t("lifecycle.help.split"))
    if plan.lifecycle.stages:
        # its spec once per stages, start and length (what it draws) and language: converting the chart took
        # ~0.1 s, and keyed on the whole plan every edit on this page (a value, the goal) made it again
        drawn = plan.lifecycle.model_dump_json(include={"stages", "start_date", "length_days"})
        charts.draw(f"stages|{drawn}|{lang}", lambda: stage_timeline(plan, lang), height=220)
    else:
        st.info(state.t("lifecycle.no_stages"))


def growth_tab() -> None:
    """Acquisition, the conversion ladder and what keeps members besides content."""
    moves, ladder = st.columns(2)
    with moves.container(border=True):
        st.subheader(state.t("lifecycle.section.acquisition"))
        widgets.lines(NS, "lifecycle.acquisition_moves", "lifecycle.label.acquisition_moves",
                      help_key="lifecycle.help.acquisition_moves", placeholder=hint("lifecycle.acquisition_moves"),
                      height=140)
    with ladder.container(border=True):
        st.subheader(state.t("lifecycle.section.ladder"))
        st.caption(state.t("lifecycle.intro.ladder"))
        widgets.table(NS, "lifecycle.conversion_ladder", ["name", "price", "offer"], column_config={
            "price": st.column_config.NumberColumn(
                fmt.money_heading(state.t(f"field.{NS}.price"), plan.meta.currency, state.lang()), min_value=0,
                format="%.2f"),
        })
        example_table("lifecycle.conversion_ladder", ["name", "price", "offer"])

    with st.container(border=True):
        st.subheader(state.t("lifecycle.section.retention"))
        st.caption(state.t("lifecycle.intro.retention"))
        referral, service = st.columns(2)
        with referral:
            widgets.text(NS, "lifecycle.retention.referral", "lifecycle.label.referral", area=True, height=80,
                         placeholder=hint("lifecycle.retention.referral"))
        with service:
            widgets.text(NS, "lifecycle.retention.service", "lifecycle.label.service", area=True, height=80,
                         placeholder=hint("lifecycle.retention.service"))
        widgets.table(NS, "lifecycle.retention.partners", ["name", "they_bring", "we_bring"],
                      label_key="lifecycle.label.partners",  # a partner's name, not the ladder's tier name
                      column_config={"name": st.column_config.Column(state.t(f"field.{NS}.partner"))})


def kpis_tab() -> None:
    """The KPIs, with the example plan's to look at."""
    st.caption(state.t("lifecycle.intro.kpis"))
    st.info(state.t("lifecycle.myth.lively") + "\n\n" + state.t("lifecycle.pit.headcount"), icon=":material/lightbulb:")
    kpi_columns = ["metric", "label", "target", "unit", "due_day", "measures_goal"]
    # KPIs keep their ids through the table, so two sessions' edits merge by KPI, not by row.
    widgets.table(NS, "kpis", kpi_columns, keep=["id"], days=["due_day"], column_config={
        "metric": st.column_config.SelectboxColumn(  # a new row: the first measured metric not yet used
            state.t(f"field.{NS}.metric"), options=metric_options([k.metric for k in plan.kpis]), required=True,
            default=next_metric([k.metric for k in plan.kpis]), format_func=lambda m: metric_label(m, lang)),
        "target": st.column_config.NumberColumn(state.t(f"field.{NS}.target")),
        "due_day": st.column_config.NumberColumn(state.t(f"field.{NS}.due_day"), min_value=1, step=1),
        "measures_goal": st.column_config.CheckboxColumn(state.t(f"field.{NS}.measures_goal"),
                                                         help=state.t("lifecycle.help.measures_goal")),
    })
    example_table("kpis", kpi_columns)


widgets.open_tab("lifecycle", {"basics": basics_tab, "stages": stages_tab, "growth": growth_tab, "kpis": kpis_tab})

case_notes(Step.LIFECYCLE)
