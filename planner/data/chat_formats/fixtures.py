"""Made-up chat exports for tests and benchmarks (no real people's data).

A scenario is a list of neutral events — `Say` (an ordinary message), `Joined`, `Removed`, `Notice`
(another system message) — that each renderer writes in its own format, so one hand-checked scenario
exercises every reader. `liuhen_v1_big` writes a large 留痕 v1 export quickly for the benchmark."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from planner.data.chat_formats._common import INVITE, LINK, QR_CODE, YOU


@dataclass(frozen=True)
class Say:
    time: datetime
    member: str  # the export's id for the sender (wxid, user id …)
    name: str
    text: str
    is_self: bool = False
    kind: str = "text"  # "text" or "image"


@dataclass(frozen=True)
class Joined:
    time: datetime
    names: tuple[str, ...]
    ids: tuple[str, ...]
    via: str = INVITE  # INVITE, QR_CODE or LINK
    by: str = YOU  # the inviter's name; YOU is the exporting account


@dataclass(frozen=True)
class Removed:
    time: datetime
    names: tuple[str, ...]
    ids: tuple[str, ...]
    by: str = YOU


@dataclass(frozen=True)
class Notice:
    time: datetime
    text: str


Event = Say | Joined | Removed | Notice
SELF_WXID = "wxid_me0001"


def sample_scenario() -> list[Event]:
    """Eight members over three days; the figures the tests expect are written out beside them."""
    day = datetime(2026, 3, 1, 8, 0, 0)
    t = [day + timedelta(minutes=7 * i) for i in range(40)]
    return [
        Say(t[0], "wxid_a", "张三", "大家早上好"),  # 1
        Say(t[1], "wxid_b", "李四", "打卡第1天"),  # 2  check-in
        Notice(t[2], '"张三"撤回了一条消息'),
        Joined(t[3], ("王五",), ("wxid_c",), INVITE, "张三"),
        Say(t[4], "wxid_c", "王五", "新人报到，今天签到"),  # 3  check-in
        Joined(t[5], ("赵六", "孙七"), ("wxid_d", "wxid_e"), QR_CODE, "李四"),
        Say(t[6], SELF_WXID, "群主", "欢迎新朋友", is_self=True),  # 4  exporting account
        Say(t[7], "wxid_d", "赵六", "", kind="image"),  # 5
        Joined(t[8], ("周八",), ("wxid_f",), LINK, "张三"),
        Say(t[9] + timedelta(days=1), "wxid_b", "小李", "Check-in day 2"),  # 6  check-in, renamed
        Say(t[10] + timedelta(days=1), "wxid_f", "周八", "hello"),  # 7
        Joined(t[11] + timedelta(days=1), ("吴九",), ("wxid_g",), INVITE, YOU),
        Removed(t[12] + timedelta(days=2), ("周八",), ("wxid_f",)),
        Say(t[13] + timedelta(days=2), SELF_WXID, "群主", "今天打卡的同学很棒", is_self=True),  # 8  self check-in
        Say(t[14] + timedelta(days=2), "wxid_a", "张三", "收到"),  # 9
    ]


# --- WeChat system message texts ----------------------------------------------------------------------
def _quoted(name: str) -> str:
    return YOU if name == YOU else f'"{name}"'


def wechat_system_text(event: Joined | Removed) -> str:
    names = '"' + "、".join(event.names) + '"'
    by = _quoted(event.by)
    if isinstance(event, Removed):
        return f"{by}将{names}移出了群聊"
    if event.via == QR_CODE:
        return f"{names}通过扫描{by}分享的二维码加入群聊"
    if event.via == LINK:
        return f"{names}通过{by}分享的链接加入群聊"
    return f"{by}邀请{names}加入了群聊"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _csv(header: list[str], rows: list[list[object]], bom: bool, quote_all: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8")


def _system_text(event: Event) -> str:
    return event.text if isinstance(event, Notice) else wechat_system_text(event)  # type: ignore[arg-type]


# --- 留痕 v1 -------------------------------------------------------------------------------------------
V1_HEADER = "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender"


def liuhen_v1_csv(events: list[Event]) -> bytes:
    rows: list[list[object]] = []
    for i, event in enumerate(events, start=1000):
        unix = int(event.time.timestamp())
        if isinstance(event, Say):
            kind = 1 if event.kind == "text" else 3
            text = event.text if kind == 1 else "<msg><img/></msg>"
            rows.append(
                [i, 7, kind, 0, int(event.is_self), unix, 2, text, _stamp(event.time), "", event.name, event.member]
            )
        else:
            rows.append([i, 7, 10000, 0, 0, unix, 2, _system_text(event), _stamp(event.time), "", "", ""])
    return _csv(V1_HEADER.split(","), rows, bom=True)


def liuhen_v1_big(n_messages: int, n_members: int = 2000, days: int = 92, seed: int = 7) -> bytes:
    """A large 留痕 v1 export, written with vectorised pandas (about 1 % joins, 5 % check-ins)."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2026-03-01")
    offsets = np.sort(rng.integers(0, days * 86400, n_messages))
    times = start + pd.to_timedelta(offsets, unit="s")
    member = rng.zipf(1.6, n_messages) % n_members
    is_join = rng.random(n_messages) < 0.01
    is_checkin = rng.random(n_messages) < 0.05
    wxid = pd.Series(member).map(lambda m: f"wxid_{m:06d}")
    name = pd.Series(member).map(lambda m: f"成员{m}")
    text = np.where(is_checkin, "打卡第N天，今天读了三十页", "这是一条普通的聊天消息，内容无关紧要")
    text = np.where(is_join, '"' + name + '"通过扫描"群主"分享的二维码加入群聊', text)
    frame = pd.DataFrame(
        {
            "localId": np.arange(1, n_messages + 1),
            "TalkerId": 7,
            "Type": np.where(is_join, 10000, 1),
            "SubType": 0,
            "IsSender": (member == 0).astype(int),
            "CreateTime": (times.asi8 // 10**9) - 8 * 3600,
            "Status": 2,
            "StrContent": text,
            "StrTime": times.strftime("%Y-%m-%d %H:%M:%S"),
            "Remark": "",
            "NickName": np.where(is_join, "", name),
            "Sender": np.where(is_join, "", wxid),
        }
    )
    return b"\xef\xbb\xbf" + frame.to_csv(index=False).encode("utf-8")


# --- 留痕 MemoTrace v2 ---------------------------------------------------------------------------------
V2_HEADER = ["消息ID", "类型", "发送人", "时间", "内容", "备注", "昵称", "更多信息"]


def _v2_rows(events: list[Event], sender_as_name: bool = False) -> list[list[object]]:
    rows: list[list[object]] = []
    for i, event in enumerate(events, start=1):
        if isinstance(event, Say):
            sender = "我" if event.is_self else (event.name if sender_as_name else event.member)
            kind = "文本" if event.kind == "text" else "图片"
            rows.append(
                [i, kind, sender, _stamp(event.time), event.text if kind == "文本" else "[图片]", "", event.name, ""]
            )
        else:
            rows.append([i, "系统消息", "", _stamp(event.time), _system_text(event), "", "", ""])
    return rows


def memotrace_v2_csv(events: list[Event]) -> bytes:
    return _csv(V2_HEADER, _v2_rows(events), bom=True)


def memotrace_v2_xlsx(events: list[Event], members: list[tuple[str, str]]) -> bytes:
    """The XLSX export: messages (senders given by name) and the 成员信息 sheet (wxid, name)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame(_v2_rows(events), columns=V2_HEADER).to_excel(writer, sheet_name="聊天记录", index=False)
        sheet = pd.DataFrame(
            [[wxid, f"id_{wxid[-4:]}", "群成员", name, name] for wxid, name in members],
            columns=["wxid", "微信号", "类型", "群昵称", "昵称"],
        )
        sheet.to_excel(writer, sheet_name="成员信息", index=False)
    return buffer.getvalue()


# --- PyWxDump -----------------------------------------------------------------------------------------
PYWXDUMP_HEADER = ["id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name", "msg", "src", "CreateTime"]


def pywxdump_parts(events: list[Event], rows_per_part: int = 5000, overlap: int = 0) -> list[tuple[str, bytes]]:
    """The CSV split into parts; `overlap` repeats that many rows at the start of each next part."""
    rows: list[list[object]] = []
    for i, event in enumerate(events, start=1):
        server_id = 7_000_000_000 + i
        if isinstance(event, Say):
            kind = "文本" if event.kind == "text" else "图片"
            talker = "我" if event.is_self else event.member
            rows.append(
                [
                    i,
                    server_id,
                    kind,
                    int(event.is_self),
                    talker,
                    "12345@chatroom",
                    event.text if kind == "文本" else "图片",
                    "",
                    _stamp(event.time),
                ]
            )
        else:
            kind = "系统通知"
            rows.append([i, server_id, kind, 0, "", "12345@chatroom", _system_text(event), "", _stamp(event.time)])
    parts = []
    for number, start in enumerate(range(0, len(rows), rows_per_part)):
        chunk = rows[max(0, start - overlap) : start + rows_per_part]
        parts.append((f"12345@chatroom_{number}.csv", _csv(PYWXDUMP_HEADER, chunk, bom=False)))
    return parts


# --- Telegram -----------------------------------------------------------------------------------------
def telegram_messages(events: list[Event], ids: dict[str, str], pieces: bool = False) -> list[dict[str, object]]:
    """Telegram messages; `ids` maps the scenario's member ids to Telegram from_ids."""
    out: list[dict[str, object]] = []
    for i, event in enumerate(events, start=1):
        base: dict[str, object] = {
            "id": i,
            "date": event.time.strftime("%Y-%m-%dT%H:%M:%S"),
            "date_unixtime": str(int(event.time.timestamp())),
        }
        if isinstance(event, Say):
            text: object = event.text
            if pieces and event.text:
                half = len(event.text) // 2
                text = [event.text[:half], {"type": "bold", "text": event.text[half:]}]
            if event.kind != "text":
                text = ""
                base["photo"] = "photos/photo.jpg"
            out.append(
                {
                    **base,
                    "type": "message",
                    "from": event.name,
                    "from_id": ids[event.member],
                    "text": text,
                    "text_entities": [],
                }
            )
        elif isinstance(event, Joined) and event.via == INVITE:
            out.append(
                {
                    **base,
                    "type": "service",
                    "actor": event.by,
                    "actor_id": "user1",
                    "action": "invite_members",
                    "members": list(event.names),
                    "text": "",
                }
            )
        elif isinstance(event, Joined):
            action = "join_group_by_link" if event.via == LINK else "join_group_by_request"
            out += [
                {
                    **base,
                    "type": "service",
                    "actor": name,
                    "actor_id": ids[member],
                    "action": action,
                    "inviter": event.by,
                    "text": "",
                }
                for name, member in zip(event.names, event.ids, strict=True)
            ]
        elif isinstance(event, Removed):
            out.append(
                {
                    **base,
                    "type": "service",
                    "actor": "群主",
                    "actor_id": ids[SELF_WXID],
                    "action": "remove_members",
                    "members": list(event.names),
                    "text": "",
                }
            )
        else:
            out.append(
                {**base, "type": "service", "actor": "张三", "actor_id": "user1", "action": "pin_message", "text": ""}
            )
    return out


def telegram_ids(events: list[Event]) -> dict[str, str]:
    members = sorted(
        {e.member for e in events if isinstance(e, Say)}
        | {m for e in events if isinstance(e, Joined | Removed) for m in e.ids}
    )
    return {member: f"user{100 + i}" for i, member in enumerate(members)}


def telegram_chat(events: list[Event], pieces: bool = False, name: str = "读书会", chat_id: int = 42) -> dict:
    return {
        "name": name,
        "type": "private_supergroup",
        "id": chat_id,
        "messages": telegram_messages(events, telegram_ids(events), pieces),
    }


def telegram_json(events: list[Event], pieces: bool = False) -> bytes:
    return json.dumps(telegram_chat(events, pieces), ensure_ascii=False, indent=1).encode("utf-8")


def telegram_full_json(chats: list[dict], self_member: str | None = None) -> bytes:
    export = {"about": "made up", "chats": {"about": "", "list": chats}}
    if self_member:
        export["personal_information"] = {"user_id": int(self_member.removeprefix("user")), "first_name": "Me"}
    return json.dumps(export, ensure_ascii=False).encode("utf-8")


# --- Discord ------------------------------------------------------------------------------------------
def discord_csv(events: list[Event], old_dates: bool = False) -> bytes:
    ids = {m: str(900000000000000000 + i) for i, m in enumerate(sorted(telegram_ids(events)))}

    def when(moment: datetime) -> str:
        if old_dates:
            return moment.strftime("%m/%d/%Y %I:%M %p")
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + ".0000000+08:00"

    rows: list[list[object]] = []
    for event in events:
        if isinstance(event, Say):
            rows.append(
                [
                    ids[event.member],
                    event.name,
                    when(event.time),
                    event.text if event.kind == "text" else "",
                    "" if event.kind == "text" else "a.png",
                    "",
                ]
            )
        elif isinstance(event, Joined):
            rows += [
                [ids[m], n, when(event.time), "Joined the server.", "", ""]
                for n, m in zip(event.names, event.ids, strict=True)
            ]
        elif isinstance(event, Notice):
            rows.append([ids["wxid_a"], "张三", when(event.time), "Pinned a message.", "", ""])
    return _csv(["AuthorID", "Author", "Date", "Content", "Attachments", "Reactions"], rows, bom=False, quote_all=True)


# --- QQ -----------------------------------------------------------------------------------------------
def qq_txt(events: list[Event], encoding: str = "utf-8") -> bytes:
    numbers = {m: str(10000001 + i) for i, m in enumerate(sorted(telegram_ids(events)))}
    lines = [
        "消息记录（此消息记录为文本格式，不支持重新导入）",
        "",
        "=" * 64,
        "消息分组:我的QQ群",
        "=" * 64,
        "消息对象:读书会",
        "=" * 64,
        "",
    ]
    for event in events:
        stamp = _stamp(event.time)
        if isinstance(event, Say):
            prefix = "【管理员】" if event.is_self else ""
            lines += [f"{stamp} {prefix}{event.name}({numbers[event.member]})", event.text or "[图片]", ""]
            continue
        if isinstance(event, Joined):
            names = "、".join(event.names)
            invited = event.via == INVITE and event.by != YOU
            text = f"{event.by}邀请{names}加入了本群。" if invited else f"{names}加入本群。"
        elif isinstance(event, Removed):
            text = "、".join(event.names) + "被管理员移出本群。"
        else:
            text = "张三撤回了一条消息"
        lines += [f"{stamp} 系统消息(10000)", text, ""]
    return "\r\n".join(lines).encode(encoding)


# --- 企业微信 ------------------------------------------------------------------------------------------
def wecom_daily_api(days: int = 3, start: str = "2026-03-01") -> bytes:
    """`groupchat/statistic_group_by_day` answer: stat_time is 00:00 China time (UTC+8)."""
    first = int((pd.Timestamp(start) - pd.Timedelta(hours=8)).timestamp())
    items = [
        {
            "stat_time": first + 86400 * d,
            "data": {
                "new_chat_cnt": 0,
                "chat_total": 2,
                "chat_has_msg": 1,
                "new_member_cnt": 3 + d,
                "member_total": 100 + 3 * d,
                "member_has_msg": 20 + d,
                "msg_total": 150 + 10 * d,
            },
        }
        for d in range(days)
    ]
    return json.dumps({"errcode": 0, "errmsg": "ok", "items": items}).encode("utf-8")


def wecom_member_list() -> bytes:
    base = int((pd.Timestamp("2026-03-01 09:30") - pd.Timedelta(hours=8)).timestamp())
    members = [
        {
            "userid": "zhangsan",
            "type": 1,
            "join_time": base,
            "join_scene": 1,
            "group_nickname": "管理员张三",
            "name": "张三",
        },
        {
            "userid": "wmABC001",
            "type": 2,
            "join_time": base + 86400,
            "join_scene": 3,
            "invitor": {"userid": "zhangsan"},
            "group_nickname": "",
            "name": "李四",
        },
        {
            "userid": "wmABC002",
            "type": 2,
            "join_time": base + 2 * 86400 + 20 * 3600,
            "join_scene": 2,
            "invitor": {"userid": "zhangsan"},
            "group_nickname": "小王",
            "name": "王五",
        },
    ]
    chat = {
        "chat_id": "wrOgQh",
        "name": "读书会",
        "owner": "zhangsan",
        "create_time": base,
        "member_list": members,
        "admin_list": [{"userid": "zhangsan"}],
    }
    return json.dumps({"errcode": 0, "errmsg": "ok", "group_chat": chat}, ensure_ascii=False).encode("utf-8")
