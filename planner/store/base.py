"""What every plan store offers, whichever database is behind it.

A stored plan has an integer `version`: 1 on its first save, +1 on every save that changes it (a
save that changes nothing writes nothing and keeps the version). `save_if` is the compare-and-swap
a session uses so that no edit is silently overwritten: it stores the plan only when the stored
version is still the one the session started from, and otherwise raises `StaleVersion` carrying
the newer stored plan, which the caller merges with its own edits and saves again.

The back-ends (sqlite.py, postgres.py) implement the few primitives marked abstract; stamping,
revisions' policy, rename / duplicate / restore live here once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from models.base import Entity
from models.plan import Plan
from planner.plan_core.json_io import plan_from_json, plan_to_json

MAX_REVISIONS = 20
T = TypeVar("T")
# Runs one SQL statement inside a `_transact` transaction: `?` placeholders on every back-end, the
# result rows as tuples ([] for a statement without rows). Datetimes go in as datetimes.
Sql = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]
# Checks, inside a write's transaction and before anything is read or written, that it may happen
# (planner.store.access uses it); raises to refuse, which writes nothing.
Guard = Callable[[Sql], None]

# A rename or duplicate is read-modify-write: retried this often when another session saved between.
_CAS_ATTEMPTS = 5


class StorageError(Exception):
    """`key` is a locale key: storage.full, storage.readonly, storage.locked, storage.cannot_open,
    storage.corrupt, storage.io, storage.unreachable (PostgreSQL down or not answering),
    storage.failed (anything else), storage.not_found, storage.unreadable_plan, storage.stale."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(f"{key}: {detail}" if detail else key)
        self.key = key
        self.detail = detail


class StaleVersion(StorageError):
    """`save_if` found another version than expected. `plan` / `version` are what is stored now
    (None / 0 when the plan was deleted meanwhile); nothing was written."""

    def __init__(self, plan: Plan | None, version: int, detail: str = "") -> None:
        super().__init__("storage.stale", detail)
        self.plan = plan
        self.version = version


class PlanSummary(Entity):
    id: str
    name: str
    updated_at: datetime
    # 0: not stored (yet); a page may list a plan that lives only in its session.
    version: int = 0
    updated_by: str = ""
    # The team workspace it belongs to (planner.store.access); None in solo mode and for plans
    # stored before workspaces existed.
    workspace_id: str | None = None


class RevisionSummary(Entity):
    id: int
    plan_id: str
    saved_at: datetime
    author: str = ""
    # The plan version this revision was stored as; None for a revision kept aside with
    # `save_revision_only` (a session's values that lost a merge) or stored before versions existed.
    version: int | None = None
    note: str = ""


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def without_stamp(body: str) -> str:
    """The plan JSON without its save time: two saves that differ only there are the same plan."""
    try:
        plan = Plan.model_validate_json(body)
    except ValidationError:
        return body
    plan.meta.updated_at = None
    return plan.model_dump_json()


def load_plan(body: str) -> Plan:
    plan, problems = plan_from_json(body)
    if plan is None:  # one stored plan (say from a newer version of the app), not the whole database
        raise StorageError("storage.unreadable_plan", "; ".join(p.key for p in problems))
    return plan


class PlanStore(ABC):
    """The storage interface. `PlanStore(target)` itself opens the back-end `target` names (a file
    path, ":memory:", `sqlite:///…` or `postgresql://…`), so code and tests written when SQLite was
    the only store keep working; new code calls `planner.store.open_store`."""

    def __new__(cls, *args: Any, **kwargs: Any) -> PlanStore:
        if cls is PlanStore:
            from planner.store.config import backend_class  # the back-ends import this module

            target = args[0] if args else kwargs.get("path", kwargs.get("url"))
            cls = backend_class(target)
        return super().__new__(cls)

    # --- back-end primitives ---------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def list(self) -> list[PlanSummary]:
        """Every plan, newest change first."""

    @abstractmethod
    def _get_body(self, plan_id: str) -> tuple[str, int]:
        """(stored JSON, version); StorageError("storage.not_found") when absent."""

    @abstractmethod
    def version(self, plan_id: str) -> int:
        """The stored version, one small query (a page polls it every few seconds);
        StorageError("storage.not_found") when absent."""

    @abstractmethod
    def exists(self, plan_id: str) -> bool: ...

    @abstractmethod
    def revisions(self, plan_id: str) -> list[RevisionSummary]:
        """Newest first."""

    @abstractmethod
    def _get_revision_body(self, revision_id: int) -> str: ...

    @abstractmethod
    def _write(
        self,
        plan: Plan,
        body: str,
        author: str,
        expected: int | None,
        *,
        workspace: str | None = None,
        guard: Guard | None = None,
    ) -> tuple[Plan, int]:
        """In one transaction: `guard(sql)` when given, before anything is compared or written (it
        raises to refuse; PostgreSQL runs it once the plan's row is locked); when `expected`
        is not None and the stored version (0: absent) differs, raise StaleVersion and write
        nothing; when the stored plan equals `body` but for its stamp, return it unchanged; else
        store `body` at version + 1 and add it as a revision unless the newest revision is the same
        plan. A plan not stored yet is stored in `workspace` (None: no workspace, solo mode); a
        stored plan keeps its workspace. Returns (stored plan, its version)."""

    def _transact(self, work: Callable[[Sql], T], write: bool = False) -> T:
        """`work(sql)` in one transaction (a write transaction when `write`), database errors as
        StorageError: the few queries of planner.store.access, written once for both back-ends."""
        raise StorageError("storage.failed", f"{type(self).__name__} cannot hold workspaces")

    @abstractmethod
    def _add_revision(self, plan_id: str, body: str, author: str, note: str) -> RevisionSummary:
        """Append a revision that is not the stored plan; StorageError("storage.not_found") when
        the plan is not stored."""

    @abstractmethod
    def delete(self, plan_id: str) -> None: ...

    @abstractmethod
    def get_setting(self, key: str, default: str | None = None) -> str | None: ...

    @abstractmethod
    def set_setting(self, key: str, value: str) -> None: ...

    # --- reads -----------------------------------------------------------------------------------
    def get(self, plan_id: str) -> Plan:
        return self.get_versioned(plan_id)[0]

    def get_versioned(self, plan_id: str) -> tuple[Plan, int]:
        """The stored plan and its version, read together."""
        body, version = self._get_body(plan_id)
        return load_plan(body), version

    def get_revision(self, revision_id: int) -> Plan:
        return load_plan(self._get_revision_body(revision_id))

    # --- writes ----------------------------------------------------------------------------------
    def save(self, plan: Plan, author: str = "") -> Plan:
        """Store `plan` whatever version is stored (stamping `meta.updated_at`), bumping the version
        when it changed; kept as a revision if it changed."""
        stamped, body = _stamped(plan)
        return self._write(stamped, body, author, None)[0]

    def save_if(self, plan: Plan, expected_version: int, author: str = "") -> tuple[Plan, int]:
        """Compare-and-swap: store `plan` only if the stored version is `expected_version` (0: the
        plan must not be stored yet), atomically. Returns (stored plan, new version); raises
        StaleVersion (nothing written) when another save came first."""
        stamped, body = _stamped(plan)
        return self._write(stamped, body, author, expected_version)

    def save_revision_only(self, plan: Plan, author: str = "", note: str = "") -> RevisionSummary:
        """Keep `plan` in the revision history without making it the stored plan: a session's
        values that lost a merge stay restorable. Its `version` is None."""
        return self._add_revision(plan.id, plan_to_json(plan), author, note)

    def duplicate(self, plan_id: str, new_name: str, author: str = "") -> Plan:
        copy = self.get(plan_id).model_copy(deep=True)
        copy.id = Plan().id
        copy.meta.name = new_name
        copy.meta.created_on = None
        return self.save_if(copy, 0, author)[0]

    def rename(self, plan_id: str, new_name: str, author: str = "") -> Plan:
        """Rename the newest stored version (never overwriting another session's edit)."""
        for _ in range(_CAS_ATTEMPTS):
            plan, version = self.get_versioned(plan_id)
            plan.meta.name = new_name
            try:
                return self.save_if(plan, version, author)[0]
            except StaleVersion:
                continue
        raise StorageError("storage.locked", f"rename {plan_id}: other saves kept coming first")

    def restore(self, plan_id: str, revision_id: int, author: str = "") -> Plan:
        """Make a revision current again (itself saved as the newest revision, a new version)."""
        plan = self.get_revision(revision_id)
        if plan.id != plan_id:
            raise StorageError("storage.not_found", f"{plan_id}/{revision_id}")
        return self.save(plan, author)


def _stamped(plan: Plan) -> tuple[Plan, str]:
    stamped = plan.model_copy(deep=True)
    stamped.meta.updated_at = now()
    if stamped.meta.created_on is None:
        stamped.meta.created_on = stamped.meta.updated_at.date()
    return stamped, plan_to_json(stamped)


def sqlite_path(target: str | Path) -> str:
    """The file of an SQLite target: a path, ":memory:" or `sqlite:///path`."""
    text = str(target)
    return text[len("sqlite:///") :] if text.startswith("sqlite:///") else text
