"""Joining a workshop (issue 16): the page a participant lands on from the trainer's link or code.

No account is needed: a display name, then their own copy of the workshop's plan. The address then
carries a personal resume token, so a reload, a crash or another device brings them back."""

from __future__ import annotations

import streamlit as st

from pages.ui import state


def join_page() -> None:
    code = str(st.query_params.get("workshop", "")).strip().upper()
    st.title(state.t("workshop.join.title"))
    if st.query_params.get("resume"):  # a resume link that leads nowhere any more
        st.warning(state.t("workshop.join.resume_gone"), icon=":material/link_off:")
    workshop = state.safe(lambda: state.workshops().get(code)) if code else None
    if workshop is None:
        st.error(state.t("workshop.join.unknown", code=code), icon=":material/search:")
        return
    st.subheader(state.md(workshop.name))
    st.caption(state.t("workshop.join.intro"))
    with st.form("workshop.join", border=True):
        name = st.text_input(state.t("workshop.join.name"), key="workshop.join.name", max_chars=40,
                             placeholder=state.t("workshop.join.name_placeholder"))
        if st.form_submit_button(state.t("workshop.join.go"), type="primary"):
            problem = state.join_workshop(code, name.strip()) if name.strip() else "workshop.join.need_name"
            if problem is None:
                st.rerun()
            st.error(state.t(problem), icon=":material/warning:")


def code_box() -> None:
    """On the home page: type the code the trainer shows."""
    with st.form("home.workshop", border=False):
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        code = left.text_input(state.t("workshop.code.label"), key="home.workshop.code", max_chars=12,
                               placeholder="K7MQ2D")
        if right.form_submit_button(state.t("workshop.code.go")) and code.strip():
            st.query_params["workshop"] = code.strip().upper()
            st.rerun()
