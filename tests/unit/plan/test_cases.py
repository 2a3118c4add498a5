"""Trainer case notes: every note has its three texts in both languages and sits beside a step."""

from __future__ import annotations

import pytest

from models.problems import Step
from planner import i18n
from planner.plan.cases import CASES, notes_for


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_case_has_title_what_it_did_and_what_it_shows(lang: str) -> None:
    for case in CASES:
        for key in (case.title_key, case.did_key, case.shows_key):
            assert i18n.has(key, lang), key


def test_the_articles_cases_are_all_there_beside_their_steps() -> None:
    assert {"xiaomi", "luoji", "starbucks", "shidian", "early_rise", "baoma", "ecommerce"} <= {c.id for c in CASES}
    assert [c.id for c in notes_for(Step.SOP)] == ["luoji", "mcdonalds"]
    assert notes_for(Step.RESEARCH) == []
