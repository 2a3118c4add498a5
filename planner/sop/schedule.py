"""Group SOP: default rules from the lifecycle, the dated schedule, and 话术 placeholders. Pure.

Conventions (shown to the user on the SOP page, tested in tests/unit/test_sop.py):

- Lifecycle days are stored counted from 0: day 0 is the day the group opens, the last day is
  `length_days - 1`. A person always reads them counted from 1 (the opening day is 第 1 天):
  `display_day` turns a stored day into the one shown, `stored_day` turns a typed one back (both in
  planner.days, so the member-data charts use them too). Every text, form, preview and document goes
  through these two. A plan without a length is expanded
  over `FALLBACK_LENGTH` days and the schedule says so (`length_assumed`).
- `group_day` N → day N at `at_time`; dropped when N is past the last day.
- `member_day` N → expanded for one nominal member who joins on day 0, so it lands on day N. Real
  members join later; the schedule shows the shape of the work, not each member's calendar.
- `weekly` → every lifecycle day whose weekday (0 = Monday) is listed. A daily task is a weekly
  rule with all seven weekdays.
- `absolute` → its date when that date lies inside the lifecycle, else dropped (and listed in
  `Schedule.unscheduled`). A time-zone-aware datetime keeps its wall-clock time.
- `event` → not dated: listed in `Schedule.standing` as a standing rule.
- A trigger without a time runs at `DEFAULT_TIME`. A task lasts its rule's `minutes`.
- Order is deterministic: by start time, then the rule's position in the plan.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from models.enums import CommunityType, Layer, Stage
from models.plan import Plan, Role
from models.sop import Audience, EventKind, SopRule, SopType, Trigger, TriggerKind
from planner import fmt, i18n
from planner.days import display_day

FALLBACK_LENGTH = 21  # the most common camp length in the method
DEFAULT_TIME = time(9, 0)
NOMINAL_START = date(2024, 1, 1)  # a Monday: used by checks when the plan has no start date
ALL_WEEKDAYS: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)

# --- placeholders ---------------------------------------------------------------------------------
# name -> what it is filled with; the page lists these with `sop.placeholder.<name>` descriptions.
PLACEHOLDERS: tuple[str, ...] = (
    "group_name",  # the brand name (同好 · 价值), else the plan name
    "slogan",  # the community's slogan
    "member_name",  # a member's name (a sample name in the preview)
    "day",  # the lifecycle day counted from 1, as members say it (第 1 天 = opening day)
    "days_left",  # days after this one until the lifecycle ends
    "lifecycle_days",  # the lifecycle length in days
    "date",  # the task's date, YYYY-MM-DD
    "weekday",  # the task's weekday name
    "goal",  # the plan's common goal
    "owner",  # the owner role's name
    "material",  # the rule's material
    "offer",  # the first tier of the conversion ladder
    "price",  # that tier's price
)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def placeholders_in(script: str) -> list[str]:
    """Every `{name}` in `script`, in order of first appearance."""
    seen: dict[str, None] = {}
    for match in _PLACEHOLDER.finditer(script or ""):
        seen.setdefault(match.group(1), None)
    return list(seen)


def unknown_placeholders(script: str) -> list[str]:
    """The `{names}` in `script` that are not in `PLACEHOLDERS` (they would reach members as typed)."""
    return [name for name in placeholders_in(script) if name not in PLACEHOLDERS]


def placeholder_values(plan: Plan, rule: SopRule | None, day: int, *, start: date | None = None,
                       lang: str | None = None, member_name: str | None = None) -> dict[str, str]:
    """The value of every placeholder for `rule` on lifecycle `day` (0-based)."""
    lang = lang or plan.meta.language
    length = lifecycle_length(plan)[0]
    start = start or plan.lifecycle.start_date
    when = start + timedelta(days=day) if start else None
    owner = plan.role_by_id(rule.owner_role) if rule and rule.owner_role else None
    goal = next((g.statement for g in plan.lifecycle.goals if g.statement), "")
    tier = next(iter(plan.lifecycle.conversion_ladder), None)
    return {
        "group_name": plan.elements.interest.brand_name or plan.meta.name,
        "slogan": plan.elements.interest.slogan or plan.meta.slogan,
        "member_name": member_name or i18n.t("sop.placeholder.sample_member", lang),
        "day": str(display_day(day)),
        "days_left": str(max(length - 1 - day, 0)),
        "lifecycle_days": str(length),
        "date": when.isoformat() if when else i18n.t("sop.placeholder.day_n", lang, n=display_day(day)),
        "weekday": i18n.t(f"sop.weekday.{when.weekday()}", lang) if when else "",
        "goal": goal,
        "owner": owner.name if owner else "",
        "material": rule.material if rule else "",
        "offer": tier.name if tier else "",
        "price": fmt.money(tier.price, plan.meta.currency, lang) if tier else "",
    }


# A placeholder with the marks typed around it: 「{goal}」, “{goal}”, （{price}）, ({weekday}).
_QUOTES = {"「": "」", "『": "』", "“": "”", "‘": "’", '"': '"', "《": "》"}
_BRACKETS = {"（": "）", "(": ")", "【": "】", "[": "]"}
_SLOT = re.compile(r"([ \t]*)([「『“‘\"《（(【\[]?)\{([^{}]*)\}([」』”’\"》）)】\]]?)")


def fill(script: str, values: dict[str, str], lang: str) -> str:
    """`script` with known placeholders replaced; unknown ones stay visible as typed.

    A placeholder whose value is empty (a plan without a goal, a rule without material) must not
    leave 「」 or "( yuan)" in a message to members: in brackets the bracketed clause is dropped;
    otherwise it reads a neutral wording (`sop.placeholder.empty.<name>`, e.g. 我们共同的目标),
    without the quotes typed around it."""
    def one(match: re.Match[str]) -> str:
        space, opening, name, closing = match.groups()
        if name not in values:
            return match.group(0)
        if values[name]:
            return f"{space}{opening}{values[name]}{closing}"
        if opening and _BRACKETS.get(opening) == closing:
            return ""
        key = f"sop.placeholder.empty.{name}"
        neutral = i18n.t(key, lang) if i18n.has(key, lang) else ""
        if opening and _QUOTES.get(opening) == closing:
            return f"{space}{neutral}"
        return f"{space}{opening}{neutral}{closing}"
    return _SLOT.sub(one, script or "")


def fill_script(rule: SopRule, plan: Plan, day: int, *, start: date | None = None, lang: str | None = None,
                member_name: str | None = None) -> str:
    """The 话术 of `rule` as members would read it on stored lifecycle `day` (0-based; see display_day)."""
    if "{" not in (rule.script or ""):  # reads as typed: its values (a third of a year's table) are not worked out
        return rule.script or ""
    lang = lang or plan.meta.language
    return fill(rule.script, placeholder_values(plan, rule, day, start=start, lang=lang, member_name=member_name),
                lang)


# --- the schedule ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScheduledTask:
    rule_id: str
    rule_index: int  # position of the rule in plan.sop.rules
    name: str
    day: int  # lifecycle day, 0-based
    date: date
    start: datetime
    end: datetime
    minutes: int
    owner_role: str  # a Role.id, "" when none
    owner_name: str  # "" when none or not a role of the plan
    task: str
    channel: str
    material: str
    script: str  # the template, unfilled
    stage: Stage
    type: SopType
    audience: Audience
    is_marketing: bool
    kind: TriggerKind


@dataclass(frozen=True)
class Schedule:
    start: date
    length_days: int
    length_assumed: bool  # the plan has no lifecycle length: FALLBACK_LENGTH was used
    tasks: tuple[ScheduledTask, ...]
    standing: tuple[SopRule, ...]  # event-triggered rules: not dated
    unscheduled: tuple[str, ...]  # ids of dated rules with no occurrence inside the lifecycle

    @property
    def last_date(self) -> date:
        return self.start + timedelta(days=self.length_days - 1)

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=d) for d in range(self.length_days)]


def lifecycle_length(plan: Plan) -> tuple[int, bool]:
    """(length in days, whether it was assumed because the plan has none)."""
    if plan.lifecycle.length_days:
        return plan.lifecycle.length_days, False
    return FALLBACK_LENGTH, True


def occurrence_days(trigger: Trigger, start: date, length: int) -> list[int]:
    """The lifecycle days (0-based, ascending) on which a dated trigger fires; [] for events."""
    if trigger.kind in (TriggerKind.GROUP_DAY, TriggerKind.MEMBER_DAY):
        return [trigger.day] if trigger.day is not None and trigger.day < length else []
    if trigger.kind == TriggerKind.WEEKLY:
        wanted = set(trigger.weekdays)
        return [d for d in range(length) if (start + timedelta(days=d)).weekday() in wanted]
    if trigger.kind == TriggerKind.ABSOLUTE and trigger.at is not None:
        day = (trigger.at.date() - start).days
        return [day] if 0 <= day < length else []
    return []


def trigger_time(trigger: Trigger) -> time:
    if trigger.kind == TriggerKind.ABSOLUTE and trigger.at is not None:
        return trigger.at.time().replace(tzinfo=None)
    return (trigger.at_time or DEFAULT_TIME).replace(tzinfo=None)


def expand(plan: Plan, start: date | None = None) -> Schedule:
    """The dated task list over the whole lifecycle from `start` (default: lifecycle.start_date).

    Without either there is no calendar to lay tasks on: the caller picks a date (the page offers
    today, design checks use NOMINAL_START), so this raises ValueError rather than guess."""
    start = start or plan.lifecycle.start_date
    if start is None:
        raise ValueError("expand needs a start date: pass one or set lifecycle.start_date")
    length, assumed = lifecycle_length(plan)
    roles = {r.id: r for r in plan.roles}
    tasks: list[ScheduledTask] = []
    standing: list[SopRule] = []
    unscheduled: list[str] = []
    for index, rule in enumerate(plan.sop.rules):
        if rule.trigger.kind == TriggerKind.EVENT:
            standing.append(rule)
            continue
        days = occurrence_days(rule.trigger, start, length)
        if not days:
            unscheduled.append(rule.id)
        at = trigger_time(rule.trigger)
        owner = roles.get(rule.owner_role)
        for day in days:
            when = start + timedelta(days=day)
            begin = datetime.combine(when, at)
            tasks.append(ScheduledTask(
                rule_id=rule.id, rule_index=index, name=rule.name, day=day, date=when, start=begin,
                end=begin + timedelta(minutes=rule.minutes), minutes=rule.minutes, owner_role=rule.owner_role,
                owner_name=owner.name if owner else "", task=rule.task, channel=rule.channel,
                material=rule.material, script=rule.script, stage=rule.stage, type=rule.type,
                audience=rule.audience, is_marketing=rule.is_marketing, kind=rule.trigger.kind,
            ))
    tasks.sort(key=lambda t: (t.start, t.rule_index))
    return Schedule(start=start, length_days=length, length_assumed=assumed, tasks=tuple(tasks),
                    standing=tuple(standing), unscheduled=tuple(unscheduled))


# --- workload -------------------------------------------------------------------------------------
def capacity_minutes(role: Role) -> float:
    """What a role can give per day: hours_per_week / 7 × headcount, in minutes (0 = not stated)."""
    return role.hours_per_week * 60 / 7 * role.headcount


def daily_minutes(schedule: Schedule) -> dict[tuple[str, int], int]:
    """Minutes of work per (owner role id, lifecycle day); "" collects tasks without an owner."""
    load: dict[tuple[str, int], int] = defaultdict(int)
    for task in schedule.tasks:
        load[(task.owner_role, task.day)] += task.minutes
    return dict(load)


# --- describing rules -----------------------------------------------------------------------------
def weekday_names(days: list[int], lang: str) -> str:
    return i18n.t("sop.trigger.list_sep", lang).join(i18n.t(f"sop.weekday.{d}", lang) for d in sorted(days))


def day_key(prefix: str, trigger: Trigger) -> str:
    """The text key for a group-day or member-day trigger: day 1 has its own wording ("Opening day
    (day 1)", not "Day 1 after opening", which reads as the day after)."""
    kind = "group_day" if trigger.kind == TriggerKind.GROUP_DAY else "member_day"
    return f"{prefix}.{kind}_first" if not trigger.day else f"{prefix}.{kind}"


def describe_trigger(trigger: Trigger, lang: str) -> str:
    """One line a person reads: 「开营日（第 1 天）20:00」, 「第 3 天 09:00」, 「每周 周一、周三 20:00」 …"""
    at = trigger_time(trigger).strftime("%H:%M")
    if trigger.kind in (TriggerKind.GROUP_DAY, TriggerKind.MEMBER_DAY):
        return i18n.t(day_key("sop.trigger", trigger), lang, day=display_day(trigger.day or 0), time=at)
    if trigger.kind == TriggerKind.WEEKLY and sorted(set(trigger.weekdays)) == list(ALL_WEEKDAYS):
        return i18n.t("sop.trigger.daily", lang, time=at)
    if trigger.kind == TriggerKind.WEEKLY:
        return i18n.t("sop.trigger.weekly", lang, days=weekday_names(trigger.weekdays, lang), time=at)
    if trigger.kind == TriggerKind.ABSOLUTE and trigger.at is not None:
        return i18n.t("sop.trigger.absolute", lang, when=trigger.at.strftime("%Y-%m-%d %H:%M"))
    if trigger.event == EventKind.MEMBER_JOINS:
        return i18n.t("sop.trigger.event.member_joins", lang)
    if trigger.event == EventKind.MEMBER_INACTIVE:
        return i18n.t("sop.trigger.event.member_inactive", lang, n=trigger.threshold)
    return i18n.t("sop.trigger.event.group_size", lang, n=trigger.threshold)


# --- defaults -------------------------------------------------------------------------------------
# Owner heuristic: each default rule names duties in order of preference; a duty is a list of
# words looked for (case-insensitively) in a role's name, behaviour and responsibility. The first
# role, in the plan's order, matching the earliest duty owns the rule; when no role matches any
# duty the owner stays empty and the design checks say so.
_HOST = ("群主", "主理", "创始", "发起", "领教", "班长", "owner", "founder", "host", "lead")
_ADMIN = ("管理", "运营", "社群", "admin", "operator", "manager", "community")
_ASSIST = ("助教", "助理", "班委", "组长", "assistant", "monitor", "helper")
_TEACH = ("领教", "老师", "讲师", "导师", "教练", "赋能", "teacher", "coach", "mentor", "tutor", "expert")
# 赋能 (enabling) is teaching, not praise: in _TEACH only, so 夸夸官 and Cheerleader own the same duties.
_PRAISE = ("夸夸", "kol", "达人", "praise", "cheer", "champion")
_CARE = ("客服", "关怀", "助教", "助理", "service", "care", "support", "assistant")
_SALES = ("销售", "顾问", "转化", "商务", "sales", "consultant", "conversion")
_EVENT = ("活动", "策划", "event", "activity", "planner")

DUTIES: dict[str, tuple[tuple[str, ...], ...]] = {
    "opening": (_HOST, _ADMIN),
    "self_intro": (_ASSIST, _ADMIN, _HOST),
    "welcome": (_ASSIST, _CARE, _ADMIN, _HOST),
    "first_day": (_ASSIST, _CARE, _ADMIN, _HOST),
    "checkin": (_ASSIST, _ADMIN, _HOST),
    "review": (_TEACH, _HOST, _ADMIN),
    "midpoint": (_EVENT, _ADMIN, _HOST),
    "showcase": (_EVENT, _PRAISE, _ADMIN, _HOST),
    "activists": (_PRAISE, _TEACH, _ADMIN, _HOST),
    "watchers": (_ASSIST, _PRAISE, _ADMIN, _HOST),
    "lurkers": (_CARE, _ASSIST, _ADMIN, _HOST),
    "promotion": (_SALES, _ADMIN, _HOST),
    "closing": (_HOST, _ADMIN),
    "coordination": (_HOST, _ADMIN, _EVENT),
    "conversion": (_SALES, _HOST, _ADMIN),
}


def pick_owner(plan: Plan, duty: str) -> str:
    """The id of the role that fits `duty` best (see DUTIES), or "" when none fits."""
    texts = [(r.id, f"{r.name} {r.behaviour} {r.responsibility}".lower()) for r in plan.roles]
    for words in DUTIES[duty]:
        for role_id, text in texts:
            if any(w in text for w in words):
                return role_id
    return ""


def _daily_time(kind: CommunityType) -> time:
    # Early-rise and study camps remind right after quiet hours; other groups mid-morning.
    return time(8, 30) if kind == CommunityType.CHECKIN_CAMP else time(10, 0)


def default_rules(plan: Plan, lang: str | None = None) -> list[SopRule]:
    """A starting SOP from the lifecycle length and community type; every id is `default-<slug>` so
    that missing defaults can be told apart from ones the user kept.

    Rules that could not fire are left out: the day-after-joining follow-up needs 2 days, the
    once-a-week rules a full week. Times are chosen so that no two defaults of one role meet on
    any day and none falls in the default quiet hours (22:00–08:00)."""
    lang = lang or plan.meta.language
    length = lifecycle_length(plan)[0]
    kind = plan.meta.community_type
    layers = {ml.layer: ml for ml in plan.member_layers.layers}
    out: list[SopRule] = []

    def add(slug: str, duty: str, trigger: Trigger, *, type_: SopType, stage: Stage, minutes: int,
            audience: Audience = Audience.EVERYONE, audience_ref: str = "", marketing: bool = False,
            task: str | None = None, script: str | None = None, name: str | None = None,
            private: bool = False) -> None:
        out.append(SopRule(
            id=f"default-{slug}", name=name or i18n.t(f"sop.default.{slug}.name", lang), type=type_, stage=stage,
            trigger=trigger, audience=audience, audience_ref=audience_ref,
            task=task or i18n.t(f"sop.default.{slug}.task", lang), owner_role=pick_owner(plan, duty),
            channel=i18n.t("sop.default.channel_private" if private else "sop.default.channel", lang),
            script=script or i18n.t(f"sop.default.{slug}.script", lang), is_marketing=marketing, minutes=minutes,
        ))

    def on_day(day: int, at: time) -> Trigger:
        return Trigger(kind=TriggerKind.GROUP_DAY, day=day, at_time=at)

    def weekly(days: tuple[int, ...], at: time) -> Trigger:
        return Trigger(kind=TriggerKind.WEEKLY, weekdays=list(days), at_time=at)

    last = length - 1
    add("opening", "opening", on_day(0, time(20, 0)), type_=SopType.NURTURE, stage=Stage.ACQUISITION, minutes=60,
        script=plan.rituals.opening_ceremony or None)
    add("self_intro", "self_intro", on_day(0, time(21, 0)), type_=SopType.NURTURE, stage=Stage.ACQUISITION,
        minutes=30, script=plan.rituals.self_intro_template or None)
    add("welcome", "welcome", Trigger(kind=TriggerKind.EVENT, event=EventKind.MEMBER_JOINS, day=None, at_time=None),
        type_=SopType.WELCOME, stage=Stage.ACQUISITION, minutes=5, audience=Audience.NEW_MEMBERS)
    week = length >= 7
    if length >= 2:
        add("first_day", "first_day", Trigger(kind=TriggerKind.MEMBER_DAY, day=1, at_time=time(12, 0)),
            type_=SopType.WELCOME, stage=Stage.ACTIVATION, minutes=10, audience=Audience.NEW_MEMBERS, private=True)
    # The daily reminder carries the standard behaviours, so the SOP reinforces what a good member does.
    behaviours = [b.strip() for b in plan.elements.structure.standard_behaviours if b.strip()]
    add("checkin", "checkin", weekly(ALL_WEEKDAYS, _daily_time(kind)), type_=SopType.PERIODIC,
        stage=Stage.ACTIVATION, minutes=10,
        task=i18n.t("sop.default.checkin.behaviours", lang,
                    behaviours=i18n.t("sop.trigger.list_sep", lang).join(behaviours)) if behaviours else None)
    review = plan.review
    if week:
        # The plan's review cadence when it has one (the review loop), else Sunday evening.
        add("review", "review", weekly((6 if review.weekday is None else review.weekday,),
                                       review.at_time or time(19, 0)),
            type_=SopType.PERIODIC, stage=Stage.RETENTION, minutes=45)
    if length >= 5:
        add("midpoint", "midpoint", on_day(length // 2, time(20, 0)), type_=SopType.ACTIVITY,
            stage=Stage.RETENTION, minutes=90)
    # The role models are picked by the standard behaviours, so the showcase reinforces them too.
    showcase_task = i18n.t("sop.default.showcase.behaviours", lang,
                           behaviours=i18n.t("sop.trigger.list_sep", lang).join(behaviours)) if behaviours \
        else i18n.t("sop.default.showcase.task", lang)
    # Long lifecycles get a role-model showcase every 30 days between the mid-point and the end.
    for day in range(30, last, 30):
        if day != length // 2:
            add(f"showcase_{day}", "showcase", on_day(day, time(18, 0)), type_=SopType.ACTIVITY,
                stage=Stage.RETENTION, minutes=30, task=showcase_task,
                script=i18n.t("sop.default.showcase.script", lang),
                name=i18n.t("sop.default.showcase.name", lang, day=display_day(day)))
    # A short camp gets one role-model showcase too, three quarters of the way through.
    showcase_day = length * 3 // 4
    if 10 <= length < 60 and showcase_day not in (length // 2, last):
        add("showcase", "showcase", on_day(showcase_day, time(18, 0)), type_=SopType.ACTIVITY,
            stage=Stage.RETENTION, minutes=30, task=showcase_task,
            name=i18n.t("sop.default.showcase.name", lang, day=display_day(showcase_day)))
    if week:
        add("activists", "activists", weekly((4,), time(12, 30)), type_=SopType.PERIODIC, stage=Stage.RETENTION,
            minutes=20, audience=Audience.LAYER, audience_ref=Layer.ACTIVIST.value,
            task=_treatment(layers, Layer.ACTIVIST))
        add("watchers", "watchers", weekly((2,), time(12, 30)), type_=SopType.PERIODIC, stage=Stage.ACTIVATION,
            minutes=20, audience=Audience.LAYER, audience_ref=Layer.WATCHER.value,
            task=_treatment(layers, Layer.WATCHER))
    silent = max(2, min(plan.member_layers.window_days, length // 7))
    add("lurkers", "lurkers", Trigger(kind=TriggerKind.EVENT, event=EventKind.MEMBER_INACTIVE, threshold=silent,
                                      day=None, at_time=None),
        type_=SopType.PERIODIC, stage=Stage.RETENTION, minutes=15, audience=Audience.LAYER,
        audience_ref=Layer.LURKER.value, task=_treatment(layers, Layer.LURKER), private=True)
    if kind == CommunityType.ECOMMERCE and week:
        add("promotion", "promotion", weekly((3,), time(11, 0)), type_=SopType.PROMOTION, stage=Stage.CONVERSION,
            minutes=15, marketing=True)
    if length >= 2:
        add("closing", "closing", on_day(last, time(20, 0)), type_=SopType.ACTIVITY, stage=Stage.RETENTION,
            minutes=60, script=plan.rituals.closing_ceremony or None)
    add("conversion", "conversion", on_day(last, time(21, 0) if length >= 2 else time(21, 30)),
        type_=SopType.CONVERSION, stage=Stage.CONVERSION, minutes=30, marketing=True)
    if review.before_events:
        for day in big_event_days([*plan.sop.rules, *out]):
            add(f"coordination_{day}", "coordination", on_day(day - 1, time(14, 0)), type_=SopType.PERIODIC,
                stage=Stage.RETENTION, minutes=30, task=i18n.t("sop.default.coordination.task", lang),
                script=i18n.t("sop.default.coordination.script", lang),
                name=i18n.t("sop.default.coordination.name", lang, day=display_day(day)))
    return out


BIG_EVENT_MINUTES = 60


def big_event_days(rules: list[SopRule]) -> list[int]:
    """Group days (from day 1 on) of the activities of an hour or more: each gets a coordination
    meeting the day before when the plan asks for one."""
    return sorted({
        r.trigger.day for r in rules
        if r.type == SopType.ACTIVITY and r.trigger.kind == TriggerKind.GROUP_DAY and r.trigger.day
        and r.minutes >= BIG_EVENT_MINUTES
    })


def _treatment(layers: dict, layer: Layer) -> str | None:
    found = layers.get(layer)
    return found.treatment if found is not None and found.treatment else None


# A ceremony is told by its id (the defaults' and the examples') or by its name, in either language.
CEREMONY_WORDS: dict[str, tuple[str, ...]] = {
    "opening": ("开营", "开群仪式", "开会期", "开班", "开幕", "opening", "kick-off", "kickoff"),
    "closing": ("结营", "闭营", "结业", "毕业", "收官", "closing", "graduation", "wrap-up"),
}


def ceremony_of(rule: SopRule) -> str | None:
    """"opening" or "closing" when `rule` is that ceremony, else None."""
    for kind, words in CEREMONY_WORDS.items():
        if rule.id in (kind, f"default-{kind}"):
            return kind
        name = rule.name.casefold()
        if any(word in name for word in words):
            return kind
    return None


# A weekly review is told by the default's id or by a weekly rule's name, in either language.
REVIEW_WORDS: tuple[str, ...] = ("复盘", "review", "retro")


def is_weekly_review(rule: SopRule) -> bool:
    """True for the default weekly review and any weekly rule named a review (周复盘, Weekly review)."""
    if rule.id == "default-review":
        return True
    return rule.trigger.kind == TriggerKind.WEEKLY and any(w in rule.name.casefold() for w in REVIEW_WORDS)


def missing_defaults(plan: Plan, lang: str | None = None) -> list[SopRule]:
    """The default rules whose id is not in the plan yet (the user's own rules are never touched).

    A plan that already has an opening or closing ceremony under another id or name (its own, an
    example's) does not get the default one as a second ceremony."""
    present = {r.id for r in plan.sop.rules}
    ceremonies = {ceremony_of(r) for r in plan.sop.rules} - {None}
    return [r for r in default_rules(plan, lang) if r.id not in present and ceremony_of(r) not in ceremonies]
