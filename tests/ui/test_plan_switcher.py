"""The sidebar plan switcher chooses plans by id: plans that share a name (or have none) never
receive each other's edits (Streamlit maps a chosen label back to the last option with it)."""

from __future__ import annotations

import pytest

from models import Plan
from planner.plan_core.json_io import plan_to_json
from planner.store import PlanStore
from tests.ui.helpers import app_on


def _seed(db_path, *names: str) -> list[Plan]:
    store = PlanStore(db_path)
    saved = []
    for name in names:
        plan = Plan()
        plan.meta.name = name
        saved.append(store.save(plan))
    return saved


@pytest.mark.parametrize("name", ["打卡营", ""])
def test_edits_go_to_the_selected_plan_when_names_match(isolated_db, name: str) -> None:
    plans = _seed(isolated_db, name, name, name)
    store = PlanStore(isolated_db)
    for target in plans:
        at = app_on()  # AppTest renders the sidebar on the first page run
        switcher = at.sidebar.selectbox[0]
        assert len(set(switcher.options)) == len(plans), switcher.options
        switcher.set_value(target.id).run()
        assert at.session_state["plan"].id == target.id
        before = {p.id: plan_to_json(store.get(p.id)) for p in plans}

        at.switch_page("pages/positioning.py").run()
        box = at.text_area[0]
        box.input(f"为 {target.id} 写的").run()
        assert not at.exception
        after = {p.id: plan_to_json(store.get(p.id)) for p in plans}
        assert after[target.id] != before[target.id]
        assert f"为 {target.id} 写的" in after[target.id]
        for other in plans:
            if other.id != target.id:
                assert after[other.id] == before[other.id], "an edit landed in another plan"


def test_switcher_labels_tell_same_named_plans_apart(isolated_db) -> None:
    _seed(isolated_db, "读书会", "读书会", "")
    at = app_on()
    options = at.sidebar.selectbox[0].options
    assert len(options) == len(set(options)) == 3
    assert sum(o.startswith("读书会") for o in options) == 2



def test_same_named_plans_show_their_date_and_short_id_in_the_switcher_and_my_plans(isolated_db) -> None:
    plans = _seed(isolated_db, "读书会", "读书会", "夜跑团")
    at = app_on()
    options = at.sidebar.selectbox[0].options
    for plan in plans[:2]:
        day = plan.meta.updated_at.astimezone().strftime("%Y-%m-%d") if plan.meta.updated_at else ""
        assert any(o.startswith("读书会 · ") and o.endswith(f"#{plan.id[:6]}") and day in o for o in options), options
    assert "夜跑团" in options  # a name of its own stays as it is
    at.switch_page("pages/plans.py").run()
    shown = " ".join(m.value for m in at.markdown)
    assert all(f"#{plan.id[:6]}" in shown for plan in plans[:2]) and f"#{plans[2].id[:6]}" not in shown
