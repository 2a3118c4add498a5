"""Pure edits of a plan's SOP rules for the SOP page: build a rule from form values, add or replace
it, delete it, append the missing defaults. Each returns a new validated Plan or problems."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from pydantic import ValidationError

from models.plan import Plan
from models.problems import Problem
from models.sop import EventKind, SopRule, TriggerKind, new_id
from planner.days import display_day, stored_day
from planner.plan_core.edit import with_value
from planner.plan_core.json_io import validation_problems
from planner.sop.schedule import ceremony_of, missing_defaults

RULE_FIELDS: tuple[str, ...] = (
    "name", "type", "stage", "audience", "audience_ref", "task", "owner_role", "channel", "script", "material",
    "is_marketing", "minutes",
)


def trigger_from_form(values: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The trigger as JSON-ready data, keeping only the fields its kind uses."""
    kind = TriggerKind(values["kind"])
    at_time: time | None = values.get("at_time")
    if kind in (TriggerKind.GROUP_DAY, TriggerKind.MEMBER_DAY):
        # the form asks for the day as a person counts it (the opening day is day 1)
        if values.get("day") is None or int(values["day"]) < display_day(0):
            return None, [Problem(key="sop.form.need_day", column="day")]
        return {"kind": kind.value, "day": stored_day(int(values["day"])), "at_time": _hhmm(at_time)}, []
    if kind == TriggerKind.WEEKLY:
        weekdays = sorted({int(d) for d in values.get("weekdays") or []})
        if not weekdays:
            return None, [Problem(key="sop.form.need_weekday", column="weekdays")]
        return {"kind": kind.value, "day": None, "weekdays": weekdays, "at_time": _hhmm(at_time)}, []
    if kind == TriggerKind.ABSOLUTE:
        on: date | None = values.get("at_date")
        if on is None:
            return None, [Problem(key="sop.form.need_date", column="at_date")]
        at = datetime.combine(on, at_time or time(9, 0))
        return {"kind": kind.value, "day": None, "at_time": None, "at": at.isoformat(timespec="minutes")}, []
    event = EventKind(values.get("event") or EventKind.MEMBER_JOINS)
    threshold = values.get("threshold")
    if event == EventKind.MEMBER_JOINS:
        threshold = None
    elif not threshold:
        return None, [Problem(key="sop.form.need_threshold", column="threshold")]
    return {"kind": kind.value, "day": None, "at_time": None, "event": event.value,
            "threshold": int(threshold) if threshold else None}, []


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def rule_from_form(values: dict[str, Any], rule_id: str | None = None) -> tuple[SopRule | None, list[Problem]]:
    """A validated rule from the editor's values (`RULE_FIELDS` plus the trigger's), or problems."""
    if not str(values.get("name") or "").strip():
        return None, [Problem(key="sop.form.need_name", column="name")]
    trigger, problems = trigger_from_form(values)
    if trigger is None:
        return None, problems
    data = {k: values[k] for k in RULE_FIELDS if k in values}
    data["name"] = str(data["name"]).strip()
    data["audience_ref"] = data.get("audience_ref") or ""
    data["owner_role"] = data.get("owner_role") or ""
    try:
        return SopRule.model_validate({**data, "id": rule_id or new_id(), "trigger": trigger}), []
    except ValidationError as exc:
        return None, validation_problems(exc)


def _rules_json(plan: Plan) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in plan.sop.rules]


def upsert_rule(plan: Plan, rule: SopRule) -> tuple[Plan, list[Problem]]:
    """`plan` with `rule` replacing the rule of the same id, or appended."""
    rules = _rules_json(plan)
    new = rule.model_dump(mode="json")
    for i, existing in enumerate(rules):
        if existing["id"] == rule.id:
            rules[i] = new
            break
    else:
        rules.append(new)
    return with_value(plan, "sop.rules", rules)


def delete_rule(plan: Plan, rule_id: str) -> tuple[Plan, list[Problem]]:
    return with_value(plan, "sop.rules", [r for r in _rules_json(plan) if r["id"] != rule_id])


MERGED_TEXT_FIELDS: tuple[str, ...] = ("task", "owner_role", "channel", "script", "material")


def duplicate_ceremonies(plan: Plan) -> dict[str, list[str]]:
    """Ceremony kind → ids of its rules, for each kind the SOP holds more than once."""
    found: dict[str, list[str]] = {}
    for rule in plan.sop.rules:
        kind = ceremony_of(rule)
        if kind is not None:
            found.setdefault(kind, []).append(rule.id)
    return {kind: ids for kind, ids in found.items() if len(ids) > 1}


def merge_duplicate_ceremonies(plan: Plan) -> tuple[Plan, int]:
    """`plan` with one rule per ceremony: the user's own rule (a non-default one, else the first) is
    kept, its empty fields filled from the others, and the others removed. Returns how many went."""
    duplicates = duplicate_ceremonies(plan)
    if not duplicates:
        return plan, 0
    rules = _rules_json(plan)
    by_id = {r["id"]: r for r in rules}
    removed: set[str] = set()
    for ids in duplicates.values():
        keep = next((i for i in ids if not i.startswith("default-")), ids[0])
        kept = by_id[keep]
        for other in (by_id[i] for i in ids if i != keep):
            for name in MERGED_TEXT_FIELDS:
                if not str(kept.get(name) or "").strip() and str(other.get(name) or "").strip():
                    kept[name] = other[name]
            removed.add(other["id"])
    new_plan, problems = with_value(plan, "sop.rules", [r for r in rules if r["id"] not in removed])
    return (plan, 0) if problems else (new_plan, len(removed))


def add_missing_defaults(plan: Plan, lang: str | None = None) -> tuple[Plan, int]:
    """`plan` with the default rules it does not have yet appended (see planner.sop.schedule.default_rules).

    Ceremonies the plan already holds twice are merged first, so the result never has two opening
    or closing ceremonies, however often this runs."""
    plan, _ = merge_duplicate_ceremonies(plan)
    missing = missing_defaults(plan, lang)
    if not missing:
        return plan, 0
    new_plan, problems = with_value(plan, "sop.rules", _rules_json(plan) + [r.model_dump(mode="json") for r in missing])
    return (plan, 0) if problems else (new_plan, len(missing))
