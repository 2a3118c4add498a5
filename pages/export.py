"""Export: pick a format and language, preview the document, build it with progress, download.

The preview is the HTML export itself (first), shown as a page in an iframe loaded from a data: URL: a
frame with an origin of its own, so it cannot reach this page, and the file escapes every user text and
forbids scripts with its own Content-Security-Policy; or the Markdown rendering (text, escaped). The
format choice is the person's preference, kept like the language (state.export_format). Member data
analysed on the data page in this session can be included (actual KPI values and its charts)."""

from __future__ import annotations

import base64

import streamlit as st

from models.plan import Plan
from pages.ui import comments, layout, member_data, state
from planner import i18n
from planner.data.analysis import Analysis
from planner.export import FORMATS, build_document, build_key, delivered_as, export_plan, file_name
from planner.export.html import render_html
from planner.export.markdown import render_markdown
from planner.export.review import with_review as with_review_appendix

PAGE = "export"


@st.cache_resource(show_spinner=False, max_entries=16)
def _preview(key: str, _plan: Plan, doc_lang: str, _analysis: Analysis | None, kind: str) -> str:
    """The preview's text, once per plan version, language, member data and kind (`key`, from
    planner.export.build_key): building the document took a few hundred ms of every run of this page.
    A light document (no chart images); the charts appear in the built file."""
    document = build_document(_plan, doc_lang, _analysis, charts=False)
    return render_html(document) if kind == "html" else render_markdown(document, images=False)



layout.header(PAGE)
plan = state.require_plan()

left, right = st.columns([2, 1])
formats = list(FORMATS)
fmt = left.radio(
    state.t("export.page.format"), formats, horizontal=True, key="export.format",
    index=formats.index(state.export_format()), format_func=lambda f: state.t(f"export.format.{f}"),
    on_change=lambda: state.set_export_format(state.widget_value("export.format")),
)
doc_lang = right.radio(
    state.t("export.page.lang"), list(i18n.LANGS), horizontal=True, key="export.lang",
    index=list(i18n.LANGS).index(state.lang()), format_func=lambda code: state.t(f"export.lang.{code}"),
)
analysis, digest = member_data.loaded_analysis(plan)
with_data = False
if analysis is not None:
    with_data = st.toggle(state.t("export.page.with_data"), value=True, key="export.with_data")
else:
    st.caption(state.t("export.page.no_data"))
if fmt == "json":
    st.caption(state.t("export.page.json_note"))
elif fmt == "md":
    st.caption(state.t("export.page.md_zip"))
# Server mode: the review comments as an appendix, off by default (a document for a manager may not
# want the team's working notes).
notes = comments.review_notes() if fmt != "json" else None
with_review = notes is not None and st.toggle(state.t("export.page.with_review"), value=False,
                                              key="export.with_review")

key = build_key(plan, fmt, doc_lang, digest if with_data else None) + (":review" if with_review else "")
built = state.scratch("export.built")
build_clicked = st.button(state.t("export.page.build"), type="primary", key="export.build",
                          icon=":material/description:")
if build_clicked:
    with st.status(state.t("export.page.building"), expanded=True) as status:
        bar = st.progress(0.0)

        def _progress(fraction: float, label: str) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=label)

        document = None
        if with_review and notes is not None:
            document = with_review_appendix(
                build_document(plan, doc_lang, analysis if with_data else None, progress=_progress), notes)
        data = export_plan(plan, fmt, doc_lang, analysis if with_data else None, progress=_progress,
                           document=document)
        bar.progress(1.0, text=state.t("export.page.rendered", kb=max(1, len(data) // 1024)))
        status.update(label=state.t("export.page.ready"), state="complete", expanded=False)
    built = (key, data)
    state.set_scratch("export.built", built)

if built is not None and built[0] == key:
    name = file_name(plan, fmt, built[1])  # .zip for Markdown with charts
    st.download_button(
        state.t("export.page.download", name=name), data=built[1], file_name=name,
        mime=delivered_as(fmt, built[1]).mime, key="export.download", icon=":material/download:",
    )
elif built is not None:
    st.caption(state.t("export.page.stale"))

st.subheader(state.t("export.page.preview"))
# The web page first: the browser lays out the HTML file in its frame natively, while the formatted view
# (a year's plan is some 20 KB of Markdown with fifty tables) is drawn element by element by the app,
# a good part of this page's switch and load time.
preview_kind = st.segmented_control(
    state.t("export.page.preview_kind"), ["html", "md"], default="html", key="export.preview_kind",
    format_func=lambda k: state.t(f"export.preview.{k}"),
)
kind = "md" if preview_kind == "md" else "html"
preview = _preview(build_key(plan, kind, doc_lang, digest if with_data else None), plan, doc_lang,
                   analysis if with_data else None, kind)
if kind == "html":
    # The exported file as a browser shows it, in its own frame (its styles stay inside).
    page = base64.b64encode(preview.encode("utf-8")).decode("ascii")
    st.iframe(f"data:text/html;charset=utf-8;base64,{page}", height=640, alt=state.t_plain("export.preview.html"))
else:
    with st.container(height=640, border=True):
        st.markdown(preview)
