"""The trainer's case notes beside a step (planner.plan.cases), folded away by default and drawn only
when unfolded: a folded expander's contents are still sent and laid out by the browser on every run of
the page (each note is three elements)."""

from __future__ import annotations

import streamlit as st

from models.problems import Step
from pages.ui import state
from planner.plan.cases import notes_for


def case_notes(step: Step) -> None:
    notes = notes_for(step)
    if not notes:
        return
    box = st.expander(state.t("case.expander"), icon=":material/menu_book:", key=f"case.{step.value}",
                      on_change="rerun")
    if not box.open:
        return
    with box:
        for note in notes:
            st.markdown(f"**{state.t(note.title_key)}**")
            st.markdown(state.t(note.did_key))
            st.caption(f"{state.t('case.shows_label')} {state.t(note.shows_key)}")
