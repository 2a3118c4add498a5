"""Workshop page and join flow (issue 16), through AppTest and the real store."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from models import Plan
from planner.store import PlanStore
from planner.store.workshops import WorkshopStore
from tests.ui.helpers import APP, app_on


def _joining(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    return at


def test_a_trainer_creates_a_workshop_and_gets_its_key_once(isolated_db) -> None:
    at = app_on("pages/workshop.py")
    at.text_input(key="room.name").input("周六工作坊")
    at.button(key="FormSubmitter:room.create-创建工作坊").click().run()
    assert not at.exception
    [workshop] = WorkshopStore(PlanStore(isolated_db)).workshops()
    assert at.query_params["room"] == workshop.code
    at.run()
    assert any("讲师密钥" in w.value for w in at.warning)  # the key, this once
    assert any(workshop.code in m.value for m in at.markdown)


def test_the_dashboard_needs_the_trainer_key(isolated_db) -> None:
    workshop, key = WorkshopStore(PlanStore(isolated_db)).create("坊", Plan())
    at = app_on("pages/workshop.py")
    at.text_input(key="room.unlock.code").input(workshop.code)
    at.text_input(key="room.unlock.key").input("not-the-key")
    at.button(key="FormSubmitter:room.unlock-打开看板").click().run()
    assert any("不对" in e.value for e in at.error)
    at.text_input(key="room.unlock.key").input(key)
    at.button(key="FormSubmitter:room.unlock-打开看板").click().run()
    assert not at.exception and at.query_params["room"] == workshop.code


def test_joining_gives_a_participant_their_own_plan_only(isolated_db) -> None:
    store = PlanStore(isolated_db)
    other = Plan()
    other.meta.name = "别人的方案"
    other = store.save(other)
    workshop, _ = WorkshopStore(store).create("坊", Plan())
    at = _joining(workshop=workshop.code)
    assert at.title[0].value == "加入工作坊"
    at.text_input(key="workshop.join.name").input("小林")
    at.button(key="FormSubmitter:workshop.join-加入").click().run()
    assert not at.exception
    token = at.query_params["resume"]
    [person] = WorkshopStore(store).participants(workshop.code)
    assert person.name == "小林"

    back = _joining(resume=token)  # a reload, or another device
    assert back.session_state["plan"].id == person.plan_id
    assert back.session_state["participant"][1].id == person.id
    back.query_params["plan"] = other.id  # someone else's plan in the address
    back.run()
    assert back.session_state["plan"].id == person.plan_id


def test_an_unknown_code_says_so() -> None:
    at = _joining(workshop="ZZZZZZ")
    assert not at.exception
    assert any("ZZZZZZ" in e.value for e in at.error)


def test_the_trainer_puts_a_participant_on_the_projector(isolated_db) -> None:
    store = PlanStore(isolated_db)
    workshop, key = WorkshopStore(store).create("坊", Plan())
    person, _ = WorkshopStore(store).join(workshop.code, "小林")
    at = app_on("pages/workshop.py")
    at.text_input(key="room.unlock.code").input(workshop.code)
    at.text_input(key="room.unlock.key").input(key)
    at.button(key="FormSubmitter:room.unlock-打开看板").click().run()
    at.query_params["room"] = workshop.code  # the address the unlock set, for AppTest's next run
    at.run()
    assert not at.exception
    assert at.selectbox(key="room.first").value == person.id
    rows = next(d.value for d in at.dataframe if "学员" in d.value.columns)  # one row per participant
    assert list(rows["学员"]) == ["小林"]
    assert {"完成度", "5W+1H 定位", "角色与分层", "错误", "警告"} <= set(rows.columns)  # overall and per step
    at.query_params.clear()
    at.query_params["spotlight"] = workshop.code
    at.switch_page("pages/present.py").run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "小林" in shown  # the participant's plan, named after them


def test_a_spotlight_without_the_room_shows_nothing_of_theirs(isolated_db) -> None:
    store = PlanStore(isolated_db)
    workshop, _ = WorkshopStore(store).create("坊", Plan())
    WorkshopStore(store).join(workshop.code, "小林")
    at = app_on()
    at.query_params["spotlight"] = workshop.code
    at.switch_page("pages/present.py").run()
    assert not at.exception
    assert "小林" not in " ".join(m.value for m in at.markdown)


def test_a_participant_looks_for_other_saves_less_often(monkeypatch) -> None:
    """Their plan is theirs alone: a room of 30 looking every 3 s was a quarter of the server's work."""
    from pages.ui.sidebar import PARTICIPANT_WATCH_S, watch_every
    from planner.store.config import WATCH_ENV_VAR

    monkeypatch.setenv(WATCH_ENV_VAR, "3")
    assert (watch_every(participant=False), watch_every(participant=True)) == (3.0, PARTICIPANT_WATCH_S)
    monkeypatch.setenv(WATCH_ENV_VAR, "60")
    assert watch_every(participant=True) == 60.0  # never more often than everyone else
    monkeypatch.setenv(WATCH_ENV_VAR, "0")
    assert (watch_every(participant=False), watch_every(participant=True)) == (0.0, 0.0)  # the look is off
