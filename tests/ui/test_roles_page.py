"""Roles page: seed roles by button, table edits keep ids, layers, incentives, ritual drafts."""

from __future__ import annotations

from functools import partial

from streamlit.testing.v1 import AppTest

from models.plan import Goal, Plan, Role
from planner import i18n
from planner.plan.rituals import opening_ceremony_text
from planner.plan.roles_catalog import SEED_KEYS
from tests.ui.helpers import APP
from tests.ui.planning_helpers import away_and_back, bound, button, choose_tab, editor_key, fresh, reload, stored_plan

PAGE = "pages/roles.py"
NS = "roles"
TABS = ("roles", "layers", "incentives", "rituals")


on_tab = partial(choose_tab, "roles")


def test_only_the_open_tab_is_drawn(isolated_db) -> None:
    stored_plan(isolated_db)
    at = fresh(PAGE)
    assert [t.label for t in at.tabs][:4] == [i18n.t(f"roles.section.{t}", "zh") for t in TABS]
    assert bound(at.data_editor, NS, "roles") and not at.code
    on_tab(at, "rituals")
    assert len(at.code) == 2 and not _roles_table(at)


def _roles_table(at) -> list:
    return [e for e in at.data_editor if (e.key or "").startswith(f"{NS}.roles@")]


def _opened_by_link(section: str) -> AppTest:
    """The page opened by a link that asks for `section` (`?section=`, as the doctor's links do)."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page(PAGE)
    at.query_params["section"] = section
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_link_opens_the_tab_it_names_and_the_choice_stays(isolated_db) -> None:
    """The doctor's links carry ?section=…: the page opens on that tab, and later runs keep it."""
    stored_plan(isolated_db)
    at = _opened_by_link("rituals")
    assert len(at.code) == 2 and not _roles_table(at)  # the rituals tab, not the first
    assert "section" not in at.query_params  # read once: a refresh later opens the page as usual
    at.run()
    assert len(at.code) == 2
    on_tab(at, "layers")  # choosing another tab is not undone by the link's choice
    assert not at.code and bound(at.number_input, NS, "member_layers.window_days")


def test_a_link_to_a_tab_the_page_does_not_have_opens_the_first(isolated_db) -> None:
    stored_plan(isolated_db)
    at = _opened_by_link("<script>")
    assert bound(at.data_editor, NS, "roles") and not at.code


def test_add_a_seed_role_by_button_then_edit_it(isolated_db) -> None:
    plan = stored_plan(isolated_db)
    at = fresh(PAGE)
    button(at, "roles.seed.add.praiser").click()
    at.run()
    roles = reload(isolated_db, plan.id).roles
    assert [r.name for r in roles] == ["夸夸官"]
    assert roles[0].behaviour and roles[0].responsibility
    assert not [b for b in at.button if b.key == "roles.seed.add.praiser"]  # no duplicate offered
    assert list(bound(at.data_editor, NS, "roles").value["name"]) == ["夸夸官"]
    at.session_state[editor_key(at, NS, "roles")] = {
        "edited_rows": {0: {"headcount": 2, "hours_per_week": 3.5}}, "added_rows": [], "deleted_rows": []}
    at.run()
    edited = reload(isolated_db, plan.id).roles
    assert (edited[0].id, edited[0].headcount, edited[0].hours_per_week) == (roles[0].id, 2, 3.5)


def test_add_all_skips_roles_already_there(isolated_db) -> None:
    plan = Plan()
    plan.roles = [Role(name="小组长", behaviour="带队", responsibility="督促")]
    plan = stored_plan(isolated_db, plan)
    at = fresh(PAGE)
    button(at, "roles.seed.add_all").click()
    at.run()
    names = [r.name for r in reload(isolated_db, plan.id).roles]
    assert names[0] == "小组长" and "组长" not in names
    assert len(names) == len(SEED_KEYS)
    assert not [b for b in at.button if (b.key or "").startswith("roles.seed.add")]


def test_table_edit_keeps_hidden_ids(isolated_db) -> None:
    plan = Plan()
    plan.roles = [Role(id="r1", name="领教"), Role(id="r2", name="助教")]
    plan = stored_plan(isolated_db, plan)
    at = fresh(PAGE)
    at.session_state[editor_key(at, NS, "roles")] = {
        "edited_rows": {1: {"behaviour": "耐心答疑"}}, "added_rows": [{"name": "夜猫督导"}], "deleted_rows": [0]}
    at.run()
    roles = reload(isolated_db, plan.id).roles
    assert [(r.id, r.name, r.behaviour) for r in roles[:1]] == [("r2", "助教", "耐心答疑")]
    assert roles[1].name == "夜猫督导" and roles[1].id not in ("r1", "r2")


def test_layers_and_incentives_saved_and_kept(isolated_db) -> None:
    plan = stored_plan(isolated_db)
    at = on_tab(fresh(PAGE), "layers")
    bound(at.number_input, NS, "member_layers.window_days").set_value(14)
    bound(at.number_input, NS, "member_layers.layers.0.min_messages").set_value(20)
    bound(at.text_area, NS, "member_layers.layers.2.treatment").input("一对一私聊")
    at.run()
    on_tab(at, "incentives")
    bound(at.text_area, NS, "incentives.rewards").input("全勤返挑战金")
    at.run()
    away_and_back(at, PAGE)
    assert bound(on_tab(at, "layers").number_input, NS, "member_layers.layers.0.min_messages").value == 20
    saved = reload(isolated_db, plan.id)
    assert saved.member_layers.window_days == 14
    assert saved.member_layers.layers[2].treatment == "一对一私聊"
    assert saved.incentives.rewards == ["全勤返挑战金"]
    assert bound(on_tab(fresh(PAGE), "incentives").text_area, NS, "incentives.rewards").value == "全勤返挑战金"


def test_generated_ceremony_shows_the_plan_and_goes_into_it(isolated_db) -> None:
    plan = Plan()
    plan.meta.name = "破晓早起营"
    plan.lifecycle.goals = [Goal(statement="六点半前起床")]
    plan = stored_plan(isolated_db, plan)
    at = on_tab(fresh(PAGE), "rituals")
    codes = [c.value for c in at.code]
    assert any("破晓早起营" in c and "六点半前起床" in c for c in codes)
    bound(at.text_area, NS, "rituals.closing_ceremony").input("颁发证书")
    at.run()
    button(at, "roles.use.opening_ceremony").click()
    at.run()
    saved = reload(isolated_db, plan.id)
    assert saved.rituals.opening_ceremony == opening_ceremony_text(saved, "zh")
    assert saved.rituals.closing_ceremony == "颁发证书"
    assert bound(at.text_area, NS, "rituals.opening_ceremony").value == saved.rituals.opening_ceremony


def test_seeded_team_and_default_sop_keep_the_doctor_quiet(isolated_db) -> None:
    """全部添加, then the one-click default SOP: the doctor finds a KOL and no overloaded role."""
    plan = stored_plan(isolated_db)
    at = fresh(PAGE)
    assert any("16" in c.value for c in at.caption)  # the team the defaults assume is stated
    button(at, "roles.seed.add_all").click()
    at.run()
    at.switch_page("pages/sop.py")
    at.run()
    button(at, "sop.defaults").click()
    at.run()
    assert not at.exception, at.exception
    saved = reload(isolated_db, plan.id)
    assert saved.sop.rules and saved.roles
    at.switch_page("pages/doctor.py")
    at.run()
    shown = " ".join(m.value for m in at.markdown)
    assert "超出可投入时间" not in shown and "没有核心用户" not in shown


def test_the_pits_are_named_where_they_are_walked_into(isolated_db) -> None:
    """Serving members from above: beside the member layers (roles); counting heads only: beside the
    KPIs (lifecycle), next to the myth that a lively group is a good one."""
    stored_plan(isolated_db, Plan())
    roles = on_tab(fresh(PAGE), "layers")
    assert any(i.value.startswith("坑：高高在上") for i in roles.info)
    lifecycle = choose_tab("lifecycle", fresh("pages/lifecycle.py"), "kpis")  # only the open tab is drawn
    tip = next(i.value for i in lifecycle.info if "误区：群越活跃越好" in i.value)
    assert "坑：把社群当成普通微信群" in tip
