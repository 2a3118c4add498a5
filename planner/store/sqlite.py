"""Plans in an embedded SQLite database (standard library sqlite3).

A small repository: list / get / save / duplicate / rename / delete / revisions / restore.
Tests use `PlanStore(":memory:")`. Every failure of the database is raised as `StorageError` with
a message key naming what happened (disk full, read-only, busy, cannot open, damaged...), so the app
can say so, keep the edit and try again.
"""

from __future__ import annotations

import errno
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from models.base import Entity
from models.plan import Plan
from planner.plan_core.json_io import plan_from_json, plan_to_json

MAX_REVISIONS = 20
# How long a write waits for another connection's lock before reporting "storage.locked": long
# enough that an ordinary short lock (another save, a backup) never surfaces, short enough that the
# page is not frozen while a long one is held (the app then retries on later runs).
BUSY_TIMEOUT_S = 2.0

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
    """`key` is a locale key: storage.full, storage.readonly, storage.locked, storage.cannot_open,
    storage.corrupt, storage.io, storage.failed (anything else), storage.not_found,
    storage.unreadable_plan."""

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


# SQLite's primary result codes (the low byte of an extended code) -> what the user is told.
_BY_CODE: dict[int, str] = {
    sqlite3.SQLITE_FULL: "storage.full",
    sqlite3.SQLITE_READONLY: "storage.readonly",
    sqlite3.SQLITE_BUSY: "storage.locked",
    sqlite3.SQLITE_LOCKED: "storage.locked",
    sqlite3.SQLITE_CANTOPEN: "storage.cannot_open",
    sqlite3.SQLITE_PERM: "storage.cannot_open",
    sqlite3.SQLITE_AUTH: "storage.cannot_open",
    sqlite3.SQLITE_CORRUPT: "storage.corrupt",
    sqlite3.SQLITE_NOTADB: "storage.corrupt",
    sqlite3.SQLITE_IOERR: "storage.io",
}

# Only for errors that carry no code (raised by Python's sqlite3 module itself, or built by hand).
_BY_TEXT: tuple[tuple[str, str], ...] = (
    ("disk is full", "storage.full"),
    ("readonly", "storage.readonly"),
    ("read-only", "storage.readonly"),
    ("locked", "storage.locked"),
    ("busy", "storage.locked"),
    ("unable to open", "storage.cannot_open"),
    ("not a database", "storage.corrupt"),
    ("malformed", "storage.corrupt"),
    ("disk i/o error", "storage.io"),
)

# An OS error while preparing the database's folder.
_BY_ERRNO: dict[int, str] = {
    errno.ENOSPC: "storage.full",
    errno.EDQUOT: "storage.full",
    errno.EROFS: "storage.readonly",
}


def _classify(exc: sqlite3.Error) -> StorageError:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        key = _BY_CODE.get(code & 0xFF, "storage.failed")
    else:
        text = str(exc).lower()
        key = next((k for needle, k in _BY_TEXT if needle in text), "storage.failed")
    return StorageError(key, str(exc))


def _classify_os(exc: OSError) -> StorageError:
    return StorageError(_BY_ERRNO.get(exc.errno or 0, "storage.cannot_open"), str(exc))


class PlanStore:
    def __init__(self, path: str | Path, timeout: float = BUSY_TIMEOUT_S) -> None:
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
            raise _classify_os(exc) from exc

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
        if plan is None:  # one stored plan (say from a newer version of the app), not the whole file
            raise StorageError("storage.unreadable_plan", "; ".join(p.key for p in problems))
        return plan


def _without_stamp(body: str) -> str:
    # Two saves that differ only in their time stamp are one revision.
    try:
        plan = Plan.model_validate_json(body)
    except ValidationError:
        return body
    plan.meta.updated_at = None
    return plan.model_dump_json()
