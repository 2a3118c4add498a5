"""Doctor page: findings grouped by step with severity badges and fix links, completeness,
and an empty state for a plan with nothing to fix."""

from __future__ import annotations

from pathlib import Path

from models.plan import Plan
from models.problems import Severity
from planner import i18n
from planner.plan.doctor import diagnose
from planner.plan.progress import STEPS
from planner.store import PlanStore
from tests.sample_plans import complete_plan
from tests.ui.helpers import app_on


def _badges(at) -> list[str]:
    # st.badge renders as markdown with the ":<colour>-badge[…]" directive
    return [m.value for m in at.markdown if "-badge[" in m.value]


def _open(db: Path, plan: Plan):
    PlanStore(db).save(plan)
    return app_on("pages/doctor.py")


def test_blank_plan_lists_findings_by_step_with_links(isolated_db: Path) -> None:
    plan = Plan()
    plan.meta.name = "空白"
    at = _open(isolated_db, plan)
    assert not at.exception
    assert at.title[0].value == "方案体检"
    assert at.error[0].value.startswith("有 6 个错误")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["总体完整度"] == "6%"  # basics 1/2 of 8 steps
    assert metrics["错误"] == "6"
    headings = [m.value for m in at.markdown if m.value.startswith("#### ")]
    # steps with errors first, then warnings, then tips only; page order within each
    assert headings == ["#### 四大要素", "#### 5W+1H 定位", "#### 生命周期与目标", "#### 角色与分层",
                        "#### 社群 SOP", "#### 复制与规范", "#### 规划前调研"]
    assert len(_badges(at)) == len(diagnose(plan))
    fix_links = [(el.proto.page, el.proto.query_string) for el in at.get("page_link")
                 if el.proto.label.startswith("去「")]
    # one link per step, or per tab of the step's page that a finding is about, in the page's tab order
    assert fix_links == [
        ("elements", "section=structure"), ("elements", "section=content"), ("elements", "section=interest"),
        ("elements", "section=operations"), ("positioning", ""), ("lifecycle", "section=basics"),
        ("lifecycle", "section=kpis"), ("lifecycle", "section=stages"), ("lifecycle", "section=growth"),
        ("roles", "section=roles"), ("roles", "section=rituals"), ("sop", ""), ("replication", ""), ("research", ""),
    ]
    assert any("没有设定社群生命周期" in m.value for m in at.markdown)


def test_severity_filter(isolated_db: Path) -> None:
    at = _open(isolated_db, Plan())
    before = len(_badges(at))
    at.pills(key="doctor.severity").set_value([Severity.TIP]).run()
    assert not at.exception
    tips = [f for f in diagnose(Plan()) if f.severity.value == "tip"]
    assert 0 < len(_badges(at)) == len(tips) < before
    at.pills(key="doctor.severity").set_value([]).run()
    assert at.info[0].value == "所选级别下没有问题。"


def test_complete_plan_shows_the_empty_state(isolated_db: Path) -> None:
    at = _open(isolated_db, complete_plan())
    assert not at.exception
    assert at.success[0].value == "没有发现问题，这份方案可以开始执行了。"
    assert not _badges(at)
    assert {m.label: m.value for m in at.metric}["总体完整度"] == "100%"


def test_warnings_only_says_the_group_can_open(isolated_db: Path) -> None:
    plan = complete_plan()
    plan.compliance.privacy_note = ""
    at = _open(isolated_db, plan)
    assert at.success[0].value.startswith("没有错误")
    assert len(_badges(at)) == 1


def test_english(isolated_db: Path) -> None:
    PlanStore(isolated_db).save(Plan())
    at = app_on()  # AppTest shows the sidebar on the first page only: switch language there
    at.segmented_control(key="sidebar.lang").set_value("en").run()
    at.switch_page("pages/doctor.py").run()
    assert at.title[0].value == "Plan doctor"
    assert any("no lifecycle length" in m.value for m in at.markdown)


def test_no_plan_shows_the_way_home() -> None:
    at = app_on("pages/doctor.py")
    assert not at.exception
    assert at.info[0].value == i18n.t("app.no_plan", "zh")


def test_sidebar_shows_completeness(isolated_db: Path) -> None:
    plan = Plan()
    plan.meta.name = "空白"
    PlanStore(isolated_db).save(plan)
    at = app_on()  # AppTest renders the sidebar on the first page run
    assert not at.exception
    captions = [c.value for c in at.sidebar.caption]
    # One short line per step (mark, step, filled/total), not one run-on line.
    steps = next(c for c in captions if "基本信息" in c).split("  \n")
    assert len(steps) == len(STEPS)
    assert steps[0] == ":material/timelapse: 基本信息 **1/2**"  # started
    assert steps[1] == ":material/radio_button_unchecked: 规划前调研 **0/8**"  # empty
    progress = at.sidebar.get("progress")
    assert progress and progress[0].proto.text == "方案完整度 6%"


def test_fix_links_open_the_tab_where_each_finding_is_fixed(isolated_db: Path) -> None:
    plan = complete_plan()
    plan.rituals.opening_ceremony = ""  # fixed on the roles page's last tab (no SOP rule opens the group either)
    plan.sop.rules = []
    plan.kpis = []  # fixed on the lifecycle page's KPI tab
    at = _open(isolated_db, plan)
    assert not at.exception
    links = {el.proto.label: (el.proto.page, el.proto.query_string) for el in at.get("page_link")
             if el.proto.label.startswith("去「")}
    assert links["去「角色与分层 · 开营与结营」修改"] == ("roles", "section=rituals")
    assert links["去「生命周期与目标 · 关键指标 KPI」修改"] == ("lifecycle", "section=kpis")


def test_every_rule_of_a_page_with_tabs_names_one_of_its_tabs() -> None:
    from pages.ui.nav import SECTIONS
    from planner.plan.doctor import RULES, SECTION_BY_RULE

    for rule in RULES:
        if rule.step.value in SECTIONS:
            assert SECTION_BY_RULE.get(rule.id) in SECTIONS[rule.step.value], rule.id
        else:
            assert rule.id not in SECTION_BY_RULE, rule.id
    assert set(SECTION_BY_RULE) <= {rule.id for rule in RULES}  # no entry left behind by a renamed rule
