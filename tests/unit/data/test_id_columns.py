"""Ids that look like numbers keep their leading zeros ("007" stays "007", never 7) in every loader."""

from __future__ import annotations

import dataclasses
import io

import openpyxl
import pytest

from planner.data.chat_formats import fixtures as fx
from planner.data.ingest import load_files

IDS = ["007", "0123"]
LOG = ("成员ID,昵称,时间,行为\n007,阿明,2026-03-01 09:00,发言\n0123,小红,2026-03-01 10:00,打卡\n"
       "007,阿明,2026-03-02 09:00,发言\n")
MEMBERS = "用户ID,昵称,入群时间,QQ号\n007,阿明,2026-02-01,012345\n0123,小红,2026-02-03,000789\n"


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_csv_activity_and_members_keep_leading_zeros() -> None:
    result = load_files([("log.csv", LOG.encode()), ("members.csv", MEMBERS.encode())])
    assert not result.problems
    assert list(result.activity["member_id"].astype(str)) == ["007", "0123", "007"]
    assert list(result.members["member_id"].astype(str)) == IDS


def test_csv_id_column_chosen_by_the_mapping_keeps_leading_zeros() -> None:
    # the user maps the QQ number column as the member id (and ignores 用户ID)
    result = load_files([("members.csv", MEMBERS.encode())], options={"mapping": {"QQ号": "member_id", "用户ID": ""}})
    assert list(result.members["member_id"].astype(str)) == ["012345", "000789"]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_other_delimiters_and_numbers_still_typed(delimiter: str) -> None:
    rows = [["成员ID", "时间", "行为", "金额"], ["007", "2026-03-01 09:00", "发言", ""],
            ["0123", "2026-03-01 10:00", "购买", "099"], ["007", "2026-03-02 09:00", "发言", ""]]
    text = "\n".join(delimiter.join(row) for row in rows)
    result = load_files([("log.csv", text.encode("gb18030"))])
    assert list(result.activity["member_id"].astype(str)) == ["007", "0123", "007"]
    assert result.activity["amount"].iloc[1] == 99.0  # an amount is still a number


def test_xlsx_text_ids_keep_leading_zeros() -> None:
    log = _xlsx([["成员ID", "昵称", "时间", "行为"], ["007", "阿明", "2026-03-01 09:00", "发言"],
                 ["0123", "小红", "2026-03-01 10:00", "打卡"]])
    members = _xlsx([["成员ID", "昵称", "入群时间"], ["007", "阿明", "2026-02-01"], ["0123", "小红", "2026-02-03"]])
    result = load_files([("log.xlsx", log), ("members.xlsx", members)])
    assert list(result.activity["member_id"].astype(str)) == IDS
    assert list(result.members["member_id"].astype(str)) == IDS


def _renamed_scenario() -> list[fx.Event]:
    rename = {"wxid_a": "007", "wxid_b": "0123"}
    events: list[fx.Event] = []
    for event in fx.sample_scenario():
        if isinstance(event, fx.Say):
            event = dataclasses.replace(event, member=rename.get(event.member, event.member))
        elif isinstance(event, fx.Joined | fx.Removed):
            event = dataclasses.replace(event, ids=tuple(rename.get(i, i) for i in event.ids))
        events.append(event)
    return events


@pytest.mark.parametrize("kind", ["liuhen_v1", "memotrace_csv", "memotrace_xlsx", "pywxdump"])
def test_chat_exports_keep_leading_zeros(kind: str) -> None:
    events = _renamed_scenario()
    files = {
        "liuhen_v1": lambda: [("群聊_读书会.csv", fx.liuhen_v1_csv(events))],
        "memotrace_csv": lambda: [("读书会.csv", fx.memotrace_v2_csv(events))],
        "memotrace_xlsx": lambda: [("读书会.xlsx", fx.memotrace_v2_xlsx(events, [("007", "张三"), ("0123", "小李")]))],
        "pywxdump": lambda: fx.pywxdump_parts(events, rows_per_part=5),
    }[kind]()
    result = load_files(files)
    assert result.format != "generic"
    ids = set(result.activity["member_id"].astype(str))
    assert set(IDS) <= ids and not {"7", "123"} & ids


def test_xlsx_numbers_shown_zero_padded_read_as_shown() -> None:
    """Ids typed as numbers in Excel and shown with leading zeros by a 0000 number format read as shown;
    other numbers (amounts) stay numbers."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["成员ID", "时间", "行为", "金额"])
    for row, (member, action, amount) in enumerate([(7, "发言", None), (123, "购买", 99)], start=2):
        sheet.append([member, "2026-03-01 10:00", action, amount])
        sheet.cell(row=row, column=1).number_format = "0000"
    buffer = io.BytesIO()
    book.save(buffer)
    result = load_files([("log.xlsx", buffer.getvalue())])
    assert list(result.activity["member_id"].astype(str)) == ["0007", "0123"]
    assert result.activity["amount"].iloc[1] == 99.0
