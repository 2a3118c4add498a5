"""Locale catalogs: zh and en have the same keys, each key lives in one file, labels exist."""

from __future__ import annotations

import json
import re
import string
from collections import Counter
from enum import Enum

import pytest

from models import enums, problems, sop
from models.problems import Problem
from planner import i18n
from planner.paths import LOCALES


def _files(lang: str) -> dict[str, dict[str, str]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted((LOCALES / lang).glob("*.json"))}


def test_same_files_and_keys_in_every_language() -> None:
    zh, en = _files("zh"), _files("en")
    assert zh.keys() == en.keys()
    for name in zh:
        assert zh[name].keys() == en[name].keys(), name


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_each_key_defined_once(lang: str) -> None:
    counts = Counter(key for catalog in _files(lang).values() for key in catalog)
    assert [k for k, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_no_empty_texts(lang: str) -> None:
    assert [k for k, v in i18n.catalog(lang).items() if not v.strip()] == []


def test_placeholders_match_between_languages() -> None:
    def fields(text: str) -> set[str]:
        return {f.split("|")[0] for _, f, _, _ in string.Formatter().parse(text) if f}  # {n|one|other} names n

    zh, en = i18n.catalog("zh"), i18n.catalog("en")
    assert [k for k in zh if fields(zh[k]) != fields(en[k])] == []


ENUMS: list[type[Enum]] = [
    enums.CommunityType, enums.JoinMode, enums.Stage, enums.Layer, enums.Feeling,
    sop.TriggerKind, sop.EventKind, sop.SopType, sop.Audience, problems.Severity, problems.Step,
]


@pytest.mark.parametrize("enum_cls", ENUMS, ids=lambda e: e.__name__)
@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_enum_value_has_a_label(enum_cls: type[Enum], lang: str) -> None:
    missing = [m.value for m in enum_cls if not i18n.has(f"enum.{enum_cls.__name__}.{m.value}", lang)]
    assert missing == []


def test_translation_falls_back_and_formats() -> None:
    assert i18n.t("no.such.key", "en") == "no.such.key"
    assert i18n.t("plans.copy_of", "en", name="A") == "A (copy)"
    assert i18n.t("plans.copy_of", "zh", name="甲") == "甲（副本）"
    # A missing parameter stays visible instead of raising.
    assert "{name}" in i18n.t("plans.copy_of", "en")


def test_plural_forms_follow_the_count() -> None:
    assert i18n.plural("{n} {n|day|days}", {"n": 1}) == "{n} day"
    assert i18n.plural("{n} {n|day|days}", {"n": 2}) == "{n} days"
    assert i18n.plural("{n|rule is|rules are}", {"n": "1,204"}) == "rules are"  # already formatted
    assert i18n.plural("{n|a|b}", {}) == "{n|a|b}"  # no such parameter: left visible
    assert i18n.t("doctor.has_errors", "en", count=1).startswith("1 error ")
    assert i18n.t("doctor.has_errors", "en", count=3).startswith("3 errors ")


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_plural_forms_name_a_parameter_of_their_text(lang: str) -> None:
    # a plural form whose count is not a parameter of the text would stay on the page as typed
    for key, text in i18n.catalog(lang).items():
        names = {f for _, f, _, _ in string.Formatter().parse(text) if f and "|" not in f}
        for match in re.finditer(r"\{(\w+)\|[^{}]*\}", text):
            assert match.group(1) in names, key


def test_render_problem_says_where_and_what() -> None:
    problem = Problem(key="plan_io.empty", file="a.json", row=3, column="名称")
    assert i18n.render_problem(problem, "en") == "file a.json, row 3, column/field 名称: The file is empty."
    assert i18n.render_problem(problem, "zh") == "文件 a.json，第 3 行，列/字段 名称：文件是空的。"


def test_every_literal_key_in_the_code_is_in_the_catalog() -> None:
    """Keys written out in `state.t("…")`, `i18n.t("…")`, `i18n.has("…")` and a page's own `t("…")`
    exist in the zh catalog (the English one has the same keys, tested above): a missing key would
    show as raw text such as `positioning.persona`."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    keys = set(i18n.catalog("zh"))
    call = r"""\(\s*["']([a-z][a-z0-9_]*(?:\.[A-Za-z0-9_]+)+)["']"""
    anywhere = re.compile(r"\b(?:state\.t|i18n\.t|i18n\.has)" + call)
    page_t = re.compile(r"(?<![\w.])t" + call)  # pages bind t to the catalog without a prefix
    missing = []
    for path in [root / "app.py", *sorted((root / "pages").rglob("*.py")), *sorted((root / "planner").rglob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        found = anywhere.findall(text) + (page_t.findall(text) if path.parent.name == "pages" else [])
        missing += [f"{path.relative_to(root)}: {key}" for key in found if key not in keys]
    assert missing == []


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_doctor_intro_names_severities_as_the_badges_do(lang: str) -> None:
    # one vocabulary: the page intro explains the badges by the words on them
    intro = i18n.t("guide.doctor", lang).lower()
    assert all(i18n.enum_label(s, lang).lower() in intro for s in problems.Severity)


def test_a_problem_the_catalog_does_not_know_is_said_in_words() -> None:
    problem = Problem(key="validation.some_future_check", column="meta.name")
    assert "validation." not in i18n.render_problem(problem, "zh")
    assert i18n.render_problem(problem, "en").endswith(i18n.t("validation.invalid", "en"))
