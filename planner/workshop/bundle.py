"""The end of a workshop as one ZIP: every participant's plan as PDF and DOCX, and a summary
spreadsheet (name, completeness, errors, warnings, current step, last activity, main problems).

File names come from the participants' display names, made safe for every file system (letters,
digits and CJK kept, the rest '-', Windows' reserved names avoided) and unique without regard to
case ("小明.pdf", "小明-2.pdf"). Every text cell of the spreadsheet goes through
planner.safe_cells.neutralise: a participant called "=HYPERLINK(…)" stays text.

The PDF is the slow part (about 2.5 s for a full example plan on this machine, the DOCX 1 s and the
shared document with its charts 1.3 s), so the plans are rendered in worker processes, one per core
(`workers`); `progress(done, total)` reports each finished plan."""

from __future__ import annotations

import hashlib
import io
import os
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from multiprocessing import get_context
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from planner import i18n
from planner.export import build_document, render
from planner.plan_core.json_io import plan_from_json, plan_to_json
from planner.safe_cells import neutralise
from planner.store import PlanStore, StorageError, WorkshopStore
from planner.workshop.report import workshop_report

MAX_NAME_CHARS = 40
# Names Windows will not give a file, whatever the extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_WORKERS = 4

Progress = Callable[[int, int], None]


def safe_name(name: str) -> str:
    """A file name (without extension) from a display name."""
    text = "".join(ch if ch.isalnum() else "-" for ch in name)
    while "--" in text:
        text = text.replace("--", "-")
    text = text.strip("-")[:MAX_NAME_CHARS].strip("-") or "participant"
    return f"{text}-" if text.upper() in _RESERVED else text


def zip_names(names: Sequence[str], reserved: Sequence[str] = ()) -> list[str]:
    """Safe, unique (case-insensitively) base names for `names`, in order, none of them in `reserved`."""
    taken = {r.lower() for r in reserved}
    out = []
    for name in names:
        base = safe_name(name)
        candidate, n = base, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate.lower())
        out.append(candidate)
    return out


def render_plan(body: str, lang: str) -> tuple[bytes, bytes]:
    """(PDF, DOCX) of a plan's JSON, one document built for both. A top-level function: it runs in
    the worker processes."""
    plan, problems = plan_from_json(body)
    if plan is None:
        raise ValueError(f"unreadable plan: {[p.key for p in problems]}")
    document = build_document(plan, lang)
    return render(document, "pdf"), render(document, "docx")


# Rendered plans by (JSON, language) digest: exporting again (a second click, a rerun of the page,
# the command line after the page) renders only the plans changed since. About 0.5 MB a plan.
_RENDERED: OrderedDict[str, tuple[bytes, bytes]] = OrderedDict()
CACHE_PLANS = 64
_CACHE_LOCK = threading.Lock()


def _digest(body: str, lang: str) -> str:
    return hashlib.sha256(f"{lang}\x00{body}".encode()).hexdigest()


def _render_all(jobs: list[str], lang: str, workers: int, progress: Progress | None) -> list[tuple[bytes, bytes]]:
    keys = [_digest(body, lang) for body in jobs]
    with _CACHE_LOCK:
        known = {k: _RENDERED[k] for k in keys if k in _RENDERED}
    todo = [body for body, k in zip(jobs, keys, strict=True) if k not in known]
    done = len(jobs) - len(todo)

    def step(finished: int, _: int) -> None:
        if progress:
            progress(done + finished, len(jobs))

    fresh = iter(_render_fresh(todo, lang, workers, step))
    results = []
    for k in keys:
        if k not in known:
            known[k] = next(fresh)
            with _CACHE_LOCK:
                _RENDERED[k] = known[k]
                _RENDERED.move_to_end(k)
                while len(_RENDERED) > CACHE_PLANS:
                    _RENDERED.popitem(last=False)
        results.append(known[k])
    return results


def _render_fresh(jobs: list[str], lang: str, workers: int, progress: Progress | None) -> list[tuple[bytes, bytes]]:
    total = len(jobs)
    if workers > 1 and total > 1:
        try:
            # spawn: the app's server runs threads, which a forked child must not inherit.
            with ProcessPoolExecutor(max_workers=min(workers, total), mp_context=get_context("spawn")) as pool:
                futures = [pool.submit(render_plan, body, lang) for body in jobs]
                results = []
                for done, future in enumerate(futures, start=1):
                    results.append(future.result())
                    if progress:
                        progress(done, total)
                return results
        except (BrokenProcessPool, OSError):  # no processes to be had here: do it in this one
            pass
    results = []
    for done, body in enumerate(jobs, start=1):
        results.append(render_plan(body, lang))
        if progress:
            progress(done, total)
    return results


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else ""


def summary_xlsx(rows: list[dict[str, Any]], files: list[str], lang: str) -> bytes:
    """The summary spreadsheet: one row per participant, every text cell neutralised."""
    book = Workbook()
    sheet = book.active
    sheet.title = i18n.t("workshop.summary.sheet", lang)[:31]
    headers = ["name", "completeness", "errors", "warnings", "last_step", "last_seen", "joined", "findings", "files"]
    sheet.append([i18n.t(f"workshop.summary.{h}", lang) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row, base in zip(rows, files, strict=True):
        step = row["last_step"]
        values = [
            row["name"],
            row["completeness"],
            row["errors"],
            row["warnings"],
            row["step_labels"].get(step, step),
            _when(row["last_seen"]),
            _when(row["joined_at"]),
            "\n".join(row["findings"]),
            f"{base}.pdf, {base}.docx" if not row["missing"] else "",
        ]
        sheet.append([neutralise(v) for v in values])
        sheet.cell(sheet.max_row, 8).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHI", (18, 12, 8, 8, 16, 20, 20, 70, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def workshop_zip(
    store: PlanStore | WorkshopStore,
    code: str,
    lang: str,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The ZIP of workshop `code`: `<name>.pdf` and `<name>.docx` per participant and
    `<summary>-<CODE>.xlsx`. `workers` processes render the plans (default: one per core, at most
    MAX_WORKERS; 1 renders here). StorageError("storage.not_found") for an unknown code."""
    workshops = store if isinstance(store, WorkshopStore) else WorkshopStore(store)
    workshop = workshops.get(code)
    rows = workshop_report(workshops, workshop.code, lang)
    summary = f"{safe_name(i18n.t('workshop.summary.sheet', lang))}-{workshop.code}"
    files = zip_names([r["name"] for r in rows], reserved=[summary])
    bodies: list[str] = []
    present: list[int] = []
    for index, row in enumerate(rows):
        if row["missing"]:
            continue
        try:
            bodies.append(plan_to_json(workshops.store.get(row["plan_id"])))
        except StorageError as exc:  # deleted since the report was made
            if exc.key != "storage.not_found":
                raise
            row["missing"] = True
            continue
        present.append(index)
    count = workers if workers is not None else min(os.cpu_count() or 1, MAX_WORKERS)
    rendered = _render_all(bodies, lang, count, progress)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, (pdf, docx) in zip(present, rendered, strict=True):
            archive.writestr(f"{files[index]}.pdf", pdf)
            archive.writestr(f"{files[index]}.docx", docx)
        archive.writestr(f"{summary}.xlsx", summary_xlsx(rows, files, lang))
    return out.getvalue()
