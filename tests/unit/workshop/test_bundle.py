"""The workshop ZIP read back: file names from participant names (safe, unique), every PDF opens
with pypdf, every DOCX with python-docx, the summary XLSX with openpyxl, formula-like names
neutralised."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from openpyxl import load_workbook

from planner.plan.examples import new_blank_plan
from planner.store import ParticipantStore, StorageError, WorkshopStore, open_store
from planner.workshop import workshop_zip, zip_names
from planner.workshop.bundle import safe_name

NAMES = ["小明", "小明", '=HYPERLINK("http://evil.example","点我")', "CON", "../../etc/passwd"]


def test_safe_unique_names() -> None:
    assert zip_names(NAMES) == ["小明", "小明-2", "HYPERLINK-http-evil-example-点我", "CON-", "etc-passwd"]
    assert zip_names(["Ann", "ann", "ANN-2"]) == ["Ann", "ann-2", "ANN-2-2"]
    assert zip_names(["汇总-ABC234"], reserved=["汇总-ABC234"]) == ["汇总-ABC234-2"]
    assert safe_name("   ") == "participant" and len(safe_name("长" * 100)) == 40


@pytest.mark.parametrize("workers", [1, 2])
def test_zip_read_back(tmp_path: Path, workers: int) -> None:
    store = open_store(str(tmp_path / "zip.sqlite3"))
    try:
        shops = WorkshopStore(store)
        made, _ = shops.create("导出练习", new_blank_plan("空白方案", "zh"))
        people = [shops.join(made.code, name) for name in (NAMES if workers == 1 else NAMES[:2])]
        person, token = people[0]
        mine = ParticipantStore(store, token)
        plan, version = mine.get_versioned(person.plan_id)
        plan.positioning.why = "=1+1 让早起的人更从容"
        mine.save_if(plan, version)
        seen: list[tuple[int, int]] = []
        data = workshop_zip(store, made.code.lower(), "zh", workers=workers, progress=lambda d, t: seen.append((d, t)))
        with pytest.raises(StorageError):
            workshop_zip(store, "ZZZZZZ" if made.code != "ZZZZZZ" else "YYYYYY", "zh")
    finally:
        store.close()
    count = len(people)
    assert seen[-1] == (count, count)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    bases = zip_names([p.name for p, _ in people])
    summary = f"汇总-{made.code}.xlsx"
    assert sorted(archive.namelist()) == sorted([*(f"{b}.{ext}" for b in bases for ext in ("pdf", "docx")), summary])
    for base, (p, _) in zip(bases, people, strict=True):
        pdf = pypdf.PdfReader(io.BytesIO(archive.read(f"{base}.pdf")))
        assert len(pdf.pages) >= 1
        document = docx.Document(io.BytesIO(archive.read(f"{base}.docx")))
        text = "\n".join(par.text for par in document.paragraphs)
        assert p.name in text  # the plan is named after its participant
    first = docx.Document(io.BytesIO(archive.read(f"{bases[0]}.docx")))
    cells = [cell.text for table in first.tables for row in table.rows for cell in row.cells]
    assert any("让早起的人更从容" in t for t in [*(par.text for par in first.paragraphs), *cells])
    sheet = load_workbook(io.BytesIO(archive.read(summary))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("学员", "完成度（%）", "错误", "警告")
    assert [r[0] for r in rows[1:]] == [p.name if not p.name.startswith("=") else "'" + p.name for p, _ in people]
    for row in rows[1:]:
        assert isinstance(row[1], int) and isinstance(row[2], int) and isinstance(row[3], int)
        assert not any(isinstance(v, str) and v[:1] in "=+-@" for v in row)
    if workers == 1:
        formula = rows[3]
        assert formula[0] == '\'=HYPERLINK("http://evil.example","点我")'
        assert sheet.cell(4, 1).data_type == "s"  # text, not a formula
        assert rows[3][8] == "HYPERLINK-http-evil-example-点我.pdf, HYPERLINK-http-evil-example-点我.docx"
