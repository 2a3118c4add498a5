"""The review loop: from measured member data back to a changed plan.

- `missed_kpis(plan, analysis)`: the KPIs that missed their target (planner.data.kpis.plan_vs_actual),
  the one goal's KPI first;
- `suggestions_for(metric)`: for a missed metric, the likely causes the method names and the concrete
  changes to try, each naming the part of the plan it changes (an SOP rule, a role, a content
  pillar, a list of the four elements…);
- `apply_suggestion(plan, …)`: the plan with that change made and the review recorded as a revision
  note (plan.review.notes), so the next review sees what was tried;
- `revenue(result, plan)`: GMV from the amount column of an activity log, where there is one;
- `rule_effects(plan, analysis)`: for each dated SOP rule, activity on the days it runs against the
  other days of the data (the content data the review keeps or drops rules by); `pillar_effects` the
  same for the content pillars whose cadence names weekdays.

Text comes from the catalogs (`review.cause.*`, `review.change.*`); the JSON form stays neutral.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from models.plan import Plan, RevisionNote
from models.problems import Problem
from models.sop import Audience, SopRule, TriggerKind
from planner import i18n
from planner.data.analysis import Analysis
from planner.data.frames import LoadResult
from planner.data.kpis import plan_vs_actual
from planner.plan_core.edit import get_at, with_value
from planner.sop.schedule import NOMINAL_START, default_rules, lifecycle_length, occurrence_days

Change = Callable[[Plan, str], tuple[Plan, list[Problem]]]


@dataclass(frozen=True)
class Suggestion:
    id: str  # "<metric>.<change>", stable: the page's button keys and the tests use it
    cause: str  # catalog key of the likely cause
    change: str  # catalog key of the change to try
    target: str  # the plan path it changes


def _append(path: str, text_key: str) -> Change:
    """Add one catalog text to a list of strings (interaction mechanisms, rewards…), once."""
    def apply(plan: Plan, lang: str) -> tuple[Plan, list[Problem]]:
        current = list(get_at(plan, path) or [])
        text = i18n.t(text_key, lang)
        return with_value(plan, path, current if text in current else [*current, text])

    return apply


def _set_text(path: str, text_key: str) -> Change:
    """Fill an empty text field with the catalog's suggestion (a written one is kept)."""
    def apply(plan: Plan, lang: str) -> tuple[Plan, list[Problem]]:
        if str(get_at(plan, path) or "").strip():
            return plan, []
        return with_value(plan, path, i18n.t(text_key, lang))

    return apply


def _default_rule(slug: str) -> Change:
    """Add the generated default SOP rule `default-<slug>` (owner picked from the plan's roles); for
    a rule generated several times (showcases on long cycles: `default-showcase_30`…) the first."""
    def apply(plan: Plan, lang: str) -> tuple[Plan, list[Problem]]:
        wanted = f"default-{slug}"
        if any(r.id == wanted or r.id.startswith(wanted + "_") for r in plan.sop.rules):
            return plan, []
        rule = next((r for r in default_rules(plan, lang) if r.id == wanted or r.id.startswith(wanted + "_")), None)
        if rule is None:
            return plan, [Problem(key="review.problem.no_rule", params={"rule": slug})]
        if rule.audience == Audience.LAYER and any(
                r.audience == Audience.LAYER and r.audience_ref == rule.audience_ref for r in plan.sop.rules):
            return plan, []  # the plan's own rule for that layer (e.g. the examples' lurker care) is kept, not doubled
        rules = [r.model_dump(mode="json") for r in plan.sop.rules] + [rule.model_dump(mode="json")]
        return with_value(plan, "sop.rules", rules)

    return apply


def _add_pillar(plan: Plan, lang: str) -> tuple[Plan, list[Problem]]:
    topic = i18n.t("review.text.qa_pillar", lang)
    pillars = [p.model_dump(mode="json") for p in plan.elements.content]
    if any(p["topic"] == topic for p in pillars):
        return plan, []
    return with_value(plan, "elements.content",
                      [*pillars, {"topic": topic, "form": i18n.t("review.text.qa_form", lang),
                                  "cadence": i18n.t("review.text.qa_cadence", lang)}])


def _add_tier(plan: Plan, lang: str) -> tuple[Plan, list[Problem]]:
    ladder = [t.model_dump(mode="json") for t in plan.lifecycle.conversion_ladder]
    if any(t["price"] > 0 for t in ladder):
        return plan, []
    return with_value(plan, "lifecycle.conversion_ladder",
                      [*ladder, {"name": i18n.t("review.text.trial_tier", lang), "price": 9.9,
                                 "offer": i18n.t("review.text.trial_offer", lang)}])


# metric → [(suggestion, how to apply)]; causes and changes follow the method (shared/METHOD.md):
# dead groups (no rules, free, little value, no core users), layers and their treatment, role models,
# referral and service, the conversion ladder.
_S = Suggestion
CATALOG: dict[str, list[tuple[Suggestion, Change]]] = {
    "members": [
        (_S("members.referral", "review.cause.thin_acquisition", "review.change.referral", "lifecycle.retention"),
         _set_text("lifecycle.retention.referral", "review.text.referral")),
        (_S("members.channel", "review.cause.thin_acquisition", "review.change.channel", "lifecycle.acquisition_moves"),
         _append("lifecycle.acquisition_moves", "review.text.channel")),
    ],
    "active_members": [
        (_S("active_members.watchers", "review.cause.watchers_left_alone", "review.change.watchers", "sop.rules"),
         _default_rule("watchers")),
        (_S("active_members.interaction", "review.cause.one_way", "review.change.interaction",
            "elements.structure.interaction_mechanisms"),
         _append("elements.structure.interaction_mechanisms", "review.text.interaction")),
        (_S("active_members.pillar", "review.cause.little_value", "review.change.pillar", "elements.content"),
         _add_pillar),
    ],
    "checkin_rate": [
        (_S("checkin_rate.reminder", "review.cause.reminder", "review.change.reminder", "sop.rules"),
         _default_rule("checkin")),
        (_S("checkin_rate.showcase", "review.cause.no_role_models", "review.change.showcase", "sop.rules"),
         _default_rule("showcase")),
        (_S("checkin_rate.reward", "review.cause.no_reward", "review.change.reward", "incentives.rewards"),
         _append("incentives.rewards", "review.text.reward")),
    ],
    "retention_m1": [
        (_S("retention_m1.lurkers", "review.cause.lurkers_lost", "review.change.lurkers", "sop.rules"),
         _default_rule("lurkers")),
        (_S("retention_m1.service", "review.cause.no_service", "review.change.service", "lifecycle.retention"),
         _set_text("lifecycle.retention.service", "review.text.service")),
        (_S("retention_m1.tier", "review.cause.free", "review.change.tier", "lifecycle.conversion_ladder"),
         _add_tier),
    ],
    "buyers": [
        (_S("buyers.offer", "review.cause.no_offer", "review.change.offer", "sop.rules"), _default_rule("conversion")),
        (_S("buyers.tier", "review.cause.no_low_step", "review.change.tier", "lifecycle.conversion_ladder"),
         _add_tier),
    ],
}
CATALOG["new_members"] = CATALOG["members"]
CATALOG["dau_mau"] = CATALOG["active_members"]
CATALOG["messages"] = CATALOG["active_members"]
_BY_ID: dict[str, Change] = {s.id: apply for items in CATALOG.values() for s, apply in items}


def suggestions_for(metric: str) -> list[Suggestion]:
    return [s for s, _ in CATALOG.get(metric, [])]


def missed_kpis(plan: Plan, analysis: Analysis) -> list[dict[str, Any]]:
    """plan_vs_actual rows with status "missed", the goal's KPI first; each row gains `kpi_id` and
    `measures_goal`."""
    rows = []
    for kpi, row in zip(plan.kpis, plan_vs_actual(plan, analysis), strict=True):
        if row["status"] == "missed":
            rows.append({**row, "kpi_id": kpi.id, "measures_goal": kpi.measures_goal})
    return sorted(rows, key=lambda r: not r["measures_goal"])


def apply_suggestion(plan: Plan, suggestion_id: str, kpi_label: str, lang: str,
                     on: date | None = None) -> tuple[Plan, list[Problem]]:
    """`plan` with the suggested change made and a revision note recorded (or problems, plan unchanged).

    A change already in the plan (the rule is there, the text written) is not made twice; the note
    is still recorded, since the review decided it."""
    apply = _BY_ID.get(suggestion_id)
    suggestion = next((s for items in CATALOG.values() for s, _ in items if s.id == suggestion_id), None)
    if apply is None or suggestion is None:
        return plan, [Problem(key="review.problem.unknown", params={"id": suggestion_id})]
    changed, problems = apply(plan, lang)
    if problems:
        return plan, problems
    note = RevisionNote(on=on or date.today(), kpi=kpi_label, cause=i18n.t(suggestion.cause, lang),
                        change=i18n.t(suggestion.change, lang), target=suggestion.target)
    notes = [n.model_dump(mode="json") for n in changed.review.notes] + [note.model_dump(mode="json")]
    return with_value(changed, "review.notes", notes)


def revenue(result: LoadResult | None, plan: Plan | None = None) -> dict[str, Any] | None:
    """GMV from the activity log's amount column: total, orders, buyers, and within the plan's
    lifecycle when it has a start date. None when no row carries an amount."""
    activity = result.activity if result is not None else None
    if activity is None or "amount" not in activity or activity["amount"].notna().sum() == 0:
        return None
    paid = activity[activity["amount"].notna() & (activity["amount"] > 0)]
    out: dict[str, Any] = {"total": float(paid["amount"].sum()), "orders": len(paid),
                           "buyers": int(paid["member_id"].nunique()), "in_cycle": None}
    life = plan.lifecycle if plan is not None else None
    if life is not None and life.start_date is not None and life.length_days:
        start = pd.Timestamp(life.start_date)
        end = start + pd.Timedelta(days=life.length_days)
        inside = paid[(paid["time"] >= start) & (paid["time"] < end)]
        out["in_cycle"] = float(inside["amount"].sum())
    return out


MIN_DAYS = 2  # a rule needs this many run days (and other days) in the data to be compared


def rule_effects(plan: Plan, analysis: Analysis, column: str = "dau") -> list[dict[str, Any]]:
    """For each SOP rule with dated occurrences inside the data: mean `column` (daily active members
    by default) on its days vs on the other days of the lifecycle, and the lift (on / other − 1).
    A rule that runs every day has nothing to be compared with and is left out.

    Day 0 of the schedule is the plan's start date, else the first day of the data. Event rules
    (fired per member) have no dates and are left out."""
    cycle = _cycle_values(plan, analysis, column)
    if cycle is None:
        return []
    start, values = cycle
    in_data = set(values.index)
    # the days each rule runs, as the schedule dates them (occurrence_days, what expand lays its tasks on),
    # without making a task for every occurrence; rules sharing an id share their days, as their tasks did
    length = lifecycle_length(plan)[0]
    days_of: dict[str, set[date]] = {}
    for rule in plan.sop.rules:
        if rule.trigger.kind != TriggerKind.EVENT:
            days_of.setdefault(rule.id, set()).update(
                start + timedelta(days=day) for day in occurrence_days(rule.trigger, start, length))
    rows = []
    for rule in plan.sop.rules:
        row = _compare(values, days_of.get(rule.id, set()) & in_data)
        if row is not None:
            rows.append({"rule_id": rule.id, "rule": _label(rule), **row})
    return sorted(rows, key=lambda r: -(r["lift"] or 0))


def _cycle_values(plan: Plan, analysis: Analysis, column: str) -> tuple[date, pd.Series] | None:
    """Day 0 of the schedule (the start date, else the data's first day) and `column` per day within the
    lifecycle (None without daily data): outside the cycle nothing runs, and a weekly item would be
    compared with the quiet weeks before or after it rather than with the days of the cycle it skipped."""
    daily = analysis.daily
    if daily is None or daily.empty or column not in daily or daily[column].isna().all():
        return None
    start = plan.lifecycle.start_date or analysis.start or NOMINAL_START
    last = start + timedelta(days=lifecycle_length(plan)[0] - 1)  # the schedule's last day, as expand has it
    values = pd.Series(daily[column].to_numpy(dtype=float), index=pd.to_datetime(daily["date"]).dt.date)
    return start, values[[start <= d <= last for d in values.index]]


def _compare(values: pd.Series, days: set[date]) -> dict[str, Any] | None:
    """Mean on `days` against the other days, or None when either side has fewer than MIN_DAYS."""
    others = set(values.index) - days
    if len(days) < MIN_DAYS or len(others) < MIN_DAYS:
        return None
    on, off = float(values[list(days)].mean()), float(values[list(others)].mean())
    return {"days": len(days), "on_days": on, "other_days": off, "lift": (on / off - 1) if off else None}


_ZH_DAYS = "一二三四五六日"
_EN_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ZH_LIST = re.compile(r"(?:周|星期|礼拜)[一二三四五六日天](?:[、，,和及与/]\s*(?:周|星期)?[一二三四五六日天])*")
_ZH_RANGE = re.compile(r"(?:周|星期)([一二三四五六日天])\s*[至到～~-]\s*(?:周|星期)?([一二三四五六日天])")


def _zh_day(ch: str) -> int:
    return _ZH_DAYS.index("日" if ch == "天" else ch)


_NOT_WEEKLY = re.compile(r"月|季|年|双周|隔周|month|quarter|year|fortnight|every other|biweekly", re.IGNORECASE)


def cadence_weekdays(cadence: str) -> set[int] | None:
    """The weekdays (0 = Monday) a content pillar's cadence names: "每周二、周四", "每周一、三、五12:30",
    "Mondays 08:00", "weekends"; all seven for "每天" / "daily". None for what is not a weekly rhythm
    ("每月第一个周一", "每季度1次") or names no day."""
    text = cadence.strip()
    if not text or _NOT_WEEKLY.search(text):
        return None
    if re.search(r"每天|每日|天天|daily|every ?day", text, re.IGNORECASE):
        return set(range(7))
    days: set[int] = set()
    for match in _ZH_LIST.finditer(text):
        days |= {_zh_day(ch) for ch in match.group() if ch in _ZH_DAYS + "天"}
    for first, last in _ZH_RANGE.findall(text):  # 周一至周五
        days |= set(range(_zh_day(first), _zh_day(last) + 1))
    lowered = text.lower()
    days |= {i for i, name in enumerate(_EN_DAYS) if re.search(rf"\b{name}[a-z]*\b", lowered)}
    if re.search(r"\bweekdays\b", lowered):
        days |= set(range(5))
    if re.search(r"\bweekends?\b", lowered):
        days |= {5, 6}
    return days or None


def pillar_effects(plan: Plan, analysis: Analysis, column: str = "dau") -> list[dict[str, Any]]:
    """For each content pillar whose cadence names weekdays (cadence_weekdays): mean `column` on the
    lifecycle's days it runs against the others, as rule_effects does for SOP rules. A daily pillar
    has nothing to be compared with and is left out, as is one whose cadence names no day."""
    cycle = _cycle_values(plan, analysis, column)
    if cycle is None:
        return []
    values = cycle[1]
    rows = []
    for pillar in plan.elements.content:
        weekdays = cadence_weekdays(pillar.cadence)
        if not pillar.topic.strip() or weekdays is None or len(weekdays) == 7:
            continue
        row = _compare(values, {d for d in values.index if d.weekday() in weekdays})
        if row is not None:
            rows.append({"pillar": pillar.topic.strip(), "cadence": pillar.cadence.strip(), **row})
    return sorted(rows, key=lambda r: -(r["lift"] or 0))


def _label(rule: SopRule) -> str:
    return rule.name.strip() or rule.task.strip()[:30] or rule.id

