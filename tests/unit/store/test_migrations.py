"""A database written before plans had versions opens with the new code: plans keep their data
and get version 1, old revisions still restore; a database from a newer app is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from models import Plan
from planner.plan_core.json_io import plan_to_json
from planner.store import StorageError, open_store
from planner.store import postgres as pg_store
from planner.store import sqlite as sqlite_store

# The schema as the app created it before versions (planner/store/sqlite.py at 62f9969), verbatim.
SQLITE_SCHEMA_BEFORE_VERSIONS = """
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


def _old_rows() -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, str]]]:
    """Two plans as the old code stored them: the first with two revisions, the second with one."""
    plans, revisions = [], []
    for name, versions in (("早起营", ["早起营 v1", "早起营"]), ("读书会", ["读书会"])):
        plan = Plan()
        for i, label in enumerate(versions):
            plan.meta.name = label
            plan.meta.updated_at = None
            body = plan_to_json(plan)
            revisions.append((plan.id, f"2026-01-0{i + 1}T08:00:00+00:00", body))
        plans.append((plan.id, name, f"2026-01-0{len(versions)}T08:00:00+00:00", body))
    return plans, revisions


def _check_upgraded(url: str, plans: list[tuple[str, str, str, str]]) -> None:
    store = open_store(url)
    try:
        assert {(s.id, s.name, s.version) for s in store.list()} == {(p[0], p[1], 1) for p in plans}
        first = plans[0][0]
        assert store.get_versioned(first)[0].meta.name == "早起营"
        old = store.revisions(first)
        assert [(r.author, r.version) for r in old] == [("", None), ("", None)]
        restored = store.restore(first, old[-1].id, author="会话 3f2a")
        assert restored.meta.name == "早起营 v1" and store.version(first) == 2
        assert store.get_setting("lang") == "en"
        _, version = store.save_if(restored, 2, author="x")
        assert version == 2  # unchanged
    finally:
        store.close()


def test_sqlite_from_the_schema_before_versions(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    plans, revisions = _old_rows()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.executescript(SQLITE_SCHEMA_BEFORE_VERSIONS)
        db.executemany("INSERT INTO plans (id, name, updated_at, body) VALUES (?, ?, ?, ?)", plans)
        db.executemany("INSERT INTO revisions (plan_id, saved_at, body) VALUES (?, ?, ?)", revisions)
        db.execute("INSERT INTO settings (key, value) VALUES ('lang', 'en')")
        assert db.execute("PRAGMA user_version").fetchone()[0] == 0
    db.close()
    _check_upgraded(str(path), plans)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == sqlite_store.SCHEMA_VERSION == 4
    db.close()
    again = open_store(f"sqlite:///{path}")  # opening again migrates nothing
    assert again.version(plans[0][0]) == 2 and again.version(plans[1][0]) == 1
    again.close()


def test_postgres_from_schema_version_1(pg_db: str) -> None:
    import psycopg

    plans, revisions = _old_rows()
    with psycopg.connect(pg_db, autocommit=True) as conn:
        for statement in pg_store.MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES (1)")
        conn.cursor().executemany("INSERT INTO plans (id, name, updated_at, body) VALUES (%s, %s, %s, %s)", plans)
        conn.cursor().executemany("INSERT INTO revisions (plan_id, saved_at, body) VALUES (%s, %s, %s)", revisions)
        conn.execute("INSERT INTO settings (key, value) VALUES ('lang', 'en')")
    _check_upgraded(pg_db, plans)
    with psycopg.connect(pg_db) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(pg_store.SCHEMA_VERSION,)]


def test_a_new_postgres_database_gets_the_whole_schema(pg_db: str) -> None:
    store = open_store(pg_db)
    store.close()
    store = open_store(pg_db)  # up to date: nothing to do
    assert store.list() == []
    store.close()


def test_sqlite_written_by_a_newer_app_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    open_store(str(path)).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StorageError) as info:
        open_store(str(path))
    assert info.value.key == "storage.newer_schema"


def test_postgres_written_by_a_newer_app_is_refused(pg_db: str) -> None:
    import psycopg

    open_store(pg_db).close()
    with psycopg.connect(pg_db, autocommit=True) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StorageError) as info:
        open_store(pg_db)
    assert info.value.key == "storage.newer_schema"
