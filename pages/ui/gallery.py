"""The example gallery shown on the home page and in trainer mode: one card per shipped example,
with a button that starts a new plan from it and opens the doctor."""

from __future__ import annotations

import streamlit as st

from pages.ui import state
from planner import i18n
from planner.plan.examples import example_slugs_for, load_example


def example_gallery(ns: str, button_key: str) -> None:
    slugs = example_slugs_for(state.lang())
    if not slugs:
        st.info(state.t("trainer.gallery.empty"))
    for row_start in range(0, len(slugs), 3):
        for column, slug in zip(st.columns(3), slugs[row_start:row_start + 3], strict=False):
            sample = load_example(slug, fresh_id=False)
            with column.container(border=True):
                st.markdown(f"**{state.md(sample.meta.name)}**")
                kind = i18n.enum_label(sample.meta.community_type, state.lang())
                if sample.meta.language != state.lang():  # said, so nobody expects it in their own language
                    kind += " · " + state.t(f"trainer.gallery.in_{sample.meta.language}")
                st.caption(kind)
                if sample.elements.interest.slogan or sample.meta.slogan:
                    st.markdown(state.md(sample.elements.interest.slogan or sample.meta.slogan))
                if sample.lifecycle.length_days:
                    st.caption(state.t("trainer.gallery.days", days=sample.lifecycle.length_days))
                if st.button(state.t(button_key), key=f"{ns}.use.{slug}"):
                    state.start_plan(load_example(slug))
                    st.switch_page("pages/doctor.py")
