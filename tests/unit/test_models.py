"""The Plan aggregate: defaults, validation, exact JSON round trip (property-based)."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from models import SCHEMA_VERSION, Feeling, Layer, Plan, SopRule, Stage, Trigger, TriggerKind
from models.enums import STAGE_ORDER, CommunityType, Currency
from models.migrations import upgrade
from models.plan import ConversionTier, Goal, Kpi, Role, StageSpan
from models.sop import EventKind
from models.text import NONCHARACTERS
from planner.plan_core.json_io import plan_from_json, plan_to_json

# Any Unicode text a plan keeps as it is, Chinese and emoji included: no surrogates, controls other
# than tab and line feed, or noncharacters, which validation drops (tests/unit/test_text_safety.py).
texts = st.text(st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n",
                              exclude_characters=NONCHARACTERS), max_size=30)
text_lists = st.lists(texts, max_size=4)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    plan = Plan()
    plan.meta.name = draw(texts)
    plan.meta.slogan = draw(st.sampled_from(["深夜十点，陪你读书 📚", "早起 21 天 🌅", ""]))
    plan.elements.structure.group_rules = draw(text_lists)
    plan.elements.structure.fee = draw(st.none() | st.floats(0, 10_000, allow_nan=False))
    plan.positioning.why = draw(texts)
    plan.lifecycle.length_days = draw(st.none() | st.integers(1, 365))
    plan.lifecycle.start_date = draw(st.none() | st.dates(date(2020, 1, 1), date(2035, 12, 31)))
    plan.lifecycle.values.stand_for = draw(text_lists)
    plan.lifecycle.goals = [Goal(statement=draw(texts), target=draw(st.none() | st.floats(-1e6, 1e6)))]
    plan.lifecycle.conversion_ladder = [ConversionTier(name=draw(texts), price=draw(st.floats(0, 1e5)))]
    plan.roles = [Role(id=draw(st.text("abcdef0123", min_size=1, max_size=8)), name=draw(texts),
                       hours_per_week=draw(st.floats(0, 168)))]
    plan.sop.rules = [SopRule(name=draw(texts), script=draw(texts),
                              trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=draw(
                                  st.lists(st.integers(0, 6), min_size=1, max_size=7)),
                                  at_time=draw(st.times())))]
    plan.kpis = [Kpi(metric="members", target=draw(st.none() | st.floats(0, 1e6)), due_day=draw(st.integers(0, 400)))]
    return plan


@settings(max_examples=60, deadline=None)
@given(plans())
def test_json_round_trip_is_exact(plan: Plan) -> None:
    text = plan_to_json(plan)
    again, problems = plan_from_json(text)
    assert problems == []
    assert again == plan
    assert plan_to_json(again) == text


def test_chinese_and_emoji_are_written_as_is() -> None:
    plan = Plan()
    plan.meta.name = "早起打卡营 🌅"
    text = plan_to_json(plan)
    assert "早起打卡营 🌅" in text
    assert "\\u" not in text


def test_blank_plan_is_valid_and_versioned() -> None:
    plan = Plan()
    assert plan.schema_version == SCHEMA_VERSION
    assert [layer.layer for layer in plan.member_layers.layers] == list(Layer)
    assert plan.data.checkin_keywords[0] == "打卡"


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(ValidationError) as info:
        Plan.model_validate({"meta": {"nmae": "typo"}})
    assert info.value.errors()[0]["type"] == "extra_forbidden"


def test_stage_span_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValidationError):
        StageSpan(stage=Stage.ACQUISITION, start_day=5, end_day=2)


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": TriggerKind.WEEKLY, "weekdays": []},
        {"kind": TriggerKind.WEEKLY, "weekdays": [7]},
        {"kind": TriggerKind.ABSOLUTE},
        {"kind": TriggerKind.EVENT},
        {"kind": TriggerKind.EVENT, "event": EventKind.MEMBER_INACTIVE},
        {"kind": TriggerKind.GROUP_DAY, "day": None},
    ],
)
def test_trigger_needs_the_fields_of_its_kind(fields: dict) -> None:
    with pytest.raises(ValidationError):
        Trigger(**fields)


def test_valid_triggers() -> None:
    assert Trigger(kind=TriggerKind.EVENT, event=EventKind.GROUP_SIZE, threshold=200).threshold == 200
    assert Trigger(kind=TriggerKind.WEEKLY, weekdays=[0, 3], at_time=time(20, 0)).weekdays == [0, 3]


def test_role_lookup() -> None:
    plan = Plan(roles=[Role(id="coach", name="领教")])
    assert plan.role_by_id("coach").name == "领教"
    assert plan.role_by_id("nobody") is None


def test_every_feeling_is_present_even_when_an_import_lists_some() -> None:
    plan = Plan.model_validate({"elements": {"operations": {"feelings": {"ritual": ["开营仪式"]}}}})
    assert plan.elements.operations.feelings == {
        Feeling.RITUAL: ["开营仪式"], Feeling.PARTICIPATION: [], Feeling.ORGANISATION: [], Feeling.BELONGING: [],
    }


def test_kpis_have_ids() -> None:
    first, second = Kpi(), Kpi()
    assert first.id and second.id and first.id != second.id
    with pytest.raises(ValidationError):
        Kpi(id="")


def test_version_1_kpis_get_ids_from_their_position() -> None:
    v1 = {"schema_version": 1, "kpis": [{"metric": "members", "target": 200}, {"label": "复购"}]}
    upgraded = upgrade(v1)
    assert [k["id"] for k in upgraded["kpis"]] == ["kpi-1", "kpi-2"]
    assert upgrade(v1) == upgraded  # two sessions upgrading the same stored plan agree on the ids
    assert "id" not in v1["kpis"][0]  # the caller's dict is not changed
    plan = Plan.model_validate(upgraded)
    assert [(k.id, k.metric, k.target) for k in plan.kpis] == [("kpi-1", "members", 200), ("kpi-2", "", None)]


def test_version_2_plan_upgrades_to_3_and_its_goal_kpi_is_marked() -> None:
    v2 = {
        "schema_version": 2,
        "lifecycle": {"goals": [{"statement": "80% 打卡", "metric": "checkin_rate", "target": 0.8}],
                      "stages": [{"stage": "acquisition", "start_day": 0, "end_day": 5}]},
        "kpis": [{"id": "kpi-1", "metric": "members", "target": 200},
                 {"id": "kpi-2", "metric": "checkin_rate", "target": 0.8}],
    }
    upgraded = upgrade(v2)
    assert upgraded["schema_version"] == SCHEMA_VERSION == 4
    plan = Plan.model_validate(upgraded)
    assert [k.measures_goal for k in plan.kpis] == [False, True]
    assert plan.elements.structure.standard_behaviours == [] and plan.review.notes == []
    assert plan.setup.welcome_card == "" and plan.lifecycle.long_term_goal == ""
    assert "measures_goal" not in v2["kpis"][1]  # the caller's dict is not changed
    assert Plan.model_validate(upgrade({"schema_version": 2})).kpis == []  # no goal, nothing marked


def test_version_3_plan_is_priced_in_yuan_and_price_scripts_lose_the_typed_unit() -> None:
    v3 = {"schema_version": 3, "meta": {"name": "晨读营"},
          "sop": {"rules": [{"id": "a", "script": "报名（{price} 元）"},
                            {"id": "b", "script": "({price} yuan) {price}元"},
                            {"id": "c", "script": "{offer}：{price}"}]}}
    upgraded = upgrade(v3)
    plan = Plan.model_validate(upgraded)
    assert plan.schema_version == 4 and plan.meta.currency == Currency.CNY and plan.meta.name == "晨读营"
    # {price} now reads "199 元" / "£39": the unit typed after it would be said twice
    assert [r.script for r in plan.sop.rules] == ["报名（{price}）", "({price}) {price}", "{offer}：{price}"]
    assert v3["meta"] == {"name": "晨读营"}  # the caller's dict is not changed
    assert Plan.model_validate(upgrade({"schema_version": 3})).meta.currency == Currency.CNY


def test_currency_round_trips_and_rejects_unknown_codes() -> None:
    plan = Plan()
    plan.meta.currency = Currency.GBP
    again = Plan.model_validate_json(plan.model_dump_json())
    assert again == plan and again.meta.currency == Currency.GBP
    with pytest.raises(ValidationError):
        Plan.model_validate({"schema_version": SCHEMA_VERSION, "meta": {"currency": "XYZ"}})


def test_long_term_stage_and_deals_type_exist() -> None:
    assert Stage.LONG_TERM in STAGE_ORDER and STAGE_ORDER[-1] == Stage.LONG_TERM
    assert CommunityType.DEALS.value == "deals"
