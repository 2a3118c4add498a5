"""The plan doctor: every rule fires on a plan that has the flaw and stays quiet on one that
does not (a near miss where there is a boundary)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

import pytest

from models.enums import Ability, Feeling, JoinMode, Layer, Stage
from models.plan import ContentPillar, ConversionTier, Goal, Kpi, Partner, Plan, Role, StageSpan
from models.problems import Finding, Severity, Step
from models.sop import Audience, SopRule, Trigger, TriggerKind
from planner import i18n
from planner.plan import doctor
from planner.plan.doctor import RULES, diagnose, group_by_step, has_errors, render_finding
from planner.plan.examples import load_example
from tests.sample_plans import complete_plan

Mutation = Callable[[Plan], None]


def _set(path: str, value: object) -> Mutation:
    def apply(plan: Plan) -> None:
        *parents, last = path.split(".")
        node = plan
        for part in parents:
            node = getattr(node, part)
        setattr(node, last, value)

    return apply


def _all(*mutations: Mutation) -> Mutation:
    def apply(plan: Plan) -> None:
        for m in mutations:
            m(plan)

    return apply


def _nothing(plan: Plan) -> None:
    pass


def _stages(*spans: tuple[Stage, int, int]) -> Mutation:
    return _set("lifecycle.stages", [StageSpan(stage=s, start_day=a, end_day=b) for s, a, b in spans])


def _goal(**fields: object) -> Mutation:
    base = {"statement": "80% 完成打卡", "metric": "checkin_rate", "target": 0.8, "evaluation_rule": "按记录"}
    return _set("lifecycle.goals", [Goal(**{**base, **fields})])


def _layers(activist_treatment: str) -> Mutation:
    def apply(plan: Plan) -> None:
        for layer in plan.member_layers.layers:
            if layer.layer == Layer.ACTIVIST:
                layer.treatment = activist_treatment

    return apply


def _sop_owner(owner: str, day: int = 3) -> Mutation:
    rule = SopRule(name="周报", task="发周报", owner_role=owner, script="…",
                   trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=day, at_time=time(20, 0)))
    return lambda plan: plan.sop.rules.append(rule)


def _ladder(*prices: float) -> Mutation:
    return _set("lifecycle.conversion_ladder", [ConversionTier(name=f"tier {p}", price=p) for p in prices])


CULTURE = ("language", "visuals", "topics", "timing", "behaviours")
A, B, R, C = Stage.ACQUISITION, Stage.ACTIVATION, Stage.RETENTION, Stage.CONVERSION
def _copy_positioning(plan: Plan, *fields: str) -> None:
    example = load_example("baoma_seed_group")
    for name in fields:
        source = example.positioning.persona if name == "pain_points" else example.positioning
        target = plan.positioning.persona if name == "pain_points" else plan.positioning
        setattr(target, name, getattr(source, name))


FREE = _all(_set("elements.structure.join_mode", JoinMode.INVITATION), _set("elements.structure.fee", None))


def _broadcasts(last_audience: Audience = Audience.EVERYONE) -> Mutation:
    return _set("sop.rules", [
        SopRule(name=f"群发 {d}", task="群发", owner_role="lead", script="…",
                audience=last_audience if d == 6 else Audience.EVERYONE,
                trigger=Trigger(kind=TriggerKind.GROUP_DAY, day=d, at_time=time(20, 0))) for d in (0, 3, 6)
    ])

# rule id → (a change to the complete plan that triggers it, a near miss that must not).
CASES: dict[str, tuple[Mutation, Mutation]] = {
    "lifecycle.no_length": (_set("lifecycle.length_days", None), _set("lifecycle.length_days", 30)),
    "lifecycle.no_start": (_set("lifecycle.start_date", None), _nothing),
    "lifecycle.long_cycle": (
        _all(_set("lifecycle.length_days", 365), _stages((A, 0, 99), (B, 100, 364))),
        _all(_set("lifecycle.length_days", 100), _stages((A, 0, 50), (B, 51, 100))),
    ),
    "goal.none": (_set("lifecycle.goals", []), _nothing),
    "goal.many": (
        _set("lifecycle.goals", [Goal(statement="a", metric="m", target=1, evaluation_rule="r"),
                                 Goal(statement="b", metric="m", target=1, evaluation_rule="r")]),
        # a blank second row (e.g. an empty table line) is not a second goal
        _set("lifecycle.goals", [Goal(statement="a", metric="m", target=1, evaluation_rule="r"), Goal()]),
    ),
    "goal.no_metric": (_goal(metric=""), _goal(metric="members")),
    "goal.no_target": (_goal(target=None), _goal(target=0)),
    "goal.no_evaluation": (_goal(evaluation_rule="  "), _goal(evaluation_rule="满 15 天")),
    "values.none": (
        _all(_set("lifecycle.values.stand_for", []), _set("lifecycle.values.stand_against", [])),
        _set("lifecycle.values.stand_for", []),  # standing against something is a value too
    ),
    "stages.none": (_set("lifecycle.stages", []), _stages((A, 0, 21))),
    "stages.overlap": (_stages((A, 0, 5), (B, 5, 21)), _stages((A, 0, 5), (B, 6, 21))),
    # the same stage twice, or activation before anyone was brought in, cannot happen
    "stages.impossible": (_stages((B, 0, 4), (A, 2, 10), (C, 11, 21)), _stages((A, 0, 10), (B, 3, 21))),
    "stages.no_long_term": (
        _set("lifecycle.long_term_goal", ""),
        _all(_set("lifecycle.long_term_goal", ""), _stages((A, 0, 10), (B, 11, 18), (Stage.LONG_TERM, 19, 21))),
    ),
    "goal.unmeasured": (
        _set("kpis", [Kpi(metric="checkin_rate", label="打卡率", target=0.8)]),
        _set("kpis", [Kpi(metric="checkin_rate", label="打卡率", target=0.8, measures_goal=True)]),
    ),
    "myth.lively": (
        _set("kpis", [Kpi(metric="messages", label="日发言", target=200, measures_goal=True)]),
        # active members is a count of people who did something, not of messages
        _set("kpis", [Kpi(metric="active_members", label="活跃人数", target=80, measures_goal=True)]),
    ),
    "pit.headcount": (
        _set("kpis", [Kpi(metric="members", target=200, measures_goal=True), Kpi(metric="new_members", target=50)]),
        _set("kpis", [Kpi(metric="members", target=200, measures_goal=True), Kpi(metric="checkin_rate", target=0.8)]),
    ),
    "retention.no_drivers": (
        _all(_set("lifecycle.retention.referral", ""), _set("lifecycle.retention.service", "")),
        _all(_set("lifecycle.retention.referral", ""), _set("lifecycle.retention.service", ""),
             _set("lifecycle.retention.partners", [Partner(name="书店", they_bring="场地", we_bring="读者")])),
    ),
    "structure.no_interaction": (_set("elements.structure.interaction_mechanisms", [" "]), _nothing),
    "structure.no_behaviours": (_set("elements.structure.standard_behaviours", []), _nothing),
    "myth.group_is_community": (
        _all(_set("elements.structure.standard_behaviours", []), _set("lifecycle.values.stand_for", []),
             _set("lifecycle.values.stand_against", [])),
        _all(_set("lifecycle.values.stand_for", []), _set("lifecycle.values.stand_against", [])),
    ),
    # the fix the doctor names clears it: a paid tier on the ladder (or a fee at the door)
    "positioning.free_dies": (_all(FREE, _ladder(0)), _all(FREE, _ladder(0, 9.9))),
    "pit.copied": (
        lambda plan: _copy_positioning(plan, "why", "pain_points"),
        lambda plan: _copy_positioning(plan, "why"),  # one sentence borrowed is not a copy
    ),
    "roles.no_admin_training": (_set("admin_training.how", ""),
                                _all(_set("admin_training.how", ""), _set("roles", []))),
    "pit.from_above": (_broadcasts(), _broadcasts(Audience.NEW_MEMBERS)),
    "setup.missing": (_set("setup.welcome_card", ""), _nothing),
    "setup.card_gaps": (_set("setup.welcome_card", "欢迎来到早起俱乐部！"),
                        _set("setup.welcome_card", "欢迎来到早起俱乐部！不发广告。先打卡再聊天。")),
    "review.none": (_set("review.weekday", None),
                    _all(_set("review.weekday", None), _set("review.before_events", True))),
    "myth.not_capable": (
        _set("operator.ratings", {Ability.DATA: 1, Ability.CONTENT: 3}),
        _all(_set("operator.ratings", {Ability.DATA: 1}), _set("operator.cover_plan", "助教小周负责周报数据")),
    ),
    "stages.gap": (_stages((A, 0, 5), (B, 7, 21)), _stages((A, 1, 5), (B, 6, 21))),
    "stages.past_end": (_stages((A, 0, 10), (B, 11, 22)), _stages((A, 0, 10), (B, 11, 21))),
    "stages.order": (_stages((B, 0, 10), (A, 11, 21)), _stages((A, 0, 10), (C, 11, 21))),
    "lifecycle.no_acquisition": (_set("lifecycle.acquisition_moves", []), _nothing),
    "lifecycle.ladder_order": (
        _ladder(365, 9),
        _ladder(9, 9),  # equal prices are not a step down
    ),
    "kpis.none": (_set("kpis", []), _set("kpis", [Kpi(metric="members", target=100)])),
    "kpis.too_many": (
        _set("kpis", [Kpi(metric="members", target=i) for i in range(6)]),
        _set("kpis", [Kpi(metric="members", target=i) for i in range(5)]),
    ),
    "kpis.no_target": (_set("kpis", [Kpi(metric="members", label="人数")]),
                       _set("kpis", [Kpi(metric="members", label="人数", target=0)])),
    "kpis.manual": (_set("kpis", [Kpi(metric="满意度", target=4.5)]), _set("kpis", [Kpi(metric="buyers", target=10)])),
    "elements.no_category": (_set("elements.interest.category", " "), _nothing),
    "elements.no_identity": (
        _all(_set("elements.interest.brand_name", ""), _set("elements.interest.slogan", ""), _set("meta.name", "")),
        _all(_set("elements.interest.brand_name", ""), _set("elements.interest.slogan", "")),  # the plan's name
    ),
    "structure.no_rules": (_set("elements.structure.group_rules", []), _nothing),
    "structure.paid_no_fee": (_set("elements.structure.fee", None), _set("elements.structure.fee", 1)),
    "content.none": (_set("elements.content", []), _nothing),
    "content.no_cadence": (
        _set("elements.content", [ContentPillar(topic="晨读", form="音频", cadence="")]),
        _set("elements.content", [ContentPillar(topic="晨读", form="", cadence="每天")]),
    ),
    "operations.feelings_missing": (
        _set("elements.operations.feelings", {Feeling.RITUAL: ["开营"], Feeling.BELONGING: [" "]}),
        _set("elements.operations.feelings", {f: ["x"] for f in Feeling}),
    ),
    "positioning.free_no_value": (
        _all(_set("elements.structure.join_mode", JoinMode.INVITATION), _set("elements.structure.fee", None),
             _set("positioning.what", "")),
        # paid entry filters for commitment even before the value is written down
        _set("positioning.what", ""),
    ),
    "positioning.no_why": (_set("positioning.why", ""), _nothing),
    "positioning.no_who": (
        _all(_set("positioning.who", ""), _set("elements.structure.target_members", ""),
             _set("positioning.persona.age", "")),
        _all(_set("positioning.who", ""), _set("elements.structure.target_members", "")),
    ),
    "positioning.no_where": (_set("positioning.where", ""), _nothing),
    "positioning.no_monetisation": (
        _all(_set("positioning.how", ""), _set("lifecycle.conversion_ladder", [])),
        _set("positioning.how", ""),
    ),
    "roles.none": (_set("roles", []), _nothing),
    "roles.incomplete": (
        _set("roles", [Role(id="lead", name="领教", behaviour="领读", responsibility=""),
                       Role(id="help", name="助教", behaviour="", responsibility="点评")]),
        _nothing,
    ),
    "roles.no_core_users": (
        _all(_set("elements.structure.kols", []), _layers("")),
        _all(_set("elements.structure.kols", []), _layers("给他们当组长")),
    ),
    "roles.no_opening": (
        _all(_set("rituals.opening_ceremony", ""), _set("sop.rules", [])),
        _all(_set("rituals.opening_ceremony", ""), _set("sop.rules", []), _sop_owner("lead", day=1)),
    ),
    "sop.none": (_set("sop.rules", []), _nothing),
    "sop.no_owner": (_sop_owner(""), _sop_owner("lead")),
    "sop.unknown_owner": (_sop_owner("ghost"), _sop_owner("help")),
    "replication.no_culture": (
        _all(*(_set(f"replication.culture.{n}", "") for n in CULTURE)),
        _all(*(_set(f"replication.culture.{n}", "") for n in CULTURE[:-1]),
             _set("replication.planned", True)),
    ),
    "replication.no_method": (_set("replication.method", ""), _all(_set("replication.method", ""),
                                                                    _set("replication.planned", False))),
    "compliance.no_privacy": (_set("compliance.privacy_note", ""), _nothing),
    "research.thin": (
        _all(*(_set(f"research.{n}", "") for n in ("user_needs", "past_data", "core_goal_factors",
                                                     "selling_points", "channels"))),
        _all(*(_set(f"research.{n}", "") for n in ("user_needs", "past_data", "core_goal_factors", "selling_points"))),
    ),
}


def _plan_with(mutation: Mutation) -> Plan:
    plan = complete_plan()
    mutation(plan)
    return Plan.model_validate(plan.model_dump())


def _ids(findings: list[Finding]) -> list[str]:
    return [f.rule_id for f in findings]


def test_every_rule_has_a_case() -> None:
    assert sorted(CASES) == sorted(r.id for r in RULES)
    assert len(RULES) >= 18


def test_complete_plan_has_no_findings() -> None:
    assert diagnose(complete_plan()) == []


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_triggers(rule_id: str) -> None:
    trigger, _ = CASES[rule_id]
    findings = diagnose(_plan_with(trigger))
    assert rule_id in _ids(findings)
    rule = doctor.RULE_BY_ID[rule_id]
    found = next(f for f in findings if f.rule_id == rule_id)
    assert (found.severity, found.step) == (rule.severity, rule.step)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_quiet_on_near_miss(rule_id: str) -> None:
    _, near_miss = CASES[rule_id]
    assert rule_id not in _ids(diagnose(_plan_with(near_miss)))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_rule_has_message_and_fix(rule: doctor.Rule, lang: str) -> None:
    trigger, _ = CASES[rule.id]
    finding = next(f for f in diagnose(_plan_with(trigger)) if f.rule_id == rule.id)
    message, fix = render_finding(finding, lang)
    assert i18n.has(rule.message_key, lang) and i18n.has(rule.fix_key, lang)
    assert "{" not in message and "{" not in fix  # every placeholder has a parameter


def test_blank_plan_gets_many_findings_and_errors() -> None:
    findings = diagnose(Plan())
    assert len(findings) >= 10
    assert has_errors(findings)
    assert {"lifecycle.no_length", "goal.none", "roles.none", "structure.no_rules",
            "positioning.no_monetisation", "positioning.free_no_value"} <= set(_ids(findings))


def test_one_finding_per_flawed_item() -> None:
    plan = _plan_with(_set("roles", [Role(id="a", name="甲"), Role(id="b", name="乙"),
                                     Role(id="c", name="丙", behaviour="x", responsibility="y")]))
    found = [f.params["role"] for f in diagnose(plan) if f.rule_id == "roles.incomplete"]
    assert found == ["甲", "乙"]


def test_sorted_by_severity_then_step() -> None:
    findings = diagnose(Plan())
    keys = [(doctor.SEVERITY_ORDER.index(f.severity), doctor.STEP_ORDER.index(f.step)) for f in findings]
    assert keys == sorted(keys)
    assert findings[0].severity == Severity.ERROR and findings[-1].severity == Severity.TIP


def test_sop_check_findings_are_merged_and_deduplicated(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = _plan_with(_sop_owner(""))
    ours = next(f for f in diagnose(plan) if f.rule_id == "sop.no_owner")
    twin = ours.model_copy(update={"message_key": "sop.check.no_owner.message"})
    extra = Finding(rule_id="sop.extra", severity=Severity.WARNING, step=Step.SOP, message_key="x", fix_key="y")
    monkeypatch.setattr(doctor.sop_checks, "design_findings", lambda p: [twin, extra])
    ids = _ids(diagnose(plan))
    assert ids.count("sop.no_owner") == 1
    assert "sop.extra" in ids


def test_has_errors() -> None:
    tip = Finding(rule_id="t", severity=Severity.TIP, step=Step.SOP, message_key="m", fix_key="f")
    assert not has_errors([tip])
    assert has_errors([tip, tip.model_copy(update={"severity": Severity.ERROR})])
    assert not has_errors([])


def test_group_by_step_worst_first_then_page_order() -> None:
    groups = group_by_step(diagnose(Plan()))
    keys = [(doctor.SEVERITY_ORDER.index(items[0].severity), doctor.STEP_ORDER.index(step)) for step, items in groups]
    assert keys == sorted(keys)
    assert groups[0][0] == Step.ELEMENTS and groups[-1][0] == Step.RESEARCH  # research has a tip only
    for _, items in groups:
        order = [doctor.SEVERITY_ORDER.index(f.severity) for f in items]
        assert order == sorted(order)


def test_enum_params_are_localized() -> None:
    plan = _plan_with(_stages((A, 0, 5), (B, 5, 21)))
    finding = next(f for f in diagnose(plan) if f.rule_id == "stages.overlap")
    zh, _ = render_finding(finding, "zh")
    en, _ = render_finding(finding, "en")
    assert "拉新" in zh and "促活" in zh
    assert "Acquisition" in en and "acquisition" not in en
    feelings = next(f for f in diagnose(Plan()) if f.rule_id == "operations.feelings_missing")
    assert "Ritual, Participation" in render_finding(feelings, "en")[0]


def test_findings_serialize_to_json() -> None:
    for finding in diagnose(Plan()):
        dumped = finding.model_dump(mode="json")
        assert Finding.model_validate(dumped).rule_id == finding.rule_id


def test_copied_positioning_is_not_reported_on_the_shipped_example_itself() -> None:
    shipped = load_example("baoma_seed_group", fresh_id=False)
    assert "pit.copied" not in _ids(diagnose(shipped))
    started_from_it = load_example("baoma_seed_group")  # a new plan from the gallery gets a new id
    assert "pit.copied" in _ids(diagnose(started_from_it))
