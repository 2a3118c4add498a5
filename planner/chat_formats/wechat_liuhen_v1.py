"""留痕 / WeChatMsg v1 (WeChat 3.x) CSV: one file per chat, UTF-8 with BOM.

`Sender` is the sender's wxid in groups, `NickName` / `Remark` their names, `IsSender=1` the exporting
account, `StrTime` local time; `Type` 10000 is a system message (joins, removals, recalls …)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from planner.chat_formats._common import (
    SELF_ID,
    WECHAT_TIMES,
    ChatLoadResult,
    arrow_contains_any,
    arrow_times,
    assemble,
    empty_messages,
    first_line,
    message_frame,
    most_common,
    read_parts,
    wechat_membership,
)

SLUG = "wechat_liuhen_v1"
HEADER = "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender"
COLUMNS = ("TalkerId", "Type", "IsSender", "StrContent", "StrTime", "Remark", "NickName", "Sender")
SYSTEM = "10000"
TEXT_TYPES = ("1", "49")  # text and link / quote: the kinds whose text can carry a check-in keyword


def sniff(name: str, data: bytes) -> bool:
    return first_line(data).replace('"', "").startswith(HEADER[:40])


def read(files: list[tuple[str, bytes]], *, keywords: list[str], keep_self: bool) -> ChatLoadResult:
    tables, problems, bad_rows = read_parts(files, COLUMNS, "StrTime", lambda texts: arrow_times(texts, WECHAT_TIMES))
    if not tables:
        return ChatLoadResult(format=SLUG, problems=problems, bad_rows=bad_rows)
    table = pa.concat_tables(tables)

    is_system = pc.equal(table["Type"], SYSTEM)
    system = table.filter(is_system)
    membership = wechat_membership(zip(system["time"].to_pandas(), system["StrContent"].to_pylist(), strict=True))

    msgs = table.filter(pc.invert(is_system))
    if msgs.num_rows == 0:
        return assemble(SLUG, empty_messages(), membership, keep_self=keep_self, problems=problems, bad_rows=bad_rows)
    is_self = pc.equal(msgs["IsSender"], "1")
    sender = msgs["Sender"]
    # Outside groups `Sender` is empty: the chat partner is the talker.
    member = pc.if_else(pc.equal(sender, ""), pc.binary_join_element_wise("talker-", msgs["TalkerId"], ""), sender)
    nickname = pc.if_else(pc.equal(msgs["NickName"], ""), msgs["Remark"], msgs["NickName"])
    checkin = pc.and_(pc.is_in(msgs["Type"], pa.array(TEXT_TYPES)), arrow_contains_any(msgs["StrContent"], keywords))
    self_id = most_common(pc.filter(sender, is_self)) or SELF_ID
    messages = message_frame(member, nickname, msgs["time"], checkin, is_self)
    return assemble(
        SLUG, messages, membership, keep_self=keep_self, self_id=self_id, problems=problems, bad_rows=bad_rows
    )
