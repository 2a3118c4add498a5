"""The rules of teams in the store beyond the role × action table (test_access.py), on SQLite and
PostgreSQL: another workspace's plan is not found exactly as a missing one, invitations for people
who never signed in, a workspace never without an owner, personal workspaces, plans from before
workspaces, per-user settings, merging saves through a TeamStore, and the schema migration."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from models import Plan
from planner.plan_core.json_io import plan_to_json
from planner.store import (
    AccessDenied,
    InvalidInput,
    PlanStore,
    Role,
    StaleVersion,
    StorageError,
    TeamStore,
    open_store,
)
from planner.store import postgres as pg_store
from planner.store import sqlite as sqlite_store
from planner.store.sync import Seen, save_merging


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "rules.sqlite3")
    return request.getfixturevalue("pg_db")


@pytest.fixture
def plain(url: str) -> Iterator[PlanStore]:
    store = open_store(url)
    yield store
    store.close()


def named(name: str) -> Plan:
    plan = Plan()
    plan.meta.name = name
    return plan


def _outcome(call: Callable[[], Any]) -> tuple[Any, ...] | str:
    try:
        result = call()
    except StaleVersion as exc:  # as for a deleted plan: no plan, version 0
        return (StaleVersion, exc.key, exc.plan, exc.version)
    except StorageError as exc:
        return (type(exc), exc.key)
    return f"returned {type(result).__name__}"


def test_another_workspaces_plan_is_not_found_exactly_as_a_missing_one(plain: PlanStore) -> None:
    ann = TeamStore(plain, "ann@example.com")
    secret = ann.save(named("秘密方案"))
    revision = ann.revisions(secret.id)[0].id
    comment = ann.add_comment(secret.id, "goal", "内部意见")
    bob = TeamStore(plain, "bob@example.com")
    theirs = secret.model_copy(deep=True)
    theirs.meta.name = "bob 的覆盖"

    def calls(plan_id: str, revision_id: int, comment_id: int) -> dict[str, Callable[[], Any]]:
        forged = theirs.model_copy(update={"id": plan_id})
        return {
            "get": lambda: bob.get(plan_id),
            "get_versioned": lambda: bob.get_versioned(plan_id),
            "version": lambda: bob.version(plan_id),
            "revisions": lambda: bob.revisions(plan_id),
            "get_revision": lambda: bob.get_revision(revision_id),
            "role_for_plan": lambda: bob.role_for_plan(plan_id),
            "save_if stale": lambda: bob.save_if(forged, 7),
            "save_revision_only": lambda: bob.save_revision_only(forged),
            "rename": lambda: bob.rename(plan_id, "x"),
            "duplicate": lambda: bob.duplicate(plan_id, "x"),
            "delete": lambda: bob.delete(plan_id),
            "restore": lambda: bob.restore(plan_id, revision_id),
            "move": lambda: bob.move(plan_id, bob.personal_workspace_id),
            "comments": lambda: bob.comments(plan_id),
            "add_comment": lambda: bob.add_comment(plan_id, "goal", "hi"),
            "resolve_comment": lambda: bob.resolve_comment(comment_id),
        }

    foreign = {name: _outcome(call) for name, call in calls(secret.id, revision, comment.id).items()}
    missing = {name: _outcome(call) for name, call in calls("nope", 987654, 987654).items()}
    assert foreign == missing
    assert set(foreign.values()) == {(StorageError, "storage.not_found"), (StaleVersion, "storage.stale", None, 0)}
    assert not bob.exists(secret.id) and bob.list() == []
    # An unconditional save or a new plan with that id does not overwrite it either (the one thing
    # a missing id would allow); it is refused as not found, and the plan is untouched.
    assert _outcome(lambda: bob.save(theirs)) == (StorageError, "storage.not_found")
    assert _outcome(lambda: bob.save_if(theirs, 0)) == (StorageError, "storage.not_found")
    assert plain.get_versioned(secret.id) == ann.get_versioned(secret.id)
    assert ann.get(secret.id).meta.name == "秘密方案" and ann.comments(secret.id)[0].text == "内部意见"


def test_an_invitation_for_someone_who_never_signed_in_applies_when_they_do(plain: PlanStore) -> None:
    ann = TeamStore(plain, "ann@example.com")
    ops = ann.create_workspace("运营组")
    ann.invite(ops.id, "  New.Person@Example.COM ", "editor")
    [_, pending] = ann.members(ops.id)
    assert (pending.email, pending.role, pending.pending, pending.name) == (
        "new.person@example.com",
        "editor",
        True,
        "",
    )
    ann.workspace_id = ops.id
    plan = ann.save(named("共享方案"))

    new = TeamStore(plain, "new.person@example.com", name="新同事")
    assert [(w.name, w.personal, w.role) for w in new.workspaces()] == [
        ("新同事", True, Role.OWNER),
        ("运营组", False, Role.EDITOR),
    ]
    assert new.role_for_plan(plan.id) is Role.EDITOR
    assert [(m.email, m.pending, m.name) for m in ann.members(ops.id)] == [
        ("ann@example.com", False, ""),
        ("new.person@example.com", False, "新同事"),
    ]
    # Inviting an existing member again changes their role.
    ann.invite(ops.id, "new.person@example.com", Role.VIEWER)
    assert new.role_for_plan(plan.id) is Role.VIEWER
    # Withdrawing a pending invitation.
    ann.invite(ops.id, "later@example.com", Role.VIEWER)
    ann.remove_member(ops.id, "later@example.com")
    assert "later@example.com" not in {m.email for m in ann.members(ops.id)}
    assert [w.name for w in TeamStore(plain, "later@example.com").workspaces()] == ["later@example.com"]


def test_a_workspace_always_keeps_an_owner_who_signed_in(plain: PlanStore) -> None:
    ann = TeamStore(plain, "ann@example.com")
    ops = ann.create_workspace("运营组")
    for refused in (
        lambda: ann.set_role(ops.id, "ann@example.com", Role.EDITOR),
        lambda: ann.invite(ops.id, "ann@example.com", Role.VIEWER),
        lambda: ann.remove_member(ops.id, "ann@example.com"),  # leaving
    ):
        with pytest.raises(AccessDenied) as info:
            refused()
        assert info.value.reason == "access.last_owner"
    ann.invite(ops.id, "bob@example.com", Role.OWNER)  # pending: does not count yet
    with pytest.raises(AccessDenied, match=r"access.last_owner"):
        ann.remove_member(ops.id, "ann@example.com")
    bob = TeamStore(plain, "bob@example.com")  # signs in: now there are two owners
    ann.remove_member(ops.id, "ann@example.com")  # ann leaves
    assert [w.name for w in ann.workspaces()] == ["ann@example.com"]
    assert [(m.email, m.role) for m in bob.members(ops.id)] == [("bob@example.com", Role.OWNER)]
    with pytest.raises(AccessDenied, match=r"access.no_such_member"):
        bob.set_role(ops.id, "ann@example.com", Role.EDITOR)
    bob.invite(ops.id, "cy@example.com", Role.EDITOR)
    cy = TeamStore(plain, "cy@example.com")
    cy.remove_member(ops.id, "cy@example.com")  # anyone may leave
    assert [m.email for m in bob.members(ops.id)] == ["bob@example.com"]


def test_the_personal_workspace(plain: PlanStore) -> None:
    for not_an_address in ("", "  ", "ann", "@example.com", "ann@", "a nn@example.com"):
        with pytest.raises(InvalidInput) as bad:
            TeamStore(plain, not_an_address)
        assert bad.value.key == "access.bad_email" and isinstance(bad.value, ValueError)
    first = TeamStore(plain, "ann@example.com")  # the command line: no name, the address it is
    assert first.workspaces()[0].name == "ann@example.com"
    ann = TeamStore(plain, " Ann@Example.com ", name="安")  # signs in: named after her name
    again = TeamStore(plain, "ann@example.com")  # created once
    assert ann.email == "ann@example.com" and again.personal_workspace_id == ann.personal_workspace_id
    [home] = ann.workspaces()
    assert (home.id, home.name, home.personal, home.role) == (ann.personal_workspace_id, "安", True, Role.OWNER)
    assert ann.workspace_id == home.id and ann.workspace_by_name("安") == home == ann.workspace_by_name(home.id)
    for refused in (
        lambda: ann.invite(home.id, "bob@example.com", Role.VIEWER),
        lambda: ann.delete_workspace(home.id),
        lambda: ann.remove_member(home.id, "ann@example.com"),
    ):
        with pytest.raises(AccessDenied) as info:
            refused()
        assert info.value.reason == "access.personal_workspace"
    plan = ann.save(named("私人"))
    assert [(s.id, s.workspace_id) for s in ann.list()] == [(plan.id, home.id)]
    with pytest.raises(StorageError, match=r"storage.not_found"):
        ann.workspace_by_name("没有这个")
    with pytest.raises(InvalidInput, match=r"access.empty_name"):
        ann.create_workspace(" \x00 ")
    with pytest.raises(InvalidInput, match=r"access.empty_comment"):
        ann.add_comment(plan.id, "goal", "  \n ")
    ann.create_workspace("重名")
    ann.create_workspace("重名")
    with pytest.raises(StorageError) as info:
        ann.workspace_by_name("重名")
    assert info.value.key == "storage.ambiguous_workspace"


def test_new_plans_go_where_workspace_id_says_and_need_editing_rights(plain: PlanStore) -> None:
    ann = TeamStore(plain, "ann@example.com")
    ops = ann.create_workspace("运营组")
    ann.invite(ops.id, "bob@example.com", Role.VIEWER)
    bob = TeamStore(plain, "bob@example.com", workspace_id=ops.id)
    with pytest.raises(AccessDenied, match=r"access.viewer_cannot_edit"):
        bob.save_if(named("b"), 0)
    bob.workspace_id = ann.personal_workspace_id  # not his
    with pytest.raises(AccessDenied, match=r"access.not_member"):
        bob.save(named("b"))
    bob.workspace_id = bob.personal_workspace_id
    mine, version = bob.save_if(named("b"), 0)
    assert version == 1 and bob.list()[0].workspace_id == bob.personal_workspace_id
    assert plain.list()[0].id == mine.id  # solo mode (the plain store) sees every plan


def test_plans_from_before_workspaces_belong_to_no_team_until_adopted(plain: PlanStore) -> None:
    old = [plain.save(named(f"旧方案 {i}")) for i in range(3)]
    ann = TeamStore(plain, "ann@example.com")
    assert ann.list() == []
    with pytest.raises(StorageError, match=r"storage.not_found"):
        ann.get(old[0].id)
    ops = ann.create_workspace("运营组")
    ann.invite(ops.id, "bob@example.com", Role.EDITOR)
    bob = TeamStore(plain, "bob@example.com")
    with pytest.raises(AccessDenied, match=r"access.owner_only"):
        bob.adopt_unassigned(ops.id)
    assert ann.adopt_unassigned(ops.id) == 3
    assert {s.id for s in bob.list()} == {p.id for p in old}
    assert ann.adopt_unassigned(ops.id) == 0
    assert len(plain.list()) == 3  # solo mode still sees them


def test_settings_are_per_user(plain: PlanStore) -> None:
    ann, bob = TeamStore(plain, "ann@example.com"), TeamStore(plain, "bob@example.com")
    ann.set_setting("lang", "en")
    bob.set_setting("lang", "zh")
    ann.set_setting("last_plan", "a1")
    assert (ann.get_setting("lang"), bob.get_setting("lang")) == ("en", "zh")
    assert bob.get_setting("last_plan") is None and bob.get_setting("last_plan", "x") == "x"
    assert plain.get_setting("lang") is None  # solo mode's own settings are apart


def test_two_editors_merge_through_team_stores(plain: PlanStore) -> None:
    ann = TeamStore(plain, "ann@example.com")
    ops = ann.create_workspace("运营组")
    ann.invite(ops.id, "bob@example.com", Role.EDITOR)
    ann.workspace_id = ops.id
    base, version = ann.save_if(named("方案"), 0)
    bob = TeamStore(plain, "bob@example.com")
    mine_a, mine_b = base.model_copy(deep=True), base.model_copy(deep=True)
    mine_a.meta.name = "ann 的名字"
    mine_b.positioning.why = "bob 的为什么"
    save_merging(ann, mine_a, Seen(base, version))
    outcome = save_merging(bob, mine_b, Seen(base, version))
    assert outcome.merged and not outcome.conflicts and outcome.version == 3
    stored = ann.get(base.id)
    assert (stored.meta.name, stored.positioning.why) == ("ann 的名字", "bob 的为什么")
    assert [r.author for r in ann.revisions(base.id)][:2] == ["bob@example.com", "ann@example.com"]


def test_many_first_appearances_at_once_make_one_personal_workspace(url: str) -> None:
    stores = [open_store(url) for _ in range(4)]
    found: list[str] = []
    errors: list[BaseException] = []

    def appear(store: PlanStore) -> None:
        try:
            found.append(TeamStore(store, "same@example.com").personal_workspace_id)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=appear, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.close()
    # SQLite's busy timeout can refuse a writer under contention (storage.locked): the app retries.
    assert all(isinstance(e, StorageError) and e.key == "storage.locked" for e in errors)
    assert len(set(found)) == 1


# --- the migration to schema 3 -------------------------------------------------------------------


def _plan_rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for name in ("早起营", "读书会"):
        plan = named(name)
        rows.append((plan.id, name, "2026-01-02T08:00:00+00:00", plan_to_json(plan)))
    return rows


def _check_schema_3(url: str, rows: list[tuple[str, str, str, str]]) -> None:
    store = open_store(url)
    try:
        assert {(s.id, s.version, s.workspace_id) for s in store.list()} == {(r[0], 1, None) for r in rows}
        ann = TeamStore(store, "ann@example.com")
        assert ann.list() == []
        ops = ann.create_workspace("运营组")
        assert ann.adopt_unassigned(ops.id) == 2
        assert {s.id for s in ann.list()} == {r[0] for r in rows}
        assert ann.get(rows[0][0]).meta.name == "早起营" and ann.revisions(rows[0][0])[0].author == "old"
        ann.add_comment(rows[0][0], "goal", "迁移后第一条意见")
        assert store.get_setting("lang") == "en"
    finally:
        store.close()


def test_sqlite_from_schema_2(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    rows = _plan_rows()
    with sqlite3.connect(path) as db:
        for steps in sqlite_store.MIGRATIONS[:2]:
            for statement in steps:
                db.execute(statement)
        db.execute("PRAGMA user_version = 2")
        db.executemany("INSERT INTO plans (id, name, updated_at, body) VALUES (?, ?, ?, ?)", rows)
        db.executemany(
            "INSERT INTO revisions (plan_id, saved_at, body, author, version) VALUES (?, ?, ?, 'old', 1)",
            [(r[0], r[2], r[3]) for r in rows],
        )
        db.execute("INSERT INTO settings (key, value) VALUES ('lang', 'en')")
    db.close()
    _check_schema_3(str(path), rows)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == sqlite_store.SCHEMA_VERSION == 4
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()


def test_postgres_from_schema_2(pg_db: str) -> None:
    import psycopg

    rows = _plan_rows()
    with psycopg.connect(pg_db, autocommit=True) as conn:
        for steps in pg_store.MIGRATIONS[:2]:
            for statement in steps:
                conn.execute(statement)
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES (2)")
        conn.cursor().executemany("INSERT INTO plans (id, name, updated_at, body) VALUES (%s, %s, %s, %s)", rows)
        conn.cursor().executemany(
            "INSERT INTO revisions (plan_id, saved_at, body, author, version) VALUES (%s, %s, %s, 'old', 1)",
            [(r[0], r[2], r[3]) for r in rows],
        )
        conn.execute("INSERT INTO settings (key, value) VALUES ('lang', 'en')")
    _check_schema_3(pg_db, rows)
    with psycopg.connect(pg_db) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(pg_store.SCHEMA_VERSION,)]
    assert pg_store.SCHEMA_VERSION == 4
