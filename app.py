"""社群运营规划工作台 Community Ops Planner — navigation, language and the current plan; nothing else."""

import streamlit as st

from pages.ui import account, sidebar, state, workshop_join
from pages.ui.nav import pages_for
from planner.memory import freeze_startup_heap, keep_freed_memory

keep_freed_memory()  # reruns of a large analysis reuse their memory instead of faulting in fresh pages
freeze_startup_heap()  # the collection after each run walks only what runs made, not every import

st.set_page_config(page_title=state.t("home.title"), page_icon=":material/explore:", layout="wide")

query = st.query_params
if query.get("resume") and state.participant() is None:
    state.resume_participant(str(query["resume"]))  # a workshop participant coming back
joined = state.participant()
if joined is None and (query.get("workshop") or query.get("resume")):  # a workshop's link: no account needed
    st.navigation([st.Page(workshop_join.join_page, title=state.t("workshop.join.title"), url_path="join")],
                  position="hidden").run()
    st.stop()

if joined is None and account.needs_sign_in():  # server mode: only the sign-in page until one signs in
    st.navigation([st.Page(account.sign_in_page, title=state.t("account.sign_in"), url_path="signin")],
                  position="hidden").run()
    st.stop()

sections: dict[str, list] = {}
for spec in pages_for(server=account.auth_configured(), participant=joined is not None):
    page = st.Page(spec.path, title=state.t(spec.title_key), icon=spec.icon, url_path=spec.url,
                   default=spec.url == "home", visibility="hidden" if spec.hidden else "visible")
    sections.setdefault(state.t(spec.section), []).append(page)

current = st.navigation(sections, expanded=True)
state.note_step(current.url_path)  # a workshop participant's trainer sees where they are
status_slot = sidebar.render()
try:
    current.run()
finally:  # also after st.stop(), so a failed save is always reported
    sidebar.show_save_status(status_slot)
