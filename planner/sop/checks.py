"""SOP design checks that feed the plan doctor.

`design_findings(plan)` expands the SOP over the lifecycle (planner.sop.schedule.expand) and looks for what
makes it hard to execute. Each check has an id (`Finding.rule_id`, listed in CHECKS) and the
catalog keys `sop.check.<name>.message` / `.fix`; params are ready to format into those texts
(`rule` is the SOP rule's name; most add `sop_rule_id` or `role_id` for linking).

Conventions:
- capacity of a role per day = hours_per_week / 7 × headcount (planner.sop.schedule.capacity_minutes);
  a role with no stated hours is not "over capacity" but gets a tip to state them;
- "at the same time": a role's tasks overlap when more of them run at once than it has people
  (headcount, at least 1); intervals are [start, start + minutes);
- quiet hours may cross midnight (22:00–08:00); start == end switches the check off;
- marketing share = marketing tasks / all dated tasks; value content = a task not tagged marketing;
- a value gap is a run of lifecycle days with no value task; it is reported when longer than
  `max_days_without_value` (one finding for the longest run, with how many runs are too long).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from models.plan import Plan
from models.problems import Finding, Severity, Step
from models.sop import SopRule
from planner.sop.schedule import (
    NOMINAL_START,
    Schedule,
    ScheduledTask,
    capacity_minutes,
    ceremony_of,
    daily_minutes,
    expand,
    unknown_placeholders,
)

# The first three share rule id and params with planner.plan.doctor's own SOP rules (sop.none,
# sop.no_owner, sop.unknown_owner) so that the doctor's de-duplication reports each once.
CHECKS: dict[str, Severity] = {
    "none": Severity.WARNING,
    "no_owner": Severity.ERROR,
    "unknown_owner": Severity.ERROR,
    "over_capacity": Severity.WARNING,
    "hours_unknown": Severity.TIP,
    "overlap": Severity.WARNING,
    "quiet_hours": Severity.WARNING,
    "marketing_share": Severity.WARNING,
    "value_gap": Severity.WARNING,
    "unknown_placeholder": Severity.ERROR,
    "duplicate_ceremony": Severity.WARNING,
}


def _finding(name: str, **params: object) -> Finding:
    return Finding(rule_id=f"sop.{name}", severity=CHECKS[name], step=Step.SOP,
                   message_key=f"sop.check.{name}.message", fix_key=f"sop.check.{name}.fix", params=params)


def rule_label(rule: SopRule) -> str:
    """How a message names a rule: its name, else the start of its task, else its id (the doctor's
    own SOP rules use it too, so the findings both report match and are shown once)."""
    return rule.name.strip() or rule.task.strip()[:30] or rule.id


def design_findings(plan: Plan, start: date | None = None, schedule: Schedule | None = None) -> list[Finding]:
    """Findings about the plan's SOP rules, in a stable order (the checks' order, then the rules').

    `schedule` is the plan's expansion when the caller already has it (the SOP page shows it too)."""
    if not plan.sop.rules:
        return [_finding("none")]
    if schedule is None:
        schedule = expand(plan, start or plan.lifecycle.start_date or NOMINAL_START)
    return [
        *owner_findings(plan),
        *capacity_findings(plan, schedule),
        *overlap_findings(plan, schedule),
        *quiet_hour_findings(plan, schedule),
        *marketing_findings(plan, schedule),
        *value_gap_findings(plan, schedule),
        *placeholder_findings(plan),
        *ceremony_findings(plan),
    ]


def ceremony_findings(plan: Plan) -> list[Finding]:
    """An opening or closing ceremony held twice (e.g. the defaults added next to the plan's own)."""
    seen: dict[str, list[str]] = {}
    for rule in plan.sop.rules:
        kind = ceremony_of(rule)
        if kind is not None:
            seen.setdefault(kind, []).append(rule_label(rule))
    return [_finding("duplicate_ceremony", rules=names, count=len(names))
            for names in seen.values() if len(names) > 1]


def owner_findings(plan: Plan) -> list[Finding]:
    role_ids = {r.id for r in plan.roles}
    out = []
    for rule in plan.sop.rules:
        if not rule.owner_role.strip():
            out.append(_finding("no_owner", rule=rule_label(rule)))
        elif rule.owner_role not in role_ids:
            out.append(_finding("unknown_owner", rule=rule_label(rule), owner=rule.owner_role))
    return out


def capacity_findings(plan: Plan, schedule: Schedule) -> list[Finding]:
    load = daily_minutes(schedule)
    out = []
    for role in plan.roles:
        days = sorted((day, minutes) for (role_id, day), minutes in load.items() if role_id == role.id)
        if not days:
            continue
        capacity = capacity_minutes(role)
        peak = max(minutes for _, minutes in days)
        if capacity <= 0:
            out.append(_finding("hours_unknown", role=role.name, peak=peak, role_id=role.id))
            continue
        over = [(day, minutes) for day, minutes in days if minutes > capacity]
        if over:
            first = schedule.start + timedelta(days=over[0][0])
            out.append(_finding("over_capacity", role=role.name, days=len(over), first_date=first.isoformat(),
                                peak=peak, capacity=round(capacity), role_id=role.id))
    return out


def overlap_findings(plan: Plan, schedule: Schedule) -> list[Finding]:
    by_role: dict[str, list[ScheduledTask]] = defaultdict(list)
    for task in schedule.tasks:
        if task.owner_role:
            by_role[task.owner_role].append(task)
    names = {r.id: r.name for r in plan.roles}
    heads = {r.id: max(1, r.headcount) for r in plan.roles}
    out = []
    for role_id, tasks in by_role.items():
        clashes: dict[tuple[str, str], list[ScheduledTask]] = {}
        active: list[ScheduledTask] = []
        for task in tasks:  # already sorted by start
            active = [a for a in active if a.end > task.start]
            if len(active) >= heads.get(role_id, 1):
                for other in active:
                    pair = (other.rule_id, task.rule_id) if other.rule_index <= task.rule_index \
                        else (task.rule_id, other.rule_id)
                    clashes.setdefault(pair, []).append(task)
            active.append(task)
        for (a_id, b_id), hits in clashes.items():
            first = hits[0]
            out.append(_finding("overlap", role=names.get(role_id, role_id), rule=_name(plan, a_id),
                                other=_name(plan, b_id), times=len(hits), first=first.start.strftime("%Y-%m-%d %H:%M"),
                                role_id=role_id))
    return out


def _name(plan: Plan, rule_id: str) -> str:
    for rule in plan.sop.rules:
        if rule.id == rule_id:
            return rule_label(rule)
    return rule_id


def in_quiet_hours(start: datetime, end: datetime, quiet_start: time, quiet_end: time) -> bool:
    """Whether [start, end) touches the quiet window (which may cross midnight)."""
    if quiet_start == quiet_end:
        return False
    windows = []
    for d in (start.date() - timedelta(days=1), start.date(), end.date()):
        q0 = datetime.combine(d, quiet_start)
        q1 = datetime.combine(d if quiet_start < quiet_end else d + timedelta(days=1), quiet_end)
        windows.append((q0, q1))
    # A zero-minute task is a moment: it is quiet when that moment is.
    stop = end if end > start else start + timedelta(microseconds=1)
    return any(start < q1 and stop > q0 for q0, q1 in windows)


def quiet_hour_findings(plan: Plan, schedule: Schedule) -> list[Finding]:
    settings = plan.sop.settings
    quiet = f"{settings.quiet_start:%H:%M}–{settings.quiet_end:%H:%M}"
    seen: set[str] = set()
    out = []
    for task in schedule.tasks:
        if task.rule_id in seen or not in_quiet_hours(task.start, task.end, settings.quiet_start, settings.quiet_end):
            continue
        seen.add(task.rule_id)
        rule = plan.sop.rules[task.rule_index]
        out.append(_finding("quiet_hours", rule=rule_label(rule), time=f"{task.start:%H:%M}",
                            quiet=quiet, sop_rule_id=task.rule_id))
    return out


def marketing_share(schedule: Schedule) -> float:
    """Marketing tasks / all dated tasks (0 when there are none)."""
    if not schedule.tasks:
        return 0.0
    return sum(t.is_marketing for t in schedule.tasks) / len(schedule.tasks)


def marketing_findings(plan: Plan, schedule: Schedule) -> list[Finding]:
    share = marketing_share(schedule)
    limit = plan.sop.settings.max_marketing_share
    if share <= limit:
        return []
    return [_finding("marketing_share", share=round(share * 100), max=round(limit * 100),
                     marketing=sum(t.is_marketing for t in schedule.tasks), total=len(schedule.tasks))]


def value_gaps(schedule: Schedule) -> list[tuple[int, int]]:
    """Runs of lifecycle days with no value (non-marketing) task, as (first day, last day)."""
    valued = {t.day for t in schedule.tasks if not t.is_marketing}
    runs: list[tuple[int, int]] = []
    begin: int | None = None
    for day in range(schedule.length_days):
        if day in valued:
            if begin is not None:
                runs.append((begin, day - 1))
            begin = None
        elif begin is None:
            begin = day
    if begin is not None:
        runs.append((begin, schedule.length_days - 1))
    return runs


def value_gap_findings(plan: Plan, schedule: Schedule) -> list[Finding]:
    limit = plan.sop.settings.max_days_without_value
    too_long = [(a, b) for a, b in value_gaps(schedule) if b - a + 1 > limit]
    if not too_long:
        return []
    a, b = max(too_long, key=lambda run: (run[1] - run[0], -run[0]))
    return [_finding("value_gap", days=b - a + 1, first=(schedule.start + timedelta(days=a)).isoformat(),
                     last=(schedule.start + timedelta(days=b)).isoformat(), runs=len(too_long), max=limit)]


def placeholder_findings(plan: Plan) -> list[Finding]:
    out = []
    for rule in plan.sop.rules:
        unknown = unknown_placeholders(rule.script)
        if unknown:
            out.append(_finding("unknown_placeholder", rule=rule_label(rule),
                                placeholders=" ".join("{" + u + "}" for u in unknown), sop_rule_id=rule.id))
    return out

