"""Example values as placeholders: each field of a page shows what the closest shipped example
wrote there, so a new operator sees a worked answer without having it typed into their plan."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from models.plan import Plan
from planner import i18n
from planner.plan.examples import example_slugs, load_example
from planner.plan_core.edit import get_at

FALLBACK_EXAMPLE = "early_rise_camp"

# A blank field that the app fills from another field of the same plan (the group's name in the 话术
# is the brand name, else the plan's name): its placeholder shows this plan's value, never another
# plan's example, so a named plan does not look as if it were called something else.
FALLS_BACK_TO: dict[str, str] = {
    "elements.interest.brand_name": "meta.name",
    "elements.interest.slogan": "meta.slogan",
}


@cache
def _shipped(slugs: tuple[str, ...]) -> dict[str, Plan]:
    """The valid shipped examples; keyed on the slug list so new files are picked up."""
    out: dict[str, Plan] = {}
    for slug in slugs:
        try:
            out[slug] = load_example(slug, fresh_id=False)
        except (KeyError, ValueError):  # a broken example must not break every page
            continue
    return out


def shipped_examples() -> dict[str, Plan]:
    return _shipped(tuple(example_slugs()))


def example_for(plan: Plan, examples: Mapping[str, Plan] | None = None, lang: str | None = None) -> Plan | None:
    """The example to show beside `plan` in language `lang` (default: the plan's): one written in
    that language, of the plan's community type if there is one; else (no example in that language)
    the example of the plan's type, else the early-rise camp, else any; None when there are none.

    An English interface thus shows English placeholders even for a type only Chinese examples have."""
    pool = shipped_examples() if examples is None else examples
    if not pool:
        return None
    lang = lang or plan.meta.language
    same_lang = [slug for slug in sorted(pool) if pool[slug].meta.language == lang]
    for slugs in (same_lang, sorted(pool)):
        for slug in slugs:
            if pool[slug].meta.community_type == plan.meta.community_type:
                return pool[slug]
        if slugs is same_lang and same_lang:
            return pool[FALLBACK_EXAMPLE if FALLBACK_EXAMPLE in same_lang else same_lang[0]]
    return pool.get(FALLBACK_EXAMPLE) or pool[sorted(pool)[0]]


def example_value(plan: Plan, path: str, examples: Mapping[str, Plan] | None = None,
                  lang: str | None = None) -> Any:
    """The matching example's JSON value at `path`, or None when it has none."""
    example = example_for(plan, examples, lang)
    if example is None:
        return None
    try:
        return get_at(example, path)
    except (KeyError, IndexError, ValueError, TypeError):
        return None


def example_hint(plan: Plan, path: str, examples: Mapping[str, Plan] | None = None, lang: str | None = None) -> str:
    """The example's value at `path` as placeholder text ("" when there is nothing to show).

    Lists of strings become one item per line, as the `lines` widget edits them."""
    value = example_value(plan, path, examples, lang)
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    return ""


def example_rows(plan: Plan, path: str, columns: list[str],
                 examples: Mapping[str, Plan] | None = None, lang: str | None = None) -> list[dict[str, Any]]:
    """The example's rows of a table field, reduced to `columns` (shown beside editable tables)."""
    value = example_value(plan, path, examples, lang)
    if not isinstance(value, list):
        return []
    return [{c: row.get(c) for c in columns} for row in value if isinstance(row, dict)]


def example_placeholder(plan: Plan, path: str, lang: str, examples: Mapping[str, Plan] | None = None) -> str:
    """The placeholder of the field at `path`, built in one place for every page: the example's
    value marked as an example ("例：…" / "e.g. …"), so it never reads as a filled-in answer; or,
    for a field that falls back to another of this plan's fields (FALLS_BACK_TO), that value and
    what happens when the field stays blank; "" when there is nothing to show. `lang` is the
    interface language (the example is picked in it too)."""
    fallback = FALLS_BACK_TO.get(path)
    if fallback:
        own = str(get_at(plan, fallback) or "").strip()
        if own:
            return i18n.t("hint.falls_back", lang, value=own)
    text = example_hint(plan, path, examples, lang)
    return i18n.t("hint.example", lang, text=text) if text else ""
