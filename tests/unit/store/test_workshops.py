"""Workshops in the store (issue 16), on SQLite and PostgreSQL: create, join, resume; trainer keys;
a participant's store reaches their own plan only (any other id is exactly a missing one);
archived and ended workshops refuse; delete erases plans and revisions; migration from schema 3."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from models import Plan
from planner.plan.examples import load_example
from planner.plan_core.json_io import plan_to_json
from planner.store import (
    AccessDenied,
    InvalidInput,
    ParticipantStore,
    PlanStore,
    StaleVersion,
    StorageError,
    TeamStore,
    WorkshopStore,
    open_store,
)
from planner.store import postgres as pg_store
from planner.store import sqlite as sqlite_store
from planner.store.workshops import CODE_ALPHABET, MAX_NAME_CHARS, normalise_code

NOT_FOUND = "storage.not_found"


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "workshops.sqlite3")
    return request.getfixturevalue("pg_db")


@pytest.fixture
def plain(url: str) -> Iterator[PlanStore]:
    store = open_store(url)
    yield store
    store.close()


@pytest.fixture
def shops(plain: PlanStore) -> WorkshopStore:
    return WorkshopStore(plain)


def _start() -> Plan:
    return load_example("early_rise_camp")


def _raw(plain: PlanStore, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    return plain._transact(lambda sql: sql(query, params))


def _key(fn: Callable[[], Any]) -> str:
    with pytest.raises(StorageError) as info:
        fn()
    return info.value.key


# --- create, get, trainer ---------------------------------------------------------------------


def test_create_and_get(shops: WorkshopStore) -> None:
    start = _start()
    made, key = shops.create(
        " 周末 工作坊 ",
        start,
        start_slug="early_rise_camp",
        steps=["positioning", "sop"],
        ends_at=datetime(2030, 1, 1, 10, tzinfo=UTC),
    )
    assert len(made.code) == 6 and set(made.code) <= set(CODE_ALPHABET)
    assert not set(made.code) & set("0O1I")
    assert (made.name, made.start_slug, made.start_plan_id, made.steps) == (
        "周末 工作坊",
        "early_rise_camp",
        start.id,
        ["positioning", "sop"],
    )
    assert made.ends_at == datetime(2030, 1, 1, 10, tzinfo=UTC) and not made.archived and made.open()
    assert key and len(key) >= 24
    spelled = f"{made.code[:3].lower()}-{made.code[3:].lower()} "
    assert shops.get(spelled) == made == shops.get(made.code)
    assert shops.start_plan(made.code) == start
    assert [w.code for w in shops.workshops()] == [made.code]
    assert _key(lambda: shops.get("ZZZZZ9" if made.code != "ZZZZZ9" else "ZZZZZ8")) == NOT_FOUND
    assert _key(lambda: shops.get("nonsense code")) == NOT_FOUND
    assert normalise_code("abc") == "" and normalise_code("OOOOOO") == ""
    with pytest.raises(InvalidInput) as info:
        shops.create("   ", start)
    assert info.value.key == "workshop.title_blank"


def test_trainer_key_right_wrong_missing(shops: WorkshopStore, plain: PlanStore) -> None:
    one, key = shops.create("一", _start())
    _, other_key = shops.create("二", _start())
    assert key and other_key and key != other_key
    assert shops.is_trainer(one.code, key=key)
    assert shops.is_trainer(one.code.lower(), key=f" {key} ")
    assert not shops.is_trainer(one.code, key=key + "x")
    assert not shops.is_trainer(one.code, key=other_key)  # another workshop's key
    assert not shops.is_trainer(one.code, key="")
    assert not shops.is_trainer(one.code)
    assert not shops.is_trainer(one.code, email="someone@example.com")
    assert not shops.is_trainer("ZZZZZZ", key=key)
    # Only a salted hash is stored: not the key, and not the same hash for the same key twice.
    stored = _raw(plain, "SELECT trainer_key_hash FROM workshops WHERE code = ?", (one.code,))[0][0]
    assert key not in stored and stored.startswith("sha256$")


def test_trainer_by_email_gets_no_key(shops: WorkshopStore) -> None:
    made, key = shops.create("签到工作坊", _start(), trainer_email="Trainer@Example.com")
    assert key is None and made.trainer_email == "trainer@example.com"
    assert shops.is_trainer(made.code, email="TRAINER@example.com ")
    assert not shops.is_trainer(made.code, email="other@example.com")
    assert not shops.is_trainer(made.code, email="no address")
    assert not shops.is_trainer(made.code, key="anything")
    assert [w.code for w in shops.workshops("trainer@example.com")] == [made.code]
    assert shops.workshops("other@example.com") == []


# --- join and resume --------------------------------------------------------------------------


def test_join_gives_an_own_copy_and_resume_finds_it(shops: WorkshopStore, plain: PlanStore) -> None:
    start = _start()
    made, _ = shops.create("工作坊", start)
    person, token = shops.join(made.code.lower(), "  小明  ")
    assert person.name == "小明" and person.code == made.code and person.last_step == "" and person.last_seen is None
    assert len(token) >= 32
    plan = plain.get(person.plan_id)
    assert plan.id != start.id and plan.meta.name == f"小明 · {start.meta.name}"
    assert plan.positioning == start.positioning and plan.sop == start.sop
    [summary] = [s for s in plain.list() if s.id == person.plan_id]
    assert summary.workspace_id is None and summary.version == 1
    assert shops.resume(token) == person
    assert shops.resume(f" {token} ") == person
    for wrong in ("", token[:-1], token + "x", person.id, person.plan_id):
        assert _key(lambda w=wrong: shops.resume(w)) == NOT_FOUND
    stored = _raw(plain, "SELECT token_hash FROM participants WHERE id = ?", (person.id,))[0][0]
    assert token not in stored
    other, other_token = shops.join(made.code, "小红")
    assert other_token != token and other.plan_id != person.plan_id
    assert [p.name for p in shops.participants(made.code)] == ["小明", "小红"]
    assert shops.participant_plan_ids() == {person.plan_id, other.plan_id}


def test_join_refusals_store_nothing(shops: WorkshopStore, plain: PlanStore) -> None:
    made, _ = shops.create("工作坊", _start())
    for name, reason in (
        ("", "workshop.name_blank"),
        (" \n\t ", "workshop.name_blank"),
        ("长" * (MAX_NAME_CHARS + 1), "workshop.name_too_long"),
    ):
        with pytest.raises(InvalidInput) as info:
            shops.join(made.code, name)
        assert info.value.key == reason
    assert shops.join(made.code, "长" * MAX_NAME_CHARS)[0].name == "长" * MAX_NAME_CHARS
    assert _key(lambda: shops.join("ZZZZZZ" if made.code != "ZZZZZZ" else "YYYYYY", "小明")) == NOT_FOUND
    ended, _ = shops.create("已结束", _start(), ends_at=datetime.now(UTC) - timedelta(minutes=1))
    with pytest.raises(AccessDenied) as denied:
        shops.join(ended.code, "小明")
    assert denied.value.reason == "workshop.ended" and not ended.open()
    shops.archive(made.code)
    with pytest.raises(AccessDenied) as denied:
        shops.join(made.code, "小明")
    assert denied.value.reason == "workshop.archived"
    assert len(plain.list()) == 1 and len(shops.participants(made.code)) == 1
    assert shops.participants(ended.code) == []
    assert shops.archive(made.code, archived=False).open()  # opened again
    assert shops.join(made.code, "小刚")[0].name == "小刚"
    assert _key(lambda: shops.archive("ZZZZZZ" if made.code != "ZZZZZZ" else "YYYYYY")) == NOT_FOUND


def test_touch_records_step_and_time(shops: WorkshopStore) -> None:
    made, _ = shops.create("工作坊", _start())
    person, token = shops.join(made.code, "小明")
    before = datetime.now(UTC).replace(microsecond=0)
    shops.touch(person.id, "positioning")
    [seen] = shops.participants(made.code)
    assert seen.last_step == "positioning" and seen.last_seen is not None and seen.last_seen >= before
    ParticipantStore(shops.store, token).touch("sop")
    assert shops.resume(token).last_step == "sop"
    # Staying on one step writes at most every TOUCH_EVERY: an older last_seen is renewed.
    old = datetime(2026, 1, 1, tzinfo=UTC)
    shops.store._transact(lambda sql: sql("UPDATE participants SET last_seen = ?", (old,)), write=True)
    shops.touch(person.id, "sop")
    assert shops.resume(token).last_seen > old
    shops.store._transact(lambda sql: sql("DELETE FROM participants WHERE id = ?", (person.id,)), write=True)
    assert _key(lambda: shops.touch(person.id, "sop")) == NOT_FOUND


# --- a participant's view -----------------------------------------------------------------------


def _room(plain: PlanStore, shops: WorkshopStore) -> tuple[ParticipantStore, ParticipantStore, str, str]:
    """Two participants of one workshop, a solo plan and a team plan; returns A's and B's stores, the
    solo plan's id and the team plan's id. B's plan has two versions."""
    made, _ = shops.create("工作坊", _start())
    a, _ = shops.join(made.code, "小明")
    b, token_b = shops.join(made.code, "小红")
    solo = Plan()
    solo.meta.name = "讲师自己的方案"
    plain.save(solo)
    owner = TeamStore(plain, "owner@example.com")
    team_plan = Plan()
    team_plan.meta.name = "团队方案"
    owner.save(team_plan)
    as_b = ParticipantStore(plain, token_b)
    plan_b, version = as_b.get_versioned(b.plan_id)
    plan_b.meta.name = "小红改过"
    as_b.save_if(plan_b, version)
    return ParticipantStore(plain, a), as_b, solo.id, team_plan.id


def _everything_on(store: ParticipantStore, plan_id: str, revision_id: int) -> dict[str, Any]:
    """What each method answers for `plan_id`: a result, or the refusal's key (StaleVersion's plan
    and version too)."""

    def outcome(fn: Callable[[], Any]) -> Any:
        try:
            fn()
        except StaleVersion as exc:
            return ("stale", exc.plan, exc.version)
        except StorageError as exc:
            return exc.key
        return "ok"

    probe = Plan()
    probe.id = plan_id
    return {
        "get": outcome(lambda: store.get(plan_id)),
        "get_versioned": outcome(lambda: store.get_versioned(plan_id)),
        "version": outcome(lambda: store.version(plan_id)),
        "exists": store.exists(plan_id),
        "revisions": outcome(lambda: store.revisions(plan_id)),
        "get_revision": outcome(lambda: store.get_revision(revision_id)),
        "save_if_new": outcome(lambda: store.save_if(probe, 0)),
        "save_if_v2": outcome(lambda: store.save_if(probe, 2)),
        "save": outcome(lambda: store.save(probe)),
        "save_revision_only": outcome(lambda: store.save_revision_only(probe)),
        "rename": outcome(lambda: store.rename(plan_id, "偷改")),
        "duplicate": outcome(lambda: store.duplicate(plan_id, "偷抄")),
        "restore": outcome(lambda: store.restore(plan_id, revision_id)),
        "delete": outcome(lambda: store.delete(plan_id)),
    }


def test_a_participant_reaches_no_other_plan(plain: PlanStore, shops: WorkshopStore) -> None:
    as_a, as_b, solo_id, team_id = _room(plain, shops)
    b_id = as_b.plan_id
    before = {s.id: (s.name, s.version) for s in plain.list()}
    revisions = {pid: plain.revisions(pid)[-1].id for pid in (b_id, solo_id, team_id)}
    missing = _everything_on(as_a, Plan().id, 10**9)
    assert missing == {
        "get": NOT_FOUND,
        "get_versioned": NOT_FOUND,
        "version": NOT_FOUND,
        "exists": False,
        "revisions": NOT_FOUND,
        "get_revision": NOT_FOUND,
        "save_if_new": NOT_FOUND,
        "save_if_v2": ("stale", None, 0),
        "save": NOT_FOUND,
        "save_revision_only": NOT_FOUND,
        "rename": NOT_FOUND,
        "duplicate": NOT_FOUND,
        "restore": NOT_FOUND,
        "delete": NOT_FOUND,
    }
    for other in (b_id, solo_id, team_id):
        assert _everything_on(as_a, other, revisions[other]) == missing, other
    assert [s.id for s in as_a.list()] == [as_a.plan_id]
    assert {s.id: (s.name, s.version) for s in plain.list()} == before  # nothing changed anywhere
    assert [s.id for s in as_b.list()] == [b_id]
    assert as_b.get(b_id).meta.name == "小红改过"


def test_a_participant_works_on_their_own_plan(plain: PlanStore, shops: WorkshopStore) -> None:
    as_a, _, _, _ = _room(plain, shops)
    own = as_a.plan_id
    plan, version = as_a.get_versioned(own)
    assert version == 1 and as_a.exists(own) and as_a.version(own) == 1
    plan.positioning.why = "早起的人更从容"
    stored, version = as_a.save_if(plan, 1)
    assert version == 2
    with pytest.raises(StaleVersion):
        as_a.save_if(plan, 1)
    assert as_a.rename(own, "小明的早起营").meta.name == "小明的早起营"
    history = as_a.revisions(own)
    assert [r.version for r in history] == [3, 2, 1] and history[0].author == "小明"
    assert as_a.get_revision(history[-1].id).positioning.why != "早起的人更从容"
    restored = as_a.restore(own, history[-1].id)
    assert restored.meta.name != "小明的早起营" and as_a.version(own) == 4
    kept = as_a.save_revision_only(stored, note="合并时落选")
    assert kept.version is None and kept.author == "小明"
    with pytest.raises(AccessDenied) as info:
        as_a.delete(own)
    assert info.value.reason == "workshop.keep_plan"
    with pytest.raises(AccessDenied) as info:
        as_a.duplicate(own, "副本")
    assert info.value.reason == "workshop.one_plan"
    assert as_a.exists(own) and len(as_a.list()) == 1
    assert as_a.start_plan() == shops.start_plan(as_a.participant.code)
    assert as_a.workshop().code == as_a.participant.code


def test_settings_are_the_participants_own(plain: PlanStore, shops: WorkshopStore) -> None:
    as_a, as_b, _, _ = _room(plain, shops)
    as_a.set_setting("lang", "en")
    assert as_a.get_setting("lang") == "en"
    assert as_b.get_setting("lang") is None and plain.get_setting("lang") is None
    as_b.set_setting("lang", "zh")
    assert as_a.get_setting("lang") == "en"


def test_archived_refuses_writes_ended_does_not(plain: PlanStore, shops: WorkshopStore) -> None:
    soon = datetime.now(UTC) + timedelta(seconds=2)
    made, _ = shops.create("工作坊", _start(), ends_at=soon)
    person, token = shops.join(made.code, "小明")
    mine = ParticipantStore(plain, token)
    plan, version = mine.get_versioned(person.plan_id)
    shops.store._transact(  # the end time passes
        lambda sql: sql(
            "UPDATE workshops SET ends_at = ? WHERE code = ?", (datetime.now(UTC) - timedelta(1), made.code)
        ),
        write=True,
    )
    assert shops.get(made.code).ended()
    plan.positioning.why = "结束后补一句"
    plan, version = mine.save_if(plan, version)  # finishing a sentence after the end is fine
    shops.archive(made.code)
    revision = mine.revisions(person.plan_id)[-1].id
    for write in (
        lambda: mine.save(plan),
        lambda: mine.save_if(plan, version),
        lambda: mine.rename(person.plan_id, "归档后"),
        lambda: mine.save_revision_only(plan),
        lambda: mine.restore(person.plan_id, revision),
    ):
        with pytest.raises(AccessDenied) as info:
            write()
        assert info.value.reason == "workshop.archived" and info.value.key == "storage.denied_action"
    assert mine.get(person.plan_id).positioning.why == "结束后补一句"  # still readable, unchanged
    assert mine.version(person.plan_id) == version
    assert ParticipantStore(plain, token).participant == person  # resume still works (to download)


def test_delete_erases_participants_plans_and_revisions(plain: PlanStore, shops: WorkshopStore) -> None:
    as_a, as_b, solo_id, team_id = _room(plain, shops)
    code = as_a.participant.code
    keep, _ = shops.create("另一个", _start())
    kept_person, kept_token = shops.join(keep.code, "别的学员")
    as_a.set_setting("lang", "en")
    ids = [as_a.plan_id, as_b.plan_id]
    assert _raw(plain, "SELECT count(*) FROM revisions WHERE plan_id IN (?, ?)", tuple(ids))[0][0] == 3
    assert shops.delete(code.lower()) == 2
    for pid in ids:
        assert not plain.exists(pid)
    assert _raw(plain, "SELECT count(*) FROM revisions WHERE plan_id IN (?, ?)", tuple(ids))[0][0] == 0
    assert _raw(plain, "SELECT count(*) FROM participants WHERE code = ?", (code,))[0][0] == 0
    assert _raw(plain, "SELECT count(*) FROM settings WHERE key LIKE ?", ("participant:%",))[0][0] == 0
    assert _key(lambda: shops.get(code)) == NOT_FOUND
    assert _key(lambda: shops.resume("anything")) == NOT_FOUND
    assert _key(lambda: as_a.get(as_a.plan_id)) == NOT_FOUND
    assert _key(lambda: as_a.save(Plan(id=as_a.plan_id))) == NOT_FOUND
    assert _key(lambda: shops.delete(code)) == NOT_FOUND
    assert plain.exists(solo_id) and plain.exists(team_id)  # nobody else's plan
    assert shops.resume(kept_token) == kept_person and plain.exists(kept_person.plan_id)


def test_participant_plans_stay_out_of_team_workspaces(plain: PlanStore, shops: WorkshopStore) -> None:
    made, _ = shops.create("工作坊", _start())
    person, token = shops.join(made.code, "小明")
    ann = TeamStore(plain, "ann@example.com")
    # A WorkshopStore over a TeamStore works on the plain store: workshop plans have no workspace.
    assert WorkshopStore(ann).get(made.code) == made
    assert ann.list() == [] and not ann.exists(person.plan_id)
    ops = ann.create_workspace("运营组")
    assert ann.adopt_unassigned(ops.id) == 0  # the workshop's plans are not "plans from before teams"
    assert ann.list() == [] and ParticipantStore(plain, token).exists(person.plan_id)


# --- migration from schema 3 --------------------------------------------------------------------


def _schema_3_plan() -> Plan:
    plan = Plan()
    plan.meta.name = "升级前的方案"
    return plan


def _check_schema_4(url: str, plan: Plan) -> None:
    store = open_store(url)
    try:
        assert store.get(plan.id).meta.name == "升级前的方案"
        shops = WorkshopStore(store)
        made, key = shops.create("升级后第一个工作坊", store.get(plan.id))
        person, token = shops.join(made.code, "小明")
        assert shops.is_trainer(made.code, key=key) and shops.resume(token) == person
        assert ParticipantStore(store, token).get(person.plan_id).meta.name == "小明 · 升级前的方案"
        assert shops.delete(made.code) == 1 and store.exists(plan.id)
    finally:
        store.close()


def test_sqlite_from_schema_3(tmp_path: Path) -> None:
    path = tmp_path / "v3.sqlite3"
    plan = _schema_3_plan()
    with sqlite3.connect(path) as db:
        for steps in sqlite_store.MIGRATIONS[:3]:
            for statement in steps:
                db.execute(statement)
        db.execute("PRAGMA user_version = 3")
        db.execute(
            "INSERT INTO plans (id, name, updated_at, body, version) VALUES (?, ?, ?, ?, 1)",
            (plan.id, plan.meta.name, "2026-11-01T08:00:00+00:00", plan_to_json(plan)),
        )
    db.close()
    _check_schema_4(str(path), plan)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == sqlite_store.SCHEMA_VERSION == 4
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()


def test_postgres_from_schema_3(pg_db: str) -> None:
    import psycopg

    plan = _schema_3_plan()
    with psycopg.connect(pg_db, autocommit=True) as conn:
        for steps in pg_store.MIGRATIONS[:3]:
            for statement in steps:
                conn.execute(statement)
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES (3)")
        conn.execute(
            "INSERT INTO plans (id, name, updated_at, body, version) VALUES (%s, %s, %s, %s, 1)",
            (plan.id, plan.meta.name, datetime(2026, 11, 1, 8, tzinfo=UTC), plan_to_json(plan)),
        )
    _check_schema_4(pg_db, plan)
    with psycopg.connect(pg_db) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(pg_store.SCHEMA_VERSION,)]
    assert pg_store.SCHEMA_VERSION == 4
