"""My plans: open, duplicate, rename, delete; revisions of the current plan; JSON download."""

import streamlit as st

from pages.ui import layout, state
from planner.fmt import local_time
from planner.labels import plan_labels
from planner.plan_core.json_io import plan_to_json
from planner.store.base import RevisionSummary
from planner.store.sync import CONFLICT_NOTE

layout.header("plans")
RECENT_REVISIONS = 5  # shown as rows with their own restore button; older ones are picked from a list


def _move_or_copy(plan_id: str, workspace_id: str | None, title: str) -> None:
    """Move a plan into another of the person's workspaces, or copy it there."""
    others = {w: name for w, name in workspaces.items() if w != workspace_id}
    with st.expander(state.t("plans.move_title")):
        target = st.selectbox(state.t("plans.move_to"), list(others), format_func=others.get,
                              key=f"plans.move.to.{plan_id}")
        move_col, copy_col = st.columns(2)
        if move_col.button(state.t("plans.move"), key=f"plans.move.{plan_id}"):
            state.move_plan(plan_id, target)
            st.rerun()
        if copy_col.button(state.t("plans.copy_into"), key=f"plans.copy.{plan_id}"):
            state.duplicate_plan(plan_id, state.t_plain("plans.copy_of", name=title), into=target)
            st.rerun()


summaries = state.list_plans()
if not summaries:
    st.info(state.t("plans.empty"))
    st.page_link("pages/home.py", label=state.t("app.go_home"), icon=":material/home:")
    st.stop()

current = state.current_plan()
workspaces = state.workspace_names()  # signed in: plans grouped by workspace, moved between them
order = {workspace_id: i for i, workspace_id in enumerate(workspaces)}
summaries = sorted(summaries, key=lambda s: order.get(s.workspace_id or "", len(order)))
shown_workspace = None
# two plans of one name read apart here as in the switcher: last change's date and a short id
labels = plan_labels([(s.id, state.plan_title(s.name), s.updated_at) for s in summaries])
for summary in summaries:
    if workspaces and summary.workspace_id != shown_workspace:
        shown_workspace = summary.workspace_id
        st.subheader(state.md(workspaces.get(summary.workspace_id or "", "?")))
    is_current = current is not None and summary.id == current.id
    with st.container(border=True):
        name_col, open_col, dup_col, del_col = st.columns([5, 1, 1, 1], vertical_alignment="center")
        title = state.plan_title(summary.name)
        name_col.markdown(f"**{state.md(labels[summary.id])}**"
                          + (f" · {state.t('plans.current')}" if is_current else ""))
        when = local_time(summary.updated_at)
        name_col.caption(state.t("plans.changed_by", time=when, author=state.author_label(summary.updated_by))
                         if summary.updated_by else state.t("home.saved.updated", time=when))
        if open_col.button(state.t("plans.open"), key=f"plans.open.{summary.id}", disabled=is_current):
            state.open_plan_by_id(summary.id)
            st.rerun()
        if dup_col.button(state.t("plans.duplicate"), key=f"plans.dup.{summary.id}"):
            state.duplicate_plan(summary.id, state.t_plain("plans.copy_of", name=title))
            st.rerun()
        with del_col.popover(state.t("plans.delete")):
            st.write(state.t("plans.delete_confirm", name=labels[summary.id]))
            if st.button(state.t("plans.delete_yes"), key=f"plans.del.{summary.id}", type="primary"):
                state.delete_plan(summary.id)
                st.rerun()
        if len(workspaces) > 1:
            _move_or_copy(summary.id, summary.workspace_id, title)
        # its field drawn only while unfolded: a folded expander's contents are still sent and laid out
        rename = st.expander(state.t("plans.rename"), key=f"plans.rename.open.{summary.id}", on_change="rerun")
        if rename.open:
            with rename, st.form(f"plans.rename.{summary.id}", border=False):
                new_name = st.text_input(state.t("plans.new_name"), value=summary.name,
                                         key=f"plans.name.{summary.id}")
                if st.form_submit_button(state.t("plans.rename_save")):
                    state.rename_plan(summary.id, new_name.strip())
                    st.rerun()

if current is not None:
    st.subheader(state.t("plans.revisions", name=state.plan_title(current.meta.name)))
    # written when pressed: a year's plan as JSON was made and sent with every run of the page
    st.download_button(state.t("plans.download_json"), lambda: plan_to_json(current).encode("utf-8"),
                       file_name=f"{current.meta.name or 'plan'}.json", mime="application/json",
                       key="plans.download")
    revisions = state.revisions(current.id)
    # What is open now is the newest stored version (a revision kept aside by a merge has none).
    stored = [r for r in revisions if r.version is not None] or revisions
    open_now = stored[0].id if stored else None

    def saved_label(revision: RevisionSummary) -> str:
        saved_at = local_time(revision.saved_at, seconds=True)
        if revision.author:  # who saved it, so a restore is an informed choice
            saved_at = state.t_plain("plans.revision_by", time=saved_at, author=state.author_label(revision.author))
        if revision.note == CONFLICT_NOTE:
            saved_at += state.t_plain("plans.revision_conflict")
        return saved_at

    # Every save is a revision, so a plan edited for a while has hundreds: the newest few as rows, the
    # rest picked from a list drawn only when unfolded (a row each made the page slower with every edit).
    for revision in revisions[:RECENT_REVISIONS]:
        left, right = st.columns([5, 1], vertical_alignment="center")
        # The newest revision is what is open now: nothing to restore.
        is_open = revision.id == open_now
        saved_at = saved_label(revision)
        left.write(state.t("plans.revision_current", time=saved_at) if is_open else state.md(saved_at))
        right.button(state.t("plans.restore"), key=f"plans.restore.{revision.id}", on_click=state.restore_revision,
                     args=(current.id, revision.id), disabled=is_open)
    older = {r.id: r for r in revisions[RECENT_REVISIONS:]}
    if older:
        box = st.expander(state.t("plans.older_revisions", n=len(older)), key="plans.older", on_change="rerun")
        if box.open:
            with box:
                picked = st.selectbox(state.t("plans.older_pick"), list(older), key="plans.older.pick",
                                      format_func=lambda rid: saved_label(older[rid]))
                st.button(state.t("plans.restore"), key="plans.older.restore", on_click=state.restore_revision,
                          args=(current.id, picked))
