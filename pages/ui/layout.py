"""Small shared page furniture: the page title with its guidance, and the placeholder for steps
other issues fill in."""

from __future__ import annotations

import streamlit as st

from pages.ui import comments, drafts, state


def header(page: str) -> None:
    """Title `page.<name>` and, when the catalog has it, the guidance `guide.<name>`."""
    st.title(state.t(f"page.{page}"))
    drafts.keeper()  # typed text kept in the browser until it is saved (a reload loses nothing)
    guide = state.t(f"guide.{page}")
    if guide != f"guide.{page}":
        st.caption(guide)
    if state.read_only():  # a viewer of this plan's workspace: fields are shown disabled
        st.info(state.t("team.read_only"), icon=":material/visibility:")
    comments.panel(page)  # review comments on this step (server mode only)


def placeholder(page: str) -> None:
    header(page)
    state.require_plan()
    st.info(state.t("app.placeholder"), icon=":material/construction:")
