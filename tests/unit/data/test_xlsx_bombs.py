"""Hostile workbooks (tests/unit/xlsx_bombs.py) are refused with a located problem, fast and in little memory.

Each builder writes a few hundred KB at most; before planner.data.xlsx_guard, reading them took 20 s and 2.8 GB
(a 300 MB shared string), 3 minutes (three million rows) or failed as an internal error (a DTD)."""

from __future__ import annotations

import resource
import time
import tracemalloc
from collections.abc import Callable

import pytest

from planner.data import ingest, xlsx_guard
from planner.data.frames import LoadResult
from planner.data.ingest import load_files
from planner.i18n import render_problem
from tests.unit import xlsx_bombs as xb

SECONDS = 10  # CPU seconds, generous: every case here takes a second or two at most; an unguarded read takes minutes
PEAK_BYTES = 150 * 2**20  # Python-side allocations while loading (the file itself is built before)
RSS_GROWTH_KB = 300 * 1024  # growth of the process's peak resident memory while loading


def _load_bounded(name: str, data: bytes, trace: bool = False) -> LoadResult:
    """load_files within SECONDS of this process's CPU time (not wall time: other processes on a busy
    machine must not fail it) and RSS_GROWTH_KB; `trace`: also within PEAK_BYTES as tracemalloc
    counts them (exact, but it slows down reading many cells too much to use everywhere)."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started = time.process_time()
    try:
        result = load_files([(name, data)])
        seconds = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
    finally:
        tracemalloc.stop()
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert seconds < SECONDS, f"{name}: {seconds:.1f} CPU s"
    assert peak < PEAK_BYTES, f"{name}: peak {peak / 2**20:.0f} MB"
    assert growth < RSS_GROWTH_KB, f"{name}: peak RSS grew {growth // 1024} MB"
    return result


def _only(result: LoadResult, name: str) -> tuple[str, dict]:
    assert not result.ok
    assert len(result.problems) == 1, [p.key for p in result.problems]
    problem = result.problems[0]
    assert problem.file == name
    for lang in ("zh", "en"):  # a whole sentence with the file in it, no unfilled placeholder
        text = render_problem(problem, lang)
        assert name in text and "{" not in text
    return problem.key, problem.params


@pytest.fixture
def no_ratio_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """The compression ratio catches the small bombs first; without it, the byte scan must catch them too."""
    monkeypatch.setattr(xlsx_guard, "MAX_RATIO", 10**9)


def test_the_plain_workbook_the_bombs_start_from_loads() -> None:
    result = _load_bounded("plain.xlsx", xb.plain())
    assert result.ok and list(result.activity["member_id"]) == ["u1"]


def test_a_300_mb_shared_string_is_refused_by_its_compression_ratio() -> None:
    data = xb.long_string(300)
    assert len(data) < 400_000
    key, params = _only(_load_bounded("bomb.xlsx", data, trace=True), "bomb.xlsx")
    assert key == "data.problem.xlsx_ratio" and params["part"] == "xl/sharedStrings.xml"


def test_a_300_mb_shared_string_is_refused_by_the_size_of_its_part(no_ratio_cap: None) -> None:
    key, params = _only(_load_bounded("bomb.xlsx", xb.long_string(300), trace=True), "bomb.xlsx")
    assert key == "data.problem.xlsx_part_too_large" and params["limit"] == 256


@pytest.mark.parametrize("build", [xb.long_string, xb.long_rich_string], ids=["one text", "30 KB runs"])
def test_a_string_longer_than_a_cell_is_refused_even_when_cut_into_runs(no_ratio_cap: None,
                                                                        build: Callable[[int], bytes]) -> None:
    key, params = _only(_load_bounded("long.xlsx", build(2)), "long.xlsx")
    assert key == "data.problem.xlsx_string_too_long" and params["kb"] == xlsx_guard.MAX_CELL_BYTES // 1024


def test_runs_split_by_a_nested_string_are_not_a_plain_spreadsheet(no_ratio_cap: None) -> None:
    run = b"<r><t>" + b"A" * 30_000 + b"</t></r>"
    strings = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{xb.MAIN}"><si>'.encode(),
               (run + b"<si/>") * 20, b"</si></sst>"]
    row = '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    data = xb.workbook(xb.sheet_xml([xb.HEADER_ROW, row]), strings)
    assert _only(_load_bounded("nested.xlsx", data), "nested.xlsx")[0] == "data.problem.xlsx_not_plain"


def test_a_long_inline_cell_is_refused_with_its_sheet(no_ratio_cap: None) -> None:
    runs = "".join("<r><t>" + "B" * 30_000 + "</t></r>" for _ in range(20))
    row = f'<row r="2"><c r="A2" t="inlineStr"><is>{runs}</is></c></row>'
    key, params = _only(_load_bounded("cell.xlsx", xb.workbook(xb.sheet_xml([xb.HEADER_ROW, row]))), "cell.xlsx")
    assert key == "data.problem.xlsx_cell_too_long" and params["part"] == "成员"


def test_three_million_rows_are_refused_by_their_compression_ratio() -> None:
    data = xb.many_rows(3_000_000)
    assert len(data) < 1_000_000
    key, params = _only(_load_bounded("rows.xlsx", data, trace=True), "rows.xlsx")
    assert key == "data.problem.xlsx_ratio" and params["part"] == "成员"


def test_three_million_rows_are_counted_and_refused_past_the_cap(no_ratio_cap: None) -> None:
    key, params = _only(_load_bounded("rows.xlsx", xb.many_rows(3_000_000), trace=True), "rows.xlsx")
    assert key == "data.problem.xlsx_too_many_rows"
    assert params == {"part": "成员", "limit": f"{xlsx_guard.MAX_ROWS:,}"}


def test_a_declared_size_past_excel_is_refused_at_once() -> None:
    data = xb.many_rows(10_000, dimension="A1:B3000000")
    assert _only(_load_bounded("rows.xlsx", data), "rows.xlsx")[0] == "data.problem.xlsx_too_many_rows"


def test_a_declared_size_within_excel_is_not_trusted_to_pad_rows() -> None:
    result = _load_bounded("grid.xlsx", xb.lying_dimension())  # says A1:XFD1048576, holds two rows
    assert result.ok and len(result.activity) == 1
    assert ingest.preview_headers("grid.xlsx", xb.lying_dimension()) == ["成员ID", "时间"]


def test_a_row_number_past_the_cap_is_refused_while_reading() -> None:
    """A tiny file whose third row is numbered 3,000,000: the reader walks the empty rows before it."""
    key, params = _only(_load_bounded("far.xlsx", xb.far_row(3_000_000)), "far.xlsx")
    assert key == "data.problem.xlsx_too_many_rows" and params["part"] == "成员"


def test_cells_past_the_cap_are_refused_while_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_guard, "MAX_CELLS", 100_000)  # 16,384 columns: refused on the seventh row
    key, params = _only(_load_bounded("wide.xlsx", xb.wide(16_384, rows=20)), "wide.xlsx")
    assert key == "data.problem.xlsx_too_many_cells" and params["row"] == "7"


def test_a_sheet_16k_columns_wide_loads_and_previews() -> None:
    data = xb.wide(16_384)
    result = _load_bounded("wide.xlsx", data)
    assert result.ok and len(result.activity) == 3
    headers = ingest.preview_headers("wide.xlsx", data)
    assert len(headers) == 16_384 and headers[:2] == ["成员ID", "时间"]


@pytest.mark.parametrize("part, where", [("sheet", "成员"), ("workbook", "xl/workbook.xml")])
@pytest.mark.parametrize("entity", ['<!ENTITY xxe SYSTEM "file:///etc/passwd">', '<!ENTITY xxe "boom">'],
                         ids=["external", "internal"])
def test_a_dtd_is_a_located_problem_not_an_internal_error(part: str, where: str, entity: str) -> None:
    data = xb.with_dtd(entity, part)
    key, params = _only(_load_bounded("xxe.xlsx", data), "xxe.xlsx")
    assert key == "data.problem.xlsx_not_plain" and params == {"part": where}
    assert ingest.preview_headers("xxe.xlsx", data) == []
    assert "DTD" in render_problem(load_files([("xxe.xlsx", data)]).problems[0], "zh")


def test_a_refused_workbook_leaves_the_other_files_alone() -> None:
    result = load_files([("bomb.xlsx", xb.long_string(50)), ("plain.xlsx", xb.plain())])
    assert result.ok and list(result.activity["member_id"]) == ["u1"]
    assert [(p.key, p.file) for p in result.problems] == [("data.problem.xlsx_ratio", "bomb.xlsx")]
