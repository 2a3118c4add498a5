"""Chat exports operators already have, recognised on upload and mapped to the canonical frames of
planner/data/frames.py (see /work/shared/DATA-FORMATS.md for the formats).

`detect(files, checkin_keywords=…)` is the hook planner.data.ingest calls first: it returns None when no
file is a chat export (then the generic column mapping takes over), else a `ChatLoadResult`:
- activity: 发言 per ordinary message, 打卡 when its text holds a check-in keyword, 加入 / 移出 from
  join and removal system messages; other system messages are not activity;
- members: every member seen, latest nickname, join_date / channel from their first join;
- daily: 企业微信 daily group statistics.
Message text is read once to derive the action and never kept. Files that are no chat export are
named in `ChatLoadResult.unrecognised` (and `sniff` tells them apart beforehand).
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pandas as pd

from models.plan import DataSettings
from models.problems import Problem
from planner import i18n
from planner.data.chat_formats import discord, pywxdump, qq, telegram, wechat_liuhen_v1, wechat_memotrace_v2, wecom
from planner.data.chat_formats._common import ChatInfo, ChatLoadResult
from planner.data.frames import JOIN, NON_ACTIVITY, LoadResult, format_label, merge

# Order matters only where headers could overlap: the exact chat headers first, loose WeCom last.
READERS: tuple[ModuleType, ...] = (wechat_liuhen_v1, wechat_memotrace_v2, pywxdump, discord, telegram, qq, wecom)
FORMATS: tuple[str, ...] = tuple(reader.SLUG for reader in READERS)

__all__ = ["FORMATS", "ChatInfo", "ChatLoadResult", "describe", "detect", "sniff"]


def sniff(name: str, data: bytes) -> str | None:
    """The format slug of one file, or None when it is no chat export this package reads."""
    if not data:
        return None
    # Each sniffer answers False for input it cannot decode or parse; an exception here is a bug.
    return next((reader.SLUG for reader in READERS if reader.sniff(name, data)), None)


def detect(
    files: list[tuple[str, bytes]],
    *,
    checkin_keywords: list[str] | None = None,
    keep_self: bool = True,
    chat: str | None = None,
) -> ChatLoadResult | None:
    """Read every chat export among `files` (name, bytes); None when there is none.

    `keep_self=False` leaves the exporting account out; `chat` picks a chat of a multi-chat export
    (see `ChatLoadResult.chats`); `checkin_keywords` defaults to the plan's default keywords."""
    keywords = list(DataSettings().checkin_keywords if checkin_keywords is None else checkin_keywords)
    groups: dict[str, list[tuple[str, bytes]]] = {}
    unrecognised: list[str] = []
    for name, data in files:
        slug = sniff(name, data)
        if slug is None:
            unrecognised.append(name)
        else:
            groups.setdefault(slug, []).append((name, data))
    if not groups:
        return None
    results = []
    for reader in READERS:
        if reader.SLUG in groups:
            options = {"chat": chat} if reader is telegram else {}
            results.append(reader.read(groups[reader.SLUG], keywords=keywords, keep_self=keep_self, **options))
    result = results[0] if len(results) == 1 else _merge(results)
    result.unrecognised = unrecognised
    result.problems += [Problem(key="chat.problem.not_chat_export", file=name) for name in unrecognised]
    return result


def _merge(results: list[ChatLoadResult]) -> ChatLoadResult:
    """Several formats in one upload (e.g. WeCom statistics next to a WeChat export): one result."""
    picked = next((r for r in results if r.chats or r.chat_name), None)
    into = ChatLoadResult(chats=picked.chats, chat_id=picked.chat_id, chat_name=picked.chat_name) if picked else None
    return merge(results, into=into if into is not None else ChatLoadResult())


def _day(value: pd.Timestamp) -> str:
    return value.strftime("%Y-%m-%d")


def describe(result: LoadResult, lang: str = i18n.DEFAULT_LANG, escape: Callable[[str], str] = str) -> str:
    """One line saying what was recognised, e.g. "WeChat export (MemoTrace v1): 12,345 messages, 320
    members, 41 joins, 2026-03-01 – 2026-05-31". `escape` is applied to the chat's name (user text)."""
    label = format_label(result.format, lang)
    chat_name = getattr(result, "chat_name", "")
    if chat_name:
        label += i18n.t("chat.summary.chat", lang, name=escape(chat_name))
    parts: list[str] = []
    activity, members, daily = result.activity, result.members, result.daily
    if activity is not None and not activity.empty:
        messages = int((~activity["action"].isin(NON_ACTIVITY)).sum())
        member_count = len(members) if members is not None else activity["member_id"].nunique()
        parts.append(
            i18n.t(
                "chat.summary.activity",
                lang,
                messages=f"{messages:,}",
                members=f"{member_count:,}",
                joins=f"{int((activity['action'] == JOIN).sum()):,}",
                start=_day(activity["time"].min()),
                end=_day(activity["time"].max()),
            )
        )
    elif members is not None and not members.empty:
        parts.append(
            i18n.t(
                "chat.summary.members",
                lang,
                members=f"{len(members):,}",
                joins=f"{int(members['join_date'].notna().sum()):,}",
            )
        )
    if daily is not None and not daily.empty:
        parts.append(
            i18n.t(
                "chat.summary.daily",
                lang,
                days=f"{len(daily):,}",
                start=_day(daily["date"].min()),
                end=_day(daily["date"].max()),
            )
        )
    if not parts:
        parts.append(i18n.t("chat.summary.empty", lang))
    return label + i18n.t("chat.sep.label", lang) + i18n.t("chat.sep.parts", lang).join(parts)
