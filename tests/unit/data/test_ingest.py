"""Input battery for the generic loader: encodings, delimiters, date forms, broken files."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta

import numpy as np
import openpyxl
import pandas as pd
import pytest

from planner.data import canonical, ingest
from planner.data.canonical import DATE_ORDER_QUESTION
from planner.data.chat_formats import fixtures as fx
from planner.data.columnar import parse_dates
from planner.data.frames import CHECKIN, PURCHASE, SPEAK, map_headers
from planner.data.ingest import load_files
from planner.i18n import render_problem
from planner.safe_cells import neutralise

ROWS = "成员ID,昵称,时间,行为\nu1,阿明,2026-03-01 08:00:00,打卡\nu2,小红,2026-03-02 21:30:00,发言\n"


def _keys(result) -> list[str]:
    return [p.key for p in result.problems]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_each_encoding_reads_the_same(encoding: str) -> None:
    result = load_files([("log.csv", ROWS.encode(encoding))])
    assert result.activity is not None, _keys(result)
    assert list(result.activity["nickname"]) == ["阿明", "小红"]
    assert list(result.activity["action"]) == [CHECKIN, SPEAK]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_sniffed(delimiter: str) -> None:
    result = load_files([("log.csv", ROWS.replace(",", delimiter).encode())])
    assert list(result.activity["member_id"]) == ["u1", "u2"]
    assert result.activity["time"].iloc[1] == pd.Timestamp("2026-03-02 21:30:00")


@pytest.mark.parametrize("text, expected", [
    ("2026-03-01", datetime(2026, 3, 1)),
    ("2026-03-01T08:05:00", datetime(2026, 3, 1, 8, 5)),
    ("2026/3/1", datetime(2026, 3, 1)),
    ("2026/3/1 8:05", datetime(2026, 3, 1, 8, 5)),
    ("2026年3月1日", datetime(2026, 3, 1)),
    ("2026年3月1日 08:05", datetime(2026, 3, 1, 8, 5)),
    ("2026.03.01", datetime(2026, 3, 1)),
    ("46082", datetime(1899, 12, 30) + timedelta(days=46082)),
    ("46082.5", datetime(1899, 12, 30) + timedelta(days=46082, hours=12)),
])
def test_date_forms(text: str, expected: datetime) -> None:
    parsed = parse_dates(pd.Series([text]).to_numpy(dtype=object)).times
    assert pd.Timestamp(parsed[0]) == pd.Timestamp(expected)


def test_ambiguous_day_month_is_asked_and_answer_is_used() -> None:
    data = "成员ID,时间\nu1,03/04/2026\nu2,05/06/2026\n".encode()
    asked = load_files([("log.csv", data)])
    question = [p for p in asked.problems if p.key == DATE_ORDER_QUESTION]
    assert question and question[0].column == "时间" and question[0].params["example"] == "03/04/2026"
    answered = load_files([("log.csv", data)], options={"date_order": "dmy"})
    assert DATE_ORDER_QUESTION not in _keys(answered)
    assert answered.activity["time"].iloc[0] == pd.Timestamp("2026-04-03")


def test_day_first_is_detected_when_a_day_exceeds_twelve() -> None:
    result = load_files([("log.csv", "成员ID,时间\nu1,13/04/2026\nu2,05/06/2026\n".encode())])
    assert DATE_ORDER_QUESTION not in _keys(result)
    assert list(result.activity["time"].dt.month) == [4, 6]


def test_bad_rows_are_reported_counted_and_left_out() -> None:
    data = ("成员ID,时间,行为,金额\nu1,2026-03-01,购买,¥12.5\nu2,昨天,发言,\n,2026-03-02,发言,\n"
            "u3,2026-03-03,购买,abc\n").encode()
    result = load_files([("log.csv", data)])
    assert result.bad_rows == 3 and len(result.activity) == 1
    assert result.activity["amount"].iloc[0] == 12.5 and result.activity["action"].iloc[0] == PURCHASE
    rows = {(p.row, p.column, p.key) for p in result.problems}
    assert rows == {(3, "时间", "data.problem.bad_date"), (4, "成员ID", "data.problem.missing_value"),
                    (5, "金额", "data.problem.bad_number")}


def test_rows_with_wrong_field_count_are_dropped_with_their_file_row() -> None:
    data = "成员ID,时间\nu1,2026-03-01\nu2\nu3,2026-03-02\nu4,2026-03-03,extra\nu5,2026-03-04\n".encode()
    result = load_files([("log.csv", data)])
    assert list(result.activity["member_id"]) == ["u1", "u3", "u5"]
    assert result.bad_rows == 2 and "data.problem.wrong_field_count" in _keys(result)


def test_title_line_above_header_and_content_column_dropped() -> None:
    data = "群聊记录导出\n成员ID,昵称,时间,消息内容\nu1,阿明,2026-03-01 08:00,早上好 打卡\n".encode()
    result = load_files([("log.csv", data)])
    assert list(result.activity.columns) == ["member_id", "nickname", "time", "action", "amount"]
    assert "早上好" not in result.activity.to_csv()


def test_mapping_override() -> None:
    data = "who,when,what\nu1,2026-03-01,签到\n".encode()
    assert load_files([("x.csv", data)]).activity is None
    result = load_files([("x.csv", data)], options={"mapping": {"who": "member_id", "when": "time",
                                                                "what": "action"}})
    assert result.activity["action"].iloc[0] == CHECKIN
    assert map_headers(["用户ID", "昵称"], {"昵称": ""}) == {"用户ID": "member_id"}


def test_members_table_and_english_daily_statistics() -> None:
    members = "用户ID,昵称,入群时间,渠道,是否付费\nu1,阿明,2026年3月1日,公众号,是\nu2,小红,2026/3/2,海报,否\n"
    daily = "Date;Member total;New members;Members who spoke;Messages\n2026-03-01;10;10;4;20\n"
    # the statistics are recognised as 企业微信's, the members table goes through the generic mapping:
    # both read their headers from the one table in planner.data.frames
    result = load_files([("m.csv", members.encode("gbk")), ("d.csv", daily.encode())])
    assert result.format == "wecom+generic"
    assert list(result.members["paid"]) == [True, False]
    assert result.members["join_date"].iloc[0] == pd.Timestamp("2026-03-01")
    row = result.daily.iloc[0]
    assert (row["member_total"], row["new_members"], row["members_spoke"], row["messages"]) == (10, 10, 4, 20)
    generic = ingest.load_generic([("d.csv", daily.encode())])
    assert generic.daily[["member_total", "new_members", "members_spoke", "messages"]].equals(
        result.daily[["member_total", "new_members", "members_spoke", "messages"]].astype("float64"))


@pytest.mark.parametrize("header, canon", [
    ("Members who spoke", "members_spoke"), ("New members", "new_members"), ("群总人数（人）", "member_total"),
    ("消息数(条)", "messages"), ("stat_time", "date"), ("成员ID", "member_id"), ("备注", None),
])
def test_one_header_table_for_every_loader(header: str, canon: str | None) -> None:
    assert map_headers([header]).get(header) == canon


def test_xlsx_with_dates_serials_and_formula_like_text() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["成员ID", "昵称", "时间", "行为"])
    sheet.append(["u1", "=HYPERLINK(\"x\")", datetime(2026, 3, 1, 8, 0), "打卡"])
    sheet.append(["u2", "+1", 46083, "发言"])
    sheet["B2"].data_type = "s"  # text that looks like a formula, as a user typed it
    buffer = io.BytesIO()
    book.save(buffer)
    result = load_files([("log.xlsx", buffer.getvalue())])
    assert result.bad_rows == 0, _keys(result)
    assert list(result.activity["nickname"]) == ["=HYPERLINK(\"x\")", "+1"]
    assert result.activity["time"].iloc[1] == pd.Timestamp(date(1899, 12, 30) + timedelta(days=46083))
    # kept as typed; writers make them safe with the one shared helper
    assert neutralise(result.activity["nickname"].iloc[0]).startswith("'") and neutralise("阿明") == "阿明"


@pytest.mark.parametrize("name, data, key", [
    ("empty.csv", b"", "data.problem.empty"),
    ("blank.csv", b"   \n\n", "data.problem.empty"),
    ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + bytes(range(256)), "data.problem.binary"),
    ("cut.xlsx", b"PK\x03\x04" + b"\x00" * 40, "data.problem.truncated"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "data.problem.old_xls"),
    ("header_only.csv", "成员ID,时间\n".encode(), "data.problem.no_rows"),
    ("unknown.csv", "昵称,渠道\n阿明,公众号\n".encode(), "data.problem.unknown_kind"),
])
def test_broken_files_give_a_problem_not_an_exception(name: str, data: bytes, key: str) -> None:
    result = load_files([(name, data)])
    assert not result.ok
    assert key in _keys(result)
    assert all(p.file == name for p in result.problems)


def _cut_sheet_xlsx() -> bytes:
    """A workbook whose sheet XML ends half way (an interrupted download or copy)."""
    book = openpyxl.Workbook()
    book.active.append(["成员ID", "时间"])
    book.active.append(["u1", "2026-01-01 10:00"])
    whole, out = io.BytesIO(), io.BytesIO()
    book.save(whole)
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, content[: len(content) // 2] if item.filename.endswith("sheet1.xml") else content)
    return out.getvalue()


def test_workbook_with_cut_sheet_xml_gives_a_problem() -> None:
    data = _cut_sheet_xlsx()
    assert _keys(load_files([("cut_sheet.xlsx", data)])) == ["data.problem.truncated"]
    assert ingest.preview_headers("cut_sheet.xlsx", data) == []


def _damaged_xlsx(damage: str) -> bytes:
    """A workbook with its workbook XML garbled (lxml parses that part) or a sheet's deflate data corrupted."""
    book = openpyxl.Workbook()
    book.active.append(["成员ID", "时间"])
    book.active.append(["u1", "2026-01-01 10:00"])
    whole, out = io.BytesIO(), io.BytesIO()
    book.save(whole)
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            garble = damage == "xml" and item.filename == "xl/workbook.xml"
            target.writestr(item.filename, b"<workbook" if garble else content)
    data = bytearray(out.getvalue())
    if damage == "deflate":  # flip bytes inside the compressed sheet, past its local header
        start = data.find(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml") + 4
        data[start:start + 40] = bytes(b ^ 0x55 for b in data[start:start + 40])
    return bytes(data)


@pytest.mark.parametrize("damage", ["xml", "deflate"])
def test_damaged_workbook_gives_a_problem_not_an_exception(damage: str) -> None:
    data = _damaged_xlsx(damage)
    assert _keys(load_files([("damaged.xlsx", data)])) == ["data.problem.truncated"]
    assert ingest.preview_headers("damaged.xlsx", data) == []


def test_oversized_file_is_refused() -> None:
    result = load_files([("big.csv", ROWS.encode())], options={"max_bytes": 10})
    assert _keys(result) == ["data.problem.too_large"]


def test_truncated_utf8_tail_still_loads() -> None:
    data = ROWS.encode() + "u3,阿".encode()[:-1]
    result = load_files([("log.csv", data)])
    assert list(result.activity["member_id"])[:2] == ["u1", "u2"]


def test_one_good_file_survives_a_bad_one() -> None:
    result = load_files([("good.csv", ROWS.encode()), ("bad.csv", b"")])
    assert result.ok and len(result.activity) == 2 and _keys(result) == ["data.problem.empty"]


def test_digest_changes_with_bytes_and_options() -> None:
    files = [("a.csv", ROWS.encode())]
    assert ingest.files_digest(files) == ingest.files_digest(list(files))
    assert ingest.files_digest(files) != ingest.files_digest([("a.csv", ROWS.encode() + b"\n")])
    assert ingest.files_digest(files) != ingest.files_digest(files, {"date_order": "dmy"})
    assert ingest.preview_headers("a.csv", ROWS.encode()) == ["成员ID", "昵称", "时间", "行为"]


def test_chat_choices_reach_the_chat_readers() -> None:
    """keep_self and chat in the load options are handed to chat_formats.detect."""
    wechat = [("群聊.csv", fx.liuhen_v1_csv(fx.sample_scenario()))]
    everyone = load_files(wechat)
    without_me = load_files(wechat, options={"keep_self": False})
    assert fx.SELF_WXID in set(everyone.activity["member_id"])
    assert fx.SELF_WXID not in set(without_me.activity["member_id"])
    assert len(without_me.activity) < len(everyone.activity)
    events = fx.sample_scenario()
    telegram = [("result.json", fx.telegram_full_json([fx.telegram_chat(events[:3], name="闲聊", chat_id=7),
                                                       fx.telegram_chat(events, name="读书会", chat_id=42)]))]
    assert load_files(telegram).chat_id == "42"
    picked = load_files(telegram, options={"chat": "7"})
    assert picked.chat_id == "7" and picked.chat_name == "闲聊"


def test_combined_frames_keep_one_row_per_member_and_day() -> None:
    """member_data.combine is the one rule for merging files and readers."""
    from planner.data.frames import combine

    members = [pd.DataFrame({"member_id": ["u1", "u2"], "join_date": [pd.NaT, pd.Timestamp("2026-03-05")]}),
               pd.DataFrame({"member_id": ["u1"], "join_date": [pd.Timestamp("2026-03-01")]})]
    merged = combine("members", members)
    assert list(merged["member_id"]) == ["u2", "u1"]  # order of arrival, u1 from the row that knows its join
    assert merged.set_index("member_id")["join_date"].to_dict() == {
        "u1": pd.Timestamp("2026-03-01"), "u2": pd.Timestamp("2026-03-05")}
    daily = [pd.DataFrame({"date": pd.to_datetime(["2026-03-02", "2026-03-01"]), "messages": [1, 2]}),
             pd.DataFrame({"date": pd.to_datetime(["2026-03-02"]), "messages": [9]})]
    assert combine("daily", daily)["messages"].tolist() == [2, 9]
    assert combine("activity", [None]) is None


def test_gb18030_file_cut_mid_character_still_decodes() -> None:
    from planner.data.columnar import decode_text

    data = "消息记录 阿明".encode("gb18030")
    text, encoding = decode_text(data[:-1])
    assert encoding == "gb18030" and text == "消息记录 阿"


def test_gbk_text_after_an_ascii_head_is_decoded() -> None:
    """Only the first 64 KB are sniffed for UTF-8; GBK further down is still read as GBK."""
    head = "".join(f"u{i},2026-03-01 08:00:00,checkin\n" for i in range(3000))
    data = b"member_id,time,action\n" + head.encode() + "u9,2026-03-02 08:00:00,打卡\n".encode("gbk")
    assert len(data) > 65536
    result = load_files([("log.csv", data)])
    assert len(result.activity) == 3001 and result.activity["action"].iloc[-1] == CHECKIN


def test_quoted_line_breaks_across_parser_blocks() -> None:
    """Values with line breaks inside quotes survive the fast block-wise read (blocks are ~1 MB)."""
    rows = "".join(f'u{i},"第{i}行\n第二行",2026-03-01 08:00:00\n' for i in range(60_000))
    result = load_files([("log.csv", ("成员ID,昵称,时间\n" + rows).encode())])
    assert result.bad_rows == 0 and len(result.activity) == 60_000
    assert result.activity["nickname"].iloc[-1] == "第59999行\n第二行"


def test_long_columns_encode_in_halves_like_whole() -> None:
    """Ids are encoded in two halves of their chunks side by side; codes and dictionary equal encoding them
    whole."""
    from itertools import pairwise

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(7)
    ids = pa.array(np.char.add("u", rng.integers(0, 5000, canonical._SPLIT_ROWS + 1001).astype(str)))
    cuts = [0, 1000, 90_000, 100_001, 150_000, len(ids)]  # uneven chunks, as the CSV reader's blocks are
    chunked = pa.chunked_array([ids.slice(lo, hi - lo) for lo, hi in pairwise(cuts)])
    halves, whole = canonical._dictionary_encode(chunked), pc.dictionary_encode(ids)
    assert halves.dictionary.equals(whole.dictionary)
    assert halves.indices.equals(whole.indices)


def test_actions_map_synonyms_keep_blanks_and_missing_ids_are_reported() -> None:
    """Synonyms map, a blank action stays blank (the column is optional) and a missing id is reported
    with its row."""
    text = "成员ID,时间,行为\nu1,2026-03-01 08:00, 签到 \nu2,2026-03-01 09:00,\n,2026-03-01 10:00,下单\n"
    result = load_files([("log.csv", text.encode())])
    assert list(result.activity["action"]) == [CHECKIN, ""]
    assert [(p.key, p.row) for p in result.problems if p.row] == [("data.problem.missing_value", 4)]


# --- dates outside any plausible range ---------------------------------------------------------------
@pytest.mark.parametrize("header, far", [
    ("时间", "2999-01-01"),  # arrow reads the column as dates: it raised on the cast to nanoseconds
    ("时间", "2999-01-01 08:00:00"),  # … as timestamps
    ("时间", "2999/01/01"),  # parsed by us: it wrapped around to 1829
    ("时间", "2999年1月1日"),
    ("时间", "1800-01-01"),
    ("入群日期", "2999-01-01"),  # a members table
])
def test_dates_outside_the_plausible_window_are_bad_rows(header: str, far: str) -> None:
    first = "成员ID,昵称," + header + "\n"
    data = (first + f"u1,阿明,2026-03-01\nu2,小红,{far}\nu3,阿强,2026-03-02\n").encode()
    result = load_files([("log.csv", data)])
    frame = result.activity if result.activity is not None else result.members
    assert result.bad_rows == 1 and list(frame["member_id"]) == ["u1", "u3"]
    problem = result.problems[0]
    assert (problem.key, problem.row, problem.column, problem.file) == (
        "data.problem.date_out_of_range", 3, header, "log.csv")
    assert problem.params["value"].startswith(far[:4]) and problem.params["earliest"] == "1990-01-01"
    column = "time" if result.activity is not None else "join_date"
    assert frame[column].min() == pd.Timestamp("2026-03-01")  # no wrapped-around date in the range shown
    for lang in ("zh", "en"):
        assert far[:4] in render_problem(problem, lang)


def test_plausible_window_ends() -> None:
    from planner.data.columnar import EARLIEST_DATE, FUTURE_DAYS, date_window

    low, high = date_window(date(2026, 12, 1))
    assert low == np.datetime64(EARLIEST_DATE) and FUTURE_DAYS >= 365
    assert high == np.datetime64(date(2026, 12, 1) + timedelta(days=FUTURE_DAYS)) + np.timedelta64(86399, "s")
    today = date.today()
    data = ("成员ID,时间\n"
            f"u1,{EARLIEST_DATE}\nu2,{EARLIEST_DATE - timedelta(days=1)}\n"
            f"u3,{today + timedelta(days=FUTURE_DAYS)}\nu4,{today + timedelta(days=FUTURE_DAYS + 1)}\n").encode()
    result = load_files([("log.csv", data)])
    assert list(result.activity["member_id"]) == ["u1", "u3"]
    assert [(p.key, p.row) for p in result.problems] == [("data.problem.date_out_of_range", 3),
                                                          ("data.problem.date_out_of_range", 5)]


def test_xlsx_date_cell_in_year_2999_is_a_bad_row() -> None:
    book = openpyxl.Workbook()
    for row in (["成员ID", "时间"], ["u1", datetime(2026, 3, 1, 8)], ["u2", datetime(2999, 1, 1)]):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    result = load_files([("log.xlsx", buffer.getvalue())])
    assert list(result.activity["member_id"]) == ["u1"]
    assert [(p.key, p.row, p.column) for p in result.problems] == [("data.problem.date_out_of_range", 3, "时间")]


# --- one size limit for every reader ------------------------------------------------------------------
def _every_format() -> list[tuple[str, bytes]]:
    events = fx.sample_scenario()
    return [("log.csv", ROWS.encode()), ("群聊.csv", fx.liuhen_v1_csv(events)), ("v2.csv", fx.memotrace_v2_csv(events)),
            ("v2.xlsx", fx.memotrace_v2_xlsx(events, [("wxid_a", "张三")])), fx.pywxdump_parts(events)[0],
            ("result.json", fx.telegram_json(events)), ("discord.csv", fx.discord_csv(events)),
            ("qq.txt", fx.qq_txt(events)), ("stat.json", fx.wecom_daily_api(3)),
            ("members.json", fx.wecom_member_list())]


@pytest.mark.parametrize("index", range(10))
def test_one_size_limit_for_every_format(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chat export over the limit was read anyway (a 209 MB Telegram JSON): the limit is now checked
    before any reader. Here the limit is made small instead of writing 200 MB."""
    name, data = _every_format()[index]
    monkeypatch.setattr(ingest, "MAX_BYTES", len(data) - 1)
    result = load_files([(name, data)])
    assert not result.ok and [(p.key, p.file) for p in result.problems] == [("data.problem.too_large", name)]
    monkeypatch.setattr(ingest, "MAX_BYTES", len(data))
    assert load_files([(name, data)]).ok


def test_a_file_over_the_limit_leaves_the_others_of_the_upload() -> None:
    big = ("result.json", fx.telegram_json(fx.sample_scenario()))
    result = load_files([big, ("log.csv", ROWS.encode())], options={"max_bytes": len(ROWS.encode())})
    assert _keys(result) == ["data.problem.too_large"] and list(result.activity["member_id"]) == ["u1", "u2"]
    assert result.problems[0].params["limit"] == 0 and result.problems[0].file == "result.json"


def test_the_app_upload_limit_is_the_same_limit() -> None:
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parents[3] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 2**20 == ingest.MAX_BYTES


def test_analyze_command_refuses_an_oversized_file_without_reading_it(tmp_path, monkeypatch, capsys) -> None:
    from pathlib import Path

    from planner.commands.cli import main

    big = tmp_path / "result.json"
    with big.open("wb") as handle:  # sparse: over the real limit without writing 200 MB
        handle.write(b'{"name": "x", "messages": []}')
        handle.truncate(ingest.MAX_BYTES + 1)
    read = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        assert path != big, "the oversized file was read"
        return read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert main(["analyze", str(big), "--json", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "result.json" in err and "too large" in err and "Traceback" not in err


# --- a file that mixes text encodings -----------------------------------------------------------------
_HEADER = "成员ID,昵称,时间,行为\n"
_BODY = "".join(f"u{i},阿明{i},2026-03-0{i + 1} 08:00:00,打卡\n" for i in range(5))
_LAST = "u9,小红,2026-03-09 08:00:00,发言\n"


@pytest.mark.parametrize("data, row", [
    (_HEADER.encode("gbk") + _BODY.encode("utf-8"), 2),  # read as GBK: the names came out garbled
    (_HEADER.encode("utf-8") + _BODY.encode("gbk"), 2),  # the headers came out garbled ("unknown kind")
    ((_HEADER + _BODY).encode("utf-8") + _LAST.encode("gbk"), 7),
    ((_HEADER + _BODY).encode("gbk") + _LAST.encode("utf-8"), 7),
    ("\ufeff".encode() + (_HEADER + _BODY).encode("utf-8") + _LAST.encode("gbk"), 7),
    ((_HEADER + _BODY * 3000).encode("utf-8") + _LAST.encode("gbk"), 15_002),  # past the first 64 KB
], ids=["gbk_header_utf8_rows", "utf8_header_gbk_rows", "utf8_then_a_gbk_row", "gbk_then_a_utf8_row",
        "bom_then_a_gbk_row", "gbk_row_after_64kb"])
def test_a_file_mixing_encodings_is_named_with_the_row_where_the_second_starts(data: bytes, row: int) -> None:
    result = load_files([("log.csv", data)])
    assert not result.ok
    assert [(p.key, p.file, p.row) for p in result.problems] == [("data.problem.mixed_encoding", "log.csv", row)]
    assert ingest.preview_headers("log.csv", data) in ([], ["成员ID", "昵称", "时间", "行为"])
    for lang in ("zh", "en"):
        assert "UTF-8" in render_problem(result.problems[0], lang)


def test_one_encoding_throughout_is_not_mixed() -> None:
    """GBK bytes can look like UTF-8 by chance: a large GBK file of random names (rare characters too)
    is not taken for a mixed one, nor UTF-8 that ends in a cut character."""
    import random

    from planner.data.text_encoding import mixed_encoding_row

    rng = random.Random(5)
    common = [chr(c) for c in range(0x4E00, 0x9FA6) if len(chr(c).encode("gbk", "ignore")) == 2]
    lines = [_HEADER.strip()] + [f"u{i},{''.join(rng.choices(common, k=rng.randint(2, 4)))},2026-03-01,打卡"
                                 for i in range(200_000)]
    text = "\n".join(lines)
    assert mixed_encoding_row(text.encode("gbk")) is None
    assert mixed_encoding_row(text.encode("gb18030")) is None
    assert mixed_encoding_row(text.encode("utf-8") + "阿".encode()[:2]) is None
    assert mixed_encoding_row(text.encode("utf-16")) is None
    assert load_files([("log.csv", "\n".join(lines[:50]).encode("gbk"))]).ok
