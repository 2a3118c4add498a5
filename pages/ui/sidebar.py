"""The sidebar shown on every page: plan switcher, save status, language."""

from __future__ import annotations

from datetime import datetime

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from pages.ui import account, state
from planner import i18n
from planner.links import resume_link
from planner.plan.progress import completeness, step_label
from planner.plan_core.json_io import plan_to_json
from planner.store import PlanSummary
from planner.store.config import watch_seconds


def render() -> DeltaGenerator:
    """Language and plan switcher; returns the slot for the save status, filled after the page ran."""
    with st.sidebar:
        _language()
        _account()
        _plan_switcher()
        return st.empty()


def _participant() -> bool:
    """A workshop participant: the workshop, their resume link and their plan to download."""
    joined = state.participant()
    if joined is None:
        return False
    workshop = state.safe(lambda: state.workshops().get(joined.code))
    if workshop is not None:
        st.markdown(state.t("workshop.me.title", name=workshop.name))
    st.caption(state.t("workshop.me.resume"))
    st.code(resume_link(state.page_address(), state.resume_token() or ""), language=None, wrap_lines=True)
    plan = state.current_plan()
    if plan is not None:
        # Made when pressed (the plan as drawn in this run), not on every rerun: a participant's page
        # reruns at each edit, and writing the plan's JSON took a tenth of that rerun.
        st.download_button(state.t("workshop.me.download"), lambda: plan_to_json(plan).encode("utf-8"),
                           file_name=f"{joined.name or 'plan'}.json", mime="application/json",
                           key="sidebar.participant.download")
    return True


def _account() -> None:
    """Who is signed in, and the way out (server mode only)."""
    if _participant():
        return
    person = account.signed_in()
    if person is None:
        return
    who, out = st.columns([3, 2], vertical_alignment="center")
    who.caption(state.t("account.signed_in_as", name=person.name, email=person.email) if person.name != person.email
                else state.t("account.signed_in_email", email=person.email))
    out.button(state.t("account.sign_out"), key="sidebar.sign_out", on_click=account.sign_out)


def show_save_status(slot: DeltaGenerator) -> None:
    """The plan's completeness and the outcome of the page's saves (filled last, so both report
    this run's edits)."""
    with slot.container():
        _progress()
        _merge_notice()
        _save_status()


def _language() -> None:
    labels = {"zh": "中文", "en": "English"}
    st.segmented_control(
        state.t("sidebar.language"), list(i18n.LANGS), default=state.lang(), format_func=labels.get,
        key="sidebar.lang", label_visibility="collapsed", on_change=_language_changed, required=True,
    )


def _language_changed() -> None:
    # A callback runs before the script, so the whole page renders in the new language at once.
    state.set_lang(state.widget_value("sidebar.lang") or state.lang())


def _plan_switcher() -> None:
    summaries = state.list_plans()
    plan = state.current_plan()
    if not summaries or plan is None:
        st.caption(state.t("sidebar.no_plan"))
        return
    if plan.id not in {s.id for s in summaries}:
        # Kept in the session only (the database refused it): still the one being edited.
        summaries = [PlanSummary(id=plan.id, name=plan.meta.name, updated_at=datetime.now()), *summaries]
    names = state.plan_choices(summaries)  # signed in: "workspace · plan", grouped by workspace
    ids = list(names)
    key = state.widget_key("sidebar", "plan")
    st.selectbox(state.t("sidebar.current_plan"), ids, index=ids.index(plan.id), format_func=names.get,
                 key=key, on_change=lambda: state.open_plan_by_id(state.widget_value(key)))


def _progress() -> None:
    """Overall completeness and filled/total per step (planner.plan.progress, as on the doctor page)."""
    plan = state.current_plan()
    if plan is None:
        return
    progress = completeness(plan)
    st.progress(progress.score / 100, text=state.t("progress.sidebar", score=progress.score))
    # One short line per step (a mark, the step, filled/total) instead of one run-on line; Material
    # marks, as the navigation's icons, draw without an emoji font.
    st.caption("  \n".join(
        f"{STEP_MARKS[s.state]} {state.md(step_label(s.step, state.lang()))} **{s.filled}/{s.total}**"
        for s in progress.steps))


STEP_MARKS = {"done": ":material/check_circle:", "started": ":material/timelapse:",
              "empty": ":material/radio_button_unchecked:"}


def _save_status() -> None:
    if state.has_unsaved():
        # An edit the database refused is tried again on every run and, while it waits, every few
        # seconds without the user doing anything (a rerun of this fragment only, not the page).
        st.fragment(_retry_and_show, run_every=RETRY_EVERY_S)()
    elif state.current_plan() is not None and watch_seconds():
        # Another tab or colleague may save this plan: look every few seconds (one small query) and
        # rerun the page with their changes, without the user reloading.
        st.fragment(_watch_and_show, run_every=watch_every(participant=state.participant() is not None))()
    else:
        _show_status()


RETRY_EVERY_S = 5
# A workshop participant's plan is theirs alone: another session of it is their own second device,
# and each of their reruns takes its saves in anyway. A room of 30 looking every 3 s was a quarter
# of the server's work.
PARTICIPANT_WATCH_S = 15.0


def watch_every(participant: bool) -> float:
    """Seconds between two looks for another session's save of the open plan; 0: no look."""
    seconds = watch_seconds()
    return max(seconds, PARTICIPANT_WATCH_S) if participant and seconds else seconds


def _watch_and_show() -> None:
    if state.pull_changes():
        st.rerun(scope="app")
    _show_status()


def _merge_notice() -> None:
    """The fields another session changed first, so this session's values did not apply."""
    conflicts = state.merge_notice()
    if conflicts:
        lang = state.lang()
        fields = state.t_plain("sidebar.merge_sep").join(
            dict.fromkeys(i18n.humanize_path(c.shown_path, lang) for c in conflicts))
        st.warning(state.t("sidebar.merge_conflict", fields=fields), icon=":material/merge:")


def _retry_and_show() -> None:
    state.retry_unsaved()
    _show_status()


def _show_status() -> None:
    status = state.save_status()
    if status is None:
        return
    kind, detail = status
    if kind == "saved":
        st.caption(state.t("sidebar.saved_at", time=detail.strftime("%H:%M:%S")))
    elif kind == "retried":
        st.caption(state.t("sidebar.saved_after_retry", time=detail.strftime("%H:%M:%S")))
    elif kind == "memory":
        st.warning(state.t("sidebar.memory_only", reason=state.t(detail)), icon=":material/save:")
    elif kind == "unsaved" and detail == "storage.locked":
        st.warning(state.t("sidebar.retrying"), icon=":material/hourglass_top:")
    elif kind == "unsaved":
        st.error(state.t("sidebar.save_failed", reason=state.t(detail)), icon=":material/warning:")
    else:
        st.error(state.t("sidebar.storage_error", reason=state.t(detail)), icon=":material/warning:")
