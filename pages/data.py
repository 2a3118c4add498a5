"""成员数据: upload member data, see what really happens next to the plan.

Thin page: files → planner.data.ingest.load_files → planner.data.analytics.analyze → planner.data.view /
planner.data.charts → render. Loading and analysing are cached on the uploaded bytes' hash.
Raw uploads are never kept in the session, only the canonical frames (no message text).
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

import streamlit as st

from models.enums import Layer
from models.plan import Plan
from pages.ui import charts, chat_import, layout, member_data, preload, review_loop, state, widgets
from pages.ui.uploader import file_uploader
from planner import i18n
from planner.data import charts as charts_data
from planner.data import frames, ingest, upload_set, xlsx_guard
from planner.data import sample as sample_data
from planner.data import view as data_view
from planner.data.analysis import Analysis
from planner.data.frames import LoadResult, format_label

log = logging.getLogger(__name__)

PAGE = "data"


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(digest: str, _files: list[tuple[str, bytes]], _plan: Plan, options_json: str) -> LoadResult:
    """Read-only once loaded: the cache shares it instead of copying a million rows per rerun."""
    return ingest.load_files(_files, plan=_plan, options=json.loads(options_json))


def _files_in() -> list[tuple[str, bytes]] | None:
    """This run's files: the uploader's, the sample's, or a test's (scratch `data.files`)."""
    uploaded = file_uploader(state.t("data.upload.label"), accept_multiple_files=True, key="data.upload",
                                help=state.t("data.upload.help"))
    col_sample, col_clear = st.columns(2)
    if col_sample.button(state.t("data.sample.button"), key="data.sample", icon=":material/science:"):
        state.set_scratch("data.source", "sample")
    if col_clear.button(state.t("data.clear"), key="data.clear"):
        for key in ("data.source", "data.loaded", "data.files", "data.mapping", "data.date_order", "data.excluded",
                    "data.match_by", "data.group_by_file", "data.group_labels"):
            state.set_scratch(key, None)
        return None
    if uploaded:
        state.set_scratch("data.source", "upload")
        return [(f.name, f.getvalue()) for f in uploaded]
    if state.scratch("data.files"):
        return state.scratch("data.files")
    if state.scratch("data.source") == "sample":  # the sample in the interface language
        return sample_data.shipped_files(state.lang())
    return None


def _load_options() -> dict[str, Any]:
    options: dict[str, Any] = {}
    if state.scratch("data.mapping"):
        options["mapping"] = state.scratch("data.mapping")
    if state.scratch("data.date_order"):
        options["date_order"] = state.scratch("data.date_order")
    if state.scratch("data.match_by"):
        options["match_by"] = state.scratch("data.match_by")
    if state.scratch("data.group_by_file"):
        options["group_by_file"] = True
        options["group_labels"] = state.scratch("data.group_labels") or {}
    return options


@st.cache_data(show_spinner=False, max_entries=4)
def _headers(digest: str, _files: list[tuple[str, bytes]]) -> list[list[str]]:
    """Each file's header row, once per upload and options (a workbook is checked before it is opened)."""
    return [ingest.preview_headers(name, data) for name, data in _files]


def _mapping_columns(headers: list[str], auto: dict[str, str], current: dict[str, str]) -> set[int]:
    """Positions of the headers offered for mapping: recognised or already mapped ones first, then real
    headers, then made-up names of blank ones; at most xlsx_guard.MAPPING_COLUMNS (a sheet can be 16,384
    columns wide, and as many select boxes stall the browser)."""
    def rank(i: int) -> tuple[int, int]:
        header = headers[i]
        if header in auto or header in current:
            return 0, i
        return (2 if header == f"column{i + 1}" else 1), i
    return set(sorted(range(len(headers)), key=rank)[:xlsx_guard.MAPPING_COLUMNS])


def _mapping_override(files: list[tuple[str, bytes]], digest: str) -> None:
    """Drawn only while unfolded: a folded expander's select boxes (a dozen for a WeChat export) are still
    sent and laid out by the browser on every run; the choices live in the session, not in the boxes."""
    box = st.expander(state.t("data.mapping.title"), key="data.mapping.open", on_change="rerun")
    if not box.open:
        return
    with box:
        st.caption(state.t("data.mapping.help"))
        current: dict[str, str] = dict(state.scratch("data.mapping") or {})
        choices = ["", "-", *data_view.CANONICAL_CHOICES]
        lang = state.lang()  # bound in the labels below: one is also asked for after the run (tests)
        changed = False
        for f_index, (name, headers) in enumerate(zip((n for n, _ in files), _headers(digest, files), strict=True)):
            if not headers:
                continue
            auto = frames.map_headers(headers)
            st.markdown(f"**{state.md(name)}**")
            shown = _mapping_columns(headers, auto, current)
            if len(shown) < len(headers):
                st.caption(state.t("data.mapping.more", total=f"{len(headers):,}", shown=f"{len(shown):,}",
                                   hidden=f"{len(headers) - len(shown):,}"))
            cols, position = st.columns(3), -1
            for h_index, header in enumerate(headers):
                if h_index not in shown:
                    continue
                value = current.get(header)
                index = choices.index("-" if value == "" else value) if value is not None and (
                    value == "" or value in choices) else 0
                guess = data_view.canonical_label(auto.get(header, "-"), state.lang())
                picked = cols[(position := position + 1) % 3].selectbox(
                    state.md(header), choices, index=index, key=f"data.map.{f_index}.{h_index}",
                    format_func=lambda c, g=guess: (i18n.t("data.canon.auto_is", lang, guess=g) if c == ""
                                                    else data_view.canonical_label(c, lang)))
                target = None if picked == "" else ("" if picked == "-" else picked)
                if current.get(header) != target:
                    changed = True
                    if target is None:
                        current.pop(header, None)
                    else:
                        current[header] = target
        if changed:
            state.set_scratch("data.mapping", current or None)


def _date_question(result: LoadResult) -> None:
    questions = data_view.date_questions(result.problems)
    if not questions and not state.scratch("data.date_order"):
        return
    example = questions[0].params.get("example", "") if questions else ""
    st.warning(state.t("data.question.date_order", example=example), icon=":material/help:")
    order = st.radio(state.t("data.question.pick"), ["mdy", "dmy"], key="data.date_order", horizontal=True,
                     index=["mdy", "dmy"].index(state.scratch("data.date_order") or "mdy"),
                     format_func=lambda v: state.t(f"data.date_order.{v}"))
    if order != (state.scratch("data.date_order") or "mdy") or (questions and not state.scratch("data.date_order")):
        state.set_scratch("data.date_order", order)
        st.rerun()


@st.cache_data(show_spinner=False, max_entries=4)
def _file_list(digest: str, _files: list[tuple[str, bytes]], _plan: Plan, options_json: str) -> list[Any]:
    options = json.loads(options_json)
    return upload_set.summaries(_files, lambda one: ingest.load_files(one, plan=_plan, options=options))


def _upload_list(files: list[tuple[str, bytes]], excluded: list[str], digest: str, plan: Plan,
                 options: dict[str, Any]) -> None:
    """Every file of the upload with what it holds and a button to leave it out (or take it back)."""
    lang = state.lang()
    with st.container(border=True):
        st.markdown(f"**{state.t('data.files.title', count=len(files))}**")
        rows = _file_list(digest, files, plan, json.dumps(options, sort_keys=True))
        for index, row in enumerate(rows):
            left, right = st.columns([6, 1], vertical_alignment="center")
            if row.name in excluded:
                left.markdown(state.t("data.files.excluded", name=row.name))
                if right.button(state.t("data.files.restore"), key=f"data.files.restore.{index}"):
                    state.set_scratch("data.excluded", [n for n in excluded if n != row.name] or None)
                    st.rerun()
                continue
            kinds = state.t("data.list_sep").join(state.t(f"data.kind.{k}") for k in row.kinds) or "—"
            left.markdown(state.t("data.files.row", name=row.name, format=format_label(row.format, lang),
                                  kinds=kinds, rows=f"{row.rows:,}", members=f"{row.members:,}",
                                  first=row.first or "—", last=row.last or "—"))
            if right.button(state.t("data.files.remove"), key=f"data.files.remove.{index}"):
                state.set_scratch("data.excluded", [*excluded, row.name])
                st.rerun()
        by_file = st.toggle(state.t("data.groups.by_file"), value=bool(state.scratch("data.group_by_file")),
                            key="data.group_by_file", help=state.t("data.groups.by_file_help"))
        if by_file != bool(state.scratch("data.group_by_file")):
            state.set_scratch("data.group_by_file", by_file or None)
            st.rerun()
        if by_file:
            labels = dict(state.scratch("data.group_labels") or {})
            cols = st.columns(min(len(rows), 3))
            for index, row in enumerate(r for r in rows if r.name not in excluded):
                label = cols[index % len(cols)].text_input(
                    state.t("data.groups.label", name=row.name), value=labels.get(row.name, ""),
                    key=f"data.group_label.{index}", placeholder=row.name.rsplit(".", 1)[0])
                if label.strip() != labels.get(row.name, ""):
                    labels[row.name] = label.strip()
                    state.set_scratch("data.group_labels", {k: v for k, v in labels.items() if v} or None)
                    st.rerun()


def _notes(result: LoadResult) -> None:
    """What combining the files found; ids that cannot match come with the switch to match by nickname."""
    keys = {n.key for n in result.notes}
    for note in result.notes:
        st.info(i18n.render_problem(note, state.lang(), state.md), icon=":material/info:")
    if keys & {"data.note.id_mismatch", "data.note.matched_by_nickname"}:
        on = st.toggle(state.t("data.match_by.label"), value="data.note.matched_by_nickname" in keys,
                       key="data.match_by", help=state.t("data.match_by.help"))
        if on != ("data.note.matched_by_nickname" in keys):
            state.set_scratch("data.match_by", "nickname" if on else None)
            st.rerun()


def _report(result: LoadResult) -> None:
    lang = state.lang()
    kinds = [k for k in ("activity", "members", "daily") if getattr(result, k) is not None]
    if result.ok:
        st.success(state.t("data.recognised", format=format_label(result.format, lang),
                           kinds=state.t("data.list_sep").join(state.t(f"data.kind.{k}") for k in kinds),
                           rows=sum(len(getattr(result, k)) for k in kinds)), icon=":material/check_circle:")
        chat_import.render(result)
        _notes(result)
    for sentence in data_view.file_problems(result.problems, lang, escape=state.md):
        st.error(sentence, icon=":material/warning:")
    if result.bad_rows:
        with st.expander(state.t("data.bad_rows.title", count=result.bad_rows)):
            st.caption(state.t("data.bad_rows.help"))
            st.dataframe(data_view.bad_row_table(result.problems, lang), hide_index=True, width="stretch")


def _groups(analysis: Analysis, lang: str, key: str) -> None:
    """Several groups side by side: the table with laggards named, and daily activity by day since each start."""
    comparison = analysis.comparison
    st.caption(state.t("data.groups.batches" if comparison["batches"] else "data.groups.intro",
                       days=comparison["horizon_days"], count=len(comparison["order"])))
    behind = [n for n in comparison["order"] if comparison["groups"][n]["lagging"]]
    if behind:
        st.warning(state.t("data.groups.laggards", names=state.t("data.list_sep").join(behind)),
                   icon=":material/trending_down:")
    st.dataframe(data_view.groups_table(comparison, lang), hide_index=True, width="stretch")
    charts.draw(f"{key}|groups|{lang}", lambda: charts_data.groups_aligned(comparison, lang))
    st.caption(state.t("data.groups.definitions"))


def _charts(analysis: Analysis, lang: str, result: LoadResult, key: str) -> None:
    """The tabs of charts and tables. `key`: the analysis's (member_data.analysis_key), under which each
    chart's spec is cached, so a rerun for a widget draws the charts without building them again."""
    # The first tab holds one chart, the one a user looks at first (new and active members): each chart is
    # a drawing of its own in the browser, and four at once were most of the wait after an upload.
    def trend() -> None:
        grain = _grain(analysis)
        charts.draw(f"{key}|new_active|{lang}|{grain}", lambda: charts_data.new_active(analysis, grain, lang))

    def activity() -> None:
        grain = _grain(analysis)
        for name, chart in (("active_users", charts_data.active_users), ("dau_mau", charts_data.dau_mau),
                            ("checkin_rate", charts_data.checkin_rate)):
            charts.draw(f"{key}|{name}|{lang}|{grain}", lambda chart=chart: chart(analysis, lang, grain))

    def retention() -> None:
        weekly = state.keep_choice("data.weekly", st.toggle(
            state.t("data.retention.weekly"), value=state.kept_choice("data.weekly", False), key="data.weekly"))
        st.caption(state.t("data.metric.retention.definition"))
        if not charts.draw(f"{key}|retention|{lang}|{weekly}",
                           lambda: charts_data.retention_heatmap(analysis, lang, weekly=weekly)):
            st.info(state.t("data.empty.retention"))

    def funnel() -> None:
        left, right = st.columns(2)
        for col, name, chart in ((left, "funnel", charts_data.funnel), (right, "layers", charts_data.layers)):
            charts.draw(f"{key}|{name}|{lang}", lambda chart=chart: chart(analysis, lang), col)
        st.caption(state.t("data.layers.window", days=analysis.layer_window_days))
        st.dataframe(data_view.presence_table(analysis, lang), hide_index=True)
        aliases = data_view.aliases_for(analysis, _pseudonymised())
        layers = [ly.value for ly in Layer]
        layer = state.keep_choice("data.layer", st.selectbox(
            state.t("data.layers.pick"), layers, index=state.kept_index("data.layer", layers),
            key="data.layer", format_func=lambda v: i18n.t(f"enum.Layer.{v}", lang)))
        st.dataframe(data_view.members_in_layer(analysis, layer, aliases, lang), hide_index=True, width="stretch")

    def concentration() -> None:
        conc = analysis.concentration
        if conc.get("total_events"):
            st.markdown(state.t("data.concentration.summary", n=conc["members_for_half"], of=conc["active_members"],
                                top1=f"{conc['top1_share']:.0%}", top5=f"{conc['top5_share']:.0%}"))
            charts.draw(f"{key}|concentration|{lang}", lambda: charts_data.concentration(analysis, lang))
        else:
            st.info(state.t("data.empty.activity"))

    # Only the open tab is drawn (picking another reruns the page, from the caches): every tab's charts and
    # tables at once were most of the time from upload to the first charts, and the user sees one tab. The
    # tab bar's value is the open tab's label, so its key carries the language.
    draw = {
        "groups": lambda: _groups(analysis, lang, key), "trend": trend, "activity": activity, "retention": retention,
        "funnel": funnel, "concentration": concentration, "plan": lambda: _plan_vs_actual(analysis, lang, result),
        "inactive": lambda: _inactivity(analysis, lang), "before_after": lambda: _before_after(analysis, lang),
        "dictionary": lambda: st.dataframe(data_view.dictionary_table(lang), hide_index=True, width="stretch"),
    }
    if not analysis.comparison:  # the groups side by side: only for an upload of several groups
        del draw["groups"]
    widgets.lazy_tabs(f"data.tabs.{lang}", {k: state.t(f"data.tab.{k}") for k in draw}, draw)


def _grain(analysis: Analysis) -> str:
    """The time grain of the trend and activity tabs' charts: one choice for both (one tab is drawn at a
    time, so the pick is kept in the session and given back to whichever tab draws the picker)."""
    choices = ["auto", *charts_data.GRAINS]
    period = state.keep_choice("data.period", st.radio(
        state.t("data.period"), choices, index=state.kept_index("data.period", choices), horizontal=True,
        key="data.period", format_func=lambda p: state.t(f"data.period.{p}")))
    return charts_data.grain_of(analysis, period)


def _no_checkin(plan: Plan) -> None:
    """No event matched a check-in keyword: say which keywords were looked for and edit them right here."""
    with st.container(border=True):
        words = state.t("data.list_sep").join(plan.data.checkin_keywords) or "—"
        st.warning(state.t("data.empty.no_checkin", words=words), icon=":material/search:")
        widgets.lines(PAGE, "data.checkin_keywords", "data.keywords.label", help_key="data.keywords.help")


def _pseudonymised() -> bool:
    plan = state.current_plan()
    return bool(plan and plan.data.pseudonymise)


def _plan_vs_actual(analysis: Analysis, lang: str, result: LoadResult) -> None:
    plan = state.require_plan()
    if not plan.kpis:
        st.info(state.t("data.plan.no_kpis"))
        return
    if plan.lifecycle.start_date is None and not (state.scratch("data.settings") or {}).get("plan_start"):
        st.info(state.t("data.plan.no_start"))
    st.dataframe(data_view.plan_vs_actual_table(analysis.plan_vs_actual, lang), hide_index=True, width="stretch")
    # The review belongs where plan and actual meet: missed KPIs → causes → a change, recorded.
    review_loop.render(plan, analysis, result)


def _inactivity(analysis: Analysis, lang: str) -> None:
    st.caption(state.t("data.metric.inactivity.definition"))
    if analysis.lurker_treatment:
        st.info(state.t("data.inactive.treatment", treatment=analysis.lurker_treatment), icon=":material/chat:")
    table = data_view.inactivity_table(analysis, data_view.aliases_for(analysis, _pseudonymised()), lang)
    if table.empty:
        st.success(state.t("data.inactive.none"))
    else:
        st.dataframe(table, hide_index=True, width="stretch")


def _before_after(analysis: Analysis, lang: str) -> None:
    st.caption(state.t("data.metric.before_after.definition"))
    if analysis.before_after is None:
        st.info(state.t("data.ba.pick"))
        return
    st.dataframe(data_view.before_after_table(analysis.before_after, lang), hide_index=True, width="stretch")


def _alignment(plan: Plan, bounds: tuple[date, date] | None) -> str | None:
    """When the plan's lifecycle and the data share no day: say so, and offer to compare as if the plan's
    day 0 were a chosen day of the data (default its first day). Returns that day (ISO) when chosen."""
    if not bounds:
        return None
    lo, hi = bounds
    status = data_view.plan_calendar(plan, Analysis(start=lo, as_of=hi))
    if status == "overlap":
        return None
    life = plan.lifecycle
    with st.container(border=True):
        st.warning(state.t(f"data.calendar.{status}", start=lo.isoformat(), end=hi.isoformat(),
                           plan_start=life.start_date.isoformat() if life.start_date else "—",
                           days=life.length_days or 1), icon=":material/calendar_month:")
        left, right = st.columns(2)
        on = left.toggle(state.t("data.calendar.align"), key="data.align", help=state.t("data.calendar.align_help"))
        day = right.date_input(state.t("data.calendar.day"), value=lo, min_value=lo, max_value=hi,
                               key="data.align_day", format="YYYY-MM-DD", disabled=not on)
    return day.isoformat() if on and day else None


def _settings(analysis_bounds: tuple[date, date] | None) -> dict[str, Any]:
    """Inactivity thresholds and the before/after day (part of the analysis cache key)."""
    with st.expander(state.t("data.settings")):
        c1, c2, c3 = st.columns(3)
        defaults = data_view.DEFAULT_SETTINGS
        prior = c1.number_input(state.t("data.settings.prior"), 7, 365, defaults["prior"], key="data.prior")
        silent = c2.number_input(state.t("data.settings.silent"), 1, 365, defaults["silent"], key="data.silent")
        min_events = c3.number_input(state.t("data.settings.min_events"), 1, 10_000, defaults["min_events"],
                                     key="data.min_events")
        event_date = None
        if analysis_bounds:
            lo, hi = analysis_bounds
            event_date = st.date_input(state.t("data.settings.event_date"), value=None, min_value=lo, max_value=hi,
                                       key="data.event_date", format="YYYY-MM-DD")
    return {"prior": int(prior), "silent": int(silent), "min_events": int(min_events),
            "event_date": event_date.isoformat() if event_date else None}


layout.header(PAGE)
plan = state.require_plan()
lang = state.lang()
st.caption(state.t("data.privacy"))
files = _files_in()
options = {**_load_options(), **chat_import.load_options()}
result: LoadResult | None = None
digest: str | None = None
if files and len(files) > 1:
    excluded = [n for n in state.scratch("data.excluded") or [] if any(n == name for name, _ in files)]
    _upload_list(files, excluded, ingest.files_digest(files, {**options, "checkin_keywords":
                                                               plan.data.checkin_keywords}), plan, options)
    files = [(name, data) for name, data in files if name not in excluded] or None
if files:
    digest = ingest.files_digest(files, {**options, "checkin_keywords": plan.data.checkin_keywords})
    progress = st.progress(0, text=state.t("data.progress.reading"))
    try:
        result = _load(digest, files, plan, json.dumps(options, sort_keys=True))
    except Exception:  # a reader bug, not bad input (that comes back as problems): say so, keep the plan
        log.exception("loading member data failed")
        progress.empty()
        st.error(state.t("data.problem.internal"), icon=":material/warning:")
        st.stop()
    progress.progress(50, text=state.t("data.progress.analysing"))
    state.set_scratch("data.loaded", (digest, result))
    _mapping_override(files, digest)
elif state.scratch("data.loaded"):
    digest, result = state.scratch("data.loaded")
    progress = st.progress(50, text=state.t("data.progress.analysing"))
else:
    progress = None
    st.info(state.t("data.empty.start"), icon=":material/folder_open:")
    preload.modules(preload.DATA_PAGE)  # the upload's page then draws without waiting for its elements' code

if result is not None and digest is not None:
    _date_question(result)
    _report(result)
    if result.ok:
        widgets.toggle(PAGE, "data.pseudonymise", "data.pseudonymise", help_key="data.pseudonymise.help")
        bounds = state.scratch("data.bounds")
        if state.scratch("data.bounds_of") != digest:  # new data: its days from the load, without a second run
            bounds = upload_set.day_range(result)
            state.set_scratch("data.bounds", bounds)
            state.set_scratch("data.bounds_of", digest)
        settings = {**_settings(bounds), "plan_start": _alignment(plan, bounds)}
        state.set_scratch("data.settings", settings)  # the export page analyses the same way
        analysis = member_data.analysed(digest, result, plan, settings)
        if analysis.start and analysis.as_of and bounds != (analysis.start, analysis.as_of):
            state.set_scratch("data.bounds", (analysis.start, analysis.as_of))
            st.rerun()
        if progress is not None:
            progress.empty()
        if analysis.start:
            st.caption(state.t("data.range", start=analysis.start.isoformat(), end=analysis.as_of.isoformat()))
        if data_view.no_checkin_matched(analysis):
            _no_checkin(plan)
        if analysis.window:
            st.caption(state.t(f"data.window.{analysis.window['basis']}", start=analysis.window["start"],
                               end=analysis.window["end"], days=analysis.window["days"]))
        tiles = data_view.headline(analysis, lang)
        for first in range(0, len(tiles), 4):  # four a row: a label with its period stays readable
            for col, (label, value, help_text) in zip(st.columns(4), tiles[first:first + 4], strict=False):
                col.metric(label, value, help=help_text)
        _charts(analysis, lang, result, member_data.analysis_key(digest, plan, settings))
    elif progress is not None:
        progress.empty()
