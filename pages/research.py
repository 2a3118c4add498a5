"""Before you plan: the eight research questions, each answered in a sentence."""

import streamlit as st

from models.enums import Ability
from pages.ui import layout, state, widgets
from planner.plan.hints import example_placeholder
from planner.plan.view import RESEARCH_ITEMS

layout.header("research")
plan = state.require_plan()

left, right = st.columns(2)
for i, item in enumerate(RESEARCH_ITEMS):
    path = f"research.{item}"
    with (left if i % 2 == 0 else right).container(border=True):
        widgets.text("research", path, f"research.label.{item}", help_key=f"research.help.{item}",
                     placeholder=example_placeholder(plan, path, state.lang()), area=True, height=80)

st.subheader(state.t("research.self_check.title"))
st.caption(state.t("research.self_check.intro"))


def rate(ability: Ability, key: str) -> None:
    # The ratings are one dict in the plan; an unrated ability is simply absent from it.
    ratings = {a.value: v for a, v in state.require_plan().operator.ratings.items()}
    ratings[ability.value] = int(state.widget_value(key) or 0)
    state.edit("operator.ratings", ratings)


columns = st.columns(len(Ability))
for column, ability in zip(columns, Ability, strict=True):
    with column:
        key = state.bound_key("research", f"operator.ratings.{ability.value}", shows="operator.ratings")
        st.select_slider(state.t(f"enum.Ability.{ability.value}"), options=[0, 1, 2, 3], key=key,
                         value=plan.operator.ratings.get(ability, 0), on_change=rate, args=(ability, key),
                         format_func=lambda v: state.t_plain(f"research.self_check.level.{v}"),
                         help=state.t(f"research.self_check.help.{ability.value}"), disabled=state.read_only())
widgets.text("research", "operator.cover_plan", "research.self_check.cover_plan",
             help_key="research.self_check.cover_help", area=True, height=70)
st.info(state.t("research.myth.not_capable"), icon=":material/lightbulb:")
