"""Control characters, lone surrogates and noncharacters: dropped as text enters a plan, dropped again
by every writer, and never able to stop an export, the server or reach a terminal."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from pypdf import PdfReader

from models.plan import Plan, Role
from models.problems import Problem
from models.sop import SopRule
from models.text import NONCHARACTERS, clean_text, clean_value, is_clean
from planner.export import build_document, render
from planner.export.images import render_spec
from planner.export.model import Bullets, Document, Heading, Paragraph, Table
from planner.plan import charts as charts_plan
from planner.plan_core.json_io import plan_from_json, plan_to_json
from planner.sop import charts as charts_sop
from planner.sop import files as sop_export
from planner.sop import schedule as sop
from tests.unit.export_plans import rich_plan

ROOT = Path(__file__).resolve().parents[2]
# The characters of the bug report, then more of each kind: C0, DEL, C1, surrogate, noncharacters.
# The two surrogates are apart: next to each other they would be a valid pair in JSON.
BAD = ("\x00", "\x01", "\x08", "\x0b", "\x1b", "\ufffe", "\ud800", "\x07", "\x0c", "\x7f", "\x85", "\x9f",
       "\udfff", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff")
DIRTY = "".join(BAD)
# Lone surrogates only come from JSON escapes, which validation drops, and the arrow-backed tables
# that charts and schedules are built from cannot hold them: a plan edited in place holds the rest.
IN_PLACE = "".join(ch for ch in BAD if not "\ud800" <= ch <= "\udfff")
ROLE, RULE, NAME = "领教", "开营仪式", "晨光营"


def dirty_plan(bad: str = IN_PLACE) -> Plan:
    """A plan whose role, rule and plan names hold bad characters. Set by assignment, which skips
    validation, so the text reaches the writers as it is (as an in-place edit would)."""
    plan = rich_plan()
    plan.meta.name = f"晨光{bad}营"
    plan.roles[0].name = f"领{bad}教"
    plan.sop.rules[0].name = f"开营{bad}仪式"
    return plan


def no_bad_characters(text: str) -> bool:
    return not any(ch in text for ch in BAD)


def strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings_in(k), *strings_in(v))]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings_in(v)]
    return []


# --- the one cleaning function -----------------------------------------------------------------
@pytest.mark.parametrize("bad", BAD, ids=[f"U+{ord(c):04X}" for c in BAD])
def test_each_bad_character_is_dropped(bad: str) -> None:
    assert clean_text(f"a{bad}b") == "ab"
    assert not is_clean(f"a{bad}b")


def test_tab_and_line_feed_are_kept_and_carriage_returns_become_line_feeds() -> None:
    assert clean_text("a\tb\nc") == "a\tb\nc"
    assert clean_text("a\r\nb\rc") == "a\nb\nc"


def test_clean_text_is_returned_as_is() -> None:
    text = "早起打卡营 🌅 \u200d ok\ufffd"  # emoji joiner and the replacement character are fine
    assert clean_text(text) is text


def test_every_noncharacter_is_listed() -> None:
    assert len(NONCHARACTERS) == 66 and all(clean_text(ch) == "" for ch in NONCHARACTERS)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_cleaning_any_text_gives_clean_text_and_is_idempotent(text: str) -> None:
    cleaned = clean_text(text)
    assert is_clean(cleaned) and clean_text(cleaned) == cleaned
    cleaned.encode("utf-8")  # no lone surrogate left


def test_clean_value_walks_containers_and_keeps_them_when_clean() -> None:
    clean = {"a": ["x", ("y", 1)], "n": None}
    assert clean_value(clean) is clean
    assert clean_value({"a\x00": ["x\x1b", ("y\x07", 1)]}) == {"a": ["x", ("y", 1)]}


# --- (a) where text enters the plan ------------------------------------------------------------
def test_plan_from_json_cleans_every_text_field() -> None:
    data = Plan().model_dump(mode="json")
    data["meta"]["name"] = f"晨光{DIRTY}营"
    data["roles"] = [{"id": "lead", "name": f"领{DIRTY}教"}]
    data["sop"]["rules"] = [{"name": f"开营{DIRTY}仪式", "owner_role": "lead", "script": "第一行\r\n第二行"}]
    data["elements"]["structure"]["group_rules"] = [f"不发{DIRTY}广告"]
    data["elements"]["operations"]["feelings"]["ritual"] = [f"开营{DIRTY}"]
    plan, problems = plan_from_json(json.dumps(data))  # ASCII JSON: the surrogate as \ud800
    assert problems == []
    assert (plan.meta.name, plan.roles[0].name, plan.sop.rules[0].name) == (NAME, ROLE, RULE)
    assert plan.sop.rules[0].script == "第一行\n第二行"
    assert plan.elements.structure.group_rules == ["不发广告"]
    assert plan.elements.operations.feelings["ritual"] == ["开营"]
    assert all(is_clean(s) for s in strings_in(plan.model_dump(mode="json")))


def test_entities_built_in_code_are_cleaned_too() -> None:
    assert Role(name=f"领{DIRTY}教").name == ROLE
    assert SopRule(name=f"开营{DIRTY}仪式").name == RULE
    assert Problem(key="k", params={"name": "a\x1bb"}, column="c\x00").model_dump()["params"] == {"name": "ab"}


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=40))
def test_loaded_text_is_the_cleaned_text(text: str) -> None:
    raw = json.dumps({"meta": {"name": text}, "roles": [{"id": "r", "name": text}]})
    plan, problems = plan_from_json(raw)
    assert problems == []
    assert plan.meta.name == plan.roles[0].name == clean_text(text)


def test_json_of_a_plan_edited_in_place_is_clean_and_reads_back() -> None:
    text = plan_to_json(dirty_plan(DIRTY))
    assert is_clean(text)
    text.encode("utf-8")  # the lone surrogates are gone, so the file can be written
    plan, problems = plan_from_json(text)
    assert problems == [] and plan.meta.name == NAME


# --- (b) at every writer -----------------------------------------------------------------------
def test_chart_specs_reach_the_chart_engine_clean() -> None:
    plan = dirty_plan()
    timeline, gantt = charts_plan.stage_timeline(plan, "zh"), charts_sop.gantt(plan, sop.expand(plan), "zh")
    for chart in (timeline, gantt):
        assert all(is_clean(s) for s in strings_in(render_spec(chart)))
    assert ROLE in json.dumps(render_spec(gantt), ensure_ascii=False)  # the owner rows, cleaned


def _docx_text(data: bytes) -> tuple[str, str]:
    opened = docx.Document(io.BytesIO(data))
    texts = [p.text for p in opened.paragraphs]
    texts += [c.text for t in opened.tables for row in t.rows for c in row.cells]
    return "\n".join(texts), opened.core_properties.title


def _pdf_text(data: bytes) -> str:
    """The PDF's text without white space. pypdf opens it (the file is well formed); the text comes
    from poppler when installed, as in test_export: pypdf reads this font's text with a NUL before
    every character, which would hide the NULs this test looks for."""
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) > 1
    if shutil.which("pdftotext") is None:
        return "".join("".join(page.extract_text().replace("\x00", "").split()) for page in pages)
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return "".join(done.stdout.decode("utf-8").split())


def test_every_document_format_with_charts_exports_and_reads_back(tmp_path: Path) -> None:
    # In a child process: before the fix, vl-convert aborted the whole process on such text.
    script = (
        "import sys\nfrom pathlib import Path\nfrom planner.export import build_document, export_plan\n"
        "from tests.unit.test_text_safety import dirty_plan\n"
        "plan = dirty_plan()\ndoc = build_document(plan, 'zh')\nassert doc.images(), 'charts drawn'\n"
        "for fmt in ('md', 'html', 'docx', 'pdf'):\n"
        "    Path(sys.argv[1], 'plan.' + fmt).write_bytes(export_plan(plan, fmt, 'zh', document=doc))\n"
        "Path(sys.argv[1], 'plan.json').write_bytes(export_plan(plan, 'json', 'zh'))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    with zipfile.ZipFile(tmp_path / "plan.md") as bundle:  # a document with charts is a ZIP of its text and PNGs
        texts = {"md": bundle.read("document.md").decode("utf-8")}
        assert any(name.startswith("charts/") and name.endswith(".png") for name in bundle.namelist())
    texts |= {fmt: (tmp_path / f"plan.{fmt}").read_text(encoding="utf-8") for fmt in ("html", "json")}
    for fmt, text in texts.items():
        assert is_clean(text) and ROLE in text and RULE in text, fmt
    body, title = _docx_text((tmp_path / "plan.docx").read_bytes())
    assert no_bad_characters(body) and ROLE in body and RULE in body and title == NAME
    pdf = _pdf_text((tmp_path / "plan.pdf").read_bytes())
    assert no_bad_characters(pdf) and ROLE in pdf and RULE in pdf
    plan, problems = plan_from_json((tmp_path / "plan.json").read_bytes())
    assert problems == [] and plan.roles[0].name == ROLE


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf"])
def test_each_renderer_cleans_its_own_input(fmt: str) -> None:
    # Every bad character, surrogates too, straight into the renderer: it alone stands between
    # the text and the file.
    doc = Document(lang="zh", title=f"晨光{DIRTY}营", subtitle=DIRTY, cover=[(DIRTY, f"领{DIRTY}教")], blocks=[
        Heading(f"开营{DIRTY}仪式"), Paragraph(f"领{DIRTY}教\r\n{DIRTY}"), Bullets((DIRTY, f"开营{DIRTY}仪式")),
        Table((DIRTY, "b"), ((f"领{DIRTY}教", f"a\r{DIRTY}b"),)),
    ])
    data = render(doc, fmt)
    shown = {"md": lambda: data.decode("utf-8"), "html": lambda: data.decode("utf-8"),
             "docx": lambda: "\n".join(_docx_text(data)), "pdf": lambda: _pdf_text(data)}[fmt]()
    assert no_bad_characters(shown) and ROLE in shown and RULE in shown


def test_sop_files_export_and_read_back() -> None:
    plan = dirty_plan()
    schedule = sop.expand(plan)
    text = sop_export.to_csv(schedule, plan, "zh").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert no_bad_characters(text) and len(rows) == len(schedule.tasks) + 1
    assert ROLE in text and RULE in text
    book = openpyxl.load_workbook(io.BytesIO(sop_export.to_xlsx(schedule, plan, "zh")))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(no_bad_characters(c) for c in cells) and ROLE in cells and RULE in cells
    calendar = Calendar.from_ical(sop_export.to_ics(schedule, plan, "zh"))
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert summaries and all(no_bad_characters(s) for s in summaries)
    assert f"[{ROLE}] {RULE}" in summaries
    assert no_bad_characters(str(calendar["X-WR-CALNAME"]))


# --- (c) a chart that cannot be drawn ----------------------------------------------------------
class PanicException(BaseException):
    """Stands in for pyo3's PanicException, which derives from BaseException."""


@pytest.mark.parametrize("error", [PanicException("boom"), ValueError("bad spec"), RuntimeError("engine")])
def test_a_chart_that_fails_becomes_a_note(error: BaseException, monkeypatch: pytest.MonkeyPatch) -> None:
    import vl_convert

    def fail(*_args: object, **_kwargs: object) -> bytes:
        raise error

    monkeypatch.setattr(vl_convert, "vegalite_to_png", fail)
    doc = build_document(rich_plan(), "zh")
    assert doc.images() == []
    texts = [getattr(b, "text", "") for b in doc.blocks]
    assert "图表“运营阶段时间线”无法绘制，已略去。" in texts
    assert len(render(doc, "docx")) > 1000


def test_keyboard_interrupt_still_stops_a_chart(monkeypatch: pytest.MonkeyPatch) -> None:
    import vl_convert

    def stop(*_args: object, **_kwargs: object) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(vl_convert, "vegalite_to_png", stop)
    with pytest.raises(KeyboardInterrupt):
        build_document(rich_plan(), "zh")


# --- the command line --------------------------------------------------------------------------
@pytest.fixture
def dirty_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    # ensure_ascii: the file itself is valid UTF-8; the bad characters are JSON escapes in it.
    path.write_text(json.dumps(dirty_plan(DIRTY).model_dump(mode="json")), encoding="ascii")
    return path


def _run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=ROOT, capture_output=True)


def _terminal_safe(output: bytes) -> str:
    text = output.decode("utf-8")
    assert no_bad_characters(text) and "\r" not in text
    return text


@pytest.mark.parametrize("extra", [[], ["--json"]], ids=["text", "json"])
def test_cli_doctor_prints_no_control_characters(dirty_file: Path, extra: list[str]) -> None:
    done = _run("doctor", str(dirty_file), *extra)
    assert done.returncode in (0, 1) and b"Traceback" not in done.stderr
    assert NAME in _terminal_safe(done.stdout)
    _terminal_safe(done.stderr)


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf", "json"])
def test_cli_export_of_such_a_plan(dirty_file: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    done = _run("export", str(dirty_file), "--format", fmt, "--out", str(out))
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    _terminal_safe(done.stdout)
    _terminal_safe(done.stderr)
    data = out.read_bytes()
    shown = {"docx": lambda: "\n".join(_docx_text(data)), "pdf": lambda: _pdf_text(data)}.get(
        fmt, lambda: data.decode("utf-8"))()
    assert no_bad_characters(shown) and ROLE in shown and RULE in shown


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ics"])
def test_cli_sop_of_such_a_plan(dirty_file: Path, tmp_path: Path, fmt: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
    from planner.commands.cli import main

    out = tmp_path / f"out.{fmt}"
    assert main(["sop", str(dirty_file), "--out", str(out)]) == 0
    assert no_bad_characters(capsys.readouterr().err)
    if fmt == "xlsx":
        book = openpyxl.load_workbook(out)
        assert ROLE in [c.value for row in book.worksheets[0].iter_rows() for c in row]
    else:
        text = out.read_bytes().decode("utf-8-sig")
        assert no_bad_characters(text) and ROLE in text
