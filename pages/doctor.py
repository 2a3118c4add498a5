"""Plan doctor: completeness per step, then the findings grouped by step, each with a link to the
page that fixes it."""

import streamlit as st

from models.problems import Severity, Step
from pages.ui import comments, layout, state
from pages.ui.nav import PAGE_BY_URL, SECTIONS
from pages.ui.plan_checks import findings_of
from planner import i18n
from planner.fmt import local_time
from planner.plan import doctor
from planner.plan.progress import META, completeness, step_label

BADGES = {Severity.ERROR: ("red", ":material/error:"), Severity.WARNING: ("orange", ":material/warning:"),
          Severity.TIP: ("blue", ":material/lightbulb:")}

layout.header("doctor")
plan = state.require_plan()
lang = state.lang()
findings = findings_of(plan, lang)
progress = completeness(plan)
counts = doctor.count_by_severity(findings)


def _page_of(step: str) -> str:
    # Basics (name, type) are asked on the quick path; every Step has a page with the same URL.
    return PAGE_BY_URL["quick" if step == META else step].path


# --- overview -----------------------------------------------------------------------------------
columns = st.columns(4)
columns[0].metric(state.t("doctor.overall"), f"{progress.score}%")
for column, severity in zip(columns[1:], doctor.SEVERITY_ORDER, strict=True):
    column.metric(i18n.enum_label(severity, lang), counts[severity])

if not findings:
    st.success(state.t("doctor.all_good"), icon=":material/check_circle:")
elif doctor.has_errors(findings):
    st.error(state.t("doctor.has_errors", count=counts[Severity.ERROR]), icon=":material/error:")
else:
    st.success(state.t("doctor.no_errors"), icon=":material/check_circle:")

st.subheader(state.t("doctor.progress_title"))
for row_start in range(0, len(progress.steps), 4):
    for column, step in zip(st.columns(4), progress.steps[row_start:row_start + 4], strict=False):
        with column:
            st.progress(step.ratio, text=f"{step_label(step.step, lang)} · "
                        + state.t("doctor.step_count", filled=step.filled, total=step.total))
            st.page_link(_page_of(step.step), label=step_label(step.step, lang), icon=":material/edit:")

# --- findings -----------------------------------------------------------------------------------
if findings:
    st.subheader(state.t("doctor.findings_title"))
    shown = st.pills(state.t("doctor.filter"), list(doctor.SEVERITY_ORDER), selection_mode="multi",
                     default=list(doctor.SEVERITY_ORDER), key="doctor.severity",
                     format_func=lambda s: f"{i18n.enum_label(s, lang)} ({counts[s]})")
    visible = [f for f in findings if f.severity in (shown or [])]
    if not visible:
        st.info(state.t("doctor.filtered_empty"))
    for step, items in doctor.group_by_step(visible):
        with st.container(border=True):
            st.markdown(f"#### {i18n.enum_label(step, lang)}")
            for finding in items:
                message, fix = doctor.render_finding(finding, lang, escape=state.md)
                color, icon = BADGES[finding.severity]
                st.badge(i18n.enum_label(finding.severity, lang), color=color, icon=icon)
                st.markdown(message)
                st.caption(state.t("doctor.fix_prefix") + fix)
            page_title = state.t(f"page.{Step(step).value}")
            for section in doctor.sections_of(items):  # straight to the tab where each is fixed
                where = f"{page_title} · {state.t(SECTIONS[step.value][section])}" if section else page_title
                st.page_link(_page_of(step.value), label=state.t("doctor.go_fix", page=where),
                             icon=":material/arrow_forward:",
                             query_params={state.SECTION_PARAM: section} if section else None)

# --- review comments (server mode): open ones beside the findings, each with a link to its step -----
open_comments = comments.open_comments_by_step()
if open_comments:
    st.subheader(state.t("comments.doctor_title"))
    for step, items in open_comments.items():
        with st.container(border=True):
            st.markdown(f"#### {state.t(f'page.{step}')}")
            for comment in items:
                st.markdown(state.t("comments.by", author=comment.author, time=local_time(comment.created_at)))
                st.text(comment.text)
            st.page_link(_page_of(step), label=state.t("doctor.go_fix", page=state.t(f"page.{step}")),
                         icon=":material/arrow_forward:")
