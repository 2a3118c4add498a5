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

    assert not [w for w in at.text_input if w.key == f"plans.name.{plan.id}"]  # folded: not drawn
    at.session_state[f"plans.rename.open.{plan.id}"] = True  # what unfolding 改名 does
    at.run()
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


def test_older_revisions_are_picked_from_a_list(isolated_db) -> None:
    # every save is a revision: the newest few are rows, the rest a list drawn when unfolded
    (plan,) = _seed(isolated_db, "第 0 版")
    store = PlanStore(isolated_db)
    for n in range(1, 8):
        plan.meta.name = f"第 {n} 版"
        plan = store.save(plan)
    at = app_on("pages/plans.py")
    revisions = store.revisions(plan.id)
    assert len(revisions) == 8
    rows = [b for b in at.button if (b.key or "").startswith("plans.restore.")]
    assert [b.key for b in rows] == [f"plans.restore.{r.id}" for r in revisions[:5]]
    assert at.expander[-1].label == "更早的版本（3 个）"
    assert not [b for b in at.button if b.key == "plans.older.restore"]  # folded: the list is not drawn
    at.session_state["plans.older"] = True
    at.run()
    at.selectbox(key="plans.older.pick").set_value(revisions[-1].id).run()
    at.button(key="plans.older.restore").click().run()
    assert not at.exception, at.exception
    assert store.get(plan.id).meta.name == "第 0 版"


def test_plan_switcher_opens_another_plan(isolated_db) -> None:
    first, second = _seed(isolated_db, "甲", "乙")
    at = app_on("pages/plans.py")
    current = at.session_state["plan"].id
    other = first.id if current == second.id else second.id
    at.button(key=f"plans.open.{other}").click().run()
    assert at.session_state["plan"].id == other
    assert not at.exception
