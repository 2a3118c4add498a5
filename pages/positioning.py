"""5W+1H positioning: why, what, where, who (with the persona), when, how (monetisation)."""

import streamlit as st

from models.problems import Step
from pages.ui import layout, state, widgets
from pages.ui.case_notes import case_notes
from planner.plan.hints import example_placeholder
from planner.plan.view import PERSONA_FIELDS

PERSONA_LONG = ("interests", "pain_points")

layout.header("positioning")
plan = state.require_plan()


def hint(path: str) -> str:
    return example_placeholder(plan, path, state.lang())


def field(path: str, item: str, *, area: bool = True) -> None:
    widgets.text("positioning", path, f"positioning.label.{item}", help_key=f"positioning.help.{item}",
                 placeholder=hint(path), area=area, height=80 if area else None)


st.info(state.t("positioning.pit.copied"), icon=":material/lightbulb:")
why, what = st.columns(2)
with why.container(border=True):
    field("positioning.why", "why")
with what.container(border=True):
    field("positioning.what", "what")

where, when = st.columns(2)
with where.container(border=True):
    field("positioning.where", "where")
with when.container(border=True):
    field("positioning.when", "when")

with st.container(border=True):
    field("positioning.who", "who")
    st.markdown(f"**{state.t('positioning.persona')}**")
    # Two rows, so no box is squeezed to a few characters: the short facts side by side, then
    # interests and pain points as wrapping text areas with room for a sentence or two.
    short = [item for item in PERSONA_FIELDS if item not in PERSONA_LONG]
    for row, area in ((short, False), ([i for i in PERSONA_FIELDS if i in PERSONA_LONG], True)):
        for column, item in zip(st.columns(len(row)), row, strict=True):
            with column:
                path = f"positioning.persona.{item}"
                widgets.text("positioning", path, f"positioning.persona.{item}", placeholder=hint(path),
                             area=area, height=100 if area else None)

with st.container(border=True):
    field("positioning.how", "how")

case_notes(Step.POSITIONING)
