"""The review loop: a sample upload, a missed KPI, its likely causes and changes, one applied to the
plan and recorded as a revision note; revenue from the amount column; activity per SOP rule."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from models.plan import Kpi, Plan, Role
from models.sop import SopRule, Trigger, TriggerKind
from planner import i18n
from planner.data.analytics import analyze
from planner.data.ingest import load_files
from planner.data.sample import generate, to_files
from planner.plan import review
from planner.plan.doctor import diagnose

START = date(2026, 1, 5)


def _plan() -> Plan:
    plan = Plan()
    plan.lifecycle.length_days = 70
    plan.lifecycle.start_date = START
    plan.roles = [Role(id="host", name="主理人", hours_per_week=10), Role(id="ta", name="助教", hours_per_week=10)]
    plan.kpis = [
        Kpi(id="goal", metric="active_members", label="活跃人数", target=100000, due_day=30, measures_goal=True),
        Kpi(id="easy", metric="members", label="人数", target=1, due_day=30),
    ]
    plan.sop.rules = [SopRule(id="tue", name="周二直播", task="直播", owner_role="host",
                              trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=[1], at_time=time(20, 0)))]
    return Plan.model_validate(plan.model_dump())


@pytest.fixture(scope="module")
def loaded():
    files = to_files(generate(members=80, days=70, start=START))
    return load_files(sorted(files.items()))


def test_sample_upload_missed_kpi_to_a_change_applied_and_recorded(loaded) -> None:
    plan = _plan()
    analysis = analyze(loaded, plan)
    missed = review.missed_kpis(plan, analysis)
    assert [row["kpi_id"] for row in missed] == ["goal"]  # the easy one was met
    suggestions = review.suggestions_for(missed[0]["metric"])
    assert {s.target for s in suggestions} >= {"sop.rules", "elements.structure.interaction_mechanisms"}
    for s in suggestions:
        assert i18n.has(s.cause, "zh") and i18n.has(s.change, "en")

    changed, problems = review.apply_suggestion(plan, "active_members.watchers", missed[0]["label"], "zh",
                                                on=date(2026, 2, 10))
    assert problems == []
    assert "default-watchers" in [r.id for r in changed.sop.rules]
    [note] = changed.review.notes
    assert (note.on, note.kpi, note.target) == (date(2026, 2, 10), "活跃人数", "sop.rules")
    assert note.change == i18n.t("review.change.watchers", "zh") and note.cause
    again, _ = review.apply_suggestion(changed, "active_members.watchers", "活跃人数", "zh")
    assert [r.id for r in again.sop.rules].count("default-watchers") == 1  # not added twice
    assert "sop.unknown_owner" not in [f.rule_id for f in diagnose(changed)]


@pytest.mark.parametrize("suggestion", [s.id for items in review.CATALOG.values() for s, _ in items])
def test_every_suggestion_applies_to_a_plain_plan(suggestion: str) -> None:
    changed, problems = review.apply_suggestion(_plan(), suggestion, "KPI", "en")
    assert problems == [] and len(changed.review.notes) == 1


def test_a_layer_rule_the_plan_already_has_is_not_doubled() -> None:
    """The examples care for lurkers with their own rule: the suggestion records the note and keeps it."""
    from planner.plan.examples import load_example

    plan = load_example("early_rise_camp")
    before = [r.id for r in plan.sop.rules]
    assert "lurker_care" in before
    changed, problems = review.apply_suggestion(plan, "retention_m1.lurkers", "留存", "zh")
    assert problems == [] and [r.id for r in changed.sop.rules] == before
    assert [n.target for n in changed.review.notes] == ["sop.rules"]
    # the near miss: without a rule for that layer the default one is added
    plan.sop.rules = [r for r in plan.sop.rules if r.id != "lurker_care"]
    added, _ = review.apply_suggestion(plan, "retention_m1.lurkers", "留存", "zh")
    assert "default-lurkers" in [r.id for r in added.sop.rules]


def test_unknown_suggestion_is_a_problem() -> None:
    plan = _plan()
    same, problems = review.apply_suggestion(plan, "nope", "KPI", "zh")
    assert same is plan and [p.key for p in problems] == ["review.problem.unknown"]


def test_revenue_from_the_amount_column(loaded) -> None:
    paid = loaded.activity[loaded.activity["amount"] > 0]
    result = review.revenue(loaded, _plan())
    assert result is not None
    assert result["total"] == pytest.approx(float(paid["amount"].sum()))
    assert result["orders"] == len(paid) and result["buyers"] == paid["member_id"].nunique()
    assert result["in_cycle"] is not None and result["in_cycle"] <= result["total"]
    no_amounts = loaded.activity.assign(amount=float("nan"))
    assert review.revenue(type(loaded)(**{**loaded.__dict__, "activity": no_amounts})) is None


def test_rule_effects_compare_run_days_with_other_days(loaded) -> None:
    plan = _plan()
    analysis = analyze(loaded, plan)
    [row] = review.rule_effects(plan, analysis)
    assert row["rule_id"] == "tue" and row["days"] == 10  # Tuesdays in 70 days from a Monday
    daily = analysis.daily.set_index(analysis.daily["date"].dt.date)["dau"]
    tuesdays = [d for d in daily.index if d.weekday() == 1]
    assert row["on_days"] == pytest.approx(daily[tuesdays].mean())


@pytest.mark.parametrize(("cadence", "days"), [
    ("每周三13:30", {2}), ("每周二、周四各1篇", {1, 3}), ("每周一、三、五12:30", {0, 2, 4}),
    ("周一至周五", set(range(5))), ("每周六、日", {5, 6}), ("每天10:00", set(range(7))), ("Mondays 08:00", {0}),
    ("Tue and Thu", {1, 3}), ("weekends", {5, 6}), ("daily", set(range(7))),
    ("每月第一个周一", None), ("双周五", None), ("每季度1次", None), ("first Monday of the month", None),
    ("随时", None),
])
def test_cadence_weekdays(cadence: str, days: set[int] | None) -> None:
    assert review.cadence_weekdays(cadence) == days


def test_pillar_effects_compare_the_pillars_days_with_the_others(loaded) -> None:
    from models.plan import ContentPillar

    plan = _plan()
    plan.elements.content = [ContentPillar(topic="周五答疑", cadence="每周五 20:00"),
                             ContentPillar(topic="每日一题", cadence="每天 9:00"),  # nothing to compare with
                             ContentPillar(topic="月度复盘", cadence="每月最后一天")]  # not weekly
    analysis = analyze(loaded, plan)
    [row] = review.pillar_effects(plan, analysis)
    assert row["pillar"] == "周五答疑" and row["days"] == 10  # Fridays in 70 days from a Monday
    daily = analysis.daily.set_index(analysis.daily["date"].dt.date)["dau"]
    in_cycle = [d for d in daily.index if START <= d < START + timedelta(days=70)]
    fridays = [d for d in in_cycle if d.weekday() == 4]
    others = [d for d in in_cycle if d.weekday() != 4]
    assert row["on_days"] == pytest.approx(daily[fridays].mean())
    assert row["other_days"] == pytest.approx(daily[others].mean())
    assert row["lift"] == pytest.approx(daily[fridays].mean() / daily[others].mean() - 1)
