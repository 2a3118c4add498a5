"""Quick path page: fill the ten questions, submit, visit the doctor and come back; the values
stay, are saved to the database and show in a fresh session."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from models.enums import CommunityType
from models.plan import Plan
from planner.store import PlanStore
from tests.ui.helpers import app_on

SUBMIT = "FormSubmitter:quick.form-保存简版方案"


def _by_label(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def _fill(at: AppTest) -> None:
    _by_label(at.text_input, "1. 社群名称").input("夜跑俱乐部")
    _by_label(at.selectbox, "2. 社群类型").select_index(list(CommunityType).index(CommunityType.BRAND_FANS))
    _by_label(at.text_input, "3. 同好分类（大家一起做的事）").input("夜跑")
    _by_label(at.text_input, "4. 目标成员").input("下班后想运动的上班族")
    _by_label(at.text_input, "5. 为什么建群（WHY）").input("推广跑鞋新品")
    _by_label(at.text_input, "6. 成员能得到什么（WHAT）").input("每周两次领跑和跑姿指导")
    _by_label(at.selectbox, "7. 生命周期（天）").set_value(70)
    _by_label(at.date_input, "8. 开始日期").set_value(date(2027, 1, 4))
    _by_label(at.text_input, "9. 唯一的共同目标").input("70 天内 100 人完成 10 次夜跑")
    _by_label(at.number_input, "目标值").set_value(100)
    _by_label(at.text_input, "单位").input("人")
    _by_label(at.text_input, "10. 变现方式（HOW）").input("跑鞋会员价与赛事报名")


def _assert_form_shows_answers(at: AppTest) -> None:
    assert _by_label(at.text_input, "1. 社群名称").value == "夜跑俱乐部"
    assert _by_label(at.selectbox, "2. 社群类型").index == list(CommunityType).index(CommunityType.BRAND_FANS)
    assert _by_label(at.selectbox, "7. 生命周期（天）").value == 70
    assert _by_label(at.date_input, "8. 开始日期").value == date(2027, 1, 4)
    assert _by_label(at.number_input, "目标值").value == 100
    assert _by_label(at.text_input, "10. 变现方式（HOW）").value == "跑鞋会员价与赛事报名"


def test_fill_submit_switch_and_back_then_fresh_session(isolated_db: Path) -> None:
    at = app_on("pages/quick_path.py")
    assert not at.exception
    _fill(at)
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    assert at.success[0].value.startswith("已保存")

    plans = PlanStore(isolated_db).list()
    assert [p.name for p in plans] == ["夜跑俱乐部"]
    saved = PlanStore(isolated_db).get(plans[0].id)
    assert saved.meta.community_type.value == "brand_fans"
    assert saved.elements.interest.category == "夜跑"
    assert (saved.lifecycle.length_days, saved.lifecycle.start_date) == (70, date(2027, 1, 4))
    goals = [(g.statement, g.target, g.unit) for g in saved.lifecycle.goals]
    assert goals == [("70 天内 100 人完成 10 次夜跑", 100, "人")]
    assert saved.positioning.how == "跑鞋会员价与赛事报名"

    at.switch_page("pages/doctor.py").run()
    assert not at.exception
    assert at.title[0].value == "方案体检"
    at.switch_page("pages/quick_path.py").run()
    _assert_form_shows_answers(at)

    _assert_form_shows_answers(app_on("pages/quick_path.py"))  # a refresh: read back from the DB


def test_custom_length_is_offered_and_kept(isolated_db: Path) -> None:
    # Typing a new length is a browser-side action AppTest cannot do; parse_length has unit tests.
    plan = Plan()
    plan.meta.name = "45 天写作营"
    plan.lifecycle.length_days = 45
    PlanStore(isolated_db).save(plan)
    at = app_on("pages/quick_path.py")
    length = _by_label(at.selectbox, "7. 生命周期（天）")
    assert length.value == 45 and "45 天" in length.options
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    assert PlanStore(isolated_db).get(plan.id).lifecycle.length_days == 45


def test_missing_name_is_refused_with_a_message(isolated_db: Path) -> None:
    at = app_on("pages/quick_path.py")
    _by_label(at.text_input, "3. 同好分类（大家一起做的事）").input("夜跑")
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    assert at.error[0].value == "还不能保存，请先处理："
    assert any("请填写社群名称" in m.value for m in at.markdown)
    assert PlanStore(isolated_db).list() == []
    assert _by_label(at.text_input, "3. 同好分类（大家一起做的事）").value == "夜跑"  # nothing typed is lost


def test_continue_links_after_saving() -> None:
    at = app_on("pages/quick_path.py")
    _by_label(at.text_input, "1. 社群名称").input("x")
    at.button(key=SUBMIT).click().run()
    links = [el.proto.page for el in at.get("page_link")]
    assert {"elements", "doctor"} <= set(links)
