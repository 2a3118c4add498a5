"""Group set-up before opening: the entry announcement, the group settings and the welcome card,
drafted from the plan, and the checks a welcome card must pass.

The drafts only use what the plan already says (name, slogan, WHAT, rules, behaviours, the
self-introduction template, quiet hours, the join mode), so the operator edits rather than writes.
"""

from __future__ import annotations

from enum import StrEnum

from models.enums import SetupItem
from models.plan import GroupSetup, Plan
from planner import i18n

TRAILING = "。.;；!！"  # end punctuation dropped when items are joined into one sentence
MAX_LISTED = 3  # rules / behaviours quoted on a card: more and nobody reads it


def _name(plan: Plan) -> str:
    fallback = i18n.t("setup.draft.our_group", plan.meta.language)
    return plan.elements.interest.brand_name.strip() or plan.meta.name.strip() or fallback


def _listed(items: list[str], lang: str) -> str:
    kept = [i.strip().rstrip(TRAILING) for i in items if i.strip()][:MAX_LISTED]
    return i18n.t("setup.draft.sep", lang).join(kept)


def draft_setup(plan: Plan, lang: str | None = None) -> GroupSetup:
    """Drafts of every set-up item from the plan; empty parts of the plan are left out, not invented."""
    lang = lang or plan.meta.language
    name = _name(plan)
    slogan = plan.elements.interest.slogan.strip() or plan.meta.slogan.strip()
    what = plan.positioning.what.strip()
    rules = _listed(plan.elements.structure.group_rules, lang)
    behaviours = _listed(plan.elements.structure.standard_behaviours, lang)
    parts = [i18n.t("setup.draft.announcement.head", lang, name=name)]
    if slogan:
        parts.append(slogan)
    if what:
        parts.append(i18n.t("setup.draft.announcement.what", lang, what=what))
    if rules:
        parts.append(i18n.t("setup.draft.announcement.rules", lang, rules=rules))
    if plan.lifecycle.length_days:
        parts.append(i18n.t("setup.draft.announcement.length", lang, days=plan.lifecycle.length_days))
    announcement = "\n".join(parts)

    card = [i18n.t("setup.draft.card.head", lang, name=name)]
    if what:
        card.append(i18n.t("setup.draft.card.what", lang, what=what))
    if behaviours:
        card.append(i18n.t("setup.draft.card.behaviours", lang, behaviours=behaviours))
    elif rules:
        first_rule = _listed(plan.elements.structure.group_rules[:1], lang)
        card.append(i18n.t("setup.draft.card.rule", lang, rule=first_rule))
    card.append(i18n.t("setup.draft.card.first_step", lang))
    settings = plan.sop.settings
    invite = plan.elements.structure.join_mode.value
    return GroupSetup(
        entry_announcement=announcement,
        naming_rule=i18n.t("setup.draft.naming", lang),
        who_may_invite=i18n.t(f"setup.draft.invite.{invite}", lang),
        quiet_hours=i18n.t("setup.draft.quiet", lang, start=settings.quiet_start.strftime("%H:%M"),
                           end=settings.quiet_end.strftime("%H:%M")),
        pinned_notice=i18n.t("setup.draft.pinned", lang, name=name, rules=rules or "—"),
        welcome_card="\n".join(card),
    )


def fill_setup(plan: Plan, lang: str | None = None) -> GroupSetup:
    """The plan's set-up with only its empty items drafted (what the operator wrote is kept)."""
    draft = draft_setup(plan, lang)
    current = plan.setup
    return GroupSetup(**{item.value: getattr(current, item.value).strip() or getattr(draft, item.value)
                         for item in SetupItem})


class CardGap(StrEnum):
    NAME = "name"  # the card does not say which group this is
    RULE = "rule"  # no rule or standard behaviour the member should know
    FIRST_STEP = "first_step"  # nothing to do first (introduce yourself, check in…)


FIRST_STEP_WORDS = ("自我介绍", "介绍", "打卡", "签到", "introduce", "check in", "check-in", "say hello", "first")


def card_gaps(plan: Plan) -> list[CardGap]:
    """What the welcome card misses; empty when it is blank (the set-up check reports that)."""
    card = plan.setup.welcome_card.strip()
    if not card:
        return []
    folded = card.casefold()
    gaps = []
    names = [n.strip() for n in (plan.elements.interest.brand_name, plan.meta.name) if n.strip()]
    if names and not any(n.casefold() in folded for n in names):
        gaps.append(CardGap.NAME)
    pointers = [*plan.elements.structure.group_rules, *plan.elements.structure.standard_behaviours]
    pointers = [p.strip().rstrip(TRAILING).casefold() for p in pointers if p.strip()]
    if pointers and not any(p in folded for p in pointers):
        gaps.append(CardGap.RULE)
    if not any(word in folded for word in FIRST_STEP_WORDS):
        gaps.append(CardGap.FIRST_STEP)
    return gaps
