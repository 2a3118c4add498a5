"""Home: what the tool does, and four ways in (blank, example, saved plan, JSON import)."""

import streamlit as st

from pages.ui import state, workshop_join
from pages.ui.gallery import example_gallery
from pages.ui.uploader import file_uploader
from planner.fmt import local_time
from planner.plan.examples import new_blank_plan
from planner.plan_core.json_io import plan_from_json

st.title(state.t("home.title"))
st.markdown(state.t("home.intro"))

plan = state.current_plan()
if plan is not None:
    st.success(state.t("home.continue", name=state.plan_title(plan.meta.name)), icon=":material/edit_note:")

blank, example, saved, imported, workshop = st.tabs(
    [state.t("home.tab.blank"), state.t("home.tab.example"), state.t("home.tab.saved"), state.t("home.tab.import"),
     state.t("workshop.code.tab")]
)

with workshop:  # a participant types the code the trainer shows
    st.caption(state.t("workshop.code.hint"))
    workshop_join.code_box()

with blank, st.form("home.blank.form", border=False):
    name = st.text_input(state.t("home.blank.name"), placeholder=state.t("home.blank.name_placeholder"),
                         key="home.blank.name")
    if st.form_submit_button(state.t("home.blank.create"), type="primary"):
        state.start_plan(new_blank_plan(name.strip(), state.lang()))
        st.switch_page("pages/quick_path.py")

with example:
    st.caption(state.t("home.example.hint"))
    example_gallery("home.example", "home.example.use")

with saved:
    summaries = state.list_plans()
    if not summaries:
        st.info(state.t("home.saved.empty"))
    for summary in summaries:
        left, right = st.columns([4, 1])
        left.markdown(f"**{state.md(state.plan_title(summary.name))}**")
        left.caption(state.t("home.saved.updated", time=local_time(summary.updated_at)))
        if right.button(state.t("home.saved.open"), key=f"home.saved.{summary.id}"):
            state.open_plan_by_id(summary.id)
            st.switch_page("pages/doctor.py")

with imported:
    upload = file_uploader(state.t("home.import.label"), type=["json"], key="home.import.file")
    if upload is not None:
        new_plan, problems = plan_from_json(upload.getvalue(), file=upload.name)
        if problems:
            st.error(state.t("home.import.failed"))
            for problem in problems[:20]:
                st.markdown(f"- {state.problem_text(problem)}")
        elif st.button(state.t("home.import.confirm", name=new_plan.meta.name or upload.name), type="primary",
                       key="home.import.go"):
            if state.plan_exists(new_plan.id):
                new_plan = new_plan.model_copy(update={"id": new_blank_plan().id})
            state.start_plan(new_plan)
            st.switch_page("pages/doctor.py")
