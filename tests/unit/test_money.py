"""Prices and fees are shown in the plan's currency (meta.currency), decided in planner/fmt.py."""

from __future__ import annotations

import pytest

from models.enums import Currency
from models.plan import ConversionTier, Plan
from models.sop import SopRule
from planner import fmt, i18n
from planner.export import build_document, render
from planner.plan.examples import load_example
from planner.plan.summary import one_page
from planner.sop import schedule as sop


@pytest.mark.parametrize(("amount", "currency", "lang", "shown"), [
    (199, Currency.CNY, "zh", "199 元"),
    (199.0, "CNY", "en", "199 yuan"),
    (39, Currency.GBP, "en", "£39"),
    (39, Currency.GBP, "zh", "£39"),
    (9.9, Currency.USD, "en", "$9.9"),
    (12.5, Currency.EUR, "zh", "€12.5"),
    (1280000, Currency.CNY, "zh", "1280000 元"),
    (9.999, Currency.CNY, "zh", "10 元"),  # rounded to a whole amount: no dot left hanging
    (19.995, Currency.USD, "en", "$20"),
])
def test_money(amount: float, currency: Currency | str, lang: str, shown: str) -> None:
    assert fmt.money(amount, currency, lang) == shown


def test_every_currency_has_its_texts() -> None:
    for lang in i18n.LANGS:
        for currency in Currency:
            for key in (f"money.amount.{currency}", f"money.unit.{currency}", f"enum.Currency.{currency}"):
                assert i18n.has(key, lang), (lang, key)
    assert fmt.money_heading("价格", Currency.CNY, "zh") == "价格（元）"
    assert fmt.money_heading("Price", Currency.GBP, "en") == "Price (£)"


def test_price_placeholder_carries_the_currency() -> None:
    plan = Plan()
    plan.lifecycle.conversion_ladder = [ConversionTier(name="10K plan", price=39)]
    rule = SopRule(script="{offer} ({price})")
    assert sop.fill_script(rule, plan, 0, lang="en") == "10K plan (39 yuan)"  # a plan is in yuan unless set
    plan.meta.currency = Currency.GBP
    assert sop.fill_script(rule, plan, 0, lang="en") == "10K plan (£39)"
    default = next(r for r in sop.default_rules(plan, "zh") if "{price}" in r.script)
    assert "（£39）" in sop.fill_script(default, plan, 0, lang="zh")


def test_the_english_example_is_priced_in_pounds_everywhere() -> None:
    plan = load_example("first_5k_club")
    assert plan.meta.currency == Currency.GBP
    text = render(build_document(plan, "en", charts=False), "md").decode("utf-8")
    assert "Price (£)" in text and "£15" in text  # the ladder's heading and the structure's fee
    assert "yuan" not in text.lower() and "元" not in text and "¥" not in text
    summary = " ".join(f"{label} {value}" for section in one_page(plan, "en") for label, value in section.lines)
    assert "£15" in summary and "¥" not in summary and "yuan" not in summary


def test_chinese_examples_stay_in_yuan() -> None:
    plan = load_example("early_rise_camp")
    assert plan.meta.currency == Currency.CNY
    text = render(build_document(plan, "zh", charts=False), "md").decode("utf-8")
    assert "价格（元）" in text
