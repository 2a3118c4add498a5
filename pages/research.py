"""Before you plan: the eight research questions, each answered in a sentence."""

import streamlit as st

from pages.ui import layout, state, widgets
from planner.plan.hints import example_hint
from planner.plan.view import RESEARCH_ITEMS

layout.header("research")
plan = state.require_plan()

left, right = st.columns(2)
for i, item in enumerate(RESEARCH_ITEMS):
    path = f"research.{item}"
    with (left if i % 2 == 0 else right).container(border=True):
        widgets.text("research", path, f"research.label.{item}", help_key=f"research.help.{item}",
                     placeholder=example_hint(plan, path), area=True, height=80)
