"""My plans: duplicate, rename, delete, revisions and restore — all through the real store."""

from __future__ import annotations

from models import Plan
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


def test_empty_state_explains() -> None:
    at = app_on("pages/plans.py")
    assert not at.exception
    assert "还没有方案" in at.info[0].value


def test_duplicate_rename_delete(isolated_db) -> None:
    (plan,) = _seed(isolated_db, "打卡营")
    at = app_on("pages/plans.py")
    at.button(key=f"plans.dup.{plan.id}").click().run()
    store = PlanStore(isolated_db)
    assert sorted(s.name for s in store.list()) == ["打卡营", "打卡营（副本）"]

    at.text_input(key=f"plans.name.{plan.id}").input("早起打卡营")
    at.button(key=f"FormSubmitter:plans.rename.{plan.id}-保存名称").click().run()
    assert store.get(plan.id).meta.name == "早起打卡营"

    at.button(key=f"plans.del.{plan.id}").click().run()
    assert [s.name for s in store.list()] == ["打卡营（副本）"]
    assert not at.exception


def test_restore_an_older_revision(isolated_db) -> None:
    (plan,) = _seed(isolated_db, "第一版")
    store = PlanStore(isolated_db)
    plan.meta.name = "第二版"
    store.save(plan)
    at = app_on("pages/plans.py")
    newest, oldest = store.revisions(plan.id)[0], store.revisions(plan.id)[-1]
    assert at.button(key=f"plans.restore.{newest.id}").disabled  # that one is open already
    at.button(key=f"plans.restore.{oldest.id}").click().run()
    assert store.get(plan.id).meta.name == "第一版"
    assert len(store.revisions(plan.id)) == 3


def test_plan_switcher_opens_another_plan(isolated_db) -> None:
    first, second = _seed(isolated_db, "甲", "乙")
    at = app_on("pages/plans.py")
    current = at.session_state["plan"].id
    other = first.id if current == second.id else second.id
    at.button(key=f"plans.open.{other}").click().run()
    assert at.session_state["plan"].id == other
    assert not at.exception
