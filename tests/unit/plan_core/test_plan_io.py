"""Reading plan JSON never raises: every bad input becomes a located, localized problem."""

from __future__ import annotations

import json

import pytest

from models import SCHEMA_VERSION, Plan
from models.migrations import upgrade
from planner import i18n
from planner.plan_core.edit import get_at, with_value
from planner.plan_core.json_io import json_error_key, plan_from_json, plan_to_json


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (b"", "plan_io.empty"),
        (b"   \n", "plan_io.empty"),
        (b"\xff\xfe\x00garbage", "plan_io.not_utf8"),
        (b"{\"meta\": ", "plan_io.json.value"),
        (b"{'meta': 1}", "plan_io.json.name"),
        (b"{\"a\": 1 \"b\": 2}", "plan_io.json.comma"),
        (b"{\"a\" 1}", "plan_io.json.colon"),
        (b"{\"a\": \"x", "plan_io.json.string"),
        (b"{\"a\": \"\x01\"}", "plan_io.json.control"),
        (b"{\"a\": \"\\q\"}", "plan_io.json.escape"),
        (b"{} {}", "plan_io.json.extra"),
        (b"[1, 2]", "plan_io.not_an_object"),
        (b"{\"schema_version\": 99}", "plan_io.newer_schema"),
        (b"{\"schema_version\": \"x\"}", "plan_io.bad_schema_version"),
        (b"{\"schema_version\": 1, \"meta\": {\"nmae\": 1}}", "validation.extra_forbidden"),
        (b"{\"schema_version\": 1, \"lifecycle\": {\"length_days\": 0}}", "validation.greater_than_equal"),
    ],
)
def test_bad_input_gives_a_problem(raw: bytes, key: str) -> None:
    plan, problems = plan_from_json(raw, file="upload.json")
    assert plan is None
    assert problems[0].key == key
    assert problems[0].file == "upload.json"
    for lang in i18n.LANGS:  # every problem has real text in both languages
        assert i18n.t(problems[0].key, lang) != problems[0].key


def test_bad_json_says_line_and_column() -> None:
    _, problems = plan_from_json('{\n  "meta": {\n    "name": oops\n  }\n}')
    assert (problems[0].row, problems[0].column) == (3, "13")
    # in the person's language, never the parser's English
    assert "Expecting" not in i18n.render_problem(problems[0], "zh")
    assert i18n.render_problem(problems[0], "zh").startswith("第 3 行")


def test_an_unknown_parser_message_gets_the_general_text() -> None:
    assert json_error_key("Something new in a later Python") == "plan_io.bad_json"


def test_validation_problem_names_the_field_with_human_positions() -> None:
    raw = {"schema_version": 1, "roles": [{"id": "a"}, {"id": "b", "headcount": -1}]}
    _, problems = plan_from_json(json.dumps(raw))
    assert problems[0].column == "roles.2.headcount"
    assert i18n.render_problem(problems[0], "en") == "column/field roles › #2 › headcount: Must be at least 0."
    assert i18n.render_problem(problems[0], "zh") == "列/字段 角色 › 第 2 项 › 人数：不能小于 0。"


def test_model_rules_have_their_own_localized_messages() -> None:
    raw = {"schema_version": 1, "lifecycle": {"stages": [{"stage": "acquisition", "start_day": 5, "end_day": 1}]}}
    _, problems = plan_from_json(json.dumps(raw))
    assert problems[0].key == "validation.stage_order"
    assert i18n.render_problem(problems[0], "zh").endswith("结束天不能早于开始天。")
    assert "Value error" not in i18n.render_problem(problems[0], "en")


def test_bom_is_accepted() -> None:
    plan = Plan()
    plan.meta.name = "带 BOM"
    again, problems = plan_from_json(b"\xef\xbb\xbf" + plan_to_json(plan).encode())
    assert problems == [] and again == plan


def test_version_0_draft_is_upgraded() -> None:
    draft = {"meta": {"name": "旧草稿"}, "lifecycle": {"length_days": 21, "goal": {"statement": "早起"}}}
    plan, problems = plan_from_json(json.dumps(draft, ensure_ascii=False))
    assert problems == []
    assert plan.schema_version == SCHEMA_VERSION
    assert [g.statement for g in plan.lifecycle.goals] == ["早起"]
    assert "goal" in draft["lifecycle"]  # the caller's dict is not changed


def test_upgrade_leaves_current_plans_alone() -> None:
    data = Plan().model_dump(mode="json")
    assert upgrade(data) == data


def test_edit_by_path_validates_and_keeps_the_old_plan() -> None:
    plan = Plan()
    renamed, problems = with_value(plan, "elements.interest.slogan", "深夜十点")
    assert problems == [] and get_at(renamed, "elements.interest.slogan") == "深夜十点"
    assert plan.elements.interest.slogan == ""
    same, problems = with_value(renamed, "lifecycle.length_days", -3)
    assert same is renamed
    assert problems[0].column == "lifecycle.length_days"


def test_edit_inside_a_list() -> None:
    plan, _ = with_value(Plan(), "lifecycle.values.stand_for", ["长期主义", "真诚"])
    plan, problems = with_value(plan, "lifecycle.values.stand_for.1", "互助")
    assert problems == [] and plan.lifecycle.values.stand_for == ["长期主义", "互助"]
