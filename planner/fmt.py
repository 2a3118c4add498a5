"""Formatting shared by pages, the CLI and exports."""

from __future__ import annotations

from datetime import datetime

from models.enums import Currency
from planner import i18n


def local_time(moment: datetime, seconds: bool = False) -> str:
    """A stored UTC time as the machine's local time, e.g. `2026-11-23 15:04`."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


# --- money: every price and fee is shown through these two, in the plan's currency (meta.currency) ---
def money(amount: float, currency: Currency | str, lang: str) -> str:
    """An amount as read in `lang`: "199 元", "199 yuan", "£39", "$9.9"."""
    number = str(int(amount)) if float(amount).is_integer() else f"{amount:.2f}".rstrip("0").rstrip(".")
    return i18n.t(f"money.amount.{Currency(currency).value}", lang, amount=number)


def money_unit(currency: Currency | str, lang: str) -> str:
    """The unit put in a column heading or a label: 元, yuan, £ …"""
    return i18n.t(f"money.unit.{Currency(currency).value}", lang)


def money_heading(label: str, currency: Currency | str, lang: str) -> str:
    """A heading or label for amounts: 价格（元）, Price (£)."""
    return i18n.t("money.heading", lang, label=label, unit=money_unit(currency, lang))
