"""Which database is used: the environment, else the app's secrets, else the per-user file."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.store import PlanStore, StorageError, configured_url, open_store
from planner.store.sqlite import SqlitePlanStore


def test_environment_wins_over_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMUNITY_PLANNER_DB", "postgresql://env/db")
    assert configured_url({"COMMUNITY_PLANNER_DB": "postgresql://secret/db"}) == "postgresql://env/db"


@pytest.mark.parametrize(
    "secrets",
    [{"COMMUNITY_PLANNER_DB": "postgresql://secret/db"}, {"database": {"url": "postgresql://secret/db"}}],
)
def test_secrets_when_the_environment_says_nothing(monkeypatch: pytest.MonkeyPatch, secrets: dict) -> None:
    monkeypatch.delenv("COMMUNITY_PLANNER_DB")
    assert configured_url(secrets) == "postgresql://secret/db"


def test_nothing_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMMUNITY_PLANNER_DB")
    assert configured_url() == "" and configured_url({}) == ""


def test_secrets_that_raise_on_access_count_as_none(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoSecretsFile(dict):  # st.secrets without a secrets.toml
        def get(self, *args: object) -> object:
            raise FileNotFoundError("no secrets.toml")

    monkeypatch.delenv("COMMUNITY_PLANNER_DB")
    assert configured_url(NoSecretsFile()) == ""


def test_open_store_defaults_to_the_configured_file(isolated_db: Path) -> None:
    store = open_store()
    assert isinstance(store, SqlitePlanStore) and Path(store.path) == isolated_db


def test_sqlite_urls_and_paths(tmp_path: Path) -> None:
    by_url = open_store(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    assert isinstance(by_url, SqlitePlanStore) and by_url.path == str(tmp_path / "a.sqlite3")
    assert isinstance(PlanStore(tmp_path / "b.sqlite3"), SqlitePlanStore)  # as callers did before
    assert isinstance(PlanStore(":memory:", timeout=0.1), SqlitePlanStore)


def test_unknown_scheme_is_refused_without_echoing_the_url() -> None:
    with pytest.raises(StorageError) as info:
        open_store("mysql://user:secret@host/db")
    assert info.value.key == "storage.bad_url" and "secret" not in str(info.value)
