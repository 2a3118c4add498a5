"""Two sessions (two tabs, or two colleagues) on one plan: neither overwrites the other (issue 14).
Each AppTest is its own session with its own copy of the plan, as two browser tabs are."""

from __future__ import annotations

import pytest

from models import Plan
from pages.ui import state
from planner.store import PlanStore
from planner.store.sync import CONFLICT_NOTE, newer
from tests.ui.planning_helpers import bound, fresh, reload, stored_plan

PAGE = "pages/positioning.py"
WHY, WHAT = "positioning.why", "positioning.what"


def _two_tabs(db) -> tuple[Plan, object, object]:
    plan = stored_plan(db)
    return plan, fresh(PAGE), fresh(PAGE)


def test_edits_of_different_fields_in_two_tabs_both_survive(isolated_db) -> None:
    plan, tab_a, tab_b = _two_tabs(isolated_db)
    bound(tab_a.text_area, "positioning", WHY).input("A 写的为什么").run()
    bound(tab_b.text_area, "positioning", WHAT).input("B 写的做什么").run()  # B still had the old version
    assert not tab_a.exception and not tab_b.exception
    stored = reload(isolated_db, plan.id)
    assert (stored.positioning.why, stored.positioning.what) == ("A 写的为什么", "B 写的做什么")
    assert tab_b.session_state["plan"] == stored  # B shows A's text too
    tab_a.run()  # A's next run takes in B's edit without a reload
    assert tab_a.session_state["plan"].positioning.what == "B 写的做什么"
    assert bound(tab_a.text_area, "positioning", WHAT).value == "B 写的做什么"


def test_the_same_field_keeps_the_first_and_tells_the_second(isolated_db) -> None:
    plan, tab_a, tab_b = _two_tabs(isolated_db)
    bound(tab_a.text_area, "positioning", WHY).input("先写的").run()
    bound(tab_b.text_area, "positioning", WHY).input("后写的").run()
    assert reload(isolated_db, plan.id).positioning.why == "先写的"
    # B is told which field kept A's value (AppTest renders the sidebar on a session's first run
    # only, so the notice is read where the sidebar would take it from)
    assert [c.path for c in tab_b.session_state["merge_notice"]] == [WHY]
    assert tab_b.session_state["plan"].positioning.why == "先写的"  # B's page shows what is stored
    kept = [r for r in PlanStore(isolated_db).revisions(plan.id) if r.note == CONFLICT_NOTE]
    assert len(kept) == 1
    assert PlanStore(isolated_db).get_revision(kept[0].id).positioning.why == "后写的"


def test_a_link_with_the_plan_id_opens_that_plan(isolated_db) -> None:
    first = stored_plan(isolated_db)
    second = Plan()
    second.meta.name = "第二个方案"
    second = PlanStore(isolated_db).save(second)
    at = fresh(PAGE)
    at.query_params["plan"] = first.id
    at.run()
    assert at.session_state["plan"].id == first.id
    at.query_params["plan"] = second.id
    at.run()
    assert at.session_state["plan"].id == second.id
    at.query_params["plan"] = "no-such-plan"
    at.run()
    assert not at.exception and at.session_state["plan"].id == second.id


def test_a_run_looks_for_other_sessions_saves_once_however_many_fields(isolated_db,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Each bound widget asks for the plan; the look for a newer stored version (a query) is made
    once per run, and again in the next run, which then shows the other session's edit."""
    plan, tab_a, tab_b = _two_tabs(isolated_db)
    looks: list[str] = []

    def counted(store, seen):
        looks.append(seen.plan.id)
        return newer(store, seen)

    monkeypatch.setattr(state, "newer", counted)
    tab_a.run()
    assert looks == [plan.id]  # the page has a dozen bound fields
    bound(tab_b.text_area, "positioning", WHAT).input("B 写的做什么").run()
    looks.clear()
    tab_a.run()
    assert looks == [plan.id]
    assert bound(tab_a.text_area, "positioning", WHAT).value == "B 写的做什么"
