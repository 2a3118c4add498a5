"""The plan doctor: rules over a Plan that name what is missing or risky before the group opens.

Each rule is drawn from the method's known failures (shared/METHOD.md, "Known failures"): dead
groups (no rules, free with no value, no core users), several goals at once, no lifecycle, no
roles, no monetisation, SOP tasks without an owner, replication before a culture has formed …

A rule returns one parameter dict per finding (an empty list when the plan is fine). Its text
lives in the catalogs as `doctor.msg.<rule_id>` (what is wrong) and `doctor.fix.<rule_id>` (what
to do). Parameters may hold enum members (or lists of them); `render_finding` turns those into
localized labels, so the JSON form stays language-neutral.

The SOP design checks (`planner.sop.checks.design_findings`) are merged in; a finding with the
same rule id and parameters is reported once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise
from typing import Any

from models.enums import STAGE_ORDER, Ability, Feeling, JoinMode, Layer, SetupItem, Stage
from models.plan import Plan
from models.problems import Finding, Severity, Step
from models.sop import Audience, TriggerKind
from planner import i18n
from planner.days import display_day
from planner.plan.hints import shipped_examples
from planner.plan.roles_catalog import has_seed
from planner.plan.setup import card_gaps
from planner.sop import checks as sop_checks
from planner.sop import schedule as sop_schedule

Params = dict[str, Any]
Check = Callable[[Plan], list[Params]]

# The metric keys the analytics module measures (see the team's KPI note); any other metric is
# tracked by hand.
MEASURED_METRICS: frozenset[str] = frozenset(
    {"members", "new_members", "active_members", "checkin_rate", "dau_mau", "retention_m1", "buyers", "messages"}
)
MAX_KPIS = 5  # more than this and the one goal drowns
LONG_LIFECYCLE_DAYS = 100  # the method: 21/30/70 are common, longer is harder
OPENING_DAY_MAX = 1  # an SOP rule on group day 0 or 1 counts as the opening ceremony

SEVERITY_ORDER: tuple[Severity, ...] = (Severity.ERROR, Severity.WARNING, Severity.TIP)
STEP_ORDER: tuple[Step, ...] = tuple(Step)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    step: Step
    check: Check

    @property
    def message_key(self) -> str:
        return f"doctor.msg.{self.id}"

    @property
    def fix_key(self) -> str:
        return f"doctor.fix.{self.id}"


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _once(condition: bool, **params: Any) -> list[Params]:
    return [params] if condition else []


def _stated_goals(plan: Plan) -> list:
    return [g for g in plan.lifecycle.goals if not _blank(g.statement)]


def _goal_label(goal: Any, index: int) -> str:
    return goal.statement.strip() or f"#{index + 1}"


def _sorted_stages(plan: Plan) -> list:
    return sorted(plan.lifecycle.stages, key=lambda s: (s.start_day, s.end_day))


# --- lifecycle and goal ---------------------------------------------------------------------------
def _no_length(plan: Plan) -> list[Params]:
    return _once(plan.lifecycle.length_days is None)


def _no_start(plan: Plan) -> list[Params]:
    return _once(plan.lifecycle.start_date is None)


def _long_cycle(plan: Plan) -> list[Params]:
    days = plan.lifecycle.length_days
    return _once(days is not None and days > LONG_LIFECYCLE_DAYS, days=days)


def _no_goal(plan: Plan) -> list[Params]:
    return _once(not _stated_goals(plan))


def _many_goals(plan: Plan) -> list[Params]:
    count = len(_stated_goals(plan))
    return _once(count > 1, count=count)


def _goal_missing(field: str) -> Check:
    def check(plan: Plan) -> list[Params]:
        out = []
        for i, goal in enumerate(plan.lifecycle.goals):
            if _blank(goal.statement):
                continue
            value = getattr(goal, field)
            if value is None or (isinstance(value, str) and _blank(value)):
                out.append({"goal": _goal_label(goal, i)})
        return out

    return check


def _no_values(plan: Plan) -> list[Params]:
    values = plan.lifecycle.values
    return _once(not values.stand_for and not values.stand_against)


def _no_stages(plan: Plan) -> list[Params]:
    return _once(not plan.lifecycle.stages)


def _stage_overlap(plan: Plan) -> list[Params]:
    # Different stages overlapping is plausible: a group that keeps recruiting activates the first
    # members while it still brings in new ones. Worth a look, not an error.
    stages = _sorted_stages(plan)
    return [
        {"first": a.stage, "second": b.stage, "day": display_day(b.start_day)}
        for a, b in pairwise(stages)
        if b.start_day <= a.end_day and a.stage != b.stage
    ]


def _stage_impossible(plan: Plan) -> list[Params]:
    """What cannot happen: the same stage twice on one day, or any later stage before the first
    members have been brought in (nobody to activate, keep or convert yet)."""
    stages = _sorted_stages(plan)
    out: list[Params] = [
        {"stage": a.stage, "day": display_day(b.start_day)}
        for a, b in pairwise(stages)
        if b.stage == a.stage and b.start_day <= a.end_day
    ]
    acquisition = [s.start_day for s in stages if s.stage == Stage.ACQUISITION]
    if acquisition:
        first = min(acquisition)
        out += [{"stage": s.stage, "day": display_day(s.start_day)} for s in stages
                if s.stage != Stage.ACQUISITION and s.start_day < first]
    return out


def _no_long_term(plan: Plan) -> list[Params]:
    stages = plan.lifecycle.stages
    return _once(bool(stages) and all(s.stage != Stage.LONG_TERM for s in stages)
                 and _blank(plan.lifecycle.long_term_goal))


def _stage_gap(plan: Plan) -> list[Params]:
    stages = _sorted_stages(plan)
    return [
        {"from_day": display_day(a.end_day + 1), "to_day": display_day(b.start_day - 1)}
        for a, b in pairwise(stages)
        if b.start_day > a.end_day + 1
    ]


def _stage_past_end(plan: Plan) -> list[Params]:
    # Day numbers may count from 0 or from 1; only a stage ending after day `length` is wrong.
    length = plan.lifecycle.length_days
    if length is None:
        return []
    return [{"stage": s.stage, "end": display_day(s.end_day), "length": length}
            for s in plan.lifecycle.stages if s.end_day > length]


def _stage_order(plan: Plan) -> list[Params]:
    order = [STAGE_ORDER.index(s.stage) for s in _sorted_stages(plan)]
    return _once(order != sorted(order))


def _no_acquisition(plan: Plan) -> list[Params]:
    return _once(not plan.lifecycle.acquisition_moves)


def _ladder_order(plan: Plan) -> list[Params]:
    prices = [tier.price for tier in plan.lifecycle.conversion_ladder]
    return _once(prices != sorted(prices))


def _no_kpis(plan: Plan) -> list[Params]:
    return _once(not plan.kpis)


def _too_many_kpis(plan: Plan) -> list[Params]:
    return _once(len(plan.kpis) > MAX_KPIS, count=len(plan.kpis), max=MAX_KPIS)


# Metrics that count chatter or headcount: means, never the point (the first myth and the first pit).
CHATTER_METRICS: frozenset[str] = frozenset({"messages", "dau_mau"})
HEADCOUNT_METRICS: frozenset[str] = frozenset({"members", "new_members"})


def _goal_metric(plan: Plan) -> str:
    stated = _stated_goals(plan)
    return stated[0].metric.strip() if len(stated) == 1 else ""


def _myth_lively(plan: Plan) -> list[Params]:
    """Myth 1: "the livelier the better". A goal or KPI that counts messages rewards chatter."""
    found = [_kpi_label(k, i) for i, k in enumerate(plan.kpis) if k.metric.strip() == "messages"]
    if _goal_metric(plan) in CHATTER_METRICS:
        found.insert(0, _goal_metric(plan))
    return _once(bool(found), kpi=found[0] if found else "")


def _pit_headcount(plan: Plan) -> list[Params]:
    """Pit 1: a community is more than a chat group; when every KPI counts heads, more people
    stands in for value."""
    metrics = [k.metric.strip() for k in plan.kpis]
    return _once(bool(metrics) and all(m in HEADCOUNT_METRICS for m in metrics))


def _goal_unmeasured(plan: Plan) -> list[Params]:
    """The one goal must be measured: some KPI says it measures it."""
    stated = _stated_goals(plan)
    if len(stated) != 1:
        return []
    return _once(not any(k.measures_goal for k in plan.kpis), goal=_goal_label(stated[0], 0))


def _no_retention_drivers(plan: Plan) -> list[Params]:
    drivers = plan.lifecycle.retention
    return _once(_blank(drivers.referral) and _blank(drivers.service) and not drivers.partners)


def _kpi_label(kpi: Any, index: int) -> str:
    return kpi.label.strip() or kpi.metric.strip() or f"#{index + 1}"


def _kpi_no_target(plan: Plan) -> list[Params]:
    return [{"kpi": _kpi_label(k, i)} for i, k in enumerate(plan.kpis) if k.target is None]


def _kpi_manual(plan: Plan) -> list[Params]:
    return [{"kpi": _kpi_label(k, i)} for i, k in enumerate(plan.kpis) if k.metric.strip() not in MEASURED_METRICS]


# --- four elements --------------------------------------------------------------------------------
def _no_category(plan: Plan) -> list[Params]:
    return _once(_blank(plan.elements.interest.category))


def _no_identity(plan: Plan) -> list[Params]:
    # the group's name is the brand name, else the plan's (as the 话术 and the four-elements page use it)
    interest = plan.elements.interest
    named = not _blank(interest.brand_name) or not _blank(plan.meta.name)
    return _once(not named and _blank(interest.slogan) and _blank(plan.meta.slogan))


def _no_group_rules(plan: Plan) -> list[Params]:
    return _once(not plan.elements.structure.group_rules)


def _no_interaction(plan: Plan) -> list[Params]:
    return _once(not any(not _blank(m) for m in plan.elements.structure.interaction_mechanisms))


def _no_behaviours(plan: Plan) -> list[Params]:
    return _once(not any(not _blank(b) for b in plan.elements.structure.standard_behaviours))


def _myth_group_is_community(plan: Plan) -> list[Params]:
    """Myth 2: a WeChat group is only the venue. Without values and without the behaviours members
    share, what is planned is a chat room on a platform, not a community."""
    values = plan.lifecycle.values
    no_values = not values.stand_for and not values.stand_against
    return _once(not _blank(plan.positioning.where) and no_values
                 and not any(not _blank(b) for b in plan.elements.structure.standard_behaviours))


def _paid_no_fee(plan: Plan) -> list[Params]:
    structure = plan.elements.structure
    return _once(structure.join_mode == JoinMode.PAID and not structure.fee)


def _no_content(plan: Plan) -> list[Params]:
    return _once(not plan.elements.content)


def _content_no_cadence(plan: Plan) -> list[Params]:
    return [
        {"topic": p.topic.strip() or f"#{i + 1}"}
        for i, p in enumerate(plan.elements.content)
        if _blank(p.cadence)
    ]


def _feelings_missing(plan: Plan) -> list[Params]:
    feelings = plan.elements.operations.feelings
    # A feeling absent from the dict is missing too (older or hand-written plans).
    missing = [f for f in Feeling if not any(not _blank(a) for a in feelings.get(f, []))]
    return _once(bool(missing), feelings=missing, count=len(missing))


# --- positioning ----------------------------------------------------------------------------------
def _free_no_value(plan: Plan) -> list[Params]:
    structure = plan.elements.structure
    free = structure.join_mode != JoinMode.PAID and not structure.fee
    return _once(free and _blank(plan.positioning.what))


def _is_free(plan: Plan) -> bool:
    structure = plan.elements.structure
    return structure.join_mode != JoinMode.PAID and not structure.fee


def _free_dies(plan: Plan) -> list[Params]:
    """Free groups die, even with a value statement: members who paid nothing leave at no cost.
    A fee at the door or a paid tier on the ladder clears it."""
    paid_tier = any(tier.price > 0 for tier in plan.lifecycle.conversion_ladder)
    return _once(_is_free(plan) and not _blank(plan.positioning.what) and not paid_tier)


def _pit_copied(plan: Plan) -> list[Params]:
    """Pit 2: copying a popular group without knowing why it works. The why, the what and the
    persona's pain points are taken word for word from a shipped example."""
    mine = [plan.positioning.why.strip(), plan.positioning.what.strip(), plan.positioning.persona.pain_points.strip()]
    for example in shipped_examples().values():
        if example.id == plan.id:  # the shipped file itself (a plan started from it gets a new id)
            continue
        theirs = [example.positioning.why.strip(), example.positioning.what.strip(),
                  example.positioning.persona.pain_points.strip()]
        same = sum(1 for a, b in zip(mine, theirs, strict=True) if a and a == b)
        if same >= 2:
            return [{"example": example.meta.name}]
    return []


def _no_why(plan: Plan) -> list[Params]:
    return _once(_blank(plan.positioning.why))


def _no_who(plan: Plan) -> list[Params]:
    persona = plan.positioning.persona
    persona_blank = all(_blank(v) for v in persona.model_dump().values())
    return _once(_blank(plan.positioning.who) and _blank(plan.elements.structure.target_members) and persona_blank)


def _no_where(plan: Plan) -> list[Params]:
    return _once(_blank(plan.positioning.where))


def _no_monetisation(plan: Plan) -> list[Params]:
    return _once(_blank(plan.positioning.how) and not plan.lifecycle.conversion_ladder)


# --- roles and layers -----------------------------------------------------------------------------
def _no_roles(plan: Plan) -> list[Params]:
    return _once(not plan.roles)


def _role_incomplete(plan: Plan) -> list[Params]:
    return [
        {"role": r.name.strip() or r.id}
        for r in plan.roles
        if _blank(r.behaviour) or _blank(r.responsibility)
    ]


def _no_core_users(plan: Plan) -> list[Params]:
    activist_plan = any(
        layer.layer == Layer.ACTIVIST and not _blank(layer.treatment) for layer in plan.member_layers.layers
    )
    # A KOL role (the roles page's seed, or any role named so) counts as well as names listed on
    # the four-elements page: the roles catalog decides what a KOL role is.
    return _once(not plan.elements.structure.kols and not has_seed(plan.roles, "kol") and not activist_plan)


def _no_admin_training(plan: Plan) -> list[Params]:
    training = plan.admin_training
    return _once(bool(plan.roles) and (_blank(training.who) or _blank(training.how)))


def _pit_from_above(plan: Plan) -> list[Params]:
    """Pit 3: serving members from above. Every SOP task is a broadcast to everyone; nobody is
    followed up one to one or by layer, so operators never really meet members."""
    rules = plan.sop.rules
    return _once(len(rules) >= 3 and all(r.audience == Audience.EVERYONE for r in rules))


def _opens_group(rule: Any) -> bool:
    trigger = rule.trigger
    return trigger.kind == TriggerKind.GROUP_DAY and trigger.day is not None and trigger.day <= OPENING_DAY_MAX


def _no_opening(plan: Plan) -> list[Params]:
    has_sop_opening = any(_opens_group(r) for r in plan.sop.rules)
    return _once(_blank(plan.rituals.opening_ceremony) and not has_sop_opening)


# --- SOP ------------------------------------------------------------------------------------------
def _no_sop(plan: Plan) -> list[Params]:
    return _once(not plan.sop.rules)


def _sop_no_owner(plan: Plan) -> list[Params]:
    return [{"rule": sop_checks.rule_label(r)} for r in plan.sop.rules if _blank(r.owner_role)]


def _sop_unknown_owner(plan: Plan) -> list[Params]:
    ids = {r.id for r in plan.roles}
    return [
        {"rule": sop_checks.rule_label(r), "owner": r.owner_role}
        for r in plan.sop.rules
        if not _blank(r.owner_role) and r.owner_role not in ids
    ]


# --- replication, compliance, research -----------------------------------------------------------
def _no_culture(plan: Plan) -> list[Params]:
    markers = plan.replication.culture.model_dump().values()
    return _once(plan.replication.planned and all(_blank(v) for v in markers))


def _no_replication_method(plan: Plan) -> list[Params]:
    rep = plan.replication
    return _once(rep.planned and (_blank(rep.rhythm) or _blank(rep.method)))


def _no_privacy(plan: Plan) -> list[Params]:
    return _once(_blank(plan.compliance.privacy_note))


RESEARCH_MIN_SHARE = 0.5
WEAK = 1


def _weak_uncovered(plan: Plan) -> list[Params]:
    """Myth 3 ("I am not capable enough") is answered by covering a weak ability, not by waiting."""
    weak = [a for a in Ability if plan.operator.ratings.get(a) == WEAK]
    return _once(bool(weak) and _blank(plan.operator.cover_plan), abilities=weak)


def _setup_missing(plan: Plan) -> list[Params]:
    setup = plan.setup
    missing = [item for item in SetupItem if _blank(getattr(setup, item.value))]
    return _once(bool(missing), items=missing, count=len(missing))


def _card_gaps(plan: Plan) -> list[Params]:
    gaps = card_gaps(plan)
    return _once(bool(gaps), gaps=gaps, count=len(gaps))


def _no_review(plan: Plan) -> list[Params]:
    # a weekly review rule in the SOP (the one-click default has one) is a review rhythm too
    review = plan.review
    has_rule = any(sop_schedule.is_weekly_review(r) for r in plan.sop.rules)
    return _once(review.weekday is None and not review.before_events and not has_rule)


def _thin_research(plan: Plan) -> list[Params]:
    answers = plan.research.model_dump().values()
    filled = sum(not _blank(v) for v in answers)
    total = len(answers)
    return _once(filled < total * RESEARCH_MIN_SHARE, filled=filled, total=total)


E, W, T = Severity.ERROR, Severity.WARNING, Severity.TIP

RULES: tuple[Rule, ...] = (
    Rule("lifecycle.no_length", E, Step.LIFECYCLE, _no_length),
    Rule("lifecycle.no_start", W, Step.LIFECYCLE, _no_start),
    Rule("lifecycle.long_cycle", T, Step.LIFECYCLE, _long_cycle),
    Rule("goal.none", E, Step.LIFECYCLE, _no_goal),
    Rule("goal.many", E, Step.LIFECYCLE, _many_goals),
    Rule("goal.no_metric", W, Step.LIFECYCLE, _goal_missing("metric")),
    Rule("goal.no_target", W, Step.LIFECYCLE, _goal_missing("target")),
    Rule("goal.no_evaluation", W, Step.LIFECYCLE, _goal_missing("evaluation_rule")),
    Rule("values.none", W, Step.LIFECYCLE, _no_values),
    Rule("stages.none", W, Step.LIFECYCLE, _no_stages),
    Rule("stages.overlap", W, Step.LIFECYCLE, _stage_overlap),
    Rule("stages.impossible", E, Step.LIFECYCLE, _stage_impossible),
    Rule("stages.no_long_term", T, Step.LIFECYCLE, _no_long_term),
    Rule("stages.gap", W, Step.LIFECYCLE, _stage_gap),
    Rule("stages.past_end", E, Step.LIFECYCLE, _stage_past_end),
    Rule("stages.order", W, Step.LIFECYCLE, _stage_order),
    Rule("lifecycle.no_acquisition", T, Step.LIFECYCLE, _no_acquisition),
    Rule("lifecycle.ladder_order", W, Step.LIFECYCLE, _ladder_order),
    Rule("kpis.none", W, Step.LIFECYCLE, _no_kpis),
    Rule("kpis.too_many", T, Step.LIFECYCLE, _too_many_kpis),
    Rule("kpis.no_target", W, Step.LIFECYCLE, _kpi_no_target),
    Rule("kpis.manual", T, Step.LIFECYCLE, _kpi_manual),
    Rule("goal.unmeasured", W, Step.LIFECYCLE, _goal_unmeasured),
    Rule("myth.lively", W, Step.LIFECYCLE, _myth_lively),
    Rule("pit.headcount", W, Step.LIFECYCLE, _pit_headcount),
    Rule("retention.no_drivers", T, Step.LIFECYCLE, _no_retention_drivers),
    Rule("elements.no_category", W, Step.ELEMENTS, _no_category),
    Rule("elements.no_identity", T, Step.ELEMENTS, _no_identity),
    Rule("structure.no_rules", E, Step.ELEMENTS, _no_group_rules),
    Rule("structure.paid_no_fee", W, Step.ELEMENTS, _paid_no_fee),
    Rule("content.none", W, Step.ELEMENTS, _no_content),
    Rule("content.no_cadence", W, Step.ELEMENTS, _content_no_cadence),
    Rule("operations.feelings_missing", T, Step.ELEMENTS, _feelings_missing),
    Rule("structure.no_interaction", W, Step.ELEMENTS, _no_interaction),
    Rule("structure.no_behaviours", W, Step.ELEMENTS, _no_behaviours),
    Rule("myth.group_is_community", W, Step.ELEMENTS, _myth_group_is_community),
    Rule("positioning.free_no_value", E, Step.POSITIONING, _free_no_value),
    Rule("positioning.free_dies", W, Step.POSITIONING, _free_dies),
    Rule("pit.copied", T, Step.POSITIONING, _pit_copied),
    Rule("positioning.no_why", W, Step.POSITIONING, _no_why),
    Rule("positioning.no_who", W, Step.POSITIONING, _no_who),
    Rule("positioning.no_where", T, Step.POSITIONING, _no_where),
    Rule("positioning.no_monetisation", E, Step.POSITIONING, _no_monetisation),
    Rule("roles.none", E, Step.ROLES, _no_roles),
    Rule("roles.incomplete", W, Step.ROLES, _role_incomplete),
    Rule("roles.no_core_users", W, Step.ROLES, _no_core_users),
    Rule("roles.no_opening", W, Step.ROLES, _no_opening),
    Rule("roles.no_admin_training", T, Step.ROLES, _no_admin_training),
    Rule("sop.none", W, Step.SOP, _no_sop),
    Rule("sop.no_owner", E, Step.SOP, _sop_no_owner),
    Rule("sop.unknown_owner", E, Step.SOP, _sop_unknown_owner),
    Rule("pit.from_above", W, Step.SOP, _pit_from_above),
    Rule("setup.missing", W, Step.SOP, _setup_missing),
    Rule("setup.card_gaps", T, Step.SOP, _card_gaps),
    Rule("review.none", W, Step.SOP, _no_review),
    Rule("replication.no_culture", E, Step.REPLICATION, _no_culture),
    Rule("replication.no_method", W, Step.REPLICATION, _no_replication_method),
    Rule("compliance.no_privacy", W, Step.REPLICATION, _no_privacy),
    Rule("research.thin", T, Step.RESEARCH, _thin_research),
    Rule("myth.not_capable", T, Step.RESEARCH, _weak_uncovered),
)

RULE_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}

# The part of its step's page a rule is about (the page's tab), so that the doctor's link opens the tab
# where it is fixed; the rules of a step without parts, or about the whole step, have none.
SECTION_BY_RULE: dict[str, str] = {
    **dict.fromkeys(("lifecycle.no_length", "lifecycle.no_start", "lifecycle.long_cycle", "goal.none", "goal.many",
                     "goal.no_metric", "goal.no_target", "goal.no_evaluation", "values.none"), "basics"),
    **dict.fromkeys(("stages.none", "stages.overlap", "stages.impossible", "stages.no_long_term", "stages.gap",
                     "stages.past_end", "stages.order"), "stages"),
    **dict.fromkeys(("lifecycle.no_acquisition", "lifecycle.ladder_order", "retention.no_drivers"), "growth"),
    **dict.fromkeys(("kpis.none", "kpis.too_many", "kpis.no_target", "kpis.manual", "goal.unmeasured",
                     "myth.lively", "pit.headcount"), "kpis"),
    **dict.fromkeys(("elements.no_category", "elements.no_identity"), "interest"),
    **dict.fromkeys(("structure.no_rules", "structure.paid_no_fee", "structure.no_interaction",
                     "structure.no_behaviours", "myth.group_is_community"), "structure"),
    **dict.fromkeys(("content.none", "content.no_cadence"), "content"),
    "operations.feelings_missing": "operations",
    **dict.fromkeys(("roles.none", "roles.incomplete", "roles.no_core_users", "roles.no_admin_training"), "roles"),
    "roles.no_opening": "rituals",
}


def sections_of(findings: Iterable[Finding]) -> list[str]:
    """The parts of the page the findings are about, in the order of the findings ("" for the page itself)."""
    return list(dict.fromkeys(SECTION_BY_RULE.get(f.rule_id, "") for f in findings))


def run_rule(rule: Rule, plan: Plan) -> list[Finding]:
    return [
        Finding(rule_id=rule.id, severity=rule.severity, step=rule.step, message_key=rule.message_key,
                fix_key=rule.fix_key, params=params)
        for params in rule.check(plan)
    ]


def _identity(finding: Finding) -> str:
    params = finding.model_dump(mode="json")["params"]
    return finding.rule_id + "\x00" + json.dumps(params, sort_keys=True, ensure_ascii=False)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then tips; within a severity in the order of the steps."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.index(f.severity), STEP_ORDER.index(f.step), f.rule_id))


def diagnose(plan: Plan) -> list[Finding]:
    """Every finding about `plan` (the doctor's rules plus the SOP design checks), deduplicated by
    rule id and parameters, sorted by severity then step."""
    seen: set[str] = set()
    out: list[Finding] = []
    for finding in [f for rule in RULES for f in run_rule(rule, plan)] + sop_checks.design_findings(plan):
        identity = _identity(finding)
        if identity not in seen:
            seen.add(identity)
            out.append(finding)
    return sort_findings(out)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == Severity.ERROR for f in findings)


def count_by_severity(findings: Iterable[Finding]) -> dict[Severity, int]:
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


def group_by_step(findings: Iterable[Finding]) -> list[tuple[Step, list[Finding]]]:
    """Findings per step, each list sorted by severity; empty steps left out. Steps with an error
    come first (then warnings, then tips only), in page order within each of those."""
    groups: dict[Step, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.step, []).append(f)
    ordered = {step: sorted(items, key=lambda f: (SEVERITY_ORDER.index(f.severity), f.rule_id))
               for step, items in groups.items()}
    return sorted(ordered.items(),
                  key=lambda kv: (SEVERITY_ORDER.index(kv[1][0].severity), STEP_ORDER.index(kv[0])))


def _localize(value: Any, lang: str) -> Any:
    if isinstance(value, Enum):
        return i18n.enum_label(value, lang)
    if isinstance(value, list | tuple):
        return i18n.t("doctor.list_sep", lang).join(str(_localize(v, lang)) for v in value)
    return value


def render_finding(finding: Finding, lang: str = i18n.DEFAULT_LANG,
                   escape: Callable[[str], str] = str) -> tuple[str, str]:
    """(message, how to fix) in `lang`, with enum parameters shown as their labels; `escape` is
    applied to every text parameter (names from the plan), e.g. to show it as markdown."""
    params = {k: _localize(v, lang) for k, v in finding.params.items()}
    params = {k: escape(v) if isinstance(v, str) else v for k, v in params.items()}
    return i18n.t(finding.message_key, lang, **params), i18n.t(finding.fix_key, lang, **params)
