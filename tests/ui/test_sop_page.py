"""SOP page: generate defaults, add a rule through the form, edit it, delete it; the Gantt spec the
page draws (planner.sop.charts) follows each edit; empty states; downloads."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from models.plan import Plan, Role
from models.sop import SopRule, Trigger, TriggerKind
from planner import i18n
from planner.sop import charts as charts_sop
from planner.sop import schedule as sop
from tests.ui.planning_helpers import button, fresh, reload, stored_plan

PAGE = "pages/sop.py"


def team_plan() -> Plan:
    plan = Plan()
    plan.lifecycle.length_days = 21
    plan.lifecycle.start_date = date(2026, 3, 2)
    plan.roles = [Role(id="host", name="群主", hours_per_week=7), Role(id="ta", name="助教", hours_per_week=14)]
    return plan


def widget(widgets: Any, prefix: str) -> Any:
    found = [w for w in widgets if (w.key or "").startswith(prefix + "@")]
    assert len(found) == 1, f"{len(found)} widgets with key {prefix}@*"
    return found[0]


def open_tab(at: Any, tab: str, lang: str = "zh") -> None:
    """The SOP page draws a tab other than the rules only while it is open: open it as a click would."""
    at.session_state[f"sop.tabs.{lang}"] = i18n.t(f"sop.tab.{tab}", lang)
    at.run()


def picker(at: Any) -> Any:
    [found] = [w for w in at.selectbox if (w.key or "").startswith("sop.pick.")]
    return found


def pick(at: Any, rule_id: str) -> None:
    """Choose the rule to edit (`__new__`: a new one), as the picker above the form does."""
    picker(at).set_value(rule_id)
    at.run()
    assert not at.exception, at.exception


def gantt_rows(plan: Plan) -> list[str]:
    return list(charts_sop.gantt_data(plan, sop.expand(plan), "zh")["row"])


def test_add_a_weekly_rule_then_edit_it_and_the_gantt_follows(isolated_db) -> None:
    plan = stored_plan(isolated_db, team_plan())
    at = fresh(PAGE)
    assert not at.exception
    widget(at.selectbox, "sop.form.__new__.kind").set_value("weekly")
    at.run()
    widget(at.text_input, "sop.form.__new__.name").input("周复盘")
    widget(at.selectbox, "sop.form.__new__.owner_role").set_value("host")
    widget(at.multiselect, "sop.form.__new__.weekdays").set_value([6])
    widget(at.time_input, "sop.form.__new__.at_time").set_value(time(19, 0))
    widget(at.number_input, "sop.form.__new__.minutes").set_value(45)
    widget(at.text_area, "sop.form.__new__.script").input("第{day}天复盘：{goal}")
    button(at, "sop.form.submit.__new__").click()
    at.run()
    assert not at.exception, at.exception
    [rule] = reload(isolated_db, plan.id).sop.rules
    assert (rule.name, rule.owner_role, rule.minutes) == ("周复盘", "host", 45)
    assert (rule.trigger.kind, rule.trigger.weekdays, rule.trigger.at_time) == (TriggerKind.WEEKLY, [6], time(19, 0))
    saved = reload(isolated_db, plan.id)
    assert gantt_rows(saved) == ["群主 · 周复盘"] * 3  # three Sundays in 21 days from a Monday
    assert not at.get("vega_lite_chart")  # only the open tab is drawn
    open_tab(at, "charts")
    assert len(at.get("vega_lite_chart")) == 2  # Gantt and workload drawn

    # The editor now shows the new rule: rename it and give it to the assistant.
    name = widget(at.text_input, f"sop.form.{rule.id}.name")
    assert name.value == "周复盘"
    name.input("每周复盘会")
    widget(at.selectbox, f"sop.form.{rule.id}.owner_role").set_value("ta")
    button(at, f"sop.form.submit.{rule.id}").click()
    at.run()
    assert not at.exception, at.exception
    [edited] = reload(isolated_db, plan.id).sop.rules
    assert (edited.id, edited.name, edited.owner_role) == (rule.id, "每周复盘会", "ta")
    assert gantt_rows(reload(isolated_db, plan.id)) == ["助教 · 每周复盘会"] * 3
    # what the page shows is computed once per plan (pages/ui/sop_views): after the edit it is the new plan's
    shown = at.dataframe[0].value
    assert list(shown["规则名称"]) == ["每周复盘会"] and list(shown["负责角色"]) == ["助教"]

    # Delete with a confirmation.
    button(at, "sop.delete.ask").click()
    at.run()
    button(at, "sop.delete.yes").click()
    at.run()
    assert reload(isolated_db, plan.id).sop.rules == []


def test_form_problems_are_shown_and_nothing_saved(isolated_db) -> None:
    plan = stored_plan(isolated_db, team_plan())
    at = fresh(PAGE)
    widget(at.selectbox, "sop.form.__new__.kind").set_value("weekly")
    at.run()
    widget(at.text_input, "sop.form.__new__.name").input("没有星期")
    button(at, "sop.form.submit.__new__").click()
    at.run()
    assert not at.exception
    assert any("至少要选一天" in e.value for e in at.error)
    assert reload(isolated_db, plan.id).sop.rules == []


def test_generate_defaults_fills_then_appends_with_a_confirm(isolated_db) -> None:
    plan = stored_plan(isolated_db, team_plan())
    at = fresh(PAGE)
    button(at, "sop.defaults").click()
    at.run()
    rules = reload(isolated_db, plan.id).sop.rules
    assert rules and all(r.id.startswith("default-") for r in rules)
    assert all(r.owner_role in {"host", "ta"} for r in rules)
    assert not [b for b in at.button if b.key == "sop.defaults"]  # all present now

    # Remove two defaults: the button comes back and asks before appending them.
    kept = Plan.model_validate(reload(isolated_db, plan.id).model_dump())
    kept.sop.rules = [SopRule(name="我的规则", owner_role="ta", trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=1)),
                      *rules[2:]]
    stored_plan(isolated_db, kept)
    at = fresh(PAGE)
    button(at, "sop.defaults").click()
    at.run()
    assert reload(isolated_db, plan.id).sop.rules[0].name == "我的规则"
    assert len(reload(isolated_db, plan.id).sop.rules) == len(rules) - 1  # nothing appended yet
    button(at, "sop.defaults.yes").click()
    at.run()
    after = reload(isolated_db, plan.id).sop.rules
    assert after[0].name == "我的规则" and len(after) == len(rules) + 1


def test_empty_states_explain_and_link(isolated_db) -> None:
    stored_plan(isolated_db, Plan())
    at = fresh(PAGE)
    assert not at.exception
    text = " ".join(i.value for i in at.info)
    assert "还没有角色" in text and "开始日期" in text and "还没有 SOP 规则" in text
    assert any("21 天" in w.value for w in at.warning)  # the assumed lifecycle length is said


def test_findings_preview_and_downloads(isolated_db) -> None:
    plan = team_plan()
    plan.sop.rules = [SopRule(name="深夜提醒", owner_role="host", script="你好{member_name}，{oops}",
                              trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=list(range(7)), at_time=time(23, 0)))]
    stored_plan(isolated_db, plan)
    at = fresh(PAGE)
    assert not at.exception
    open_tab(at, "checks")
    markdown = " ".join(m.value for m in at.markdown)
    assert "免打扰" in markdown and "{oops}" in markdown
    open_tab(at, "scripts")
    assert any("你好小林，{oops}" in c.value for c in at.code)
    open_tab(at, "export")
    downloads = [e for e in at.get("download_button")]
    assert len(downloads) == 3


def test_english_page_with_defaults_shows_no_raw_keys(isolated_db) -> None:
    plan = team_plan()
    plan.meta.language = "en"
    stored_plan(isolated_db, plan, lang="en")
    at = fresh(PAGE)
    button(at, "sop.defaults").click()
    at.run()
    assert not at.exception, at.exception
    shown = ""
    for tab in ("rules", "schedule", "charts", "checks", "scripts", "export", "setup", "review"):
        if tab != "rules":
            open_tab(at, tab, "en")
        assert not at.exception, at.exception
        shown += " ".join([*(m.value for m in at.markdown), *(c.value for c in at.caption),
                           *(s.value for s in at.success), *(t.label for t in at.tabs)])
        if tab == "charts":
            assert len(at.get("vega_lite_chart")) == 2
    assert "Schedule" in shown and "Design checks" in shown
    assert "sop." not in shown and "field.sop" not in shown


def test_maturity_set_up_review_and_merging_a_duplicate_ceremony(isolated_db) -> None:
    from planner.plan.examples import load_example
    from planner.sop import edit as sop_edit

    example = load_example("early_rise_camp")
    opening = next(r for r in example.sop.rules if r.id == "opening")
    example.sop.rules.append(opening.model_copy(update={"id": "default-opening", "material": ""}))
    plan = stored_plan(isolated_db, Plan.model_validate(example.model_dump()))
    at = fresh(PAGE)
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "SOP 成熟度" in shown
    button(at, "sop.ceremony.merge").click()
    at.run()
    saved = reload(isolated_db, plan.id)
    assert sop_edit.duplicate_ceremonies(saved) == {}
    assert [r.id for r in saved.sop.rules].count("opening") == 1

    open_tab(at, "setup")
    button(at, "sop.setup.generate").click()
    at.run()
    assert not at.exception, at.exception
    saved = reload(isolated_db, plan.id)
    assert saved.elements.interest.brand_name in saved.setup.welcome_card and saved.setup.entry_announcement

    open_tab(at, "review")
    widget(at.selectbox, "sop.review.weekday").set_value(4)
    at.run()
    assert reload(isolated_db, plan.id).review.weekday == 4


def test_review_tab_points_to_the_data_page_and_lists_the_notes(isolated_db) -> None:
    """The review itself happens beside plan vs actual (tests/ui/test_data_page.py); the SOP page keeps
    the cadence, a link there and the notes recorded so far."""
    from models.plan import RevisionNote

    plan = team_plan()
    plan.review.notes = [RevisionNote(on=date(2026, 3, 9), kpi="活跃人数", cause="观望者没人理", change="加一条规则")]
    stored_plan(isolated_db, plan)
    at = fresh(PAGE)
    assert not at.exception, at.exception
    open_tab(at, "review")
    assert "data" in [link.proto.page for link in at.get("page_link")]
    assert not [b for b in at.button if (b.key or "").startswith("sop.adopt.")]
    notes = next(df.value for df in at.dataframe if "KPI" in df.value.columns)
    assert list(notes["KPI"]) == ["活跃人数"] and list(notes["调整"]) == ["加一条规则"]


def test_days_read_from_one_in_the_form_and_the_preview(isolated_db) -> None:
    """The opening day is day 1 on the page: the preview's day 3 fills {day} with 3 (the same
    numbering as the documents), and a rule typed in for day 3 is stored as day 2."""
    plan = team_plan()
    plan.sop.rules = [SopRule(id="daily", name="打卡提醒", owner_role="ta", script="今天是第{day}天",
                              trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=0, at_time=time(8, 30)))]
    plan = stored_plan(isolated_db, plan)
    at = fresh(PAGE)
    open_tab(at, "scripts")
    preview = next(n for n in at.number_input if (n.key or "").startswith("sop.preview.day."))
    assert (preview.value, preview.min) == (1, 1) and "今天是第1天" in [c.value for c in at.code]
    preview.set_value(3).run()
    assert "今天是第3天" in [c.value for c in at.code]
    open_tab(at, "rules")
    pick(at, "__new__")
    widget(at.selectbox, "sop.form.__new__.kind").set_value("group_day")
    at.run()
    day = widget(at.number_input, "sop.form.__new__.day")
    assert (day.value, day.min) == (1, 1)
    day.set_value(3)
    widget(at.text_input, "sop.form.__new__.name").input("第三天分享")
    button(at, "sop.form.submit.__new__").click()
    at.run()
    assert not at.exception, at.exception
    added = next(r for r in reload(isolated_db, plan.id).sop.rules if r.name == "第三天分享")
    assert added.trigger.day == 2
    assert "第 3 天 09:00" in list(at.dataframe[0].value.iloc[:, 1:].astype(str).values.ravel())


def test_with_rules_the_form_waits_for_a_pick_and_without_it_opens_on_a_new_rule(isolated_db) -> None:
    """A plan with rules opens on the rules table and a picker, the form's fields drawn once a rule (or a
    new one) is picked; a plan without rules opens on the form for its first."""
    plan = stored_plan(isolated_db, team_plan())
    at = fresh(PAGE)
    assert widget(at.text_input, "sop.form.__new__.name")  # no rules yet: the form for a new one
    plan.sop.rules = [SopRule(id="daily", name="打卡提醒", owner_role="ta",
                              trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=0, at_time=time(8, 30)))]
    plan = stored_plan(isolated_db, plan)  # the same plan, now with a rule
    at = fresh(PAGE)
    choice = picker(at)
    assert choice.value is None and choice.proto.placeholder == i18n.t("sop.editor.pick_placeholder", "zh")
    assert not [w for w in at.text_input if (w.key or "").startswith("sop.form.")]
    assert not [b for b in at.button if b.key == "sop.delete.ask"]
    pick(at, "daily")
    assert widget(at.text_input, "sop.form.daily.name").value == "打卡提醒"
    button(at, "sop.delete.ask").click()
    at.run()
    button(at, "sop.delete.yes").click()
    at.run()
    assert reload(isolated_db, plan.id).sop.rules == []
    assert widget(at.text_input, "sop.form.__new__.name")  # the last rule gone: the form for a new one


def test_the_schedule_tab_and_the_charts_tab_share_one_expansion(isolated_db, monkeypatch) -> None:
    """The views and the charts of one plan version read the same expanded schedule."""
    plan = team_plan()
    plan.meta.name = f"展开一次 {plan.id}"  # a plan version no other test has cached
    plan.sop.rules = [SopRule(name="周复盘", owner_role="ta",
                              trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=[4], at_time=time(20, 0)))]
    stored_plan(isolated_db, plan)
    expanded: list[date | None] = []
    real = sop.expand
    monkeypatch.setattr(sop, "expand", lambda p, start=None: expanded.append(start) or real(p, start))
    at = fresh(PAGE)
    open_tab(at, "schedule")
    open_tab(at, "charts")
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == 2
    assert expanded == [plan.lifecycle.start_date]


def test_the_preview_choices_are_kept_while_another_tab_is_open(isolated_db) -> None:
    """Only the open tab is drawn, and Streamlit forgets an undrawn widget's value: the picks come back."""
    plan = team_plan()
    plan.sop.rules = [SopRule(id=f"r{i}", name=f"提醒{i}", owner_role="ta", script="{member_name}，今天是第{day}天",
                              trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=0, at_time=time(8, 30)))
                      for i in (1, 2)]
    stored_plan(isolated_db, plan)
    at = fresh(PAGE)
    open_tab(at, "scripts")
    at.selectbox(key="sop.preview.rule").set_value("r2").run()
    at.number_input(key="sop.preview.day.r2").set_value(5).run()
    at.text_input(key="sop.preview.member").input("阿青").run()
    assert "阿青，今天是第5天" in [c.value for c in at.code]
    open_tab(at, "checks")
    open_tab(at, "scripts")
    assert not at.exception, at.exception
    assert at.selectbox(key="sop.preview.rule").value == "r2"
    assert "阿青，今天是第5天" in [c.value for c in at.code]
