"""Four elements: 同好 shared interest, structure, content pillars, operations."""

import streamlit as st

from models.enums import CommunityType, Currency, Feeling, JoinMode
from models.problems import Step
from pages.ui import layout, state, widgets
from pages.ui.case_notes import case_notes
from planner import fmt
from planner.plan.hints import example_placeholder, example_rows
from planner.plan.view import INTEREST_FIELDS, fee_applies

NS = "elements"
layout.header(NS)
plan = state.require_plan()


def hint(path: str) -> str:
    return example_placeholder(plan, path, state.lang())


def interest_tab() -> None:
    """同好: the community's type, the shared interest and how it shows (name, slogan, look)."""
    st.caption(state.t("elements.intro.interest"))
    with st.container(border=True):
        widgets.select_enum(NS, "meta.community_type", "elements.label.community_type", CommunityType,
                            help_key="elements.help.community_type")
        st.caption(state.t(f"elements.type_explain.{plan.meta.community_type.value}"))
    st.info(state.t("elements.myth.group_is_community"), icon=":material/lightbulb:")
    left, right = st.columns(2)
    for i, item in enumerate(INTEREST_FIELDS):
        path = f"elements.interest.{item}"
        with left if i % 2 == 0 else right:
            widgets.text(NS, path, f"elements.label.{item}", help_key=f"elements.help.{item}",
                         placeholder=hint(path), area=item in ("visual_identity", "signature_content"))


def structure_tab() -> None:
    """Structure: who may join (and the fee), who runs it, its rules and standard behaviours."""
    st.caption(state.t("elements.intro.structure"))
    with st.container(border=True):
        mode, fee = st.columns([2, 1])
        with mode:
            widgets.select_enum(NS, "elements.structure.join_mode", "elements.label.join_mode", JoinMode,
                                help_key="elements.help.join_mode", horizontal=True)
        with fee:
            widgets.select_enum(NS, "meta.currency", "elements.label.currency", Currency,
                                help_key="elements.help.currency")
            if fee_applies(plan):
                widgets.number(NS, "elements.structure.fee", "elements.label.fee", min_value=0.0, step=1.0,
                               help_key="elements.help.fee",
                               label=fmt.money_heading(state.t("elements.label.fee"), plan.meta.currency, state.lang()))
        widgets.text(NS, "elements.structure.target_members", "elements.label.target_members",
                     placeholder=hint("elements.structure.target_members"))
    people, rules = st.columns(2)
    with people.container(border=True):
        for item in ("admins", "kols"):
            path = f"elements.structure.{item}"
            widgets.lines(NS, path, f"elements.label.{item}", placeholder=hint(path), height=100)
    with rules.container(border=True):
        for item in ("group_rules", "interaction_mechanisms"):
            path = f"elements.structure.{item}"
            widgets.lines(NS, path, f"elements.label.{item}", placeholder=hint(path), height=100,
                          help_key=f"elements.help.{item}" if item == "interaction_mechanisms" else None)
    with st.container(border=True):
        widgets.lines(NS, "elements.structure.standard_behaviours", "elements.label.standard_behaviours",
                      help_key="elements.help.standard_behaviours",
                      placeholder=hint("elements.structure.standard_behaviours"), height=100)


def content_tab() -> None:
    """Content pillars: topic, form and cadence, with the example plan's rows to look at."""
    st.caption(state.t("elements.intro.content"))
    widgets.table(NS, "elements.content", ["topic", "form", "cadence"], label_key="elements.label.content")
    columns = ["topic", "form", "cadence"]
    widgets.examples("elements.examples.content", "elements.example_rows",
                     example_rows(plan, "elements.content", columns, lang=state.lang()),
                     {c: state.t(f"field.elements.{c}") for c in columns})


def operations_tab() -> None:
    """Operations: actions for each of the four feelings, and the routines."""
    st.caption(state.t("elements.intro.operations"))
    feeling_tabs = st.tabs([state.t(f"enum.Feeling.{f.value}") for f in Feeling])
    for tab, feeling in zip(feeling_tabs, Feeling, strict=True):
        with tab:
            path = f"elements.operations.feelings.{feeling.value}"
            st.caption(state.t(f"elements.feeling.{feeling.value}"))
            widgets.lines(NS, path, "elements.label.feeling_actions", placeholder=hint(path), height=120)
    with st.container(border=True):
        widgets.lines(NS, "elements.operations.routines", "elements.label.routines",
                      help_key="elements.help.routines", placeholder=hint("elements.operations.routines"),
                      height=120)


widgets.open_tab("elements", {"interest": interest_tab, "structure": structure_tab, "content": content_tab,
                              "operations": operations_tab})

case_notes(Step.ELEMENTS)
