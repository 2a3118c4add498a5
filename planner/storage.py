"""Plans in an embedded SQLite database (standard library sqlite3).

A small repository: list / get / save / duplicate / rename / delete / revisions / restore.
Tests use `PlanStore(":memory:")`. Every failure of the database (locked, read-only, corrupt) is
raised as `StorageError` with a message key, so the app can say what happened and keep running.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from models.base import Entity
from models.plan import Plan
from planner.plan_io import plan_from_json, plan_to_json

MAX_REVISIONS = 20

_SCHEMA = """
CREATE TABLE IF NOT EXISTS plans (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    saved_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS revisions_by_plan ON revisions(plan_id, id);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class StorageError(Exception):
    """`key` is a locale key (storage.locked, storage.readonly, storage.corrupt, storage.not_found)."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(f"{key}: {detail}" if detail else key)
        self.key = key
        self.detail = detail


class PlanSummary(Entity):
    id: str
    name: str
    updated_at: datetime


class RevisionSummary(Entity):
    id: int
    plan_id: str
    saved_at: datetime


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _classify(exc: sqlite3.Error) -> StorageError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StorageError("storage.locked", str(exc))
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StorageError("storage.readonly", str(exc))
    return StorageError("storage.corrupt", str(exc))


class PlanStore:
    def __init__(self, path: str | Path, timeout: float = 2.0) -> None:
        self.path = str(path)
        self._lock = threading.Lock()  # one connection shared by Streamlit's script threads
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False)
            self._db.execute("PRAGMA foreign_keys = ON")
            # WAL lets the app keep reading plans while another process holds a write lock.
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise _classify(exc) from exc
        except OSError as exc:  # the folder cannot be created
            raise StorageError("storage.readonly", str(exc)) from exc

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                with self._db:  # commits, or rolls back on error: a failed save damages nothing
                    yield self._db
            except sqlite3.Error as exc:
                raise _classify(exc) from exc

    def close(self) -> None:
        self._db.close()

    # --- queries -------------------------------------------------------------------------------
    def list(self) -> list[PlanSummary]:
        with self._tx() as db:
            rows = db.execute("SELECT id, name, updated_at FROM plans ORDER BY updated_at DESC, name").fetchall()
        return [PlanSummary(id=r[0], name=r[1], updated_at=r[2]) for r in rows]

    def get(self, plan_id: str) -> Plan:
        with self._tx() as db:
            row = db.execute("SELECT body FROM plans WHERE id = ?", (plan_id,)).fetchone()
        if row is None:
            raise StorageError("storage.not_found", plan_id)
        return self._load(row[0])

    def exists(self, plan_id: str) -> bool:
        with self._tx() as db:
            return db.execute("SELECT 1 FROM plans WHERE id = ?", (plan_id,)).fetchone() is not None

    def revisions(self, plan_id: str) -> list[RevisionSummary]:
        with self._tx() as db:
            rows = db.execute(
                "SELECT id, plan_id, saved_at FROM revisions WHERE plan_id = ? ORDER BY id DESC", (plan_id,)
            ).fetchall()
        return [RevisionSummary(id=r[0], plan_id=r[1], saved_at=r[2]) for r in rows]

    def get_revision(self, revision_id: int) -> Plan:
        with self._tx() as db:
            row = db.execute("SELECT body FROM revisions WHERE id = ?", (revision_id,)).fetchone()
        if row is None:
            raise StorageError("storage.not_found", str(revision_id))
        return self._load(row[0])

    # --- commands ------------------------------------------------------------------------------
    def save(self, plan: Plan) -> Plan:
        """Store `plan` (stamping `meta.updated_at`) and keep it as a revision if it changed."""
        stamped = plan.model_copy(deep=True)
        stamped.meta.updated_at = _now()
        if stamped.meta.created_on is None:
            stamped.meta.created_on = stamped.meta.updated_at.date()
        body = plan_to_json(stamped)
        when = stamped.meta.updated_at.isoformat()
        with self._tx() as db:
            db.execute(
                "INSERT INTO plans (id, name, updated_at, body) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at, "
                "body = excluded.body",
                (stamped.id, stamped.meta.name, when, body),
            )
            last = db.execute(
                "SELECT body FROM revisions WHERE plan_id = ? ORDER BY id DESC LIMIT 1", (stamped.id,)
            ).fetchone()
            if last is None or _without_stamp(last[0]) != _without_stamp(body):
                db.execute(
                    "INSERT INTO revisions (plan_id, saved_at, body) VALUES (?, ?, ?)", (stamped.id, when, body)
                )
                db.execute(
                    "DELETE FROM revisions WHERE plan_id = ? AND id NOT IN "
                    "(SELECT id FROM revisions WHERE plan_id = ? ORDER BY id DESC LIMIT ?)",
                    (stamped.id, stamped.id, MAX_REVISIONS),
                )
        return stamped

    def duplicate(self, plan_id: str, new_name: str) -> Plan:
        copy = self.get(plan_id).model_copy(deep=True)
        copy.id = Plan().id
        copy.meta.name = new_name
        copy.meta.created_on = None
        return self.save(copy)

    def rename(self, plan_id: str, new_name: str) -> Plan:
        plan = self.get(plan_id)
        plan.meta.name = new_name
        return self.save(plan)

    def delete(self, plan_id: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM plans WHERE id = ?", (plan_id,))

    def restore(self, plan_id: str, revision_id: int) -> Plan:
        """Make a revision current again (itself saved as the newest revision)."""
        plan = self.get_revision(revision_id)
        if plan.id != plan_id:
            raise StorageError("storage.not_found", f"{plan_id}/{revision_id}")
        return self.save(plan)

    # --- small per-user settings (last opened plan, language) --------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        with self._tx() as db:
            row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @staticmethod
    def _load(body: str) -> Plan:
        plan, problems = plan_from_json(body)
        if plan is None:
            raise StorageError("storage.corrupt", "; ".join(p.key for p in problems))
        return plan


def _without_stamp(body: str) -> str:
    # Two saves that differ only in their time stamp are one revision.
    try:
        plan = Plan.model_validate_json(body)
    except ValidationError:
        return body
    plan.meta.updated_at = None
    return plan.model_dump_json()
