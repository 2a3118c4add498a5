"""The dated SOP schedule as a table, CSV, XLSX and iCalendar (RFC 5545). Pure.

- `schedule_frame` is the one tabular form: the SOP page shows it, CSV and XLSX write it.
- CSV and XLSX are formula-safe: every text cell goes through `planner.safe_cells.neutralise`
  (control characters dropped, an apostrophe before each line that looks like a formula).
  CSV is UTF-8 with a BOM so that Excel and WPS open Chinese text correctly, with CRLF row ends
  (RFC 4180), so that a field holding a line break of either kind is quoted.
- iCalendar: one VEVENT per dated task with UID, DTSTAMP, DTSTART, DTEND, SUMMARY, DESCRIPTION.
  Times are floating local times (no time zone): "09:00" means 09:00 wherever the team's
  calendar is, which is how the plan states them. UIDs are stable for a plan, rule and day, so a
  re-import updates events instead of duplicating them. A 0-minute task has no DTEND (RFC 5545:
  it then ends when it starts). Event-triggered rules are not dated and are not in the file.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from icalendar import Calendar, Event

from models.enums import Layer
from models.plan import Plan
from models.sop import Audience
from models.text import clean_text, clean_value
from planner import i18n
from planner.days import display_day
from planner.safe_cells import neutralise
from planner.sop.schedule import Schedule, ScheduledTask, describe_trigger, fill_script

COLUMNS: tuple[str, ...] = (
    "day", "date", "weekday", "start", "end", "minutes", "owner", "name", "task", "channel", "audience",
    "stage", "type", "marketing", "material", "script",
)
STANDING_COLUMNS: tuple[str, ...] = ("name", "trigger", "owner", "task", "channel", "audience", "minutes", "script")
RULE_COLUMNS: tuple[str, ...] = ("name", "trigger", "owner", "task", "audience", "stage", "minutes", "marketing")
PRODID = "-//Community Ops Planner//SOP schedule//ZH"


def audience_text(plan: Plan, audience: Audience, ref: str, lang: str) -> str:
    label = i18n.enum_label(audience, lang)
    if audience == Audience.LAYER and ref in {layer.value for layer in Layer}:
        return f"{label}: {i18n.enum_label(Layer(ref), lang)}"
    if audience == Audience.ROLE and ref:
        role = plan.role_by_id(ref)
        return f"{label}: {role.name if role else ref}"
    return label


def _owner(plan: Plan, role_id: str, lang: str) -> str:
    if not role_id:
        return i18n.t("sop.unassigned", lang)
    role = plan.role_by_id(role_id)
    return role.name if role else role_id


def task_record(task: ScheduledTask, plan: Plan, schedule: Schedule, lang: str) -> dict[str, Any]:
    rule = plan.sop.rules[task.rule_index]
    return {
        "day": display_day(task.day),
        "date": task.date.isoformat(),
        "weekday": i18n.t(f"sop.weekday.{task.date.weekday()}", lang),
        "start": task.start.strftime("%H:%M"),
        "end": task.end.strftime("%H:%M"),
        "minutes": task.minutes,
        "owner": _owner(plan, task.owner_role, lang),
        "name": task.name,
        "task": task.task,
        "channel": task.channel,
        "audience": audience_text(plan, task.audience, rule.audience_ref, lang),
        "stage": i18n.enum_label(task.stage, lang),
        "type": i18n.enum_label(task.type, lang),
        "marketing": i18n.t("sop.tag.marketing" if task.is_marketing else "sop.tag.value", lang),
        "material": task.material,
        "script": fill_script(rule, plan, task.day, start=schedule.start, lang=lang),  # the task's is the rule's
    }


def schedule_frame(schedule: Schedule, plan: Plan, lang: str, *, labels: bool = True) -> pd.DataFrame:
    """One row per dated task, in schedule order; headers localized (`field.sop.<column>`) unless
    `labels` is False. Scripts are filled for the task's day."""
    frame = pd.DataFrame([task_record(t, plan, schedule, lang) for t in schedule.tasks], columns=list(COLUMNS))
    return frame.rename(columns=_labels(COLUMNS, lang)) if labels else frame


def standing_frame(schedule: Schedule, plan: Plan, lang: str, *, labels: bool = True) -> pd.DataFrame:
    """The event-triggered rules (not dated), one row each."""
    rows = [{
        "name": r.name, "trigger": describe_trigger(r.trigger, lang), "owner": _owner(plan, r.owner_role, lang),
        "task": r.task, "channel": r.channel, "audience": audience_text(plan, r.audience, r.audience_ref, lang),
        "minutes": r.minutes, "script": r.script,
    } for r in schedule.standing]
    frame = pd.DataFrame(rows, columns=list(STANDING_COLUMNS))
    return frame.rename(columns=_labels(STANDING_COLUMNS, lang)) if labels else frame


def rules_frame(plan: Plan, lang: str) -> pd.DataFrame:
    """The plan's SOP rules, one row each, for the rules table."""
    rows = [{
        "name": r.name, "trigger": describe_trigger(r.trigger, lang), "owner": _owner(plan, r.owner_role, lang),
        "task": r.task, "audience": audience_text(plan, r.audience, r.audience_ref, lang),
        "stage": i18n.enum_label(r.stage, lang), "minutes": r.minutes,
        "marketing": i18n.t("sop.tag.marketing" if r.is_marketing else "sop.tag.value", lang),
    } for r in plan.sop.rules]
    return pd.DataFrame(rows, columns=list(RULE_COLUMNS)).rename(columns=_labels(RULE_COLUMNS, lang))


def _labels(columns: tuple[str, ...], lang: str) -> dict[str, str]:
    return {c: i18n.t(f"field.sop.{c}", lang) for c in columns}


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(neutralise)


def to_csv(schedule: Schedule, plan: Plan, lang: str) -> bytes:
    # The csv module quotes a field only for the characters of its line terminator: with pandas'
    # default "\n", a field holding a lone "\r" went out bare and a spreadsheet read a new row there.
    frame = _safe(schedule_frame(schedule, plan, lang))
    return frame.to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).encode("utf-8-sig")


def to_xlsx(schedule: Schedule, plan: Plan, lang: str) -> bytes:
    """Sheet 1: the dated schedule; sheet 2: the standing (event-triggered) rules."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in ((i18n.t("sop.export.sheet_schedule", lang), schedule_frame(schedule, plan, lang)),
                             (i18n.t("sop.export.sheet_standing", lang), standing_frame(schedule, plan, lang))):
            _safe(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
            ws = writer.sheets[sheet[:31]]
            ws.freeze_panes = "A2"
            for i, column in enumerate(frame.columns):
                longest = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))])
                ws.column_dimensions[ws.cell(row=1, column=i + 1).column_letter].width = min(60, 4 + longest * 1.6)
    return buffer.getvalue()


def task_uid(plan: Plan, task: ScheduledTask) -> str:
    return f"{plan.id}-{task.rule_id}-d{task.day}@community-ops-planner"


def to_ics(schedule: Schedule, plan: Plan, lang: str, *, stamp: datetime | None = None) -> bytes:
    """A VCALENDAR with one VEVENT per dated task. `stamp` (UTC) fixes DTSTAMP for reproducible
    files; by default it is the time of the export."""
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", clean_text(plan.meta.name or i18n.t("plan.untitled", lang)))
    for task in schedule.tasks:
        # iCalendar escapes line breaks but not control characters, which calendar apps choke on.
        record = clean_value(task_record(task, plan, schedule, lang))
        event = Event()
        event.add("uid", task_uid(plan, task))
        event.add("dtstamp", stamp)
        event.add("dtstart", task.start)
        if task.end > task.start:
            event.add("dtend", task.end)
        event.add("summary", f"[{record['owner']}] {record['name'] or record['task']}")
        event.add("description", _description(record, lang))
        if record["owner"]:
            event.add("categories", [record["owner"]])
        cal.add_component(event)
    return cal.to_ical()


def _description(record: dict[str, Any], lang: str) -> str:
    lines = [
        (i18n.t("field.sop.task", lang), record["task"]),
        (i18n.t("field.sop.owner", lang), record["owner"]),
        (i18n.t("field.sop.audience", lang), record["audience"]),
        (i18n.t("field.sop.channel", lang), record["channel"]),
        (i18n.t("field.sop.material", lang), record["material"]),
        (i18n.t("field.sop.script", lang), record["script"]),
    ]
    return "\n".join(f"{label}: {value}" for label, value in lines if value)
