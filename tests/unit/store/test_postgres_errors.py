"""PostgreSQL failures are StorageErrors with a key that says what happened, and the store comes
back by itself when the server does."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from models import Plan
from planner.store import PlanStore, StorageError, open_store
from planner.store.postgres import PostgresPlanStore, _classify
from tests.conftest import PgCluster


def named(name: str) -> Plan:
    plan = Plan()
    plan.meta.name = name
    return plan


@pytest.fixture
def store(pg_db: str) -> Iterator[PlanStore]:
    opened = open_store(pg_db)
    yield opened
    opened.close()


@pytest.fixture
def server_back(pg_cluster: PgCluster) -> Iterator[PgCluster]:
    """A test that stops the server; it runs again afterwards, whatever the test did."""
    yield pg_cluster
    if not pg_cluster.running():
        pg_cluster.start()


def _key(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(StorageError) as info:
        call()
    return info.value.key


def test_server_stopped_mid_session_is_unreachable_then_saves_again(store: PlanStore, server_back: PgCluster) -> None:
    plan = store.save(named("before"))
    server_back.stop()
    plan.meta.name = "while down"
    assert _key(lambda: store.save(plan)) == "storage.unreachable"
    assert _key(lambda: store.version(plan.id)) == "storage.unreachable"
    assert _key(store.list) == "storage.unreachable"
    server_back.start()
    assert store.save(plan).meta.name == "while down"  # the same store reconnects
    assert store.get_versioned(plan.id)[1] == 2


def test_a_restart_while_idle_is_not_noticed(store: PlanStore, server_back: PgCluster) -> None:
    plan = store.save(named("before"))
    server_back.stop()
    server_back.start()
    assert store.version(plan.id) == 1  # the dropped connection is replaced and the read retried
    server_back.stop()
    server_back.start()
    plan.meta.name = "after restart"
    assert store.save_if(plan, 1)[1] == 2  # a write that had not reached the server is retried too


def test_opening_with_the_server_down_is_unreachable(pg_cluster: PgCluster) -> None:
    url = pg_cluster.url().replace(f"port={pg_cluster.port}", f"port={pg_cluster.port + 1}")
    assert _key(lambda: open_store(url)) == "storage.unreachable"


def test_the_message_never_carries_the_password(pg_cluster: PgCluster) -> None:
    url = f"postgresql://postgres:s3cret-pw@/postgres?host={pg_cluster.root}&port={pg_cluster.port + 1}"
    with pytest.raises(StorageError) as info:
        open_store(url)
    assert "s3cret-pw" not in str(info.value)


def test_a_missing_database_is_denied(pg_cluster: PgCluster) -> None:
    assert _key(lambda: open_store(pg_cluster.url("no_such_db"))) == "storage.denied"


def test_read_only_database_is_readonly_and_still_readable(pg_db: str, pg_url: str) -> None:
    first = open_store(pg_db)
    plan = first.save(named("before"))
    first.close()
    name = conninfo_to_dict(pg_db)["dbname"]
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
    store = open_store(pg_db)  # opens: an up-to-date schema needs no write
    try:
        assert [s.name for s in store.list()] == ["before"]
        plan.meta.name = "after"
        assert _key(lambda: store.save(plan)) == "storage.readonly"
        assert _key(lambda: store.set_setting("lang", "en")) == "storage.readonly"
        assert store.get(plan.id).meta.name == "before"
    finally:
        store.close()


def test_lock_held_by_another_session_is_locked(store: PlanStore, pg_db: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    plan = store.save(named("before"))
    with psycopg.connect(pg_db) as other:
        other.execute("SELECT 1 FROM plans WHERE id = %s FOR UPDATE", (plan.id,))  # held until rollback
        plan.meta.name = "during lock"
        assert _key(lambda: store.save(plan)) == "storage.locked"
        other.rollback()
    assert store.get(plan.id).meta.name == "before"
    assert store.save(plan).meta.name == "during lock"


@pytest.mark.parametrize(
    ("state", "key"),
    [
        ("25006", "storage.readonly"),
        ("57P01", "storage.unreachable"),
        ("08006", "storage.unreachable"),
        ("28P01", "storage.denied"),
        ("53100", "storage.full"),
        ("55P03", "storage.locked"),
        ("22P02", "storage.failed"),
    ],
)
def test_sqlstates(state: str, key: str) -> None:
    exc = psycopg.errors.lookup(state)("boom")
    assert _classify(exc).key == key


def test_a_connection_failure_without_sqlstate_is_unreachable() -> None:
    assert _classify(psycopg.OperationalError("connection refused")).key == "storage.unreachable"
    assert _classify(psycopg.ProgrammingError("bad")).key == "storage.failed"


def test_plan_store_opens_postgres_by_url(pg_db: str) -> None:
    opened = PlanStore(pg_db)
    assert isinstance(opened, PostgresPlanStore)
    opened.close()
