"""Presenter view: a plan's one-page summary as slides for a projector (1280×720 to 1920×1080).

Opened from the trainer page, or by address: `present?plan=ID&slide=N` for a stored plan,
`present?example=SLUG&slide=N` for an example. The slide is kept in the address, so a reload stays
on it. ← / → (or the buttons) change slides, Esc goes back to the trainer page; a timer for
exercises counts down by itself (a fragment that reruns every second while it runs).

No sidebar or Streamlit chrome on this page: static CSS only; user text goes through `state.md`.
"""

from __future__ import annotations

import math
import time

import streamlit as st

from models.plan import Plan
from pages.ui import state
from planner.plan import slides as geometry
from planner.plan.examples import example_slugs, load_example
from planner.plan.slides import Slide, slides

TIMER_END = "present.timer_end"  # scratch: when the running timer reaches zero (epoch seconds)
TIMER_CHOICES = (5, 10, 15)  # minutes
TRAINER_PAGE = "pages/trainer.py"

_U = "min(1vh, calc(100vw / 177.78))"  # 1/100 of the height of the largest 16:9 box in the window


def _css() -> str:
    """The slide's look, built from planner.plan.slides' geometry (its line budget assumes it)."""
    g = geometry
    return f"""<style>
:root {{ --u: {_U}; }}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] {{ display: none !important; }}
[data-testid="stMain"] {{ overflow: hidden; }}
[data-testid="stMainBlockContainer"] {{
  max-width: calc(var(--u) * {g.CONTENT_WIDTH_U}); padding: calc(var(--u) * 3) 0 0 0; margin: 0 auto;
}}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] {{ gap: calc(var(--u) * 1.5); }}
[class*="st-key-present-"] p {{ margin: 0; }}
[class*="st-key-present-"] [data-testid="stMarkdownContainer"] {{ margin-bottom: 0 !important; }}
.st-key-present-plan p {{ font-size: calc(var(--u) * 2.4); color: #6b7280; line-height: 1.3; }}
.st-key-present-title p {{
  font-size: calc(var(--u) * {g.TITLE_FONT_U}); font-weight: 700; line-height: 1.2; color: #0f172a;
  padding-bottom: calc(var(--u) * 1); border-bottom: calc(var(--u) * 0.4) solid #2563eb;
}}
.st-key-present-body {{ gap: 0 !important; padding-top: calc(var(--u) * 2); }}
[class*="st-key-present-row-"] {{ padding: calc(var(--u) * {g.ROW_GAP_LINES * g.VALUE_LINE_U / 2:.2f}) 0 !important; }}
.st-key-present-body > [data-testid="stLayoutWrapper"] + [data-testid="stLayoutWrapper"] {{
  border-top: 1px solid #e2e8f0;
}}
.st-key-present-body, .st-key-present-body [data-testid="stLayoutWrapper"],
[class*="st-key-present-row-"] {{ flex: 0 0 auto !important; }}
[class*="st-key-present-row-"] {{ gap: calc(var(--u) * {g.COLUMN_GAP_U}) !important; flex-wrap: nowrap; }}
[data-testid="stLayoutWrapper"]:has(> [class*="st-key-present-label-"]) {{
  flex: 0 0 calc(var(--u) * {g.LABEL_WIDTH_U}) !important; width: calc(var(--u) * {g.LABEL_WIDTH_U}) !important;
}}
[data-testid="stLayoutWrapper"]:has(> [class*="st-key-present-value-"]) {{
  flex: 1 1 0 !important; min-width: 0; width: auto !important;
}}
[class*="st-key-present-label-"] p {{
  font-size: calc(var(--u) * {g.LABEL_FONT_U}); line-height: {g.LINE_HEIGHT}; color: #1d4ed8; font-weight: 600;
  padding-top: calc(var(--u) * {(g.VALUE_FONT_U - g.LABEL_FONT_U) * g.LINE_HEIGHT / 2:.2f});
  overflow-wrap: anywhere;
}}
[class*="st-key-present-value-"] p {{
  font-size: calc(var(--u) * {g.VALUE_FONT_U}); line-height: {g.LINE_HEIGHT}; color: #111827;
  overflow-wrap: anywhere;
}}
.st-key-present-bar {{
  position: fixed; left: 0; right: 0; bottom: 0; height: calc(var(--u) * 10); z-index: 10;
  padding: 0 max(calc((100vw - var(--u) * {g.CONTENT_WIDTH_U}) / 2), calc(var(--u) * 2));
  background: #f1f5f9; border-top: 1px solid #cbd5e1; gap: calc(var(--u) * 1.5);
}}
.st-key-present-bar button, .st-key-present-bar a {{ min-height: calc(var(--u) * 6); }}
.st-key-present-bar button p, .st-key-present-bar a p, .st-key-present-bar a span {{
  font-size: calc(var(--u) * 2.4);
}}
.st-key-present-counter p {{
  font-size: calc(var(--u) * 3.2); font-weight: 700; color: #0f172a; font-variant-numeric: tabular-nums;
}}
.st-key-present-clock p, .st-key-present-clock-done p {{
  font-size: calc(var(--u) * 4); font-weight: 700; font-variant-numeric: tabular-nums; color: #0f172a;
}}
.st-key-present-clock-done p {{ color: #dc2626; }}
[data-testid="stLayoutWrapper"]:has(> .st-key-present-clicker) {{ display: none; }}
.st-key-present-clock-idle p {{ font-size: calc(var(--u) * 2.4); color: #475569; }}
</style>"""


def _text(text: str) -> str:
    """User text for a markdown place, its own line breaks kept."""
    return state.md(text).replace("\n", "  \n")


def _chosen_plan() -> Plan | None:
    """`?example=SLUG` shows an example; `?spotlight=CODE` the workshop participant a trainer put on
    the projector (read only: it stays the participant's plan); otherwise the current plan
    (`?plan=ID` opens that one)."""
    example = st.query_params.get("example")
    if example in example_slugs():
        return load_example(example, fresh_id=False)
    room = st.query_params.get("spotlight")
    if room:
        return state.spotlight(str(room))
    return state.current_plan()


def _slide_number(total: int) -> int:
    try:
        wanted = int(st.query_params.get("slide", 1))
    except ValueError:
        wanted = 1
    return min(max(wanted, 1), total)


def _go(n: int) -> None:
    st.query_params["slide"] = str(n)


def _start_timer(minutes: int) -> None:
    state.set_scratch(TIMER_END, time.time() + minutes * 60)


def _stop_timer() -> None:
    state.set_scratch(TIMER_END, None)


def _title(slide: Slide) -> str:
    if slide.parts > 1:
        return state.t("present.part", title=slide.title, part=slide.part, parts=slide.parts)
    return state.md(slide.title)


def _render(plan: Plan, slide: Slide) -> None:
    with st.container(key="present-plan"):
        st.markdown(state.md(state.plan_title(plan.meta.name)))
    with st.container(key="present-title"):
        st.markdown(_title(slide))
    with st.container(key="present-body", gap=None):
        for i, (label, value) in enumerate(slide.items):
            with st.container(key=f"present-row-{i}", horizontal=True, gap=None):
                with st.container(key=f"present-label-{i}", gap=None):
                    st.markdown(_text(label))
                with st.container(key=f"present-value-{i}", gap=None):
                    st.markdown(_text(value))


def _clock(ticking: bool) -> None:
    """The timer's face; while it runs, this fragment alone reruns every second."""
    end = state.scratch(TIMER_END)
    if end is None:
        with st.container(key="present-clock-idle"):
            st.markdown(state.t("present.timer.idle"))
        return
    left = max(0, math.ceil(end - time.time()))
    face = f":material/timer: {left // 60:02d}:{left % 60:02d}"
    with st.container(key="present-clock" if left else "present-clock-done"):
        st.markdown(face if left else f"{face} · {state.t('present.timer.done')}")
    if ticking and not left:
        st.rerun()  # the whole page: it stops the ticking and offers to start again


def _controls(slide: Slide) -> None:
    with st.container(key="present-bar", horizontal=True, vertical_alignment="center",
                      horizontal_alignment="distribute", wrap=False):
        with st.container(key="present-nav", horizontal=True, vertical_alignment="center", width="content",
                          wrap=False):
            if st.button(state.t("present.exit"), key="present.exit", shortcut="Esc", icon=":material/close:"):
                st.switch_page(TRAINER_PAGE)
            st.button(state.t("present.prev"), key="present.prev", shortcut="Left", icon=":material/arrow_back:",
                      disabled=slide.n <= 1, on_click=_go, args=(slide.n - 1,))
            with st.container(key="present-counter", width="content"):
                st.markdown(state.t("present.counter", n=slide.n, total=slide.total))
            st.button(state.t("present.next"), key="present.next", shortcut="Right",
                      icon=":material/arrow_forward:", disabled=slide.n >= slide.total, on_click=_go,
                      args=(slide.n + 1,), type="primary")
        with st.container(key="present-clicker"):  # a presentation remote sends Page Down / Page Up
            st.button(state.t("present.prev"), key="present.prev_page", shortcut="PageUp",
                      disabled=slide.n <= 1, on_click=_go, args=(slide.n - 1,))
            st.button(state.t("present.next"), key="present.next_page", shortcut="PageDown",
                      disabled=slide.n >= slide.total, on_click=_go, args=(slide.n + 1,))
        with st.container(key="present-timer", horizontal=True, vertical_alignment="center", width="content",
                          wrap=False):
            end = state.scratch(TIMER_END)
            ticking = end is not None and end > time.time()
            st.fragment(_clock, run_every=1 if ticking else None)(ticking)
            if end is None:
                for minutes in TIMER_CHOICES:
                    st.button(state.t("present.timer.minutes", minutes=minutes), key=f"present.timer.{minutes}",
                              on_click=_start_timer, args=(minutes,))
            else:
                st.button(state.t("present.timer.stop"), key="present.timer.stop", icon=":material/stop:",
                          on_click=_stop_timer)


st.html(_css())
plan = _chosen_plan()
if plan is None:
    st.info(state.t("present.none"))
    st.page_link(TRAINER_PAGE, label=state.t("page.trainer"), icon=":material/school:")
    st.stop()
deck = slides(plan, state.lang())
current = deck[_slide_number(len(deck)) - 1]
_render(plan, current)
_controls(current)
