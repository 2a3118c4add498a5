"""Quick path: ten essential questions in one form (Enter submits), saved as a short plan."""

import streamlit as st

from models.enums import CommunityType
from pages.ui import layout, state
from planner import i18n
from planner.plan.examples import new_blank_plan
from planner.plan.quick_path import QuickAnswers, answers_from_plan, apply_answers, length_options

layout.header("quick_path")
lang = state.lang()
plan = state.current_plan()  # None is fine: saving the form starts a new plan
answers = answers_from_plan(plan or new_blank_plan(lang=lang))


def _key(item: str) -> str:
    return state.widget_key("quick", item)


with st.form("quick.form"):
    left, right = st.columns(2)
    name = left.text_input(state.t("quick.name"), value=answers.name, key=_key("name"),
                           placeholder=state.t("quick.name_placeholder"))
    types = list(CommunityType)
    community_type = right.selectbox(state.t("quick.community_type"), types,
                                     index=types.index(answers.community_type), key=_key("community_type"),
                                     format_func=lambda v: i18n.enum_label(v, lang),
                                     help="\n\n".join(state.t(f"elements.type_explain.{t.value}") for t in types))
    category = left.text_input(state.t("quick.category"), value=answers.category, key=_key("category"),
                               placeholder=state.t("quick.category_placeholder"))
    target_members = right.text_input(state.t("quick.target_members"), value=answers.target_members,
                                      key=_key("target_members"),
                                      placeholder=state.t("quick.target_members_placeholder"))
    why = st.text_input(state.t("quick.why"), value=answers.why, key=_key("why"),
                        placeholder=state.t("quick.why_placeholder"))
    what = st.text_input(state.t("quick.what"), value=answers.what, key=_key("what"),
                         placeholder=state.t("quick.what_placeholder"))
    left, right = st.columns(2)
    options = length_options(plan.lifecycle.length_days if plan else None)
    length = left.selectbox(state.t("quick.length"), options, index=options.index(answers.length_days),
                            key=_key("length_days"), accept_new_options=True, help=state.t("quick.length_help"),
                            format_func=lambda d: i18n.t("quick.length_days", lang, days=d) if isinstance(d, int)
                            else d)
    start_date = right.date_input(state.t("quick.start_date"), value=answers.start_date, key=_key("start_date"),
                                  format="YYYY-MM-DD")
    goal_col, target_col, unit_col = st.columns([3, 1, 1])
    goal = goal_col.text_input(state.t("quick.goal"), value=answers.goal, key=_key("goal"),
                               placeholder=state.t("quick.goal_placeholder"))
    goal_target = target_col.number_input(state.t("quick.goal_target"), value=answers.goal_target,
                                          key=_key("goal_target"), min_value=0.0, step=1.0, format="%g")
    goal_unit = unit_col.text_input(state.t("quick.goal_unit"), value=answers.goal_unit, key=_key("goal_unit"),
                                    placeholder=state.t("quick.goal_unit_placeholder"))
    how = st.text_input(state.t("quick.how"), value=answers.how, key=_key("how"),
                        placeholder=state.t("quick.how_placeholder"))
    submitted = st.form_submit_button(state.t("quick.submit"), type="primary", icon=":material/save:")

if submitted:
    new_answers = QuickAnswers(name=name, community_type=community_type, category=category,
                               target_members=target_members, why=why, what=what, length_days=length,
                               start_date=start_date, goal=goal, goal_target=goal_target, goal_unit=goal_unit,
                               how=how)
    new_plan, problems = apply_answers(plan or new_blank_plan(lang=lang), new_answers)
    if problems:
        st.error(state.t("quick.failed"), icon=":material/warning:")
        for problem in problems:
            st.markdown(f"- {state.problem_text(problem)}")
    else:
        if plan is None:
            state.start_plan(new_plan)
        else:
            state.save(new_plan)
        st.success(state.t("quick.saved"), icon=":material/check_circle:")

if state.current_plan() is not None:
    left, right = st.columns(2)
    with left:
        st.page_link("pages/elements.py", label=state.t("quick.continue"), icon=":material/arrow_forward:")
    with right:
        st.page_link("pages/doctor.py", label=state.t("quick.to_doctor"), icon=":material/stethoscope:")
