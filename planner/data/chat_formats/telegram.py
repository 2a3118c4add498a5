"""Telegram Desktop `result.json`: one chat (`{"name", "type", "id", "messages"}`) or a full export
whose chats sit under `chats.list` (and `left_chats.list`); then every chat is listed in
`ChatLoadResult.chats` and one is loaded — the one asked for, else the busiest group — or, asked for
`ALL_CHATS`, every group chat, each tagged with its name as its group (the group comparison).

Messages: `type` "message" or "service"; `date` is local time without offset; `from_id` ("user123")
identifies the sender; `text` is a string or a list of strings and `{type, text}` pieces. Service
messages carry `action`: invite_members (+ members by name), join_group_by_link, join_group_by_request
(the actor joined), remove_members (+ members by name)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Any

import pandas as pd

from models.problems import Problem
from planner.data.chat_formats._common import (
    INVITE,
    JOIN,
    LINK,
    MAX_PROBLEMS,
    REMOVE,
    REQUEST,
    SELF_ID,
    ChatInfo,
    ChatLoadResult,
    Membership,
    assemble,
    bad_field,
    bad_structure,
    keyword_regex,
    load_json,
    matches_any,
    message_frame,
    out_of_range,
    plausible,
    unreadable,
)
from planner.data.frames import merge

SLUG = "telegram"
ALL_CHATS = "*"  # the `chat` option that loads every group chat, each as a group of its own
GROUP_TYPES = ("private_group", "private_supergroup", "public_supergroup", "public_channel", "private_channel")
# Any value: a file whose "messages" is no list is still this format, and its reader says what is wrong.
_MESSAGES = re.compile(rb'"messages"\s*:')
# The kinds of value each message field may hold (null is always allowed: deleted accounts have no name).
# A message with anything else is reported and skipped, so no str() of a dict becomes a member id.
_FIELDS: dict[str, type | tuple[type, ...]] = {
    "type": str,
    "date": str,
    "date_unixtime": (str, int),
    "from": str,
    "from_id": (str, int),
    "text": (str, list),
    "action": str,
    "actor": str,
    "actor_id": (str, int),
    "members": list,
}


def sniff(name: str, data: bytes) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and _MESSAGES.search(data) is not None


def text_of(value: Any) -> str | None:
    """The plain text of a message: a string, or a list of strings and `{type, text}` pieces (one level:
    Telegram never nests them). None when it is anything else."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        return None
    parts = []
    for piece in value:
        text = piece.get("text", "") if isinstance(piece, dict) else piece
        if not isinstance(text, str):
            return None
        parts.append(text)
    return "".join(parts)


def _wrong_field(message: dict[str, Any]) -> str | None:
    """The first field of a message whose value has the wrong kind, else None."""
    for field, kinds in _FIELDS.items():
        value = message.get(field)
        if value is not None and (not isinstance(value, kinds) or isinstance(value, bool)):
            return field
    if "text" in message and message["text"] is not None and text_of(message["text"]) is None:
        return "text"
    if any(not isinstance(member, str | None) for member in message.get("members") or []):
        return "members"
    return None


def _time(message: dict[str, Any]) -> pd.Timestamp | None:
    date = message.get("date")
    try:
        if date:
            stamp = pd.Timestamp(str(date))
            return stamp.tz_localize(None) if stamp.tz else stamp
        unix = message.get("date_unixtime")
        if unix:  # no local date: the machine's local time zone is the best guess
            return pd.Timestamp(datetime.fromtimestamp(int(unix)))
    except (ValueError, TypeError, OverflowError, OSError):
        return None
    return None


Chat = tuple[ChatInfo, list[Any], str]  # what the page lists, the raw messages, the file they came from


def _chats(name: str, export: dict[str, Any], problems: list[Problem]) -> list[Chat]:
    """The chats of one export; parts that are not what the format has are reported in `problems`."""

    def info(chat: dict[str, Any], messages: list[Any]) -> Chat:
        chat_id = str(chat.get("id", name))
        return ChatInfo(
            id=chat_id, name=str(chat.get("name") or chat_id), type=str(chat.get("type", "")), messages=len(messages)
        ), messages, name

    if "messages" in export:
        if isinstance(export["messages"], list):
            return [info(export, export["messages"])]
        problems.append(bad_structure(name, "messages"))
        return []
    found: list[Chat] = []
    for section in ("chats", "left_chats"):
        listing = export.get(section)
        if listing is None:
            continue
        if not isinstance(listing, dict) or not isinstance(listing.get("list"), list):
            problems.append(bad_structure(name, f"{section}.list"))
            continue
        for number, chat in enumerate(listing["list"], start=1):
            if not isinstance(chat, dict) or not isinstance(chat.get("messages", []), list):
                problems.append(bad_structure(name, f"{section}.list.{number}"))
            else:
                found.append(info(chat, chat.get("messages", [])))
    if not found and not problems:
        problems.append(unreadable(name))
    return found


def read(
    files: list[tuple[str, bytes]], *, keywords: list[str], keep_self: bool, chat: str | None = None
) -> ChatLoadResult:
    chats: list[Chat] = []
    problems: list[Problem] = []
    self_id = SELF_ID
    for name, data in files:
        export, problem = load_json(name, data)
        if problem is not None or not isinstance(export, dict):
            problems.append(problem or unreadable(name))
            continue
        personal = export.get("personal_information")
        if isinstance(personal, dict) and isinstance(personal.get("user_id"), str | int) and personal["user_id"]:
            self_id = f"user{personal['user_id']}"
        chats += _chats(name, export, problems)
    if not chats:
        return ChatLoadResult(format=SLUG, problems=problems)
    pattern = keyword_regex(keywords)
    if chat == ALL_CHATS:
        return _every_group(chats, pattern, keep_self, self_id, problems)
    chosen = next((c for c in chats if c[0].id == chat), None) or max(
        chats, key=lambda c: (c[0].type in GROUP_TYPES, c[0].messages)
    )
    info = chosen[0]
    result = _one_chat(chosen, pattern, keep_self, self_id, problems)
    result.chats = [c[0] for c in chats] if len(chats) > 1 else []
    result.chat_id, result.chat_name = info.id, info.name
    return result


def compared_chats(chats: list[ChatInfo]) -> list[ChatInfo]:
    """The chats `ALL_CHATS` loads side by side: the group chats, or every chat when none is a group."""
    groups = [c for c in chats if c.type in GROUP_TYPES]
    return groups or list(chats)


def group_labels(chats: list[ChatInfo]) -> dict[str, str]:
    """Each chat's group label by id: its name, with the id added where two chats share a name."""
    names = Counter(c.name for c in chats)
    return {c.id: c.name if names[c.name] == 1 else f"{c.name} ({c.id})" for c in chats}


def _every_group(chats: list[Chat], pattern: str | None, keep_self: bool, self_id: str,
                 problems: list[Problem]) -> ChatLoadResult:
    """Every group chat of a full export, each tagged with its own group (planner.data.groups compares them)."""
    picked = {c.id for c in compared_chats([c[0] for c in chats])}
    chosen = [c for c in chats if c[0].id in picked]
    labels = group_labels([c[0] for c in chosen])
    parts: list[ChatLoadResult] = []
    for one in chosen:
        part = _one_chat(one, pattern, keep_self, self_id, [])
        if part.activity is not None:
            part.activity = part.activity.assign(group=pd.Categorical([labels[one[0].id]] * len(part.activity)))
        parts.append(part)
    merged = merge(parts, into=ChatLoadResult())
    merged.format = SLUG
    merged.problems = problems + [p for part in parts for p in part.problems]
    merged.chats = [c[0] for c in chats]
    merged.chat_id, merged.chat_name = ALL_CHATS, ""
    return merged


def _one_chat(chosen: Chat, pattern: str | None, keep_self: bool, self_id: str,
              problems: list[Problem]) -> ChatLoadResult:
    """One chat's messages and joins as a load result (its bad messages reported in `problems`)."""
    _info, raw, file = chosen

    rows: list[tuple[str, str, pd.Timestamp, bool]] = []
    membership: list[Membership] = []
    bad_rows = 0

    def bad(problem: Problem) -> None:
        nonlocal bad_rows
        bad_rows += 1
        if len(problems) < MAX_PROBLEMS:
            problems.append(problem)

    for number, message in enumerate(raw, start=1):  # `row`: the message's place in the chat's list
        if not isinstance(message, dict):
            bad(bad_field(file, number, "messages"))
            continue
        field = _wrong_field(message)
        if field is not None:
            bad(bad_field(file, number, field))
            continue
        time = _time(message)
        if time is None:
            bad(Problem(key="chat.problem.bad_time", params={"value": str(message.get("date"))[:40]}, file=file,
                        row=number, column="date"))
            continue
        if not plausible(time):
            bad(out_of_range(file, number, "date", message.get("date") or message.get("date_unixtime")))
            continue
        if message.get("type") == "message":
            member = str(message.get("from_id") or "")
            if member:
                rows.append((member, message.get("from") or "", time,
                             matches_any(text_of(message.get("text")) or "", pattern)))
            continue
        action = message.get("action")
        actor_id, actor = str(message.get("actor_id") or ""), message.get("actor") or ""
        named = [n for n in message.get("members") or [] if n]  # null: a deleted account
        if action == "invite_members":
            membership += [Membership(time, JOIN, name=n, channel=INVITE) for n in named]
        elif action in ("join_group_by_link", "join_group_by_request") and actor_id:
            membership.append(
                Membership(
                    time,
                    JOIN,
                    member_id=actor_id,
                    name=actor,
                    channel=LINK if action == "join_group_by_link" else REQUEST,
                )
            )
        elif action == "remove_members":
            membership += [Membership(time, REMOVE, name=n) for n in named]

    frame = pd.DataFrame(rows, columns=["member_id", "nickname", "time", "checkin"])
    is_self = frame["member_id"] == self_id
    messages = message_frame(frame["member_id"], frame["nickname"], frame["time"], frame["checkin"], is_self)
    return assemble(
        SLUG, messages, membership, keep_self=keep_self, self_id=self_id, problems=problems, bad_rows=bad_rows
    )
