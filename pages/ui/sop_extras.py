"""Parts of the SOP page beyond the rules: the SOP's maturity (three passes), group set-up before
opening, and the review cadence with the review notes."""

from __future__ import annotations

import streamlit as st

from models.enums import SetupItem
from models.plan import Plan
from pages.ui import review_loop, state, widgets
from planner import i18n
from planner.plan.setup import fill_setup
from planner.sop import edit as sop_edit
from planner.sop.maturity import maturity

NS = "sop"
NO_REVIEW = -1


def maturity_box(plan: Plan) -> None:
    """Which pass the SOP reached and what the next one needs, rule by rule."""
    result = maturity(plan)
    lang = state.lang()
    with st.container(border=True):
        st.markdown(f"**{state.t('sop.maturity.title')}** · "
                    + state.t(f"sop.maturity.pass.{result.reached}"))
        st.progress(result.reached / 3)
        if result.next_pass is None:
            st.caption(state.t("sop.maturity.done"))
        else:
            st.caption(state.t(f"sop.maturity.next.{result.next_pass}"))
            sep = i18n.t("sop.trigger.list_sep", lang)
            for gap, names in result.missing.items():
                st.markdown("- " + state.t(f"sop.maturity.gap.{gap.value}", n=len(names), rules=sep.join(names)))
    duplicates = sop_edit.duplicate_ceremonies(plan)
    if duplicates:
        st.warning(state.t("sop.ceremony.duplicates", n=sum(len(v) - 1 for v in duplicates.values())),
                   icon=":material/celebration:")
        st.button(state.t("sop.ceremony.merge"), key="sop.ceremony.merge", on_click=_merge, disabled=state.read_only())


def _merge() -> None:
    new_plan, removed = sop_edit.merge_duplicate_ceremonies(state.require_plan())
    if removed:
        state.save(new_plan)
        state.set_scratch("sop.notice", ("sop.ceremony.merged", {"n": removed}))


def _fill_setup() -> None:
    plan = state.require_plan()
    filled = fill_setup(plan, state.lang())
    for item in SetupItem:
        if getattr(filled, item.value) != getattr(plan.setup, item.value):
            widgets.set_value(NS, f"setup.{item.value}", getattr(filled, item.value))


def setup_tab(plan: Plan) -> None:
    st.caption(state.t("sop.setup.intro"))
    st.button(state.t("sop.setup.generate"), key="sop.setup.generate", on_click=_fill_setup,
              disabled=state.read_only(), help=state.t("sop.setup.generate_help"))
    left, right = st.columns(2)
    with left:
        widgets.text(NS, "setup.entry_announcement", "enum.SetupItem.entry_announcement", area=True, height=160)
        widgets.text(NS, "setup.pinned_notice", "enum.SetupItem.pinned_notice", area=True, height=110)
    with right:
        widgets.text(NS, "setup.welcome_card", "enum.SetupItem.welcome_card", area=True, height=160,
                     help_key="sop.setup.card_help")
        for item in ("naming_rule", "who_may_invite", "quiet_hours"):
            widgets.text(NS, f"setup.{item}", f"enum.SetupItem.{item}")


def _set_weekday(key: str) -> None:
    value = state.widget_value(key)
    state.edit("review.weekday", None if value == NO_REVIEW else value)


def review_tab(plan: Plan) -> None:
    st.caption(state.t("sop.review.intro"))
    lang = state.lang()
    day_col, time_col = st.columns(2)
    with day_col:
        key = state.bound_key(NS, "review.weekday")
        options = [NO_REVIEW, *range(7)]
        current = NO_REVIEW if plan.review.weekday is None else plan.review.weekday
        st.selectbox(state.t("sop.review.weekday"), options, index=options.index(current), key=key,
                     format_func=lambda d: i18n.t("sop.review.none", lang) if d == NO_REVIEW
                     else i18n.t(f"sop.weekday.{d}", lang),
                     on_change=_set_weekday, args=(key,), disabled=state.read_only())
    with time_col:
        widgets.time_field(NS, "review.at_time", "sop.review.at_time")
    widgets.toggle(NS, "review.before_events", "sop.review.before_events", help_key="sop.review.before_events_help")
    st.caption(state.t("sop.review.generated"))
    # The review itself happens where plan and actual meet, on the data page.
    with st.container(border=True):
        st.markdown(f"**{state.t('sop.review.loop')}**")
        st.caption(state.t("sop.review.no_data"))
        st.page_link("pages/data.py", label=state.t("sop.review.go_data"), icon=":material/bar_chart:")
    review_loop.notes_table(plan)
