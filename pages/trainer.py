"""Trainer mode: the example gallery, two plans side by side, and the way into the presenter view
(pages/present.py: a plan's one-page summary as slides for a projector)."""

import pandas as pd
import streamlit as st

from models.plan import Plan
from pages.ui import layout, state, widgets
from pages.ui.gallery import example_gallery
from planner.labels import distinct_labels
from planner.plan.diff import DiffKind, diff_plans
from planner.plan.examples import example_slugs_for, load_example
from planner.plan.slides import slides

CURRENT = "current"
TAB_KEY = "trainer.tab"
ROW_COLOURS = {DiffKind.CHANGED: "#fff3bf", DiffKind.ONLY_LEFT: "#ffe3e3", DiffKind.ONLY_RIGHT: "#d3f9d8"}

layout.header("trainer")
lang = state.lang()
current = state.current_plan()
slugs = example_slugs_for(lang)  # the comparison starts with an example in the interface language
choices = ([CURRENT] if current is not None else []) + slugs


def _plan(choice: str) -> Plan:
    return current if choice == CURRENT and current is not None else load_example(choice, fresh_id=False)


# Chosen by id (CURRENT or an example's slug); the labels only have to tell the plans apart.
_labels = distinct_labels(
    (choice, state.t_plain("trainer.current" if choice == CURRENT else "trainer.example",
                           name=state.plan_title(_plan(choice).meta.name)))
    for choice in choices
)


def _choice_label(choice: str) -> str:
    return _labels[choice]


def compare_tab() -> None:
    if len(choices) < 2:
        st.info(state.t("trainer.compare.need_two"))
    else:
        left_col, right_col = st.columns(2)
        picked = []
        for col, side, first in ((left_col, "left", 0), (right_col, "right", 1)):
            key = f"trainer.compare.{side}"
            picked.append(state.keep_choice(key, col.selectbox(  # kept while another tab is open
                state.t(key), choices, index=state.kept_index(key, choices, first),
                format_func=_choice_label, key=key)))
        left_choice, right_choice = picked
        only_changes = state.keep_choice("trainer.compare.only", st.toggle(
            state.t("trainer.compare.only_changes"), value=state.kept_choice("trainer.compare.only", True),
            key="trainer.compare.only"))
        left_plan, right_plan = _plan(left_choice), _plan(right_choice)
        rows = diff_plans(left_plan, right_plan, lang, only_changes=only_changes)
        differing = [r for r in rows if r.kind != DiffKind.SAME]
        st.caption(state.t("trainer.compare.count", count=len(differing)))
        if not differing and only_changes:
            st.success(state.t("trainer.compare.same"))
        elif rows:
            left_name = state.plan_title(left_plan.meta.name)
            right_name = state.plan_title(right_plan.meta.name)
            if left_name == right_name:
                left_name, right_name = f"{left_name} (1)", f"{right_name} (2)"
            field, kind = state.t("trainer.compare.field"), state.t("trainer.compare.kind")
            frame = pd.DataFrame(
                [{field: r.label, left_name: r.left, right_name: r.right,
                  kind: state.t(f"diff.kind.{r.kind.value}")} for r in rows]
            )
            colours = [ROW_COLOURS.get(r.kind, "") for r in rows]
            styled = frame.style.apply(
                lambda column: [f"background-color: {c}" if c else "" for c in colours], axis=0
            )
            st.dataframe(styled, hide_index=True, width="stretch", height=640, key="trainer.compare.table")


def present_tab() -> None:
    """The way into the presenter view: the slides themselves are a page of their own without the sidebar."""
    if not choices:
        st.info(state.t("trainer.present.none"))
    else:
        choice = state.keep_choice("trainer.present.plan", st.selectbox(  # kept while another tab is open
            state.t("trainer.present.choose"), choices, index=state.kept_index("trainer.present.plan", choices),
            format_func=_choice_label, key="trainer.present.plan"))
        plan = _plan(choice)
        st.caption(state.t("trainer.present.count", name=state.plan_title(plan.meta.name),
                           count=len(slides(plan, lang))))
        address = {"plan": plan.id} if choice == CURRENT else {"example": choice}
        st.page_link("pages/present.py", label=state.t("trainer.present.open"), icon=":material/slideshow:",
                     query_params={**address, "slide": "1"})
        st.caption(state.t("trainer.present.hint"))


# Only the open tab is worked out (a rerun when another is chosen): comparing two plans and counting
# the slides took over a second of every run, whichever tab was shown.
tabs = {"gallery": lambda: example_gallery("trainer", "trainer.gallery.use"), "compare": compare_tab,
        "present": present_tab}
widgets.lazy_tabs(TAB_KEY, {name: state.t(f"trainer.tab.{name}") for name in tabs}, tabs)
