"""成员数据 page: the sample-data button, a state-level upload, the pseudonymise toggle."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import streamlit as st

from models.plan import ContentPillar, Kpi, Plan
from pages.ui import preload
from planner import i18n
from planner.store import PlanStore
from tests.ui.helpers import app_on


@pytest.fixture
def stored_plan(isolated_db) -> Plan:
    plan = Plan()
    plan.meta.name = "测试群"
    plan.lifecycle.start_date = date(2026, 1, 5)
    plan.kpis = [Kpi(metric="members", label="人数", target=50, due_day=30),
                 Kpi(metric="口碑", label="口碑", target=1, due_day=30)]
    return PlanStore(isolated_db).save(plan)


def _open_tab(at, label: str) -> None:
    """Open a tab of the data page (only the open one is drawn) for the next run."""
    at.session_state["data.tabs.zh"] = label


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption] + [s.value for s in at.success]
    parts += [e.value for e in at.error] + [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_empty_page_explains_what_to_upload(stored_plan) -> None:
    at = app_on("pages/data.py")
    assert not at.exception
    assert "还没有数据" in _texts(at)


def test_sample_button_loads_and_shows_metrics_and_plan_vs_actual(stored_plan) -> None:
    at = app_on("pages/data.py")
    _open_tab(at, "方案对照")
    at.button(key="data.sample").click().run()
    assert not at.exception
    assert "已识别" in _texts(at)
    assert not any("打卡天数" in df.value.columns for df in at.dataframe)  # the other tabs are not drawn
    labels = [m.label for m in at.metric]
    assert "成员数（期末）" in labels and "打卡率（方案期）" in labels  # the headline period in every label
    assert any("方案周期与数据重叠" in c.value for c in at.caption)  # and stated in a sentence
    members = next(m for m in at.metric if m.label == "成员数（期末）")
    assert int(members.value.replace(",", "")) > 0
    # plan vs actual: the measured KPI has a status, the free-text one is manual
    frames = [df.value for df in at.dataframe]
    pva = next(f for f in frames if "状态" in f.columns)
    assert list(pva["状态"])[1].startswith("手工指标")
    assert pva["实际"].iloc[0] != "—"
    # a rerun keeps the loaded data (no re-upload needed)
    at.run()
    assert any(m.label == "成员数（期末）" for m in at.metric)


def _chart_titles(at) -> list[str]:
    titles = []
    for chart in at.get("vega_lite_chart"):
        title = json.loads(chart.proto.spec).get("title")
        titles.append(title.get("text") if isinstance(title, dict) else title)
    return titles


def _preloaded(at) -> list[str]:
    """The browser modules the page asks to be loaded ahead (pages/ui/preload.py)."""
    found = [c.proto for c in at.get("bidi_component") if c.proto.component_name == "community_planner.preload"]
    return json.loads(found[0].json)["files"] if found else []


def test_first_tab_draws_one_chart_and_the_activity_tab_the_others(stored_plan) -> None:
    at = app_on("pages/data.py")
    # before any data: no chart, but the code of the charts and fields to come is loaded ahead, by the
    # file names of the installed Streamlit
    assert _chart_titles(at) == []
    files = _preloaded(at)
    assert {f.split(".")[0] for f in files} == set(preload.DATA_PAGE)
    static = Path(st.__file__).parent / "static" / "static" / "js"
    assert all((static / f).is_file() for f in files)
    at.button(key="data.sample").click().run()
    assert not at.exception
    assert _chart_titles(at) == [i18n.t("data.chart.new_active.day", "zh")]  # one chart on the first tab
    assert _preloaded(at) == []  # loaded: nothing more to ask
    at.radio(key="data.period").set_value("week").run()
    assert _chart_titles(at) == [i18n.t("data.chart.new_active.week", "zh")]
    _open_tab(at, "活跃与打卡")
    at.run()
    assert not at.exception
    assert _chart_titles(at) == [i18n.t(f"data.chart.{k}", "zh") for k in ("active_users", "dau_mau", "checkin_rate")]
    assert at.radio(key="data.period").value == "week"  # the grain picked on the other tab is kept


def test_uploaded_gbk_file_with_bad_row_is_reported(stored_plan) -> None:
    at = app_on("pages/data.py")
    csv_bytes = "成员ID;昵称;时间;行为\nu1;阿明;2026/3/1 08:00;打卡\nu2;小红;不是日期;发言\n".encode("gbk")
    at.session_state["scratch.data.files"] = [("log.csv", csv_bytes)]
    at.run()
    assert not at.exception
    text = _texts(at)
    assert "已识别" in text
    bad = next(df.value for df in at.dataframe if "原因" in df.value.columns)
    assert list(bad["行"]) == [3] and "不是日期" in bad["内容"].iloc[0]


def test_pseudonymise_toggle_is_bound_to_the_plan(stored_plan, isolated_db) -> None:
    at = app_on("pages/data.py")
    at.button(key="data.sample").click().run()
    toggle = next(t for t in at.toggle if t.key.startswith("data.data.pseudonymise"))
    _open_tab(at, "漏斗与分层")
    toggle.set_value(True).run()
    assert not at.exception
    assert PlanStore(isolated_db).get(stored_plan.id).data.pseudonymise is True
    layer_table = next(df.value for df in at.dataframe if "打卡天数" in df.value.columns)
    assert all(str(v).startswith("成员-") for v in layer_table["成员ID"])


def test_binary_upload_gets_a_message_not_a_traceback(stored_plan) -> None:
    at = app_on("pages/data.py")
    at.session_state["scratch.data.files"] = [("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00" + bytes(range(256)))]
    at.run()
    assert not at.exception
    assert any("二进制" in e.value for e in at.error)


def test_export_analyses_with_the_data_pages_settings(stored_plan) -> None:
    at = app_on("pages/data.py")
    at.button(key="data.sample").click().run()
    at.number_input(key="data.silent").set_value(7).run()
    assert at.session_state["scratch.data.settings"]["silent"] == 7
    at.switch_page("pages/export.py").run()
    assert not at.exception
    assert at.toggle(key="export.with_data").value  # the loaded data is offered for the export


def test_a_reader_bug_shows_a_message_not_a_traceback(stored_plan, monkeypatch) -> None:
    from planner.data import ingest
    def broken(*args, **kwargs):
        raise RuntimeError("reader bug")

    monkeypatch.setattr(ingest, "load_files", broken)
    at = app_on("pages/data.py")
    at.session_state["scratch.data.files"] = [("reader-bug.csv", b"id,time\n1,2026-01-01\n")]
    at.run()
    assert not at.exception
    assert "内部出错" in _texts(at)
    assert at.session_state["plan"].meta.name == "测试群"  # the plan is still there


def test_no_check_in_matched_names_the_keywords_and_edits_them_in_place(stored_plan) -> None:
    at = app_on("pages/data.py")
    log = "成员ID,昵称,时间,行为\na,甲,2026-01-05 09:00,发言\nb,乙,2026-01-06 09:00,早起\n".encode()
    at.session_state["scratch.data.files"] = [("log.csv", log)]
    at.run()
    assert not at.exception
    warning = next(w.value for w in at.warning if "打卡关键词" in w.value)
    assert "打卡、签到、check-in" in warning
    area = next(a for a in at.text_area if a.label == "打卡关键词")
    area.set_value("打卡\n早起").run()
    assert not at.exception
    assert not any("打卡关键词" in w.value for w in at.warning)  # 早起 is a check-in now


def test_several_files_are_listed_with_remove_and_a_nickname_match(stored_plan) -> None:
    from planner.data.chat_formats.fixtures import liuhen_v1_csv, sample_scenario

    numbered = ("成员ID,昵称,时间,行为\n1001,张三,2026-03-05 09:00,发言\n1002,李四,2026-03-05 09:10,打卡\n"
                "1003,王五,2026-03-06 09:00,发言\n").encode()
    at = app_on("pages/data.py")
    at.session_state["scratch.data.files"] = [("chat.csv", liuhen_v1_csv(sample_scenario())), ("log.csv", numbered),
                                              ("again.csv", numbered)]
    at.run()
    assert not at.exception
    texts = _texts(at)
    assert "本次上传的 3 个文件" in texts and "**log.csv**" in texts and "2026-03-05 ~ 2026-03-06" in texts
    assert "只算了一次" in texts and "编号对不上" in texts  # again.csv repeats log.csv; wxid vs numbers
    at.toggle(key="data.match_by").set_value(True).run()
    assert not at.exception and "已按昵称匹配成员" in _texts(at)
    at.button(key="data.files.remove.2").click().run()
    assert not at.exception
    texts = _texts(at)
    assert "已移出本次分析" in texts and "只算了一次" not in texts
    at.button(key="data.files.restore.2").click().run()
    assert "只算了一次" in _texts(at)


def test_plan_and_data_apart_offer_to_align_day_0(stored_plan) -> None:
    at = app_on("pages/data.py")
    log = "成员ID,昵称,时间,行为\na,甲,2024-05-01 09:00,发言\nb,乙,2024-05-02 09:00,打卡\n".encode()
    at.session_state["scratch.data.files"] = [("log.csv", log)]
    at.run()
    assert not at.exception
    assert any("没有一天重叠" in w.value for w in at.warning)
    assert at.date_input(key="data.align_day").value == date(2024, 5, 1)  # the data's first day
    at.toggle(key="data.align").set_value(True).run()
    assert not at.exception
    assert at.session_state["scratch.data.settings"]["plan_start"] == "2024-05-01"
    assert any("方案周期与数据重叠" in c.value for c in at.caption)


def test_two_groups_get_a_comparison_tab_with_the_laggard_named(stored_plan) -> None:
    from tests.unit.data.test_groups import two_groups

    at = app_on("pages/data.py")
    at.session_state["scratch.data.files"] = [("groups.csv", two_groups())]
    at.run()
    assert not at.exception
    assert at.tabs[0].label == "多群对比"
    assert any("落后的群：二群" in w.value for w in at.warning)
    table = next(df.value for df in at.dataframe if "落后于" in df.value.columns)
    assert list(table["群"]) == ["一群", "二群"] and list(table["落后于"]) == ["", "留存、打卡率"]


def test_each_file_as_a_group_with_its_own_label(stored_plan) -> None:
    one = "成员ID,时间,行为\na,2026-03-01 08:00,发言\nb,2026-03-02 08:00,打卡\n".encode()
    two = "成员ID,时间,行为\nc,2026-04-01 08:00,发言\nd,2026-04-02 08:00,发言\n".encode()
    at = app_on("pages/data.py")
    at.session_state["scratch.data.files"] = [("北京群.csv", one), ("上海群.csv", two)]
    at.run()
    assert not any(t.label == "多群对比" for t in at.tabs)
    at.toggle(key="data.group_by_file").set_value(True).run()
    at.text_input(key="data.group_label.1").set_value("上海 1 群").run()
    assert not at.exception
    table = next(df.value for df in at.dataframe if "落后于" in df.value.columns)
    assert set(table["群"]) == {"北京群", "上海 1 群"}


def test_review_from_a_missed_kpi_to_a_change_in_the_plan_and_a_note(isolated_db) -> None:
    """Sample upload → the goal's KPI missed → its causes and changes under plan vs actual → one
    click adds the suggested SOP rule to the stored plan and records the review as a revision note."""
    from tests.ui.planning_helpers import reload

    plan = Plan()
    plan.lifecycle.start_date, plan.lifecycle.length_days = date(2026, 1, 5), 70
    plan.kpis = [Kpi(id="goal", metric="active_members", label="活跃人数", target=100000, due_day=30,
                     measures_goal=True),
                 Kpi(id="reach", metric="members", label="人数", target=1, due_day=30)]
    plan.elements.content = [ContentPillar(topic="周五答疑", cadence="每周五 20:00")]
    plan = PlanStore(isolated_db).save(plan)
    at = app_on("pages/data.py")
    _open_tab(at, "方案对照")
    at.button(key="data.sample").click().run()
    assert not at.exception, at.exception
    missed = [e.label for e in at.expander if "未达标" in e.label]
    assert len(missed) == 1 and "活跃人数" in missed[0] and "目标 100000" in missed[0]  # the met one is not listed
    assert "还没有复盘记录" in _texts(at)
    pillars = next(df.value for df in at.dataframe if "内容支柱" in df.value.columns)
    assert list(pillars["内容支柱"]) == ["周五答疑"] and list(pillars["执行天数"]) == [10]  # Fridays in 70 days
    adopt = [b for b in at.button if (b.key or "").startswith("data.review.adopt.goal.")]
    assert {b.key.split("@")[0].rsplit(".", 1)[-1] for b in adopt} == {"watchers", "interaction", "pillar"}
    next(b for b in adopt if ".watchers@" in b.key).click().run()
    assert not at.exception, at.exception
    saved = reload(isolated_db, plan.id)
    assert "default-watchers" in [r.id for r in saved.sop.rules]
    assert [(n.kpi, n.target) for n in saved.review.notes] == [("活跃人数", "sop.rules")]
    assert "已采纳" in _texts(at)
    notes = next(df.value for df in at.dataframe if "调整" in df.value.columns)
    assert list(notes["KPI"]) == ["活跃人数"]
    # the adopted change is not offered twice; the others still are
    adopt = {b.key.split("@")[0].rsplit(".", 1)[-1]: b for b in at.button
             if (b.key or "").startswith("data.review.adopt.goal.")}
    assert adopt["watchers"].disabled and not adopt["interaction"].disabled
    assert adopt["watchers"].label == "已采纳" and adopt["interaction"].label == "采纳"
    assert any("试试：在 SOP 里加每周一次的观望者点名邀请" in m.value for m in at.markdown)  # the change, in full
    assert "目标 100000" in next(e.label for e in at.expander if "未达标" in e.label)


def test_review_asks_for_a_kpi_that_measures_the_goal(stored_plan) -> None:
    at = app_on("pages/data.py")
    _open_tab(at, "方案对照")
    at.button(key="data.sample").click().run()
    assert not at.exception, at.exception
    assert any("唯一目标" in w.value for w in at.warning)


def test_a_missed_share_reads_as_a_percentage(stored_plan, isolated_db) -> None:
    stored_plan.kpis = [Kpi(metric="checkin_rate", label="打卡率", target=0.99, due_day=30)]
    PlanStore(isolated_db).save(stored_plan)
    at = app_on("pages/data.py")
    _open_tab(at, "方案对照")
    at.button(key="data.sample").click().run()
    title = next(e.label for e in at.expander if "未达标" in e.label).replace("\\", "")  # markdown-escaped
    assert "目标 99.0%" in title and re.search(r"实际 \d+\.\d%", title)


def test_english_interface_loads_the_english_sample(isolated_db) -> None:
    # the sample follows the interface language: English headers, nicknames, channels, no Chinese shown
    import streamlit as st

    from tests.ui.rendered_text import rendered_texts

    store = PlanStore(isolated_db)
    plan = Plan()
    plan.meta.name, plan.meta.language = "Running club", "en"
    plan.lifecycle.start_date = date(2026, 1, 5)
    plan.kpis = [Kpi(metric="members", label="Members", target=50, due_day=30)]
    store.save(plan)
    store.set_setting("lang", "en")
    st.session_state.pop("lang", None)  # Streamlit's process-wide state: no language left by another test
    at = app_on("pages/data.py")
    at.session_state["data.tabs.en"] = "Funnel & layers"
    at.button(key="data.sample").click().run()
    assert not at.exception, at.exception
    text = _texts(at).replace("\\", "")  # markdown escapes
    assert "Recognised" in text and "members.csv" in text and "activity-log.csv" in text
    assert any(m.label.startswith("Members") and int(m.value.replace(",", "")) > 0 for m in at.metric)
    at.selectbox(key="data.layer").set_value("lurker").run()
    layer = next(df.value for df in at.dataframe if "Check-in days" in df.value.columns)
    assert len(layer) > 0 and not any(re.search(r"[\u4e00-\u9fff]", str(v)) for v in layer.to_numpy().ravel())
    assert any(re.fullmatch(r"[A-Z][a-z']+ [A-Z][A-Za-z']+|[A-Z][A-Za-z']+, [A-Z][a-z]+", str(v))
               for v in layer.to_numpy().ravel())  # English nicknames
    chinese = [(where, shown) for where, shown in rendered_texts(at) if re.search(r"[\u4e00-\u9fff]", shown)
               and shown != "中文"]
    assert not chinese, chinese[:5]


def test_retention_and_layer_choices_are_kept_while_another_tab_is_open(stored_plan) -> None:
    """Only the open tab is drawn, and Streamlit forgets an undrawn widget's value: the choices come back."""
    at = app_on("pages/data.py")
    at.button(key="data.sample").click().run()
    _open_tab(at, i18n.t("data.tab.retention", "zh"))
    at.run()
    at.toggle(key="data.weekly").set_value(True).run()
    _open_tab(at, i18n.t("data.tab.funnel", "zh"))
    at.run()
    at.selectbox(key="data.layer").set_value("lurker").run()
    _open_tab(at, i18n.t("data.tab.trend", "zh"))
    at.run()
    _open_tab(at, i18n.t("data.tab.retention", "zh"))
    at.run()
    assert at.toggle(key="data.weekly").value is True
    _open_tab(at, i18n.t("data.tab.funnel", "zh"))
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="data.layer").value == "lurker"
