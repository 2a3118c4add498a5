"""The one module that owns `st.session_state`.

Pages never touch session state directly: they ask this module for the current plan and language
and hand it a new Plan (or a path + value) when the user changes something. Every change is saved
to SQLite at once, so a refresh or a server restart loses nothing.

Keys kept here:
- `plan`        the current Plan (plain key, survives page switches)
- `plan_gen`    bumps when another plan or revision is loaded, so widgets rebuild from the plan
- `lang`        "zh" | "en"
- `save_status` ("saved", time) | ("retried", time) saved after failed attempts
                | ("unsaved", message key) an edit is kept in `unsaved` and retried
                | ("error", message key) a read or setting failed | ("memory", message key)
- `unsaved`     plan id -> the latest version the database refused; saved again on every run
- `problems`    path -> problems of the last rejected edit (shown inline)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import streamlit as st

from models.plan import Plan
from models.problems import Problem
from pages.ui import shell  # noqa: F401  (first, so a page opened directly after a start runs through app.py)
from planner import i18n
from planner.labels import distinct_labels
from planner.markdown_text import escape_markdown, escape_params
from planner.paths import default_db_path
from planner.plan_core.edit import with_value
from planner.store import PlanStore, PlanSummary, RevisionSummary, StorageError

_LAST_PLAN = "last_plan"
_LANG = "lang"
_UNSAVED = "unsaved"
_REFUSED_AT = "unsaved_refused_at"
# After the database refused a save, wait this long before asking it again: a run that has just
# waited for a lock (the busy timeout) does not wait for it again at each of its later calls.
RETRY_GAP_S = 3.0

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> tuple[PlanStore, str | None]:
    """The database at `path`, or an in-memory one plus the error key when it cannot be opened."""
    try:
        return PlanStore(path), None
    except StorageError as exc:
        return PlanStore(":memory:"), exc.key


def store() -> PlanStore:
    db, error = _open_store(str(default_db_path()))
    if error:
        st.session_state["save_status"] = ("memory", error)
    return db


def _memory_reason() -> str | None:
    """Why plans are kept in memory only (the database did not open), or None."""
    return _open_store(str(default_db_path()))[1]


# --- language ------------------------------------------------------------------------------------
def lang() -> str:
    if _LANG not in st.session_state:
        saved = _safe(lambda: store().get_setting(_LANG))
        st.session_state[_LANG] = saved if saved in i18n.LANGS else i18n.DEFAULT_LANG
    return st.session_state[_LANG]


def set_lang(value: str) -> None:
    if value in i18n.LANGS:
        st.session_state[_LANG] = value
        _safe(lambda: store().set_setting(_LANG, value))


def t(key: str, **params: Any) -> str:
    """The text for `key` in the current language, ready for any place Streamlit renders as
    markdown (text, alerts, widget labels): string parameters are escaped, so user text stays text."""
    return i18n.t(key, lang(), **escape_params(params))


def t_plain(key: str, **params: Any) -> str:
    """The text for `key` with parameters as they are: for plain places only (select options,
    table cells, values stored in the plan)."""
    return i18n.t(key, lang(), **params)


def md(text: str) -> str:
    """User text for a markdown place (st.markdown, captions, labels): shown literally."""
    return escape_markdown(text)


def problem_text(problem: Problem) -> str:
    """A problem as a sentence for a markdown place (its file name and values escaped)."""
    return i18n.render_problem(problem, lang(), escape=escape_markdown)


def plan_title(name: str) -> str:
    """A plan's name for display (plain); an unnamed plan is called so in the current language."""
    return name or t("plan.untitled")


def plan_choices(summaries: list[PlanSummary]) -> dict[str, str]:
    """Plan id -> a label no other plan shares. Streamlit's select widgets map a chosen label back
    to its option, so two plans with the same name would both select the last one: edits then
    land in the other plan. Choices are ids; the labels only have to tell the plans apart."""
    return distinct_labels([(s.id, plan_title(s.name)) for s in summaries])


# --- the current plan ----------------------------------------------------------------------------
def current_plan() -> Plan | None:
    """The plan being edited: from this session, else the one opened last (refresh / restart)."""
    retry_unsaved()  # every page asks for the plan on every run: the run's chance to save a refused edit
    if "plan" not in st.session_state:
        plan_id = st.query_params.get("plan") or _safe(lambda: store().get_setting(_LAST_PLAN))
        plan = _safe(lambda: store().get(plan_id)) if plan_id else None
        if plan is None:
            summaries = _safe(store().list) or []
            plan = _safe(lambda: store().get(summaries[0].id)) if summaries else None
        st.session_state["plan"] = plan
        st.session_state.setdefault("plan_gen", 0)
    return st.session_state["plan"]


def require_plan() -> Plan:
    """The current plan, or an explanatory empty state that stops the page."""
    plan = current_plan()
    if plan is None:
        st.info(t("app.no_plan"))
        st.page_link("pages/home.py", label=t("app.go_home"), icon="🏠")
        st.stop()
    return plan


def open_plan(plan: Plan) -> None:
    """Make `plan` current (already stored) and rebuild every widget from it."""
    st.session_state["plan"] = plan
    st.session_state["plan_gen"] = st.session_state.get("plan_gen", 0) + 1
    st.session_state["problems"] = {}
    _safe(lambda: store().set_setting(_LAST_PLAN, plan.id))
    st.query_params["plan"] = plan.id


def start_plan(plan: Plan) -> Plan:
    """Store a new plan and make it current."""
    saved = save(plan)
    open_plan(saved)
    return saved


def list_plans() -> list[PlanSummary]:
    return _safe(store().list) or []


def open_plan_by_id(plan_id: str) -> bool:
    # A version the database refused is newer than the stored one: reopening must not drop it.
    plan = _unsaved().get(plan_id) or _safe(lambda: store().get(plan_id))
    if plan is not None:
        open_plan(plan)
    return plan is not None


def plan_exists(plan_id: str) -> bool:
    return bool(_safe(lambda: store().exists(plan_id)))


def duplicate_plan(plan_id: str, new_name: str) -> None:
    _safe(lambda: store().duplicate(plan_id, new_name))


def rename_plan(plan_id: str, new_name: str) -> None:
    if plan_id in _unsaved():  # rename the unsaved version, not the older stored one
        pending = _unsaved()[plan_id].model_copy(deep=True)
        pending.meta.name = new_name
        _queue(pending)
        renamed: Plan | None = _flush(first=plan_id) or pending
    else:
        renamed = _safe(lambda: store().rename(plan_id, new_name))
    plan = current_plan()
    if renamed is not None and plan is not None and plan.id == plan_id:
        open_plan(renamed)


def delete_plan(plan_id: str) -> None:
    _unsaved().pop(plan_id, None)  # else a retry would bring it back
    _safe(lambda: store().delete(plan_id))
    plan = current_plan()
    if plan is not None and plan.id == plan_id:
        st.session_state.pop("plan", None)
        st.query_params.pop("plan", None)
        _safe(lambda: store().set_setting(_LAST_PLAN, ""))


def revisions(plan_id: str) -> list[RevisionSummary]:
    return _safe(lambda: store().revisions(plan_id)) or []


def restore_revision(plan_id: str, revision_id: int) -> None:
    restored = _safe(lambda: store().restore(plan_id, revision_id))
    if restored is not None:
        _unsaved().pop(plan_id, None)  # the restored version is the user's choice; a retry must not undo it
        open_plan(restored)


def save(plan: Plan) -> Plan:
    """Store `plan` and make it the session's plan. When the database refuses it, it stays in the
    session and in `unsaved`, and every later run tries again (`retry_unsaved`) until it is stored."""
    st.session_state["plan"] = plan
    _queue(plan)
    saved = _flush(first=plan.id) if _may_try() else None
    return saved or plan


def has_unsaved() -> bool:
    return bool(st.session_state.get(_UNSAVED))


def retry_unsaved() -> None:
    """Try again to store what the database refused before. Called on every run (`current_plan`)
    and, while something is unsaved, every few seconds by the sidebar."""
    if has_unsaved() and _may_try():
        _flush(retried=True)


def _may_try() -> bool:
    refused_at = st.session_state.get(_REFUSED_AT)
    return refused_at is None or time.monotonic() - refused_at >= RETRY_GAP_S


def _unsaved() -> dict[str, Plan]:
    return st.session_state.setdefault(_UNSAVED, {})


def _queue(plan: Plan) -> None:
    unsaved = _unsaved()
    unsaved.pop(plan.id, None)
    unsaved[plan.id] = plan


def _flush(first: str | None = None, retried: bool = False) -> Plan | None:
    """Store every unsaved plan (`first` first); the stored version of `first`, or None."""
    unsaved = _unsaved()
    order = sorted(unsaved, key=lambda plan_id: plan_id != first)
    result = None
    for plan_id in order:
        try:
            saved = store().save(unsaved[plan_id])
        except StorageError as exc:
            # The rest would fail the same way (and each wait for a lock): try them next time.
            st.session_state["save_status"] = ("unsaved", exc.key)
            st.session_state[_REFUSED_AT] = time.monotonic()
            return None
        del unsaved[plan_id]
        current = st.session_state.get("plan")
        if current is not None and current.id == plan_id:
            st.session_state["plan"] = saved
        if plan_id == first:
            result = saved
    st.session_state.pop(_REFUSED_AT, None)
    if _memory_reason() is None:  # plans kept in memory only are not "saved": keep that warning
        st.session_state["save_status"] = ("retried" if retried else "saved", datetime.now())
    return result


def edit(path: str, value: Any) -> list[Problem]:
    """Set one field of the current plan and save; returns the problems that rejected it."""
    plan = current_plan()
    if plan is None:
        return []
    new_plan, problems = with_value(plan, path, value)
    st.session_state.setdefault("problems", {})[path] = problems
    if not problems:
        save(new_plan)
    return problems


def problems_at(path: str) -> list[Problem]:
    return st.session_state.get("problems", {}).get(path, [])


def save_status() -> tuple[str, Any] | None:
    return st.session_state.get("save_status")


def widget_key(namespace: str, *parts: object) -> str:
    """A namespaced widget key, fresh for each loaded plan so widgets show its values."""
    gen = st.session_state.get("plan_gen", 0)
    return f"{namespace}.{'.'.join(str(p) for p in parts)}@{gen}"


def scratch(key: str, default: Any = None) -> Any:
    """A session-only value that is not part of the plan (uploaded data, view choices)."""
    return st.session_state.get(f"scratch.{key}", default)


def set_scratch(key: str, value: Any) -> None:
    st.session_state[f"scratch.{key}"] = value


def widget_value(key: str) -> Any:
    """The current value of widget `key` (for callbacks)."""
    return st.session_state.get(key)


def widget_base(key: str, make: Any) -> Any:
    """A value fixed for the life of widget `key` (e.g. a data editor's input frame)."""
    base_key = f"{key}#base"
    if key not in st.session_state or base_key not in st.session_state:
        st.session_state[base_key] = make()
    return st.session_state[base_key]


def forget_widget(key: str) -> None:
    """Drop widget `key`'s state so it rebuilds from the plan (after a button changed its field)."""
    st.session_state.pop(key, None)
    st.session_state.pop(f"{key}#base", None)


def _safe(call: Callable[[], T]) -> T | None:
    """Run a storage read (or a setting's write); on a database error remember it for the sidebar
    and return None."""
    try:
        return call()
    except StorageError as exc:
        if exc.key != "storage.not_found":  # a stale plan id: the caller falls back, the database is fine
            # With an edit waiting, the sidebar keeps saying it is unsaved (and why).
            st.session_state["save_status"] = ("unsaved" if has_unsaved() else "error", exc.key)
        return None
