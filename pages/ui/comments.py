"""Review comments on a step of a plan (server mode): who, when, text, resolved or not.

Shown under each step page's title (`layout.header`), open ones first; anyone in the plan's
workspace may comment (reviewers are often viewers), editors and the author may resolve.
The store authorises every call (planner.store.access.TeamStore)."""

from __future__ import annotations

import streamlit as st

from pages.ui import state
from planner.export.review import ReviewNote
from planner.fmt import local_time

STEPS = ("research", "elements", "positioning", "lifecycle", "roles", "sop", "replication")


def panel(step: str) -> None:
    team = state.team()
    plan = state.current_plan() if team is not None else None
    if team is None or plan is None or step not in STEPS:
        return
    comments = state.safe(lambda: team.comments(plan.id, step)) or []
    label = state.t("comments.title", count=len(comments)) if comments else state.t("comments.none_title")
    with st.expander(label, expanded=bool(comments), icon=":material/chat:"):
        for comment in comments:
            left, right = st.columns([6, 1], vertical_alignment="center")
            left.markdown(state.t("comments.by", author=comment.author, time=local_time(comment.created_at)))
            left.text(comment.text)  # plain text: whatever a reviewer typed stays text
            # editors resolve any comment, a viewer only their own (the store decides the same)
            may_resolve = not state.read_only() or comment.author == state.author()
            right.button(state.t("comments.resolve"), key=f"comments.resolve.{comment.id}",
                         on_click=_resolve, args=(comment.id,), disabled=not may_resolve)
        with st.form(f"comments.add.{step}", clear_on_submit=True, border=False):
            text = st.text_area(state.t("comments.new"), key=f"comments.text.{step}", height=80,
                                placeholder=state.t("comments.placeholder"))
            if st.form_submit_button(state.t("comments.add")) and text.strip():
                state.safe(lambda: team.add_comment(plan.id, step, text.strip()))
                st.rerun()


def open_comments_by_step() -> dict[str, list]:
    """Open comments of the current plan per step (the doctor page lists them beside its findings)."""
    team = state.team()
    plan = state.current_plan() if team is not None else None
    if team is None or plan is None:
        return {}
    found: dict[str, list] = {}
    for comment in state.safe(lambda: team.comments(plan.id)) or []:
        found.setdefault(comment.step, []).append(comment)
    return found


def review_notes() -> list[ReviewNote] | None:
    """Every comment on the current plan for the export's appendix; None in solo mode (no reviews)."""
    team = state.team()
    plan = state.current_plan() if team is not None else None
    if team is None or plan is None:
        return None
    found = state.safe(lambda: team.comments(plan.id, include_resolved=True)) or []
    return [ReviewNote(c.step, c.author, c.created_at, c.text, c.resolved) for c in found]


def _resolve(comment_id: int) -> None:
    team = state.team()
    if team is not None:
        state.safe(lambda: team.resolve_comment(comment_id))
