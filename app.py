"""社群运营规划工作台 Community Ops Planner — navigation, language and the current plan; nothing else."""

import streamlit as st

from pages.ui import sidebar, state
from pages.ui.nav import PAGES
from planner.memory import keep_freed_memory

keep_freed_memory()  # reruns of a large analysis reuse their memory instead of faulting in fresh pages

st.set_page_config(page_title=state.t("home.title"), page_icon="🧭", layout="wide")

sections: dict[str, list] = {}
for spec in PAGES:
    page = st.Page(spec.path, title=state.t(spec.title_key), icon=spec.icon, url_path=spec.url,
                   default=spec.url == "home")
    sections.setdefault(state.t(spec.section), []).append(page)

current = st.navigation(sections, expanded=True)
status_slot = sidebar.render()
try:
    current.run()
finally:  # also after st.stop(), so a failed save is always reported
    sidebar.show_save_status(status_slot)
