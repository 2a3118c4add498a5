"""Plans in PostgreSQL, for a server several people use at once (psycopg 3).

The same tables as the SQLite store. Schema versions are a numbered list of SQL steps recorded in a
`schema_version` table, applied on open in one transaction under an advisory lock (two app
processes starting together migrate once). One connection, guarded by a lock: Streamlit runs each
session's script on its own thread and a save is a few milliseconds. A connection the server
dropped (restart, failover, idle timeout) is replaced; a read is retried once on the new one, a
write only when it cannot have reached the server, so nothing is stored twice. Every psycopg error
becomes a StorageError: storage.unreachable (server down, refused, timed out), storage.readonly (a
read-only transaction or a hot standby), storage.denied (login or permissions), storage.full,
storage.locked, storage.failed for the rest.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any, TypeVar

import psycopg

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
    without_stamp,
)

T = TypeVar("T")

CONNECT_TIMEOUT_S = 5
# Waiting for another session's row lock longer than this is "storage.locked", as SQLite's busy
# timeout; a statement running longer than STATEMENT_TIMEOUT_MS is a server not answering.
LOCK_TIMEOUT_MS = 2000
STATEMENT_TIMEOUT_MS = 15000
# Any fixed number: the advisory lock two processes take to migrate one after the other.
_MIGRATION_LOCK = 0x706C616E

# MIGRATIONS[n - 1] brings the database from schema version n - 1 to n (the same steps as SQLite's).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE plans (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            body TEXT NOT NULL
        )""",
        """CREATE TABLE revisions (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            saved_at TIMESTAMPTZ NOT NULL,
            body TEXT NOT NULL
        )""",
        "CREATE INDEX revisions_by_plan ON revisions(plan_id, id)",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    (
        "ALTER TABLE plans ADD COLUMN version INTEGER NOT NULL DEFAULT 1, "
        "ADD COLUMN updated_by TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE revisions ADD COLUMN author TEXT NOT NULL DEFAULT '', ADD COLUMN version INTEGER, "
        "ADD COLUMN note TEXT NOT NULL DEFAULT ''",
    ),
    (  # 3: teams (planner/store/access.py); see sqlite.py for what the tables hold.
        """CREATE TABLE users (
            email TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            created_at TIMESTAMPTZ NOT NULL
        )""",
        """CREATE TABLE workspaces (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            personal_of TEXT UNIQUE,
            created_at TIMESTAMPTZ NOT NULL
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
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            author TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            body TEXT NOT NULL,
            resolved BOOLEAN NOT NULL DEFAULT FALSE
        )""",
        "CREATE INDEX comments_by_plan ON comments(plan_id, id)",
    ),
    (  # 4: workshops (planner/store/workshops.py); see sqlite.py for what the tables hold.
        """CREATE TABLE workshops (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            start_slug TEXT,
            start_plan_id TEXT,
            start_body TEXT NOT NULL,
            steps TEXT NOT NULL DEFAULT '[]',
            ends_at TIMESTAMPTZ,
            trainer_email TEXT,
            trainer_key_hash TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            archived BOOLEAN NOT NULL DEFAULT FALSE
        )""",
        "CREATE INDEX workshops_by_trainer ON workshops(trainer_email)",
        """CREATE TABLE participants (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL REFERENCES workshops(code) ON DELETE CASCADE,
            name TEXT NOT NULL,
            plan_id TEXT NOT NULL UNIQUE REFERENCES plans(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
            token_hash TEXT NOT NULL UNIQUE,
            joined_at TIMESTAMPTZ NOT NULL,
            last_step TEXT NOT NULL DEFAULT '',
            last_seen TIMESTAMPTZ
        )""",
        "CREATE INDEX participants_by_workshop ON participants(code, joined_at)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

# SQLSTATE (exact, then its two-character class) -> what the user is told.
_BY_STATE: dict[str, str] = {
    "25006": "storage.readonly",  # read_only_sql_transaction: default_transaction_read_only, hot standby
    "55P03": "storage.locked",  # lock_not_available (lock_timeout)
    "40P01": "storage.locked",  # deadlock_detected
    "40001": "storage.locked",  # serialization_failure
    "53100": "storage.full",  # disk_full
    "57014": "storage.unreachable",  # query_canceled: statement_timeout, the server is not answering
    "57P01": "storage.unreachable",  # admin_shutdown
    "57P02": "storage.unreachable",  # crash_shutdown
    "57P03": "storage.unreachable",  # cannot_connect_now: starting up or shutting down
    "53300": "storage.unreachable",  # too_many_connections
    "42501": "storage.denied",  # insufficient_privilege
    "3D000": "storage.denied",  # invalid_catalog_name: the database in the URL does not exist
}
_BY_CLASS: dict[str, str] = {
    "08": "storage.unreachable",  # connection_exception
    "28": "storage.denied",  # invalid_authorization_specification
}
# libpq's own connection failures carry no SQLSTATE.
_BY_TEXT: tuple[tuple[str, str], ...] = (
    ("password authentication failed", "storage.denied"),
    ("no pg_hba.conf entry", "storage.denied"),
    ("does not exist", "storage.denied"),
    ("read-only", "storage.readonly"),
)


def _classify(exc: psycopg.Error) -> StorageError:
    state = getattr(exc, "sqlstate", None) or ""
    key = _BY_STATE.get(state) or _BY_CLASS.get(state[:2])
    if key is None:
        text = str(exc).lower()
        key = next((k for needle, k in _BY_TEXT if needle in text), None)
    if key is None:
        # Connection refused, no socket, timeout, server closed the connection: no SQLSTATE.
        key = "storage.unreachable" if isinstance(exc, psycopg.OperationalError) and not state else "storage.failed"
    return StorageError(key, str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)


class _Retry(Exception):
    """The connection was found dead before the work reached the server: do it again on a new one."""


class PostgresPlanStore(PlanStore):
    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.RLock()
        self._conn: psycopg.Connection[Any] | None = None
        self._run(self._migrate, write=True)

    # --- connection ------------------------------------------------------------------------------
    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(
                self.url,
                autocommit=True,  # transactions are opened explicitly with conn.transaction()
                connect_timeout=CONNECT_TIMEOUT_S,
                options=f"-c lock_timeout={LOCK_TIMEOUT_MS} -c statement_timeout={STATEMENT_TIMEOUT_MS}",
                # A server that vanished without closing the socket is noticed, not waited for.
                tcp_user_timeout=STATEMENT_TIMEOUT_MS,
                keepalives_idle=30,
            )
        return self._conn

    def _drop_connection(self) -> None:
        if self._conn is not None:
            with suppress(psycopg.Error):
                self._conn.close()
            self._conn = None

    def _run(self, work: Callable[[psycopg.Connection[Any]], T], write: bool = False) -> T:
        """`work(conn)` inside one transaction; psycopg errors become StorageError."""
        with self._lock:
            for attempt in range(2):
                reused = self._conn is not None and not self._conn.closed
                committing = False
                try:
                    conn = self._connection()
                    with conn.transaction():  # commits on leaving the block
                        result = work(conn)
                        committing = True
                    return result
                except StorageError:
                    raise
                except psycopg.Error as exc:
                    dead = self._conn is None or self._conn.broken or self._conn.closed
                    if dead:
                        self._drop_connection()
                    # A connection the server dropped while it sat idle fails at its first statement:
                    # one more try on a new one. Not when the COMMIT itself failed: whether it was
                    # stored is unknown, so that is reported (the app retries) rather than repeated.
                    if attempt == 0 and dead and reused and not (write and committing):
                        continue
                    raise _classify(exc) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _migrate(self, conn: psycopg.Connection[Any]) -> None:
        found = _schema_version(conn)
        if found > SCHEMA_VERSION:
            raise StorageError("storage.newer_schema", f"schema {found} > {SCHEMA_VERSION}")
        if found == SCHEMA_VERSION:  # the usual open: reads only, so a read-only replica opens too
            return
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        found = _schema_version(conn)  # another process may have migrated while we waited
        for steps in MIGRATIONS[found:]:
            for statement in steps:
                conn.execute(statement)
        conn.execute("DELETE FROM schema_version")
        conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (SCHEMA_VERSION,))

    def close(self) -> None:
        with self._lock:
            self._drop_connection()

    def _transact(self, work: Callable[[Sql], T], write: bool = False) -> T:
        return self._run(lambda conn: work(_sql(conn)), write=write)

    # --- queries -------------------------------------------------------------------------------
    def list(self) -> list[PlanSummary]:
        rows = self._run(
            lambda c: c.execute(
                "SELECT id, name, updated_at, version, updated_by FROM plans ORDER BY updated_at DESC, name"
            ).fetchall()
        )
        return [PlanSummary(id=r[0], name=r[1], updated_at=r[2], version=r[3], updated_by=r[4]) for r in rows]

    def _get_body(self, plan_id: str) -> tuple[str, int]:
        row = self._run(lambda c: c.execute("SELECT body, version FROM plans WHERE id = %s", (plan_id,)).fetchone())
        if row is None:
            raise StorageError("storage.not_found", plan_id)
        return row[0], row[1]

    def version(self, plan_id: str) -> int:
        row = self._run(lambda c: c.execute("SELECT version FROM plans WHERE id = %s", (plan_id,)).fetchone())
        if row is None:
            raise StorageError("storage.not_found", plan_id)
        return int(row[0])

    def exists(self, plan_id: str) -> bool:
        return self._run(lambda c: c.execute("SELECT 1 FROM plans WHERE id = %s", (plan_id,)).fetchone()) is not None

    def revisions(self, plan_id: str) -> list[RevisionSummary]:
        rows = self._run(
            lambda c: c.execute(
                "SELECT id, plan_id, saved_at, author, version, note FROM revisions WHERE plan_id = %s "
                "ORDER BY id DESC",
                (plan_id,),
            ).fetchall()
        )
        return [
            RevisionSummary(id=r[0], plan_id=r[1], saved_at=r[2], author=r[3], version=r[4], note=r[5]) for r in rows
        ]

    def _get_revision_body(self, revision_id: int) -> str:
        row = self._run(lambda c: c.execute("SELECT body FROM revisions WHERE id = %s", (revision_id,)).fetchone())
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
        when = plan.meta.updated_at or now()
        # Parsing and comparing plan JSON costs milliseconds of Python; under the row lock it makes
        # every other session saving this plan wait that long too (30 sessions on one plan queued for
        # seconds). So a first read without the lock settles the cases that write nothing: a stale
        # version (the caller merges and tries again) and a save that changes nothing.
        seen = self._run(lambda conn: conn.execute("SELECT version, body FROM plans WHERE id = %s",
                                                   (plan.id,)).fetchone())
        if seen is not None and expected is not None and seen[0] != expected and guard is None:
            raise StaleVersion(load_plan(seen[1]), seen[0], f"{plan.id}: {seen[0]} != {expected}")
        unchanged = seen is not None and without_stamp(seen[1]) == without_stamp(body)

        def work(conn: psycopg.Connection[Any]) -> tuple[Plan, int] | tuple[str, int]:
            # FOR UPDATE holds the row until commit: a concurrent save_if waits here, then reads the
            # version this one wrote (READ COMMITTED re-reads a row it waited for) and is refused.
            row = conn.execute("SELECT version, body FROM plans WHERE id = %s FOR UPDATE", (plan.id,)).fetchone()
            if guard is not None:  # after the lock: it sees the row (and its workspace) as it stays
                guard(_sql(conn))
            if row is None and expected in (None, 0):
                inserted = conn.execute(
                    "INSERT INTO plans (id, name, updated_at, body, version, updated_by, workspace_id) "
                    "VALUES (%s, %s, %s, %s, 1, %s, %s) ON CONFLICT (id) DO NOTHING RETURNING version",
                    (plan.id, plan.meta.name, when, body, author, workspace),
                ).fetchone()
                if inserted is not None:
                    _add_version_revision(conn, plan.id, when, body, author, 1)
                    return plan, 1
                # Another session created it since the SELECT: lock and compare with its row.
                row = conn.execute("SELECT version, body FROM plans WHERE id = %s FOR UPDATE", (plan.id,)).fetchone()
                if guard is not None:  # perhaps in a workspace this user does not see
                    guard(_sql(conn))
            current = row[0] if row else 0
            if expected is not None and current != expected:
                return "stale", current  # the stored plan is parsed after the lock is released
            if row is None:  # deleted meanwhile by an unconditional save's race: nothing to update
                raise StorageError("storage.not_found", plan.id)
            if unchanged and seen is not None and row[0] == seen[0]:  # compared above, without the lock
                return "unchanged", current
            version = current + 1
            conn.execute(
                "UPDATE plans SET name = %s, updated_at = %s, body = %s, version = %s, updated_by = %s WHERE id = %s",
                (plan.meta.name, when, body, version, author, plan.id),
            )
            _add_version_revision(conn, plan.id, when, body, author, version)
            return plan, version

        result = self._run(work, write=True)
        if result[0] == "unchanged":  # the same plan but for its stamp: nothing written
            return plan, result[1]
        if result[0] == "stale":
            stored = self._run(lambda conn: conn.execute("SELECT version, body FROM plans WHERE id = %s",
                                                         (plan.id,)).fetchone())
            if stored is None:
                raise StaleVersion(None, 0, f"{plan.id}: deleted")
            raise StaleVersion(load_plan(stored[1]), stored[0], f"{plan.id}: {stored[0]} != {expected}")
        return result  # type: ignore[return-value]

    def _add_revision(self, plan_id: str, body: str, author: str, note: str) -> RevisionSummary:
        when = now()

        def work(conn: psycopg.Connection[Any]) -> int:
            # The plan's row lock first, as every save takes it: trimming revisions while a save
            # trims them too, without it, deadlocked (two DELETEs locking revision rows in turn).
            if conn.execute("SELECT 1 FROM plans WHERE id = %s FOR UPDATE", (plan_id,)).fetchone() is None:
                raise StorageError("storage.not_found", plan_id)
            row = conn.execute(
                "INSERT INTO revisions (plan_id, saved_at, body, author, version, note) "
                "VALUES (%s, %s, %s, %s, NULL, %s) RETURNING id",
                (plan_id, when, body, author, note),
            ).fetchone()
            _trim(conn, plan_id)
            return int(row[0]) if row else 0

        revision_id = self._run(work, write=True)
        return RevisionSummary(id=revision_id, plan_id=plan_id, saved_at=when, author=author, version=None, note=note)

    def delete(self, plan_id: str) -> None:
        self._run(lambda c: c.execute("DELETE FROM plans WHERE id = %s", (plan_id,)), write=True)

    # --- settings --------------------------------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self._run(lambda c: c.execute("SELECT value FROM settings WHERE key = %s", (key,)).fetchone())
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        self._run(
            lambda c: c.execute(
                "INSERT INTO settings (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                (key, value),
            ),
            write=True,
        )


def _sql(conn: psycopg.Connection[Any]) -> Sql:
    def run(statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        # The queries are written with `?` (SQLite's placeholder) and use no literal ? or %.
        cursor = conn.execute(statement.replace("?", "%s"), tuple(params))  # type: ignore[arg-type]
        return [tuple(row) for row in cursor.fetchall()] if cursor.description else []

    return run


def _schema_version(conn: psycopg.Connection[Any]) -> int:
    exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        # Tables without a schema_version table would be a foreign database; none at all is new.
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _add_version_revision(
    conn: psycopg.Connection[Any], plan_id: str, when: Any, body: str, author: str, version: int
) -> None:
    conn.execute(
        "INSERT INTO revisions (plan_id, saved_at, body, author, version) VALUES (%s, %s, %s, %s, %s)",
        (plan_id, when, body, author, version),
    )
    _trim(conn, plan_id)


def _trim(conn: psycopg.Connection[Any], plan_id: str) -> None:
    conn.execute(
        "DELETE FROM revisions WHERE plan_id = %s AND id NOT IN "
        "(SELECT id FROM revisions WHERE plan_id = %s ORDER BY id DESC LIMIT %s)",
        (plan_id, plan_id, MAX_REVISIONS),
    )
