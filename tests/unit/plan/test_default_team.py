"""The one-click defaults agree with the doctor: the seeded roles ("全部添加") carry the default SOP
without an overload, and a seeded KOL role counts as a core user."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from models.enums import CommunityType
from models.plan import Role
from planner import i18n
from planner.plan import doctor
from planner.plan.examples import new_blank_plan
from planner.plan.roles_catalog import SEED_KEYS, with_seed_roles
from planner.sop import edit as sop_edit
from planner.sop.schedule import capacity_minutes, daily_minutes, expand


def _seeded(lang: str, kind: CommunityType, length: int | None, weekday: int, before_events: bool = False):
    plan = new_blank_plan("x", lang)
    plan.meta.community_type = kind
    plan.lifecycle.length_days = length
    plan.lifecycle.start_date = date(2024, 1, 1) + timedelta(days=weekday)  # 2024-01-01 is a Monday
    plan.review.before_events = before_events
    plan.roles = with_seed_roles(plan.roles, SEED_KEYS, lang)
    seeded, added = sop_edit.add_missing_defaults(plan, lang)
    assert added, "the defaults were added"
    return seeded


def _overload(plan) -> list[str]:
    return [f.params["role"] for f in doctor.diagnose(plan) if f.rule_id == "sop.over_capacity"]


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("kind", list(CommunityType))
@pytest.mark.parametrize("length", [None, 1, 2, 5, 7, 14, 21, 30, 60, 90, 365])
def test_seeded_roles_carry_the_default_sop(lang: str, kind: CommunityType, length: int | None) -> None:
    for weekday in range(7):  # the busiest day moves with the weekday the weekly rules fall on
        plan = _seeded(lang, kind, length, weekday, before_events=weekday % 2 == 1)
        assert _overload(plan) == [], (lang, kind, length, weekday)


def test_every_default_rule_has_a_seeded_owner() -> None:
    plan = _seeded("zh", CommunityType.CHECKIN_CAMP, 21, 0)
    role_ids = {r.id for r in plan.roles}
    assert all(rule.owner_role in role_ids for rule in plan.sop.rules)
    assert not [f for f in doctor.diagnose(plan) if f.rule_id in ("sop.no_owner", "sop.unknown_owner")]


def test_smaller_team_is_told_it_is_overloaded() -> None:
    # the check still fires: the same defaults on a lead teacher with the old 6 hours a week
    plan = _seeded("zh", CommunityType.CHECKIN_CAMP, 21, 0)
    plan.roles[0].hours_per_week = 6
    assert _overload(plan) == [plan.roles[0].name]


def test_seed_hours_cover_the_busiest_default_day() -> None:
    plan = _seeded("en", CommunityType.ECOMMERCE, 30, 3)
    load = daily_minutes(expand(plan))
    for role in plan.roles:
        busiest = max((m for (rid, _), m in load.items() if rid == role.id), default=0)
        assert busiest <= capacity_minutes(role), role.name


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_seeded_kol_role_is_a_core_user(lang: str) -> None:
    plan = new_blank_plan("x", lang)
    assert "roles.no_core_users" in {f.rule_id for f in doctor.diagnose(plan)}
    plan.roles = with_seed_roles(plan.roles, SEED_KEYS, lang)
    assert "roles.no_core_users" not in {f.rule_id for f in doctor.diagnose(plan)}


def test_a_kol_role_named_in_the_other_language_counts() -> None:
    plan = new_blank_plan("x", "zh")
    plan.roles = [Role(name="行业 kol 嘉宾", behaviour="b", responsibility="r")]
    assert "roles.no_core_users" not in {f.rule_id for f in doctor.diagnose(plan)}
    plan.roles = [Role(name="助教", behaviour="b", responsibility="r")]
    assert "roles.no_core_users" in {f.rule_id for f in doctor.diagnose(plan)}


def test_the_default_weekly_review_counts_as_a_review_rhythm() -> None:
    plan = _seeded("zh", CommunityType.CHECKIN_CAMP, 21, 0)
    assert plan.review.weekday is None and any(r.id == "default-review" for r in plan.sop.rules)
    assert "review.none" not in {f.rule_id for f in doctor.diagnose(plan)}
    plan.sop.rules = [r for r in plan.sop.rules if r.id != "default-review"]
    assert "review.none" in {f.rule_id for f in doctor.diagnose(plan)}


def test_a_weekly_rule_named_a_review_counts_but_a_one_off_does_not() -> None:
    from datetime import time

    from models.sop import SopRule, Trigger, TriggerKind
    from planner.sop.schedule import is_weekly_review
    weekly = Trigger(kind=TriggerKind.WEEKLY, weekdays=[6], at_time=time(19, 0))
    assert is_weekly_review(SopRule(id="r1", name="周复盘会", trigger=weekly))
    assert is_weekly_review(SopRule(id="r2", name="Weekly Review", trigger=weekly))
    assert not is_weekly_review(SopRule(id="r3", name="结营复盘", trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=20)))
    assert not is_weekly_review(SopRule(id="r4", name="周打卡", trigger=weekly))
