"""How complete a plan is: filled / total of the fields that matter, per step and overall.

One definition, used by the sidebar, the doctor page and the CLI. A "field" here is a question
the method asks (e.g. "is there at least one content pillar?"), not a raw model attribute, so a
list counts once and an all-default value counts as not filled.

The overall score is the mean of the step ratios (0–100), so a step with many fields does not
outweigh a short one.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from models.enums import CommunityType, Feeling, Layer
from models.plan import Plan
from models.problems import Step
from planner import i18n
from planner.plan.view import CULTURE_MARKERS, INTEREST_FIELDS, RESEARCH_ITEMS

META = "meta"
STEPS: tuple[str, ...] = (META, *(s.value for s in Step))

FieldCheck = Callable[[Plan], bool]


def _text(value: str | None) -> bool:
    return bool((value or "").strip())


def _texts(prefix: str, section: Callable[[Plan], BaseModel], names: tuple[str, ...]) -> dict[str, FieldCheck]:
    """One check per text field `names` of `section(plan)`, keyed `<prefix>.<name>`."""
    return {f"{prefix}.{name}": (lambda n: lambda p: _text(getattr(section(p), n)))(name) for name in names}


def _feeling(feeling: Feeling) -> FieldCheck:
    return lambda p: any(_text(a) for a in p.elements.operations.feelings.get(feeling, []))


def _layer(layer: Layer) -> FieldCheck:
    return lambda p: any(x.layer == layer and _text(x.treatment) for x in p.member_layers.layers)


def _goal(p: Plan) -> bool:
    stated = [g for g in p.lifecycle.goals if _text(g.statement)]
    return len(stated) == 1


def _one_goal_has(field: str) -> FieldCheck:
    def check(p: Plan) -> bool:
        stated = [g for g in p.lifecycle.goals if _text(g.statement)]
        if len(stated) != 1:
            return False
        value = getattr(stated[0], field)
        return value is not None and (not isinstance(value, str) or _text(value))

    return check


def _roles_complete(p: Plan) -> bool:
    return bool(p.roles) and all(_text(r.behaviour) and _text(r.responsibility) for r in p.roles)


def _sop_all(check: Callable[[Plan, object], bool]) -> FieldCheck:
    return lambda p: bool(p.sop.rules) and all(check(p, r) for r in p.sop.rules)


# Field id (a plan path, or a short name for a derived question) → check, per step.
FIELDS: dict[str, dict[str, FieldCheck]] = {
    META: {
        "meta.name": lambda p: _text(p.meta.name),
        "meta.community_type": lambda p: p.meta.community_type != CommunityType.OTHER,
    },
    Step.RESEARCH.value: _texts("research", lambda p: p.research, RESEARCH_ITEMS),
    Step.ELEMENTS.value: {
        **_texts("elements.interest", lambda p: p.elements.interest, INTEREST_FIELDS),
        "elements.structure.target_members": lambda p: _text(p.elements.structure.target_members),
        "elements.structure.admins": lambda p: bool(p.elements.structure.admins),
        "elements.structure.kols": lambda p: bool(p.elements.structure.kols),
        "elements.structure.group_rules": lambda p: bool(p.elements.structure.group_rules),
        "elements.structure.interaction_mechanisms": lambda p: bool(p.elements.structure.interaction_mechanisms),
        "elements.structure.standard_behaviours": lambda p: bool(p.elements.structure.standard_behaviours),
        "elements.content": lambda p: bool(p.elements.content),
        **{f"elements.operations.feelings.{f.value}": _feeling(f) for f in Feeling},
        "elements.operations.routines": lambda p: bool(p.elements.operations.routines),
    },
    Step.POSITIONING.value: {
        **_texts("positioning", lambda p: p.positioning, ("why", "what", "where", "who", "when", "how")),
        "positioning.persona": lambda p: any(_text(v) for v in p.positioning.persona.model_dump().values()),
    },
    Step.LIFECYCLE.value: {
        "lifecycle.length_days": lambda p: p.lifecycle.length_days is not None,
        "lifecycle.start_date": lambda p: p.lifecycle.start_date is not None,
        "lifecycle.values": lambda p: bool(p.lifecycle.values.stand_for or p.lifecycle.values.stand_against),
        "lifecycle.goals": _goal,
        "lifecycle.goals.metric": _one_goal_has("metric"),
        "lifecycle.goals.target": _one_goal_has("target"),
        "lifecycle.goals.evaluation_rule": _one_goal_has("evaluation_rule"),
        "lifecycle.stages": lambda p: bool(p.lifecycle.stages),
        "lifecycle.acquisition_moves": lambda p: bool(p.lifecycle.acquisition_moves),
        "lifecycle.conversion_ladder": lambda p: bool(p.lifecycle.conversion_ladder),
        "kpis": lambda p: bool(p.kpis),
        "kpis.measures_goal": lambda p: any(k.measures_goal for k in p.kpis),
        "lifecycle.long_term_goal": lambda p: _text(p.lifecycle.long_term_goal),
        "lifecycle.retention": lambda p: _text(p.lifecycle.retention.referral) or _text(p.lifecycle.retention.service),
    },
    Step.ROLES.value: {
        "roles": lambda p: bool(p.roles),
        "roles.complete": _roles_complete,
        **{f"member_layers.{layer.value}": _layer(layer) for layer in Layer},
        "incentives.rewards": lambda p: bool(p.incentives.rewards),
        "incentives.penalties": lambda p: bool(p.incentives.penalties),
        "incentives.levels": lambda p: bool(p.incentives.levels),
        "rituals.opening_ceremony": lambda p: _text(p.rituals.opening_ceremony),
        "rituals.self_intro_template": lambda p: _text(p.rituals.self_intro_template),
        "admin_training": lambda p: _text(p.admin_training.who) and _text(p.admin_training.how),
    },
    Step.SOP.value: {
        "sop.rules": lambda p: bool(p.sop.rules),
        "sop.rules.task": _sop_all(lambda p, r: _text(r.task)),
        "sop.rules.owner_role": _sop_all(lambda p, r: p.role_by_id(r.owner_role) is not None),
        "sop.rules.script": _sop_all(lambda p, r: _text(r.script)),
        "sop.rules.material": _sop_all(lambda p, r: _text(r.material)),
        "setup": lambda p: all(_text(getattr(p.setup, name)) for name in type(p.setup).model_fields),
        "review": lambda p: p.review.weekday is not None or p.review.before_events,
    },
    Step.REPLICATION.value: {
        **_texts("replication.culture", lambda p: p.replication.culture, CULTURE_MARKERS),
        "replication.rhythm": lambda p: _text(p.replication.rhythm),
        "replication.method": lambda p: _text(p.replication.method),
        "replication.traps": lambda p: bool(p.replication.traps),
        "compliance.privacy_note": lambda p: _text(p.compliance.privacy_note),
        "compliance.moderation_policy": lambda p: _text(p.compliance.moderation_policy),
    },
}


class StepProgress(BaseModel):
    step: str  # a models.problems.Step value, or "meta"
    filled: int
    total: int
    missing: list[str]  # field ids of FIELDS[step] not filled yet

    @property
    def ratio(self) -> float:
        return self.filled / self.total if self.total else 1.0

    @property
    def percent(self) -> int:
        return round(self.ratio * 100)

    @property
    def state(self) -> str:
        """"done", "started" or "empty": the mark the sidebar's per-step list shows."""
        return "done" if self.filled >= self.total else "started" if self.filled else "empty"


class PlanProgress(BaseModel):
    steps: list[StepProgress]
    score: int  # 0–100: mean of the step ratios

    def step(self, name: str) -> StepProgress:
        return next(s for s in self.steps if s.step == name)


def step_progress(plan: Plan, step: str) -> StepProgress:
    checks = FIELDS[step]
    missing = [field for field, check in checks.items() if not check(plan)]
    return StepProgress(step=step, filled=len(checks) - len(missing), total=len(checks), missing=missing)


def completeness(plan: Plan) -> PlanProgress:
    """Completeness of every step (meta first, then the steps in page order) and the overall score."""
    steps = [step_progress(plan, s) for s in STEPS]
    score = round(100 * sum(s.ratio for s in steps) / len(steps))
    return PlanProgress(steps=steps, score=score)


def step_label(step: str, lang: str) -> str:
    """The localized name of a progress step ("meta" has its own label; the rest are Step labels)."""
    if step == META:
        return i18n.t("progress.step.meta", lang)
    return i18n.enum_label(Step(step), lang)
