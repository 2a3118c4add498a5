"""Locale catalogs: `assets/locales/<lang>/*.json`, flat dotted keys, merged per language.

Each feature keeps its own catalog file so that teams do not edit one shared file; a key may be
defined in one file only (tests/unit/test_i18n.py checks it, and that zh and en match).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import Any

from models.problems import Problem
from planner.paths import LOCALES

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"


class _SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def catalog(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def has(key: str, lang: str = DEFAULT_LANG) -> bool:
    return key in catalog(lang)


# A count-dependent word in a catalog text: `{count|error|errors}` reads "error" when the parameter
# `count` is 1 and "errors" otherwise. English needs it; Chinese texts simply do not use it.
_PLURAL = re.compile(r"\{(\w+)\|([^{}|]*)\|([^{}|]*)\}")


def is_one(value: Any) -> bool:
    """Whether a count parameter (a number, or a number already formatted as "1" or "1,234") is 1."""
    try:
        return float(str(value).replace(",", "").strip()) == 1
    except ValueError:
        return False


def plural(text: str, params: dict[str, Any]) -> str:
    """`text` with each `{name|one|other}` replaced by the form for the parameter `name`."""
    def form(match: re.Match[str]) -> str:
        name, one, other = match.groups()
        return match.group(0) if name not in params else one if is_one(params[name]) else other
    return _PLURAL.sub(form, text)


def t(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The text for `key` in `lang` (falling back to zh, then to the key itself), with its
    parameters filled in and its plural forms chosen (see `plural`)."""
    text = catalog(lang).get(key) or catalog(DEFAULT_LANG).get(key) or key
    return plural(text, params).format_map(_SafeDict(params)) if params else text


def enum_label(value: Enum, lang: str = DEFAULT_LANG) -> str:
    return t(f"enum.{type(value).__name__}.{value.value}", lang)


def humanize_path(path: str, lang: str = DEFAULT_LANG) -> str:
    """`roles.2.headcount` → `角色 › 第 2 项 › 人数`; names without a label stay as they are."""
    if "." not in path and not has(f"path.{path}", lang):
        return path  # a file's column header, shown as the user wrote it
    parts = []
    for part in path.split("."):
        if part.isdigit():
            parts.append(t("path.item", lang, n=part))
        else:
            parts.append(t(f"path.{part}", lang) if has(f"path.{part}", lang) else part)
    return t("path.sep", lang).join(parts)


def _same(text: str) -> str:
    return text


def render_problem(problem: Problem, lang: str = DEFAULT_LANG, escape: Callable[[str], str] = _same) -> str:
    """A problem as one sentence: where (file, row, column) then what. `escape` is applied to every
    piece of user text in it (file name, column, values), e.g. to show it as markdown."""
    where = []
    if problem.file:
        where.append(t("problem.where.file", lang, file=escape(problem.file)))
    if problem.row is not None:
        where.append(t("problem.where.row", lang, row=problem.row))
    if problem.column:
        where.append(t("problem.where.column", lang, column=escape(humanize_path(problem.column, lang))))
    params = {k: escape(v) if isinstance(v, str) else v for k, v in problem.params.items()}
    # a check the catalog does not know yet (a new validation type) is said in words, never as its key
    key = problem.key if has(problem.key, lang) or has(problem.key) else "validation.invalid"
    what = t(key, lang, **params)
    return f"{t('problem.where.sep', lang).join(where)}{t('problem.where.colon', lang)}{what}" if where else what
