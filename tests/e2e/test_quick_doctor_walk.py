"""In a real browser: quick path (Enter submits) → doctor shows a finding → fix it → it is gone."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import wait_idle

pytestmark = pytest.mark.e2e

NO_WHY = "没有写建群目的（WHY）。"


def test_quick_path_then_doctor_then_fix(page, app_url: str) -> None:
    page.goto(app_url)
    wait_idle(page)
    page.get_by_label("方案名称").fill("浏览器快速通道")
    page.get_by_role("button", name="新建并进入快速通道").click()
    wait_idle(page)
    page.get_by_label("3. 同好分类（大家一起做的事）").fill("夜跑")
    page.get_by_label("6. 成员能得到什么（WHAT）").fill("每周两次领跑")
    page.get_by_label("10. 变现方式（HOW）").fill("跑鞋会员价")
    page.get_by_label("10. 变现方式（HOW）").press("Enter")  # keyboard: Enter submits the form
    wait_idle(page)
    page.get_by_text("已保存。接下来可以做体检").wait_for()  # the form's own confirmation

    page.get_by_role("link", name="查看方案体检").click()
    wait_idle(page)
    page.get_by_text(NO_WHY).first.wait_for()

    page.goto(f"{app_url}/quick")
    wait_idle(page)
    assert page.get_by_label("3. 同好分类（大家一起做的事）").input_value() == "夜跑"  # kept
    page.get_by_label("5. 为什么建群（WHY）").fill("推广跑鞋新品")
    page.get_by_label("5. 为什么建群（WHY）").press("Enter")
    wait_idle(page)
    page.get_by_text("已保存。接下来可以做体检").wait_for()  # the form's own confirmation

    page.goto(f"{app_url}/doctor")
    wait_idle(page)
    page.get_by_text("体检结果").wait_for()
    assert page.get_by_text(NO_WHY).count() == 0
