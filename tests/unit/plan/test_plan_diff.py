"""Plan diff: field paths, localized labels, values as text, only real differences."""

from __future__ import annotations

import pytest

from models.enums import CommunityType, Stage
from models.plan import Plan, Role, StageSpan
from models.sop import Audience
from planner import i18n
from planner.plan.diff import DiffKind, diff_plans, field_label, flatten, format_value
from tests.sample_plans import complete_plan


def test_same_plan_has_no_differences() -> None:
    assert diff_plans(complete_plan(), complete_plan()) == []


def test_ids_and_timestamps_are_ignored() -> None:
    a, b = complete_plan(), complete_plan()
    b.id = "other"
    b.roles[0].id = "x"
    b.sop.rules[0].owner_role = "x"  # same role by name, different id
    assert diff_plans(a, b) == []


def test_changed_field_is_reported_with_label_and_values() -> None:
    a, b = complete_plan(), complete_plan()
    b.positioning.why = "带动复购"
    rows = diff_plans(a, b, "en")
    assert [(r.path, r.kind) for r in rows] == [("positioning.why", DiffKind.CHANGED)]
    assert rows[0].label == "5W+1H positioning › WHY (purpose)"
    assert (rows[0].left, rows[0].right) == ("培养早起习惯", "带动复购")


def test_extra_items_show_on_one_side() -> None:
    a, b = complete_plan(), complete_plan()
    b.roles.append(Role(name="夸夸官", behaviour="夸", responsibility="氛围"))
    rows = diff_plans(a, b, "zh")
    assert {r.kind for r in rows} == {DiffKind.ONLY_RIGHT}
    assert any(r.path == "roles.2.name" and r.right == "夸夸官" and r.left == "" for r in rows)
    assert any(r.label == "角色 › #3 › 名称" for r in rows)


def test_enums_lists_and_bools_are_readable() -> None:
    a, b = complete_plan(), complete_plan()
    b.meta.community_type = CommunityType.BRAND_FANS
    b.elements.structure.group_rules = ["不发广告"]
    b.replication.planned = False
    b.lifecycle.stages[0] = StageSpan(stage=Stage.ACTIVATION, start_day=0, end_day=4)
    rows = {r.path: r for r in diff_plans(a, b, "en")}
    assert rows["meta.community_type"].right == "Brand fan community"
    assert rows["elements.structure.group_rules"].left == "只发与早起相关的内容\n不发广告"
    assert (rows["replication.planned"].left, rows["replication.planned"].right) == ("yes", "no")
    assert rows["lifecycle.stages.0.stage"].left == "Acquisition"


def test_show_all_keeps_same_rows() -> None:
    a = complete_plan()
    rows = diff_plans(a, a, only_changes=False)
    assert rows and all(r.kind == DiffKind.SAME for r in rows)


def test_flatten_keeps_scalar_lists_whole() -> None:
    flat = flatten({"a": {"b": [1, 2]}, "c": [{"d": 1}, {"d": 2}], "id": "x"})
    assert flat == {"a.b": [1, 2], "c.0.d": 1, "c.1.d": 2}


def test_format_value() -> None:
    assert format_value("x.fee", 49.0, "zh") == "49"
    assert format_value("x.fee", None, "zh") == ""
    assert format_value("x.join_mode", "paid", "zh") == i18n.t("enum.JoinMode.paid", "zh")


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_compared_field_has_a_label(lang: str) -> None:
    paths = {r.path for r in diff_plans(Plan(), complete_plan(), lang, only_changes=False)}
    for path in paths:
        for part in path.split("."):
            if not part.isdigit() and part not in {"ritual", "participation", "organisation", "belonging"}:
                assert i18n.has(f"plan_field.{part}", lang), part
    assert field_label("elements.operations.feelings.ritual", "zh").endswith("仪式感")


def test_metric_and_layer_values_read_as_labels() -> None:
    # a KPI's measured metric and a rule's member layer are codes in the plan, labels on the page
    assert format_value("kpis.0.metric", "checkin_rate", "zh") == i18n.t("lifecycle.metric.checkin_rate", "zh")
    assert format_value("kpis.0.metric", "口碑", "zh") == "口碑"  # a manual metric stays as written
    assert format_value("sop.rules.0.audience_ref", "watcher", "en") == i18n.t("enum.Layer.watcher", "en")
    a, b = complete_plan(), complete_plan()
    b.roles[0].name = "班长"
    b.sop.rules[0].audience, b.sop.rules[0].audience_ref = Audience.ROLE, b.roles[0].id
    row = next(r for r in diff_plans(a, b, "zh") if r.path == "sop.rules.0.audience_ref")
    assert row.right == "班长"
