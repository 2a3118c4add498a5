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
