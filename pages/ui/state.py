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
- `seen`        plan id -> Seen(plan, version): what this session last read or wrote of it; a save
                is compare-and-swap against it, and another session's save is merged in
- `merge_notice` the fields this session's last save could not apply (another session changed them
                first), for the sidebar to name
- `author`      this session's short label in the revision history (solo mode; signed in: the e-mail)
- `team_store`  (e-mail, TeamStore): the signed-in person's authorised view of the store
- `new_plan_workspace` where plans created in this session go (server mode)
- `plan_role`   (plan id, the person's role in its workspace), for read-only pages
- `participant` (resume token, Participant): this session is a workshop participant
- `trainer_rooms` workshop codes whose dashboard this session unlocked with the trainer key
- `bound_widgets` widget key -> the plan path it shows, to refresh just those widgets when another
                session changed that path
- `fresh_widgets` plan path -> how often another session changed it: part of its widgets' keys
- `problems`    path -> problems of the last rejected edit (shown inline)
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any, TypeVar

import streamlit as st

from models.plan import Plan
from models.problems import Problem
from pages.ui import (
    account,
    per_run,
    shell,  # noqa: F401  (first, so a page opened directly after a start runs through app.py)
)
from planner import i18n
from planner.export import FORMATS
from planner.labels import plan_labels
from planner.markdown_text import escape_markdown, escape_params
from planner.paths import default_db_path
from planner.plan_core.edit import get_at, with_value
from planner.plan_core.merge import Conflict
from planner.store import PlanStore, PlanSummary, RevisionSummary, StorageError, open_store
from planner.store.access import AccessDenied, Role, TeamStore
from planner.store.config import configured_url
from planner.store.sync import Seen, newer, save_merging
from planner.store.workshops import Participant, ParticipantStore, WorkshopStore
from planner.workshop import workshop_report, workshop_zip

_LAST_PLAN = "last_plan"
_LANG = "lang"
_EXPORT_FORMAT = "export_format"
_UNSAVED = "unsaved"
_SEEN = "seen"
_NOTICE = "merge_notice"
_BOUND = "bound_widgets"
_TEAM = "team_store"
_PARTICIPANT = "participant"
_ROOMS = "trainer_rooms"
_WORKSPACE = "new_plan_workspace"
_ROLE = "plan_role"
_FRESH = "fresh_widgets"
_ABSENT = object()
SESSION_PREFIX = "session:"
_REFUSED_AT = "unsaved_refused_at"
# After the database refused a save, wait this long before asking it again: a run that has just
# waited for a lock (the busy timeout) does not wait for it again at each of its later calls.
RETRY_GAP_S = 3.0

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> tuple[PlanStore, str | None]:
    """The configured database, or an in-memory one plus the error key when it cannot be opened."""
    try:
        return open_store(url), None
    except StorageError as exc:
        return PlanStore(":memory:"), exc.key


def _url() -> str:
    # The environment, else .streamlit/secrets.toml, else the per-user file (planner.store.config);
    # the file's path is part of the cache key, so a test's own database is its own store.
    return configured_url(st.secrets) or str(default_db_path())


def store() -> PlanStore:
    """The plans this session may use: every plan (solo mode); a workshop participant's own plan
    (planner.store.workshops.ParticipantStore); or, signed in on a server, those of the person's
    workspaces (planner.store.access.TeamStore). The store authorises every call.
    StorageError when the database refuses (callers wrap reads in `_safe`)."""
    db, error = _open_store(_url())
    if error:
        st.session_state["save_status"] = ("memory", error)
    joined = st.session_state.get(_PARTICIPANT)
    if joined is not None:
        return ParticipantStore(db, joined[1])
    person = account.signed_in()
    if person is None:
        return db
    cached = st.session_state.get(_TEAM)
    if cached is None or cached[0] != person.email:
        team = TeamStore(db, person.email, person.name)
        st.session_state[_TEAM] = cached = (person.email, team)
    team = cached[1]
    chosen = st.session_state.get(_WORKSPACE)
    if chosen:
        team.workspace_id = chosen
    return team


def page_address() -> str:
    """The address this page was opened at, for links to share (a test run has none: localhost)."""
    return str(st.context.url or "http://localhost:8501/")


# --- workshops ------------------------------------------------------------------------------------
def workshops() -> WorkshopStore:
    """Workshops and their participants, in the configured database."""
    return WorkshopStore(_open_store(_url())[0])


def participant() -> Participant | None:
    """This session's workshop participant (joined with a code or back with a resume link), else None."""
    joined = st.session_state.get(_PARTICIPANT)
    return joined[1] if joined is not None else None


def resume_token() -> str | None:
    joined = st.session_state.get(_PARTICIPANT)
    return joined[0] if joined is not None else None


def join_workshop(code: str, name: str) -> str | None:
    """Join workshop `code` as `name` and open the participant's own copy of its plan; the message key
    of why not, else None."""
    try:
        joined, token = workshops().join(code, name)
    except StorageError as exc:
        return getattr(exc, "reason", None) or exc.key
    _become(token, joined)
    return None


def resume_participant(token: str) -> bool:
    """Back in a workshop with a resume link (after a reload, a crash, on another device)."""
    found = _safe(lambda: workshops().resume(token))
    if found is None:
        return False
    _become(token, found)
    return True


def _become(token: str, joined: Participant) -> None:
    st.session_state[_PARTICIPANT] = (token, joined)
    for key in ("plan", _SEEN, _UNSAVED, _TEAM, _ROLE):
        st.session_state.pop(key, None)
    st.query_params.clear()
    st.query_params["resume"] = token  # the address itself brings the participant back
    open_plan_by_id(joined.plan_id)


def note_step(step: str) -> None:
    """Where a participant is (the trainer's dashboard shows it); one small write per page view."""
    joined = participant()
    if joined is not None and st.session_state.get("noted_step") != step:
        st.session_state["noted_step"] = step
        _safe(lambda: workshops().touch(joined.id, step))


def create_workshop(name: str, start: Plan | None, *, start_slug: str | None, steps: list[str],
                    ends_at: datetime, trainer_email: str | None) -> str | None:
    """Create a workshop and open its room in this session; its code (None when the database refused).
    Without a signed-in trainer, the trainer key is kept for this session to show once."""
    made = _safe(lambda: workshops().create(name, start or Plan(), start_slug=start_slug, steps=steps,
                                            ends_at=ends_at, trainer_email=trainer_email))
    if made is None:
        return None
    workshop, key = made
    st.session_state.setdefault(_ROOMS, set()).add(workshop.code)
    if key:
        set_scratch(f"room.key.{workshop.code}", key)
    return workshop.code


def room_report(code: str) -> list[dict[str, Any]]:
    """One row per participant for the dashboard (only for a room this session runs)."""
    if not runs_room(code):
        return []
    return workshop_report(workshops().store, code, lang())


def room_plan(code: str, participant_id: str) -> Plan | None:
    """A participant's plan, read only, for the trainer of their room."""
    if not runs_room(code):
        return None
    wanted = [p for p in _safe(lambda: workshops().participants(code)) or [] if p.id == participant_id]
    return _safe(lambda: workshops().store.get(wanted[0].plan_id)) if wanted else None


def room_zip(code: str, progress: Callable[[int, int], None] | None = None) -> bytes | None:
    """Every participant's plan as PDF and DOCX plus a summary spreadsheet, for the room's trainer.
    One worker: while participants may still be editing, the other core stays theirs."""
    if not runs_room(code):
        return None
    return _safe(lambda: workshop_zip(workshops().store, code, lang(), workers=1, progress=progress))


def put_in_spotlight(code: str, participant_id: str) -> None:
    """The trainer puts a participant's plan on the presenter view (read only, this session)."""
    if runs_room(code):
        set_scratch(f"room.spotlight.{code.upper()}", participant_id)


def spotlight(code: str) -> Plan | None:
    """The participant's plan the trainer of room `code` put in the spotlight, else None."""
    chosen = scratch(f"room.spotlight.{code.upper()}")
    return room_plan(code, chosen) if chosen else None


def unlock_room(code: str, key: str) -> bool:
    """A trainer without an account opens their workshop's dashboard with the trainer key."""
    if _safe(lambda: workshops().is_trainer(code, key=key)):
        st.session_state.setdefault(_ROOMS, set()).add(code.upper())
        return True
    return False


def runs_room(code: str) -> bool:
    """Whether this session may see workshop `code`'s dashboard: its trainer signed in, or unlocked
    with the trainer key in this session."""
    if code.upper() in st.session_state.get(_ROOMS, set()):
        return True
    person = account.signed_in()
    return bool(person and _safe(lambda: workshops().is_trainer(code, email=person.email)))


def team() -> TeamStore | None:
    """The signed-in person's view of the store (server mode), else None (solo mode)."""
    return _safe(store) if account.signed_in() is not None else None  # type: ignore[return-value]


def set_new_plan_workspace(workspace_id: str) -> None:
    """Where plans created in this session go (server mode)."""
    st.session_state[_WORKSPACE] = workspace_id


def read_only() -> bool:
    """Whether the current plan is only to be read here (a viewer of its workspace): every widget
    that would change it is shown disabled; the store refuses such a write anyway."""
    plan = st.session_state.get("plan")
    if plan is None or account.signed_in() is None:
        return False
    cached = st.session_state.get(_ROLE)
    if cached is None or cached[0] != plan.id:
        role = _safe(lambda: store().role_for_plan(plan.id))  # type: ignore[attr-defined]
        cached = (plan.id, role)
        st.session_state[_ROLE] = cached
    return cached[1] == Role.VIEWER


def _memory_reason() -> str | None:
    """Why plans are kept in memory only (the database did not open), or None."""
    return _open_store(_url())[1]


# --- preferences ---------------------------------------------------------------------------------
# The person's language and export format are kept in the store's settings (per signed-in user in
# server mode) and cached in the session, so they survive a rerun, a page switch and a reload.
def _preference(key: str, allowed: Collection[str], default: str) -> str:
    if key not in st.session_state:
        saved = _safe(lambda: store().get_setting(key))
        st.session_state[key] = saved if saved in allowed else default
    return st.session_state[key]


def _set_preference(key: str, allowed: Collection[str], value: str) -> None:
    if value in allowed and value != st.session_state.get(key):
        st.session_state[key] = value
        _safe(lambda: store().set_setting(key, value))


def lang() -> str:
    return _preference(_LANG, i18n.LANGS, i18n.DEFAULT_LANG)


def set_lang(value: str) -> None:
    _set_preference(_LANG, i18n.LANGS, value)


def export_format() -> str:
    return _preference(_EXPORT_FORMAT, FORMATS, next(iter(FORMATS)))


def set_export_format(value: str) -> None:
    _set_preference(_EXPORT_FORMAT, FORMATS, value)


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
    """Plan id -> a label no other plan shares, in order. Streamlit's select widgets map a chosen
    label back to its option, so two plans with the same name would both select the last one: edits
    then land in the other plan. Choices are ids; the labels only have to tell the plans apart.
    Signed in, plans are grouped by workspace and labelled "workspace · plan"."""
    names = workspace_names()
    if names:
        order = {workspace_id: i for i, workspace_id in enumerate(names)}
        summaries = sorted(summaries, key=lambda s: order.get(s.workspace_id or "", len(order)))
        return plan_labels([(s.id, f"{names.get(s.workspace_id or '', '?')} · {plan_title(s.name)}", s.updated_at)
                            for s in summaries])
    # two plans of one name: their last change's date and a short id (planner.labels.plan_labels)
    return plan_labels([(s.id, plan_title(s.name), s.updated_at) for s in summaries])


def workspace_names() -> dict[str, str]:
    """Workspace id -> name, personal first (server mode); empty in solo mode."""
    team_store = team()
    if team_store is None:
        return {}
    return {w.id: w.name for w in _safe(team_store.workspaces) or []}


# --- the current plan ----------------------------------------------------------------------------
def current_plan() -> Plan | None:
    """The plan being edited: the one the address names (`?plan=ID`, so a link opens it), else this
    session's, else the one opened last (refresh / restart). Every run also saves a refused edit
    again and takes in what another session saved meanwhile."""
    retry_unsaved()  # every page asks for the plan on every run: the run's chance to save a refused edit
    wanted = st.query_params.get("plan")
    current = st.session_state.get("plan")
    opens_another = "plan" in st.session_state and wanted and (current is None or current.id != wanted)
    if opens_another and not open_plan_by_id(wanted):  # a stale or foreign link: keep what is open
        st.query_params.pop("plan", None)
    if "plan" not in st.session_state:
        plan_id = wanted or _safe(lambda: store().get_setting(_LAST_PLAN))
        loaded = _safe(lambda: store().get_versioned(plan_id)) if plan_id else None
        if loaded is None:
            summaries = list_plans()  # not a workshop participant's plan (solo mode lists those too)
            loaded = _safe(lambda: store().get_versioned(summaries[0].id)) if summaries else None
        st.session_state["plan"] = loaded[0] if loaded else None
        st.session_state.setdefault("plan_gen", 0)
        if loaded:
            _seen()[loaded[0].id] = Seen(*loaded)
    else:
        # once per script run: every bound widget asks for the plan (require_plan), so a page with
        # twenty fields would otherwise look for another session's save twenty times a run
        per_run.once("pull_changes", pull_changes)
    return st.session_state["plan"]


def pull_changes() -> bool:
    """Take in the current plan's newer stored version, saved by another session (tab, colleague),
    and rebuild the widgets from it. Not while an edit of this session waits to be saved: that save
    merges the two. True when the plan changed."""
    plan = st.session_state.get("plan")
    seen = _seen().get(plan.id) if plan is not None else None
    if seen is None or plan.id in _unsaved():
        return False
    fresh = _safe(lambda: newer(store(), seen))
    if fresh is None:
        return False
    _seen()[plan.id] = fresh
    st.session_state["plan"] = fresh.plan
    _refresh_widgets(plan, fresh.plan)
    return True


def author() -> str:
    """Who saves, for the revision history: the signed-in person's e-mail, else this session's label."""
    person = account.signed_in()
    if person is not None:
        return person.email
    if "author" not in st.session_state:
        st.session_state["author"] = SESSION_PREFIX + secrets.token_hex(2)
    return st.session_state["author"]


def author_label(author_value: str) -> str:
    """A revision's author as the plans page shows it."""
    if author_value.startswith(SESSION_PREFIX):
        return t("plans.by_session", id=author_value.removeprefix(SESSION_PREFIX))
    return author_value


def merge_notice() -> list[Conflict]:
    """The fields this session's last save could not apply, once (the sidebar shows them)."""
    return st.session_state.pop(_NOTICE, [])


def require_plan() -> Plan:
    """The current plan, or an explanatory empty state that stops the page."""
    plan = current_plan()
    if plan is None:
        st.info(t("app.no_plan"))
        st.page_link("pages/home.py", label=t("app.go_home"), icon=":material/home:")
        st.stop()
    return plan


def open_plan(plan: Plan, version: int | None = None) -> None:
    """Make `plan` current (already stored, at `version` when known) and rebuild every widget from it."""
    st.session_state["plan"] = plan
    if version is not None:
        _seen()[plan.id] = Seen(plan, version)
    _rebuild_widgets()
    _safe(lambda: store().set_setting(_LAST_PLAN, plan.id))
    st.query_params["plan"] = plan.id


def start_plan(plan: Plan) -> Plan:
    """Store a new plan and make it current."""
    _seen().pop(plan.id, None)  # new: stored only if no plan has its id yet
    saved = save(plan)
    open_plan(saved)
    return saved


def list_plans() -> list[PlanSummary]:
    """The plans this session may open. Solo mode's store also holds workshop participants' plans
    (they belong to no workspace): those stay out of the trainer's own list."""
    plans = _safe(lambda: store().list()) or []
    if participant() is None and account.signed_in() is None:
        theirs = _safe(lambda: workshops().participant_plan_ids()) or set()
        plans = [p for p in plans if p.id not in theirs]
    return plans


def open_plan_by_id(plan_id: str) -> bool:
    # A version the database refused is newer than the stored one: reopening must not drop it.
    pending = _unsaved().get(plan_id)
    if pending is not None:
        open_plan(pending)
        return True
    loaded = _safe(lambda: store().get_versioned(plan_id))
    if loaded is not None:
        open_plan(*loaded)
    return loaded is not None


def plan_exists(plan_id: str) -> bool:
    return bool(_safe(lambda: store().exists(plan_id)))


def duplicate_plan(plan_id: str, new_name: str, into: str | None = None) -> None:
    """A copy under `new_name`; signed in, into the workspace `into` (default: the plan's own)."""
    if into is None:
        _safe(lambda: store().duplicate(plan_id, new_name, author()))
    else:
        _safe(lambda: store().duplicate(plan_id, new_name, author(), into=into))  # type: ignore[call-arg]


def move_plan(plan_id: str, workspace_id: str) -> None:
    """Move a plan into another of the signed-in person's workspaces."""
    _safe(lambda: store().move(plan_id, workspace_id))  # type: ignore[attr-defined]
    st.session_state.pop(_ROLE, None)  # the person's role may differ there


def rename_plan(plan_id: str, new_name: str) -> None:
    if plan_id in _unsaved():  # rename the unsaved version, not the older stored one
        pending = _unsaved()[plan_id].model_copy(deep=True)
        pending.meta.name = new_name
        _queue(pending)
        renamed: Plan | None = _flush(first=plan_id) or pending
    else:
        renamed = _safe(lambda: store().rename(plan_id, new_name, author()))
    plan = current_plan()
    if renamed is not None and plan is not None and plan.id == plan_id:
        open_plan_by_id(plan_id)  # with its new version


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
    restored = _safe(lambda: store().restore(plan_id, revision_id, author()))
    if restored is not None:
        _unsaved().pop(plan_id, None)  # the restored version is the user's choice; a retry must not undo it
        open_plan_by_id(plan_id)


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


def _seen() -> dict[str, Seen]:
    return st.session_state.setdefault(_SEEN, {})


def _rebuild_widgets() -> None:
    """Every widget anew from the plan (another plan or revision was opened)."""
    st.session_state.pop(_ROLE, None)
    st.session_state["plan_gen"] = st.session_state.get("plan_gen", 0) + 1
    st.session_state["problems"] = {}
    st.session_state[_BOUND] = {}
    st.session_state[_FRESH] = {}


def _refresh_widgets(old: Plan, new: Plan) -> None:
    """Only the widgets whose field another session changed are rebuilt, under a new key (the
    browser keeps a widget's own value while its key stays): a box the user is typing in right now
    keeps its text, which rebuilding every widget would drop."""
    bound: dict[str, str] = st.session_state.get(_BOUND, {})
    changed = {path for path in set(bound.values()) if _value_at(old, path) != _value_at(new, path)}
    for path in changed:
        renew_widgets(path)
    for key, path in list(bound.items()):
        if path in changed:
            forget_widget(key)
            del bound[key]


def _value_at(plan: Plan, path: str) -> Any:
    try:
        return get_at(plan, path)
    except (KeyError, IndexError, ValueError, TypeError):
        return _ABSENT


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
        unsaved_plan = unsaved[plan_id]
        try:
            outcome = save_merging(store(), unsaved_plan, _seen().get(plan_id), author())
        except AccessDenied as exc:  # not this person's to change: no retry, the page shows the stored plan
            del unsaved[plan_id]
            st.session_state["save_status"] = ("error", exc.reason)
            stored = _safe(lambda: store().get_versioned(plan_id))  # noqa: B023 (called at once)
            if stored is not None and st.session_state.get("plan") is not None \
                    and st.session_state["plan"].id == plan_id:
                st.session_state["plan"] = stored[0]
                _rebuild_widgets()
            continue
        except StorageError as exc:
            # The rest would fail the same way (and each wait for a lock): try them next time.
            st.session_state["save_status"] = ("unsaved", exc.key)
            st.session_state[_REFUSED_AT] = time.monotonic()
            return None
        del unsaved[plan_id]
        saved = outcome.plan
        _seen()[plan_id] = Seen(saved, outcome.version)
        current = st.session_state.get("plan")
        if current is not None and current.id == plan_id:
            st.session_state["plan"] = saved
            if outcome.merged:  # another session's edits came in: the widgets show the merged plan
                _refresh_widgets(unsaved_plan, saved)
        if outcome.conflicts:
            st.session_state[_NOTICE] = [*st.session_state.get(_NOTICE, []), *outcome.conflicts]
        if plan_id == first:
            result = saved
    st.session_state.pop(_REFUSED_AT, None)
    if _memory_reason() is None:  # plans kept in memory only are not "saved": keep that warning
        st.session_state["save_status"] = ("retried" if retried else "saved", datetime.now())
    return result


def edit(path: str, value: Any) -> list[Problem]:
    """Set one field of the current plan and save; returns the problems that rejected it."""
    # The edit is made to the plan the widget showed, not to a newer one another session stored
    # meanwhile: the save then merges the two and notices when both changed this field.
    plan = st.session_state["plan"] if "plan" in st.session_state else current_plan()
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


def bound_key(namespace: str, path: str, *, shows: str | None = None) -> str:
    """The key of a widget that shows the plan's field `path` (or, `shows`, a part of the plan it
    draws from): when another session changes that part, this widget alone is rebuilt."""
    watched = shows or path
    fresh = st.session_state.get(_FRESH, {}).get(watched, 0)
    key = widget_key(namespace, path) + (f"~{fresh}" if fresh else "")
    st.session_state.setdefault(_BOUND, {})[key] = watched
    return key


def renew_widgets(path: str) -> None:
    """Give the widgets showing `path` new keys, so they show the plan's value again (after a button
    or another session changed it; a widget keeps its own value while its key stays)."""
    fresh: dict[str, int] = st.session_state.setdefault(_FRESH, {})
    fresh[path] = fresh.get(path, 0) + 1


def widget_key(namespace: str, *parts: object) -> str:
    """A namespaced widget key, fresh for each loaded plan so widgets show its values, and for each
    language: a select widget keeps the label it was given, so after a switch it would go on showing
    the other language's."""
    gen = st.session_state.get("plan_gen", 0)
    return f"{namespace}.{'.'.join(str(p) for p in parts)}@{gen}.{lang()}"


SECTION_PARAM = "section"  # `?section=` in a link: the part (tab) of the page to open


def opened_section(page: str, sections: Collection[str]) -> str | None:
    """The part of `page` a link asked for (the doctor's links), taken from the address once and kept for the
    session: the page's tabs keep it as their default, so choosing another tab is not undone by the next run."""
    wanted = st.query_params.get(SECTION_PARAM)
    if wanted is not None:
        st.query_params.pop(SECTION_PARAM, None)
        if wanted in sections:
            set_scratch(f"{page}.section", wanted)
    return scratch(f"{page}.section")


def kept_choice(key: str, default: Any) -> Any:
    """The value widget `key` last had in this session, else `default`: for a widget drawn only while its tab
    or expander is open. Streamlit forgets a widget's value after a run that does not draw it, so the page
    gives this back to the widget and keeps what it returns with `keep_choice`."""
    return scratch(f"kept.{key}", default)


def keep_choice(key: str, value: T) -> T:
    set_scratch(f"kept.{key}", value)
    return value


_NOT_KEPT = object()


def kept_index(key: str, options: Sequence[Any], default: int = 0) -> int:
    """The position among `options` of the value widget `key` last had (`kept_choice`), else `default`: the
    `index` of a select box or radio drawn only while its tab is open."""
    kept = kept_choice(key, _NOT_KEPT)
    return options.index(kept) if kept in options else default


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


def safe(call: Callable[[], T]) -> T | None:
    """A store call from a page (comments, workspaces): None, and the sidebar says why, when the
    database refuses."""
    return _safe(call)


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
