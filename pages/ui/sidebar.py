"""The sidebar shown on every page: plan switcher, save status, language."""

from __future__ import annotations

import streamlit as st

from pages.ui import state
from planner import i18n


def render() -> None:
    with st.sidebar:
        _language()
        _plan_switcher()
        _save_status()


def _language() -> None:
    labels = {"zh": "中文", "en": "English"}
    current = state.lang()
    choice = st.segmented_control(
        state.t("sidebar.language"), list(i18n.LANGS), default=current, format_func=labels.get,
        key="sidebar.lang", label_visibility="collapsed",
    )
    if choice and choice != current:
        state.set_lang(choice)
        st.rerun()


def _plan_switcher() -> None:
    summaries = state.list_plans()
    plan = state.current_plan()
    if not summaries or plan is None:
        st.caption(state.t("sidebar.no_plan"))
        return
    ids = [s.id for s in summaries]
    names = {s.id: s.name or state.t("plan.untitled") for s in summaries}
    if plan.id not in ids:
        ids.insert(0, plan.id)
        names[plan.id] = plan.meta.name or state.t("plan.untitled")
    chosen = st.selectbox(state.t("sidebar.current_plan"), ids, index=ids.index(plan.id),
                          format_func=names.get, key=state.widget_key("sidebar", "plan"))
    if chosen != plan.id:
        state.open_plan_by_id(chosen)
        st.rerun()


def _save_status() -> None:
    status = state.save_status()
    if status is None:
        return
    kind, detail = status
    if kind == "saved":
        st.caption(state.t("sidebar.saved_at", time=detail.strftime("%H:%M:%S")))
    elif kind == "memory":
        st.warning(state.t("sidebar.memory_only", reason=state.t(detail)), icon="💾")
    else:
        st.error(state.t("sidebar.save_failed", reason=state.t(detail)), icon="⚠️")
