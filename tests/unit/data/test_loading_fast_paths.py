"""The loader's fast paths against the straightforward ones on random logs: a long file's columns converted
side by side (ids here, the rest on the second core, each column whole) give the same frame as converting
them one after the other; the binary sniff and the header search give what counting byte by byte and
parsing the whole head gave."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from planner.data import canonical, sheets
from planner.data.ingest import load_files, preview_headers
from planner.data.sheets import csv_head, header_index, looks_binary


def _random_log(seed: int, rows: int = 3_000) -> bytes:
    rng = np.random.default_rng(seed)
    ids = np.char.add(" U", rng.integers(0, 400, rows).astype(str))  # a leading blank: trimmed
    names = np.char.add("成员", rng.integers(0, 50, rows).astype(str))
    times = np.sort(np.datetime64("2025-01-01T00:00:00") + rng.integers(0, 200 * 86400, rows).astype("m8[s]"))
    actions = rng.choice(["发言", "打卡", "签到", "购买", "加入", "移出", " share "], rows)
    amount = np.where(actions == "购买", rng.integers(1, 500, rows).astype(str), "")
    groups = rng.choice(["一群", "二群", "第3期"], rows)
    frame = pd.DataFrame({"成员ID": ids, "昵称": names, "时间": times.astype(str), "行为": actions, "金额": amount,
                          "群名": groups})
    if seed % 2:
        frame = frame.drop(columns="群名")
    return frame.to_csv(index=False).encode("utf-8")


@pytest.mark.parametrize("seed", range(6))
def test_side_by_side_conversion_gives_the_same_frame(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    files = [("log.csv", _random_log(seed))]
    monkeypatch.setattr(canonical, "_SPLIT_ROWS", 10**9)  # a short file: one column after the other
    plain = load_files(files)
    monkeypatch.setattr(canonical, "_SPLIT_ROWS", 100)  # a "long" file: side by side
    fast = load_files(files)
    pd.testing.assert_frame_equal(fast.activity, plain.activity)
    for column in ("member_id", "action"):
        assert list(fast.activity[column].cat.categories) == list(plain.activity[column].cat.categories)
    assert fast.bad_rows == plain.bad_rows and fast.problems == plain.problems


def test_few_value_columns_read_as_dictionaries_give_the_same_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    """Actions and groups are read as dictionaries, one per block of the file, made one after: a file of several
    blocks whose actions and groups first appear in different blocks (and with blanks around them) loads as it
    does read as plain text."""
    rows = 90_000  # a few MB: several blocks
    rng = np.random.default_rng(7)
    phase = np.arange(rows) * 3 // rows  # each third of the file has actions and groups of its own
    actions = np.array([["发言", " 打卡"], ["签到 ", "购买"], ["移出", "加入"]])[phase, rng.integers(0, 2, rows)]
    groups = np.array([["一群", "二群"], ["二群", "第3期"], [" 第3期", "四群"]])[phase, rng.integers(0, 2, rows)]
    times = np.datetime64("2025-01-01T00:00:00") + (np.arange(rows) * 60).astype("m8[s]")
    data = pd.DataFrame({"成员ID": np.char.add("U", rng.integers(0, 500, rows).astype(str)),
                         "时间": times.astype(str), "行为": actions, "群名": groups}).to_csv(index=False).encode()
    read = load_files([("log.csv", data)])
    monkeypatch.setattr(sheets, "FEW_VALUES", frozenset())
    plain = load_files([("log.csv", data)])
    pd.testing.assert_frame_equal(read.activity, plain.activity)
    assert read.activity["group"].value_counts().to_dict() == plain.activity["group"].value_counts().to_dict()
    assert set(read.activity["action"].cat.categories) == {"发言", "打卡", "购买", "移出", "加入"}


def _count_controls(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    return sum(1 for b in head if b < 9 or 13 < b < 32) > len(head) * 0.05


@pytest.mark.parametrize("seed", range(20))
def test_binary_sniff_counts_as_byte_by_byte(seed: int) -> None:
    rng = np.random.default_rng(seed)
    share = rng.uniform(0, 0.1)  # around the 5 % line
    data = bytes(np.where(rng.random(9_000) < share, rng.integers(1, 32, 9_000), rng.integers(32, 127, 9_000))
                 .astype(np.uint8))
    assert looks_binary(data) == _count_controls(data)


@pytest.mark.parametrize("title_rows", range(0, 12, 3))
def test_header_search_reads_only_the_first_rows(title_rows: int) -> None:
    text = "".join(f"报表{i}\n" for i in range(title_rows)) + _random_log(1, 200).decode()
    delim, header, skip = csv_head(text)
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))  # the whole head, as before
    assert (header, skip) == (rows[header_index(rows)], header_index(rows))


@pytest.mark.parametrize("blank", [b"", b" ", b"\r\n\t \x0b\x0c"])
def test_blank_file_has_no_headers_to_map(blank: bytes) -> None:
    assert preview_headers("blank.csv", blank) == []
    assert preview_headers("log.csv", blank + _random_log(2, 5)) == ["成员ID", "昵称", "时间", "行为", "金额", "群名"]


@pytest.mark.parametrize("seed", range(8))
def test_typed_numbers_as_a_cast_and_fill_would_give(seed: int) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(seed)
    kind = [pa.int64(), pa.int32(), pa.float64(), pa.float32()][seed % 4]
    chunks = []
    for _ in range(rng.integers(1, 5)):
        n = int(rng.integers(0, 300))
        values = rng.integers(-10**6, 10**6, n) if pa.types.is_integer(kind) else rng.normal(0, 1e3, n)
        chunks.append(pa.array(values, mask=rng.random(n) < rng.random(), type=kind))
    column = pa.chunked_array(chunks, type=kind)
    expected = pc.fill_null(pc.cast(column, pa.float64()), np.nan).to_numpy()
    assert np.array_equal(canonical._typed_numbers(column), expected, equal_nan=True)


def test_an_amount_beyond_float_precision_loads() -> None:
    result = load_files([("log.csv", "成员ID,时间,行为,金额\nu1,2026-03-01 08:00,购买,9007199254740993\n".encode())])
    assert result.activity["amount"].tolist() == [9007199254740992.0]


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_timestamps_scaled_chunk_by_chunk_equal_arrow_cast(unit: str) -> None:
    """A timestamp column's chunks are scaled into one buffer: the same nanoseconds (NaT where empty) as arrow's
    cast, for every unit, sliced and empty chunks included."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(5)
    per_second = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[unit]
    arr = pa.array(rng.integers(0, 2_000_000_000, 1_000) * per_second, type=pa.timestamp(unit),
                   mask=rng.random(1_000) < 0.1)
    chunked = pa.chunked_array([arr.slice(0, 300), arr.slice(300, 0), arr.slice(300, 700)])
    cast = pc.cast(arr, pa.timestamp("ns")).to_numpy(zero_copy_only=False)
    assert np.array_equal(canonical._nanoseconds(chunked), cast, equal_nan=True)
    assert np.array_equal(canonical._nanoseconds(arr.slice(5, 500)), cast[5:505], equal_nan=True)
