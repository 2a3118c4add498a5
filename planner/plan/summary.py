"""A plan's one-page summary: the few lines a trainer shows and an operator pins to the wall.

`one_page(plan, lang)` returns sections in a fixed order — positioning, the one goal, lifecycle
and stages, roles, key SOP moments, KPIs — each a title and (label, value) lines, all text
already localized. It is pure, so the trainer page renders it with headings and the export
module can turn the same sections into a document. Empty values read as "—" so that a gap is
visible rather than silently dropped.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from models.plan import Plan
from models.sop import SopRule, TriggerKind
from planner import fmt, i18n
from planner.days import display_day
from planner.sop.schedule import day_key

MAX_SOP_MOMENTS = 8  # a summary, not the whole schedule


class SummarySection(BaseModel):
    key: str  # stable id: positioning | goal | lifecycle | roles | sop | kpis
    title: str
    lines: list[tuple[str, str]] = Field(default_factory=list)


def _v(text: object, lang: str) -> str:
    value = "" if text is None else str(text).strip()
    return value or i18n.t("summary.empty", lang)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _positioning(plan: Plan, lang: str) -> SummarySection:
    p, interest = plan.positioning, plan.elements.interest
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    lines = [
        (t("summary.name"), _v(plan.meta.name or interest.brand_name, lang)),
        (t("summary.slogan"), _v(interest.slogan or plan.meta.slogan, lang)),
        (t("summary.type"), i18n.enum_label(plan.meta.community_type, lang)),
        (t("summary.category"), _v(interest.category, lang)),
        (t("summary.why"), _v(p.why, lang)),
        (t("summary.what"), _v(p.what, lang)),
        (t("summary.where"), _v(p.where, lang)),
        (t("summary.who"), _v(p.who or plan.elements.structure.target_members, lang)),
        (t("summary.how"), _v(p.how, lang)),
    ]
    return SummarySection(key="positioning", title=t("summary.section.positioning"), lines=lines)


def _goal(plan: Plan, lang: str) -> SummarySection:
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    goals = [g for g in plan.lifecycle.goals if g.statement.strip()]
    lines: list[tuple[str, str]] = []
    if not goals:
        lines.append((t("summary.goal"), _v("", lang)))
    for goal in goals:
        target = f"{_number(goal.target)} {goal.unit}".strip()
        lines += [
            (t("summary.goal"), _v(goal.statement, lang)),
            (t("summary.metric"), _v(goal.metric, lang)),
            (t("summary.target"), _v(target, lang)),
            (t("summary.evaluation"), _v(goal.evaluation_rule, lang)),
        ]
    values, sep = plan.lifecycle.values, t("summary.sep")
    if plan.lifecycle.long_term_goal.strip():  # kept apart from the measured short-term goal above
        lines.append((t("summary.long_term_goal"), plan.lifecycle.long_term_goal.strip()))
    behaviours = [b.strip() for b in plan.elements.structure.standard_behaviours if b.strip()]
    if behaviours:
        lines.append((t("summary.behaviours"), sep.join(behaviours)))
    if values.stand_for:
        lines.append((t("summary.stand_for"), sep.join(values.stand_for)))
    if values.stand_against:
        lines.append((t("summary.stand_against"), sep.join(values.stand_against)))
    return SummarySection(key="goal", title=t("summary.section.goal"), lines=lines)


def _lifecycle(plan: Plan, lang: str) -> SummarySection:
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    life = plan.lifecycle
    length = t("summary.days", days=life.length_days) if life.length_days else ""
    lines = [
        (t("summary.length"), _v(length, lang)),
        (t("summary.start"), _v(life.start_date.isoformat() if life.start_date else "", lang)),
    ]
    for span in sorted(life.stages, key=lambda s: (s.start_day, s.end_day)):
        days = t("summary.day_range", start=display_day(span.start_day), end=display_day(span.end_day))
        value = f"{days} · {span.focus.strip()}" if span.focus.strip() else days
        lines.append((i18n.enum_label(span.stage, lang), value))
    for tier in life.conversion_ladder:
        price = fmt.money(tier.price, plan.meta.currency, lang)
        lines.append((t("summary.tier", name=tier.name or "—"), _v(f"{price} {tier.offer}", lang)))
    review = plan.review
    if review.weekday is not None:
        at = review.at_time.strftime("%H:%M") if review.at_time else ""
        lines.append((t("summary.review"), t("summary.review_weekly", day=t(f"summary.weekday.{review.weekday}"),
                                             time=at).strip()))
    return SummarySection(key="lifecycle", title=t("summary.section.lifecycle"), lines=lines)


def _roles(plan: Plan, lang: str) -> SummarySection:
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    lines = [
        (t("summary.role", name=r.name or "—", count=r.headcount), _v(r.responsibility or r.behaviour, lang))
        for r in plan.roles
    ]
    if not lines:
        lines.append((t("summary.roles_none"), _v("", lang)))
    return SummarySection(key="roles", title=t("summary.section.roles"), lines=lines)


def trigger_text(rule: SopRule, lang: str) -> str:
    """When an SOP rule fires, as a short phrase ("开营日（第 1 天）09:00" for the opening day)."""
    trig = rule.trigger
    at = trig.at_time.strftime("%H:%M") if trig.at_time else ""
    if trig.kind in (TriggerKind.GROUP_DAY, TriggerKind.MEMBER_DAY):
        return i18n.t(day_key("summary.trigger", trig), lang, day=display_day(trig.day or 0), time=at).strip()
    if trig.kind == TriggerKind.WEEKLY:
        days = "/".join(i18n.t(f"summary.weekday.{d}", lang) for d in sorted(trig.weekdays))
        return i18n.t("summary.trigger.weekly", lang, days=days, time=at).strip()
    if trig.kind == TriggerKind.ABSOLUTE and trig.at:
        return trig.at.strftime("%Y-%m-%d %H:%M")
    return i18n.enum_label(trig.event, lang) if trig.event else i18n.enum_label(trig.kind, lang)


def _moment_order(rule: SopRule) -> tuple[int, int, str]:
    # Opening-day and day-N rules first in day order, then weekly, dated and event rules.
    trig = rule.trigger
    rank = {TriggerKind.GROUP_DAY: 0, TriggerKind.MEMBER_DAY: 1, TriggerKind.WEEKLY: 2,
            TriggerKind.ABSOLUTE: 3, TriggerKind.EVENT: 4}[trig.kind]
    at = trig.at_time.strftime("%H:%M") if trig.at_time else ""
    return (rank, trig.day or 0, at)


def _sop(plan: Plan, lang: str) -> SummarySection:
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    rules = sorted(plan.sop.rules, key=_moment_order)
    lines = []
    for rule in rules[:MAX_SOP_MOMENTS]:
        owner = plan.role_by_id(rule.owner_role)
        what = rule.name.strip() or rule.task.strip()
        if owner is not None:
            what = t("summary.sop_owner", what=what or "—", owner=owner.name or owner.id)
        lines.append((trigger_text(rule, lang), _v(what, lang)))
    if len(rules) > MAX_SOP_MOMENTS:
        lines.append(("…", t("summary.sop_more", count=len(rules) - MAX_SOP_MOMENTS)))
    if not lines:
        lines.append((t("summary.sop_none"), _v("", lang)))
    return SummarySection(key="sop", title=t("summary.section.sop"), lines=lines)


def _kpis(plan: Plan, lang: str) -> SummarySection:
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    lines = []
    for kpi in plan.kpis:
        target = f"{_number(kpi.target)} {kpi.unit}".strip()
        if kpi.due_day is not None:
            target = t("summary.kpi_due", target=target or "—", day=display_day(kpi.due_day))
        lines.append((kpi.label or kpi.metric or "—", _v(target, lang)))
    if not lines:
        lines.append((t("summary.kpis_none"), _v("", lang)))
    return SummarySection(key="kpis", title=t("summary.section.kpis"), lines=lines)


def one_page(plan: Plan, lang: str = i18n.DEFAULT_LANG) -> list[SummarySection]:
    """The plan's one-page summary in `lang`: six sections in a fixed order (see module doc)."""
    return [builder(plan, lang) for builder in (_positioning, _goal, _lifecycle, _roles, _sop, _kpis)]
