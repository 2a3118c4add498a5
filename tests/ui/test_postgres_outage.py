"""The app on PostgreSQL (issue 14): the server goes away mid-session, the page says so in words and
keeps the edit, and once the server is back the edit lands without the user doing anything again."""

from __future__ import annotations

import pytest

from models import Plan
from pages.ui import state
from planner.store import open_store
from tests.ui.planning_helpers import bound, fresh

PAGE = "pages/positioning.py"
WHY, WHAT = "positioning.why", "positioning.what"


def test_an_edit_made_while_postgres_is_down_lands_when_it_is_back(pg_cluster, pg_db, monkeypatch) -> None:
    monkeypatch.setenv("COMMUNITY_PLANNER_DB", pg_db)
    store = open_store(pg_db)
    plan = Plan()
    plan.meta.name = "服务器上的方案"
    plan = store.save(plan)
    store.set_setting("lang", "zh")

    at = fresh(PAGE)
    assert at.session_state["plan"].id == plan.id
    bound(at.text_area, "positioning", WHY).input("数据库在线时写的").run()
    assert store.get(plan.id).positioning.why == "数据库在线时写的"

    pg_cluster.stop()
    try:
        bound(at.text_area, "positioning", WHAT).input("数据库停机时写的").run()
        assert not at.exception
        assert at.session_state["save_status"] == ("unsaved", "storage.unreachable")
        assert at.session_state["plan"].positioning.what == "数据库停机时写的"  # kept in the session
        message = state.i18n.t("storage.unreachable", "zh")
        assert "数据库" in message and "{" not in message
    finally:
        pg_cluster.start()
    monkeypatch.setattr(state, "RETRY_GAP_S", 0.0)
    at.run()  # the next run (or the sidebar's timer) saves it: nothing to type again
    assert not at.exception
    stored = open_store(pg_db).get(plan.id)
    assert (stored.positioning.why, stored.positioning.what) == ("数据库在线时写的", "数据库停机时写的")
    assert at.session_state["save_status"][0] == "retried"


@pytest.fixture(autouse=True)
def _fresh_store_cache() -> None:
    # The app keeps one open store per database URL for the process: start each test with none.
    state._open_store.clear()
