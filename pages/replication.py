"""Replication and rules: when and how to copy the community, and law and privacy."""

import streamlit as st

from models.problems import Step
from pages.ui import layout, state, widgets
from pages.ui.case_notes import case_notes
from planner.plan.hints import example_placeholder
from planner.plan.view import CULTURE_MARKERS, missing_culture_markers

NS = "replication"
layout.header(NS)
plan = state.require_plan()


def hint(path: str) -> str:
    return example_placeholder(plan, path, state.lang())


with st.container(border=True):
    st.subheader(state.t("replication.section.replication"))
    widgets.toggle(NS, "replication.planned", "replication.label.planned", help_key="replication.help.planned")
    st.markdown(f"**{state.t('replication.section.culture')}**")
    st.caption(state.t("replication.intro.culture"))
    missing = missing_culture_markers(plan)
    if plan.replication.planned and missing:
        labels = state.t("replication.list_sep").join(state.t(f"replication.label.{m}") for m in missing)
        st.warning(state.t("replication.culture_missing", markers=labels), icon=":material/hourglass_top:")
    # Two boxes a row (five in one row left each a few characters wide); they wrap their text.
    for start in range(0, len(CULTURE_MARKERS), 2):
        for column, marker in zip(st.columns(2), CULTURE_MARKERS[start:start + 2], strict=False):
            with column:
                path = f"replication.culture.{marker}"
                widgets.text(NS, path, f"replication.label.{marker}", help_key=f"replication.help.{marker}",
                             placeholder=hint(path), area=True, height=110)
    rhythm, method = st.columns(2)
    with rhythm:
        widgets.text(NS, "replication.rhythm", "replication.label.rhythm", placeholder=hint("replication.rhythm"),
                     area=True, height=90)
    with method:
        widgets.text(NS, "replication.method", "replication.label.method", placeholder=hint("replication.method"),
                     area=True, height=90)
    widgets.lines(NS, "replication.traps", "replication.label.traps", help_key="replication.help.traps",
                  placeholder=hint("replication.traps"), height=100)

with st.container(border=True):
    st.subheader(state.t("replication.section.compliance"))
    st.caption(state.t("replication.intro.compliance"))
    privacy, moderation = st.columns(2)
    with privacy:
        widgets.text(NS, "compliance.privacy_note", "replication.label.privacy_note",
                     placeholder=hint("compliance.privacy_note"), area=True, height=110)
    with moderation:
        widgets.text(NS, "compliance.moderation_policy", "replication.label.moderation_policy",
                     placeholder=hint("compliance.moderation_policy"), area=True, height=110)
    widgets.lines(NS, "compliance.legal_notes", "replication.label.legal_notes",
                  placeholder=hint("compliance.legal_notes"), height=100)

case_notes(Step.REPLICATION)
