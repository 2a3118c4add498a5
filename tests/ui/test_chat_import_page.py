"""成员数据 page with chat exports: the recognised summary, the chat picker, the exporting account."""

from __future__ import annotations

import pytest

from models.plan import Plan
from planner.data.chat_formats import fixtures as fx
from planner.store import PlanStore
from tests.ui.helpers import app_on


@pytest.fixture
def stored_plan(isolated_db) -> Plan:
    plan = Plan()
    plan.meta.name = "读书会"
    return PlanStore(isolated_db).save(plan)


def _infos(at) -> str:
    return "\n".join(str(i.value) for i in at.info)


def _telegram_export() -> bytes:
    events = fx.sample_scenario()
    small = fx.telegram_chat(events[:3], name="闲聊", chat_id=7)
    return fx.telegram_full_json([small, fx.telegram_chat(events, name="读书会", chat_id=42)])


def _wechat(at):
    at.session_state["scratch.data.files"] = [("群聊_读书会.csv", fx.liuhen_v1_csv(fx.sample_scenario()))]
    return at.run()


def test_wechat_export_is_recognised_and_summarised(stored_plan) -> None:
    at = _wechat(app_on("pages/data.py"))
    assert not at.exception
    assert "微信导出（留痕 v1）：9 条消息，8 位成员，5 次入群，2026-03-01 – 2026-03-03" in _infos(at)
    assert at.toggle(key="data.keep_self_toggle").value is True
    assert "打卡第1天" not in str(at)  # message text never reaches the page


def test_leaving_out_the_exporting_account_reloads(stored_plan) -> None:
    at = _wechat(app_on("pages/data.py"))
    at.toggle(key="data.keep_self_toggle").set_value(False).run()
    assert not at.exception
    assert "7 条消息，7 位成员" in _infos(at)


def test_telegram_full_export_offers_a_chat_picker(stored_plan) -> None:
    at = app_on("pages/data.py")
    at.session_state["scratch.data.files"] = [("result.json", _telegram_export())]
    at.run()
    assert not at.exception
    picker = at.selectbox(key="data.chat_pick")
    assert picker.value == "42" and len(picker.options) == 3  # both chats, and both side by side first
    assert "「读书会」：9 条消息" in _infos(at)


def test_every_group_chat_side_by_side(stored_plan) -> None:
    at = app_on("pages/data.py")
    at.session_state["scratch.data.files"] = [("result.json", _telegram_export())]
    at.run()
    at.selectbox(key="data.chat_pick").set_value("*").run()
    assert not at.exception
    assert at.selectbox(key="data.chat_pick").value == "*"
    assert any("闲聊" in str(frame.value) and "读书会" in str(frame.value) for frame in at.dataframe)


def test_picking_another_chat_reloads(stored_plan) -> None:
    at = app_on("pages/data.py")
    at.session_state["scratch.data.files"] = [("result.json", _telegram_export())]
    at.run()
    at.selectbox(key="data.chat_pick").set_value("7").run()
    assert not at.exception
    assert "「闲聊」：2 条消息" in _infos(at)
