"""Generated ritual texts: an opening-ceremony script and a self-introduction template drafted
from what the plan already says (name, goal, lifecycle, team, stages, content), to be copied or
put into the plan and edited."""

from __future__ import annotations

from models.plan import Plan
from planner import i18n
from planner.days import display_day


def _name(plan: Plan, lang: str) -> str:
    return plan.elements.interest.brand_name.strip() or plan.meta.name.strip() or i18n.t("plan.untitled", lang)


def _goal(plan: Plan) -> str:
    return plan.lifecycle.goals[0].statement.strip() if plan.lifecycle.goals else ""


def opening_ceremony_text(plan: Plan, lang: str) -> str:
    """An opening-ceremony script: welcome, goal, team, schedule, content, rules, next step."""
    t = lambda key, **kw: i18n.t(f"roles.gen.{key}", lang, **kw)  # noqa: E731
    name = _name(plan, lang)
    lines = [t("open.title", name=name), "", t("open.welcome", name=name)]
    slogan = plan.elements.interest.slogan.strip() or plan.meta.slogan.strip()
    if slogan:
        lines.append(t("open.slogan", slogan=slogan))
    goal = _goal(plan)
    lines += ["", t("open.goal_heading"), goal or t("open.goal_missing")]
    rule = plan.lifecycle.goals[0].evaluation_rule.strip() if plan.lifecycle.goals else ""
    if rule:
        lines.append(t("open.rule", rule=rule))
    if plan.roles:
        lines += ["", t("open.team_heading")]
        lines += [t("open.team_item", name=r.name, responsibility=r.responsibility or "…")
                  for r in plan.roles if r.name.strip()]
    lines += ["", t("open.schedule_heading")]
    if plan.lifecycle.length_days:
        start = plan.lifecycle.start_date.isoformat() if plan.lifecycle.start_date else t("open.start_tbd")
        lines.append(t("open.length", days=plan.lifecycle.length_days, start=start))
    for span in plan.lifecycle.stages:
        lines.append(t("open.stage_item", stage=i18n.enum_label(span.stage, lang), first=display_day(span.start_day),
                       last=display_day(span.end_day), focus=span.focus or ""))
    if plan.elements.content:
        lines += ["", t("open.content_heading")]
        lines += [t("open.content_item", topic=c.topic, form=c.form or "…", cadence=c.cadence or "…")
                  for c in plan.elements.content if c.topic.strip()]
    if plan.elements.structure.group_rules:
        lines += ["", t("open.rules_heading")]
        lines += [f"{i}. {rule}" for i, rule in enumerate(plan.elements.structure.group_rules, start=1)]
    lines += ["", t("open.next")]
    return "\n".join(lines).strip() + "\n"


def self_intro_template(plan: Plan, lang: str) -> str:
    """The self-introduction template members fill in after the opening ceremony."""
    t = lambda key, **kw: i18n.t(f"roles.gen.{key}", lang, **kw)  # noqa: E731
    goal = _goal(plan)
    lines = [t("intro.title", name=_name(plan, lang))]
    if goal:
        lines.append(t("intro.our_goal", goal=goal))
    lines += ["", t("intro.who"), t("intro.where"), t("intro.goal"), t("intro.strengths"), t("intro.offer"),
              t("intro.want")]
    return "\n".join(lines).strip() + "\n"
