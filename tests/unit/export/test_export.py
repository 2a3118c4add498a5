"""Export: every format is opened again and checked — headings and names in DOCX, Chinese text
and a non-blank first page in PDF, no live markup from user text in HTML or Markdown, JSON that
re-imports to the same plan, and every shipped example in every format."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image as PILImage
from PIL import ImageStat

from models.plan import Plan
from planner import i18n
from planner.export import FORMATS, ZIP, build_document, delivered_as, export_plan, file_name, render
from planner.export.html import render_html
from planner.export.markdown import escape, render_markdown
from planner.export.model import Bullets, Document, Heading, Paragraph, Table
from planner.plan.examples import example_slugs, load_example
from planner.plan_core.json_io import plan_from_json
from tests.unit.export_plans import IMG, PLAN_NAME, QUIET, SCRIPT, TALKER, hostile_plan, member_log, rich_plan

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

STEP_SECTIONS = (
    "summary", "research", "elements", "positioning", "lifecycle", "roles", "sop", "replication",
    "compliance", "kpis",
)


@pytest.fixture(scope="module")
def zh_doc() -> Document:
    return build_document(rich_plan(), "zh")


def _texts(doc: Document) -> list[str]:
    out = [doc.title, doc.subtitle, *(v for pair in doc.cover for v in pair)]
    for block in doc.blocks:
        if isinstance(block, (Heading, Paragraph)):
            out.append(block.text)
        elif isinstance(block, Bullets):
            out += block.items
        elif isinstance(block, Table):
            out += [*block.columns, *(c for row in block.rows for c in row)]
    return out


# --- the document model ------------------------------------------------------------------------
@pytest.mark.parametrize("lang", i18n.LANGS)
def test_document_has_a_section_per_step_in_order(lang: str) -> None:
    doc = build_document(rich_plan(), lang, charts=False)
    expected = [i18n.t(f"export.section.{s}", lang) for s in STEP_SECTIONS]
    top = doc.headings(1)
    assert [h for h in top if h in expected] == expected
    assert doc.title == PLAN_NAME


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_no_catalog_key_leaks_into_the_document(lang: str) -> None:
    doc = build_document(rich_plan(), lang, charts=False)
    leaked = [t for t in _texts(doc) if re.fullmatch(r"(export|sop|summary|doctor|data)\.[a-z_.0-9]+", t)]
    assert leaked == []


def test_document_carries_the_plan_content(zh_doc: Document) -> None:
    texts = "\n".join(_texts(zh_doc))
    for value in ("六点起床，给自己多一小时", "晨光运营小组", "2026-03-01 – 2026-03-21", "每天 6:30 前打卡",
                  "同伴监督与方法", "长期主义", "督促打卡", "欢迎来到{group_name}！", "每月开一期", "不公开成员手机号",
                  "入营人数"):
        assert value in texts, value


def test_stage_timeline_becomes_an_image(zh_doc: Document) -> None:
    described = [img.alt_text for img in zh_doc.images()]  # the caption, shown only if the title does not say it
    assert i18n.t("export.caption.timeline", "zh") in described
    for img in zh_doc.images():
        assert img.png.startswith(b"\x89PNG") and img.width_px > 100 and img.height_px > 50


def test_charts_can_be_left_out_for_a_fast_preview() -> None:
    assert build_document(rich_plan(), "zh", charts=False).images() == []


def test_empty_plan_still_builds_with_visible_gaps() -> None:
    from models.plan import Plan

    doc = build_document(Plan(), "en", charts=False)
    assert doc.title == i18n.t("plan.untitled", "en")
    assert i18n.t("export.empty", "en") in _texts(doc)


def test_progress_is_reported_up_to_done() -> None:
    seen: list[float] = []
    build_document(rich_plan(), "en", charts=False, progress=lambda f, _label: seen.append(f))
    assert seen[0] == 0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_doctor_findings_form_an_appendix(zh_doc: Document) -> None:
    from planner.plan.doctor import diagnose, render_finding

    findings = diagnose(rich_plan())
    title = i18n.t("export.section.findings", "zh")
    assert title in zh_doc.headings(1)
    texts = _texts(zh_doc)
    for f in findings:
        assert render_finding(f, "zh")[0] in texts


def _stage_overlap_plan() -> Plan:
    plan = rich_plan()
    plan.lifecycle.stages[1].start_day = 3  # 促活 starts while 拉新 still runs: a stage warning
    plan.elements.structure.group_rules = []  # an error too (overlapping stages are only a warning now)
    return plan


def _findings_table(doc: Document) -> Table:
    column = i18n.t("export.col.severity", doc.lang)
    return next(b for b in doc.blocks if isinstance(b, Table) and column in b.columns)


def test_findings_show_labels_not_raw_enum_values() -> None:
    from models.enums import Stage
    from models.problems import Severity, Step
    from planner.plan.doctor import diagnose

    plan = _stage_overlap_plan()
    found = diagnose(plan)
    staged = [f for f in found if any(isinstance(v, Stage) for v in f.params.values())]
    assert staged, "the plan must give a finding with a stage parameter"
    rows = _findings_table(build_document(plan, "en", charts=False)).rows
    assert len(rows) == len(found)
    raw_words = {e.value for enum in (Severity, Step, Stage) for e in enum}
    for (severity, step, message, fix), finding in zip(rows, found, strict=True):
        assert severity == i18n.enum_label(finding.severity, "en") and severity not in raw_words
        assert step == i18n.enum_label(finding.step, "en") and step not in raw_words
        for value in finding.params.values():
            if isinstance(value, Stage):
                assert i18n.enum_label(value, "en") in message
        # stage and severity values are not English prose words here (step names like "research" are)
        words = set(re.findall(r"[a-z_]+", f"{message} {fix}"))
        assert not words & {e.value for enum in (Severity, Stage) for e in enum}, (message, fix)


def test_chinese_findings_show_chinese_severities_and_stages() -> None:
    rows = _findings_table(build_document(_stage_overlap_plan(), "zh", charts=False)).rows
    assert {row[0] for row in rows} == {"错误", "警告", "建议"}  # the words of the doctor page and its intro
    assert any("拉新" in row[2] and "促活" in row[2] for row in rows)
    assert not any(re.search(r"[A-Za-z]", row[1]) and "SOP" not in row[1] for row in rows)


def test_metric_dictionary_is_an_appendix(zh_doc: Document) -> None:
    metrics = pytest.importorskip("planner.data.metrics")
    assert i18n.t("export.section.dictionary", "zh") in zh_doc.headings(1)
    texts = _texts(zh_doc)
    assert all(entry["definition"] in texts for entry in metrics.dictionary("zh"))


# --- DOCX --------------------------------------------------------------------------------------
def test_docx_holds_every_heading_and_the_plan_name(zh_doc: Document) -> None:
    opened = docx.Document(io.BytesIO(render(zh_doc, "docx")))
    paragraphs = [p.text for p in opened.paragraphs]
    cells = [c.text for t in opened.tables for row in t.rows for c in row.cells]
    assert PLAN_NAME in paragraphs
    headings = [p.text for p in opened.paragraphs if p.style.name.startswith("Heading")]
    assert headings == zh_doc.headings()
    assert "督促打卡" in cells


def test_docx_names_an_east_asian_font_without_theme_overrides(zh_doc: Document) -> None:
    opened = docx.Document(io.BytesIO(render(zh_doc, "docx")))
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        fonts = opened.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")), name
        assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None, name
        assert opened.styles[name].element.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    run = next(r for p in opened.paragraphs for r in p.runs if r.text == PLAN_NAME)
    assert run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_docx_embeds_the_charts(zh_doc: Document) -> None:
    opened = docx.Document(io.BytesIO(render(zh_doc, "docx")))
    assert len(opened.inline_shapes) == len(zh_doc.images()) >= 1


# --- PDF ---------------------------------------------------------------------------------------
def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


@needs_poppler
def test_pdf_text_holds_the_chinese_plan_name_and_sections(zh_doc: Document, tmp_path: Path) -> None:
    text = _pdf_text(render(zh_doc, "pdf"), tmp_path)
    assert PLAN_NAME in text
    flat = re.sub(r"\s+", "", text)
    for heading in zh_doc.headings(1):
        assert re.sub(r"\s+", "", heading) in flat, heading


@needs_poppler
def test_pdf_first_page_renders_to_a_non_blank_png(zh_doc: Document, tmp_path: Path) -> None:
    (tmp_path / "plan.pdf").write_bytes(render(zh_doc, "pdf"))
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(tmp_path / "plan.pdf"),
                    str(tmp_path / "page")], check=True)
    page = PILImage.open(next(tmp_path.glob("page*.png"))).convert("L")
    assert ImageStat.Stat(page).var[0] > 50  # a white page has variance 0


@needs_poppler
def test_pdf_drops_glyphs_the_font_lacks_but_keeps_the_text(tmp_path: Path) -> None:
    plan = rich_plan()
    plan.meta.name = "早起🌅营"
    text = _pdf_text(export_plan(plan, "pdf", "zh"), tmp_path)
    assert "早起营" in text


# --- HTML --------------------------------------------------------------------------------------
class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Collector:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_html_from_hostile_plan_has_no_live_markup(lang: str) -> None:
    page = _parse(render(build_document(hostile_plan(), lang), "html").decode("utf-8"))
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "iframe", "svg", "object", "embed"}
    for tag, attrs in page.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert "javascript:" not in (value or "").lower(), (tag, name)
        if tag == "img":
            assert dict(attrs)["src"].startswith("data:image/png;base64,")
        if tag == "a":
            assert dict(attrs)["href"].startswith("#")
    # The markup is still there, as the text the user typed.
    text = "".join(page.text)
    assert SCRIPT in text and IMG in text


def test_html_is_self_contained_and_printable(zh_doc: Document) -> None:
    html = render_html(zh_doc)
    page = _parse(html)
    assert not any(tag in ("link", "script") for tag, _ in page.tags)
    assert re.search(r"src=\"(?!data:)", html) is None
    assert "@media print" in html and "Content-Security-Policy" in html
    assert html.count("data:image/png;base64,") == len(zh_doc.images())


def test_html_detector_catches_unescaped_markup() -> None:
    """The check above can fail: a document that let markup through is caught."""
    leaky = '<p><img src=x onerror=alert(1)></p><script>alert(1)</script>'
    page = _parse(leaky)
    assert "script" in {t for t, _ in page.tags}
    assert any(n.startswith("on") for _, attrs in page.tags for n, _ in attrs)


# --- Markdown ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "shown"),
    [(SCRIPT, r"\<script\>alert(1)\</script\>"), ("[点我](javascript:x)", r"\[点我\](javascript:x)"),
     ("# 标题", r"\# 标题"), ("1. 第一", r"1\. 第一"), ("- 项", r"\- 项"), ("2026-03-01 a_b", r"2026-03-01 a\_b")],
)
def test_markdown_escape(raw: str, shown: str) -> None:
    assert escape(raw) == shown


def test_markdown_from_hostile_plan_has_no_raw_html_or_links() -> None:
    md = render_markdown(build_document(hostile_plan(), "zh"), images=False)
    assert re.search(r"(?<!\\)<", md) is None  # every < escaped
    assert re.search(r"(?<!\\)\]\(", md) is None  # no link or image syntax from user text


def test_markdown_with_charts_is_a_zip_whose_links_resolve(zh_doc: Document, tmp_path: Path) -> None:
    data = render(zh_doc, "md")
    assert delivered_as("md", data) is ZIP and file_name(rich_plan(), "md", data).endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(tmp_path)
    md = (tmp_path / "document.md").read_text(encoding="utf-8")
    assert md.startswith(f"# {PLAN_NAME}") and "data:image" not in md  # no base64 in the text
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    assert len(links) == len(zh_doc.images()) >= 2
    for link, image in zip(links, zh_doc.images(), strict=True):
        assert (tmp_path / link).read_bytes() == image.png  # relative, beside the text
    assert "](" not in render_markdown(zh_doc, images=False)


def test_markdown_without_charts_stays_one_file() -> None:
    doc = build_document(rich_plan(), "zh", charts=False)
    data = render(doc, "md")
    assert data.decode("utf-8").startswith(f"# {PLAN_NAME}") and delivered_as("md", data) is FORMATS["md"]
    assert file_name(rich_plan(), "md", data).endswith(".md")


def test_cli_markdown_with_charts_writes_the_charts_beside_it(tmp_path: Path) -> None:
    from planner.commands.cli import main
    from planner.plan_core.json_io import plan_to_json

    (tmp_path / "plan.json").write_text(plan_to_json(rich_plan()), encoding="utf-8")
    out = tmp_path / "out" / "plan.md"
    out.parent.mkdir()
    assert main(["export", str(tmp_path / "plan.json"), "--format", "md", "--out", str(out)]) == 0
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", out.read_text(encoding="utf-8"))
    assert links and all((out.parent / link).read_bytes()[:4] == b"\x89PNG" for link in links)
    zipped = tmp_path / "plan.zip"
    assert main(["export", str(tmp_path / "plan.json"), "--format", "md", "--out", str(zipped)]) == 0
    assert zipfile.is_zipfile(zipped)


# --- JSON --------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [rich_plan, hostile_plan])
def test_json_round_trip_is_equal(make: Callable[[], Plan]) -> None:
    plan = make()
    back, problems = plan_from_json(export_plan(plan, "json", "zh"))
    assert problems == [] and back == plan


# --- member data -------------------------------------------------------------------------------
def test_analysis_adds_actual_values_and_data_charts(tmp_path: Path) -> None:
    sample_data = pytest.importorskip("planner.data.sample")
    from planner.data.analytics import analyze
    from planner.data.ingest import load_files

    plan = rich_plan()
    plan.lifecycle.start_date = date(2026, 1, 5)  # KPIs fall due inside the sample's days
    sample = sample_data.generate(members=60, days=40, seed=3, start=date(2026, 1, 5))
    files = list(sample_data.to_files(sample).items())
    analysis = analyze(load_files(files, plan=plan), plan)
    doc = build_document(plan, "en", analysis)
    kpi_table = next(b for i, b in enumerate(doc.blocks) if isinstance(b, Table)
                     and i18n.t("export.col.actual", "en") in b.columns)
    assert len(kpi_table.rows) == len(plan.kpis)
    assert i18n.t("export.kpis.data", "en") in doc.headings(2)
    assert len(doc.images()) > len(build_document(plan, "en").images())


# --- pseudonymisation ---------------------------------------------------------------------------
def _exported_texts(plan: Plan, analysis: object, tmp_path: Path) -> dict[str, str]:
    doc = build_document(plan, "zh", analysis)
    opened = docx.Document(io.BytesIO(render(doc, "docx")))
    texts = {
        "md": render_markdown(doc),
        "html": render(doc, "html").decode("utf-8"),
        "docx": "\n".join([p.text for p in opened.paragraphs]
                          + [c.text for t in opened.tables for row in t.rows for c in row.cells]),
        "json": export_plan(plan, "json", "zh").decode("utf-8"),
    }
    if shutil.which("pdftotext"):
        texts["pdf"] = _pdf_text(render(doc, "pdf"), tmp_path)
    return texts


@pytest.mark.parametrize("on", [False, True], ids=["names", "pseudonymised"])
def test_pseudonymise_keeps_member_names_and_ids_out_of_every_format(on: bool, tmp_path: Path) -> None:
    from planner.data.analytics import analyze

    plan = rich_plan()
    plan.data.pseudonymise = on
    analysis = analyze(member_log(), plan)
    assert {a["nickname"] for a in analysis.inactivity} == set(QUIET.values())
    identities = [*QUIET, *QUIET.values(), *TALKER, *TALKER.values()]
    for fmt, shown in _exported_texts(plan, analysis, tmp_path).items():
        if fmt == "json":  # the plan itself: never member data
            assert not [n for n in identities if n in shown]
        elif on:
            assert not [n for n in identities if n in shown], fmt
            assert "成员-0001" in shown and "成员-0002" in shown, fmt
        else:  # the same document names the members when the switch is off, so the check above can fail
            assert all(n in shown for n in QUIET.values()), fmt
    assert analysis.inactivity[0]["nickname"] in QUIET.values()  # the caller's analysis is left as it was


@pytest.mark.parametrize("on", [False, True], ids=["names", "pseudonymised"])
def test_cli_export_with_data_follows_the_switch(on: bool, tmp_path: Path) -> None:
    from planner.commands.cli import main
    from planner.plan_core.json_io import plan_to_json

    plan = rich_plan()
    plan.data.pseudonymise = on
    (tmp_path / "plan.json").write_text(plan_to_json(plan), encoding="utf-8")
    log = member_log().activity.rename(columns={"member_id": "成员ID", "nickname": "昵称", "time": "时间",
                                                 "action": "行为"}).drop(columns="amount")
    log.to_csv(tmp_path / "行为日志.csv", index=False)
    out = tmp_path / "plan.md"
    assert main(["export", str(tmp_path / "plan.json"), "--format", "md", "--out", str(out),
                 "--data", str(tmp_path / "行为日志.csv")]) == 0
    shown = out.read_text(encoding="utf-8")
    assert all((n in shown) != on for n in QUIET.values())
    assert ("成员-0001" in shown) == on


def test_pseudonymised_analysis_uses_the_data_pages_aliases() -> None:
    from planner.data.analytics import analyze
    from planner.data.pseudonym import pseudonymise_analysis

    analysis = analyze(member_log())
    hidden = pseudonymise_analysis(analysis, prefix=i18n.t("data.alias_prefix", "zh"))
    table = hidden.member_table
    assert list(table["member_id"]) == list(table["nickname"]) == ["成员-0001", "成员-0002", "成员-0003"]
    by_alias = dict(zip(table["member_id"], analysis.member_table["member_id"], strict=True))
    assert [by_alias[a["member_id"]] for a in hidden.inactivity] == [a["member_id"] for a in analysis.inactivity]
    for before, after in zip(analysis.presence, hidden.presence, strict=True):
        assert after["count"] == before["count"] and [by_alias[m] for m in after["members"]] == before["members"]
    assert (hidden.members, hidden.events, hidden.layers) == (analysis.members, analysis.events, analysis.layers)


def test_data_charts_carry_no_member_names_or_ids() -> None:
    import json

    from planner.data.analytics import analyze
    from planner.data.charts import export_charts

    analysis = analyze(member_log(), rich_plan())
    charts = export_charts(analysis, "zh")
    assert charts
    specs = json.dumps([chart.to_dict() for _caption, chart in charts], ensure_ascii=False)
    assert not [n for n in [*QUIET, *QUIET.values(), *TALKER, *TALKER.values()] if n in specs]


# --- every shipped example in every format -----------------------------------------------------
@pytest.mark.parametrize("slug", example_slugs())
def test_every_example_exports_in_every_format(slug: str) -> None:
    plan = load_example(slug)
    doc = build_document(plan, plan.meta.language)
    for fmt in FORMATS:
        data = export_plan(plan, fmt, plan.meta.language, document=doc)
        assert len(data) > 1000, fmt
    opened = docx.Document(io.BytesIO(render(doc, "docx")))
    assert plan.meta.name in [p.text for p in opened.paragraphs]


def test_examples_are_shipped() -> None:
    assert len(example_slugs()) >= 4


def test_file_name_is_safe() -> None:
    plan = rich_plan(name="a/b\\c:早起 营?")
    assert file_name(plan, "pdf") == "a-b-c-早起-营.pdf"
    plan.meta.name = "../"
    assert file_name(plan, "md") == "plan.md"


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        export_plan(rich_plan(), "exe", "zh")


# --- chart images ------------------------------------------------------------------------------
def test_chart_spec_gets_the_cjk_font_and_a_page_width() -> None:
    from planner.export.fonts import FONT_FAMILY
    from planner.export.images import PAGE_WIDTH_PX, page_width, with_font

    spec = with_font({"mark": "bar", "width": "container", "config": {"axis": {"grid": False}}})
    assert spec["config"]["font"] == FONT_FAMILY and spec["config"]["axis"]["labelFont"] == FONT_FAMILY
    assert spec["config"]["axis"]["grid"] is False  # the chart's own settings survive
    assert page_width(spec)["width"] == PAGE_WIDTH_PX
    assert page_width({"hconcat": []}) == {"hconcat": []}  # compound charts keep their layout
