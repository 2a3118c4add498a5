"""The trainer's case notes beside a step (planner.plan.cases), folded away by default."""

from __future__ import annotations

import streamlit as st

from models.problems import Step
from pages.ui import state
from planner.plan.cases import notes_for


def case_notes(step: Step) -> None:
    notes = notes_for(step)
    if not notes:
        return
    with st.expander(state.t("case.expander"), icon=":material/menu_book:"):
        for note in notes:
            st.markdown(f"**{state.t(note.title_key)}**")
            st.markdown(state.t(note.did_key))
            st.caption(f"{state.t('case.shows_label')} {state.t(note.shows_key)}")
