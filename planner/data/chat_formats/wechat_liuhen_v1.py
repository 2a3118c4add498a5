"""留痕 / WeChatMsg v1 (WeChat 3.x) CSV: one file per chat, UTF-8 with BOM.

`Sender` is the sender's wxid in groups, `NickName` / `Remark` their names, `IsSender=1` the exporting
account, `StrTime` local time; `Type` 10000 is a system message (joins, removals, recalls …)."""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from planner.data.chat_formats._common import (
    SELF_ID,
    WECHAT_TIMES,
    ChatLoadResult,
    arrow_contains_any,
    arrow_times,
    assemble,
    empty_messages,
    first_line,
    in_background,
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


def _fill_empty(values: pa.ChunkedArray, fallback: Callable[[], pa.ChunkedArray], rows: pa.ChunkedArray
                ) -> pa.ChunkedArray:
    """`values` with empty cells among `rows` taken from `fallback` (built, and the column copied, only
    when such a cell exists: system messages, which are dropped anyway, do not count)."""
    empty = pc.and_(pc.equal(values, ""), rows)
    return pc.if_else(empty, fallback(), values) if pc.any(empty).as_py() else values


def read(files: list[tuple[str, bytes]], *, keywords: list[str], keep_self: bool) -> ChatLoadResult:
    tables, problems, bad_rows = read_parts(files, COLUMNS, "StrTime", lambda texts: arrow_times(texts, WECHAT_TIMES))
    if not tables:
        return ChatLoadResult(format=SLUG, problems=problems, bad_rows=bad_rows)
    table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]

    is_system = pc.equal(table["Type"], SYSTEM)
    # The keyword search over every message is the longest single step: it runs in the background (arrow
    # lets go of the GIL) while Python reads the system messages.
    is_text = pc.is_in(table["Type"], pa.array(TEXT_TYPES))
    checkin_job = in_background(lambda: pc.and_(is_text, arrow_contains_any(table["StrContent"], keywords)),
                                table.num_rows)
    system = table.filter(is_system)
    membership = wechat_membership(zip(system["time"].to_pandas(), system["StrContent"].to_pylist(), strict=True))
    if system.num_rows == table.num_rows:
        return assemble(SLUG, empty_messages(), membership, keep_self=keep_self, problems=problems, bad_rows=bad_rows)

    # Everything below works on whole columns; only the narrow message frame is filtered at the end, so
    # the message text (the widest column) is never copied.
    ordinary = pc.invert(is_system)
    is_self = pc.equal(table["IsSender"], "1")
    sender = table["Sender"]
    # Outside groups `Sender` is empty: the chat partner is the talker.
    member = _fill_empty(sender, lambda: pc.binary_join_element_wise("talker-", table["TalkerId"], ""), ordinary)
    nickname = _fill_empty(table["NickName"], lambda: table["Remark"], ordinary)
    checkin = checkin_job.result()
    self_id = most_common(pc.filter(sender, pc.and_(is_self, ordinary))) or SELF_ID
    messages = message_frame(member, nickname, table["time"], checkin, is_self)
    if system.num_rows:
        messages = messages.filter(ordinary)
    return assemble(
        SLUG, messages, membership, keep_self=keep_self, self_id=self_id, problems=problems, bad_rows=bad_rows
    )
