"""Plans in an embedded SQLite database (standard library sqlite3).

Tests use `SqlitePlanStore(":memory:")` (or `PlanStore(":memory:")`). Every failure of the database
is raised as `StorageError` with a message key naming what happened (disk full, read-only, busy,
cannot open, damaged...), so the app can say so, keep the edit and try again.

Schema versions live in `PRAGMA user_version` and are brought up to date on open, in one
transaction: a database made before versions existed has user_version 0 and the version-1 tables.
"""

from __future__ import annotations

import errno
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from models.plan import Plan
from planner.store.base import (
    MAX_REVISIONS,
    Guard,
    PlanStore,
    PlanSummary,
    RevisionSummary,
    Sql,
    StaleVersion,
    StorageError,
    load_plan,
    now,
    sqlite_path,
    without_stamp,
)

T = TypeVar("T")

__all__ = ["BUSY_TIMEOUT_S", "MAX_REVISIONS", "MIGRATIONS", "PlanStore", "SqlitePlanStore", "StorageError"]

# How long a write waits for another connection's lock before reporting "storage.locked": long
# enough that an ordinary short lock (another save, a backup) never surfaces, short enough that the
# page is not frozen while a long one is held (the app then retries on later runs).
BUSY_TIMEOUT_S = 2.0

# MIGRATIONS[n - 1] brings a database from schema version n - 1 to n. Version 1 is the schema from
# before versions were counted (IF NOT EXISTS: such a database has user_version 0 and these tables).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE IF NOT EXISTS plans (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            body TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS revisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            saved_at TEXT NOT NULL,
            body TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS revisions_by_plan ON revisions(plan_id, id)",
        "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    (
        "ALTER TABLE plans ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE plans ADD COLUMN updated_by TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE revisions ADD COLUMN author TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE revisions ADD COLUMN version INTEGER",
        "ALTER TABLE revisions ADD COLUMN note TEXT NOT NULL DEFAULT ''",
    ),
    (  # 3: teams (planner/store/access.py). A membership is by e-mail: one without a users row is an
        # invitation that applies when that person first signs in. Plans without a workspace are
        # solo mode's (and those stored before workspaces existed).
        """CREATE TABLE users (
            email TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE workspaces (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            personal_of TEXT UNIQUE,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE memberships (
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            email TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
            invited_by TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (workspace_id, email)
        )""",
        "CREATE INDEX memberships_by_email ON memberships(email, workspace_id)",
        "ALTER TABLE plans ADD COLUMN workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE",
        "CREATE INDEX plans_by_workspace ON plans(workspace_id)",
        """CREATE TABLE comments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL,
            body TEXT NOT NULL,
            resolved INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX comments_by_plan ON comments(plan_id, id)",
    ),
    (  # 4: workshops (planner/store/workshops.py). A workshop keeps its starting plan's JSON; each
        # participant owns one plan (stored without a workspace) and is found again by the hash of
        # their resume token. The reference to the plan is checked at commit: the participant row
        # is written inside the plan's own first save.
        """CREATE TABLE workshops (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            start_slug TEXT,
            start_plan_id TEXT,
            start_body TEXT NOT NULL,
            steps TEXT NOT NULL DEFAULT '[]',
            ends_at TEXT,
            trainer_email TEXT,
            trainer_key_hash TEXT,
            created_at TEXT NOT NULL,
            archived INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX workshops_by_trainer ON workshops(trainer_email)",
        """CREATE TABLE participants (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL REFERENCES workshops(code) ON DELETE CASCADE,
            name TEXT NOT NULL,
            plan_id TEXT NOT NULL UNIQUE REFERENCES plans(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
            token_hash TEXT NOT NULL UNIQUE,
            joined_at TEXT NOT NULL,
            last_step TEXT NOT NULL DEFAULT '',
            last_seen TEXT
        )""",
        "CREATE INDEX participants_by_workshop ON participants(code, joined_at)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


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


class SqlitePlanStore(PlanStore):
    def __init__(self, path: str | Path, timeout: float = BUSY_TIMEOUT_S) -> None:
        self.path = sqlite_path(path)
        self._lock = threading.Lock()  # one connection shared by Streamlit's script threads
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are begun here, explicitly (BEGIN IMMEDIATE for
            # writes, so a compare-and-swap reads and writes under one write lock).
            self._db = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA foreign_keys = ON")
            # WAL lets the app keep reading plans while another process holds a write lock.
            self._db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.Error as exc:
            raise _classify(exc) from exc
        except OSError as exc:  # the folder cannot be created
            raise _classify_os(exc) from exc

    def _migrate(self) -> None:
        found = self._db.execute("PRAGMA user_version").fetchone()[0]
        if found > SCHEMA_VERSION:  # written by a newer app: its columns would be lost or misread
            raise StorageError("storage.newer_schema", f"schema {found} > {SCHEMA_VERSION}")
        if found == SCHEMA_VERSION:
            return
        with self._tx() as db:  # re-read under the write lock: another process may have migrated
            current = db.execute("PRAGMA user_version").fetchone()[0]
            for steps in MIGRATIONS[current:]:
                for statement in steps:
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction holding the database's write lock from its start."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                    self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:  # a failed save damages nothing
                        self._db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise _classify(exc) from exc

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._db
            except sqlite3.Error as exc:
                raise _classify(exc) from exc

    def close(self) -> None:
        self._db.close()

    def _transact(self, work: Callable[[Sql], T], write: bool = False) -> T:
        with self._tx() if write else self._read() as db:
            return work(_sql(db))

    # --- queries -------------------------------------------------------------------------------
    def list(self) -> list[PlanSummary]:
        with self._read() as db:
            rows = db.execute(
                "SELECT id, name, updated_at, version, updated_by FROM plans ORDER BY updated_at DESC, name"
            ).fetchall()
        return [PlanSummary(id=r[0], name=r[1], updated_at=r[2], version=r[3], updated_by=r[4]) for r in rows]

    def _get_body(self, plan_id: str) -> tuple[str, int]:
        with self._read() as db:
            row = db.execute("SELECT body, version FROM plans WHERE id = ?", (plan_id,)).fetchone()
        if row is None:
            raise StorageError("storage.not_found", plan_id)
        return row[0], row[1]

    def version(self, plan_id: str) -> int:
        with self._read() as db:
            row = db.execute("SELECT version FROM plans WHERE id = ?", (plan_id,)).fetchone()
        if row is None:
            raise StorageError("storage.not_found", plan_id)
        return int(row[0])

    def exists(self, plan_id: str) -> bool:
        with self._read() as db:
            return db.execute("SELECT 1 FROM plans WHERE id = ?", (plan_id,)).fetchone() is not None

    def revisions(self, plan_id: str) -> list[RevisionSummary]:
        with self._read() as db:
            rows = db.execute(
                "SELECT id, plan_id, saved_at, author, version, note FROM revisions WHERE plan_id = ? ORDER BY id DESC",
                (plan_id,),
            ).fetchall()
        return [
            RevisionSummary(id=r[0], plan_id=r[1], saved_at=r[2], author=r[3], version=r[4], note=r[5]) for r in rows
        ]

    def _get_revision_body(self, revision_id: int) -> str:
        with self._read() as db:
            row = db.execute("SELECT body FROM revisions WHERE id = ?", (revision_id,)).fetchone()
        if row is None:
            raise StorageError("storage.not_found", str(revision_id))
        return row[0]

    # --- commands ------------------------------------------------------------------------------
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
        when = plan.meta.updated_at.isoformat() if plan.meta.updated_at else now().isoformat()
        with self._tx() as db:
            if guard is not None:
                guard(_sql(db))
            row = db.execute("SELECT version, body FROM plans WHERE id = ?", (plan.id,)).fetchone()
            current = row[0] if row else 0
            if expected is not None and current != expected:
                raise StaleVersion(load_plan(row[1]) if row else None, current, f"{plan.id}: {current} != {expected}")
            if row and without_stamp(row[1]) == without_stamp(body):
                return load_plan(row[1]), current  # nothing changed: nothing written, same version
            version = current + 1
            db.execute(
                "INSERT INTO plans (id, name, updated_at, body, version, updated_by, workspace_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at, "
                "body = excluded.body, version = excluded.version, updated_by = excluded.updated_by",
                (plan.id, plan.meta.name, when, body, version, author, workspace),
            )
            db.execute(
                "INSERT INTO revisions (plan_id, saved_at, body, author, version) VALUES (?, ?, ?, ?, ?)",
                (plan.id, when, body, author, version),
            )
            _trim(db, plan.id)
        return plan, version

    def _add_revision(self, plan_id: str, body: str, author: str, note: str) -> RevisionSummary:
        when = now()
        with self._tx() as db:
            if db.execute("SELECT 1 FROM plans WHERE id = ?", (plan_id,)).fetchone() is None:
                raise StorageError("storage.not_found", plan_id)
            cursor = db.execute(
                "INSERT INTO revisions (plan_id, saved_at, body, author, version, note) VALUES (?, ?, ?, ?, NULL, ?)",
                (plan_id, when.isoformat(), body, author, note),
            )
            revision_id = int(cursor.lastrowid or 0)
            _trim(db, plan_id)
        return RevisionSummary(id=revision_id, plan_id=plan_id, saved_at=when, author=author, version=None, note=note)

    def delete(self, plan_id: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM plans WHERE id = ?", (plan_id,))

    # --- small per-user settings (last opened plan, language) --------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        with self._read() as db:
            row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def _sql(db: sqlite3.Connection) -> Sql:
    def run(statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        values = [v.isoformat() if isinstance(v, datetime) else v for v in params]
        return [tuple(row) for row in db.execute(statement, values).fetchall()]

    return run


def _trim(db: sqlite3.Connection, plan_id: str) -> None:
    db.execute(
        "DELETE FROM revisions WHERE plan_id = ? AND id NOT IN "
        "(SELECT id FROM revisions WHERE plan_id = ? ORDER BY id DESC LIMIT ?)",
        (plan_id, plan_id, MAX_REVISIONS),
    )
