"""Member-data loading: uploaded files → the canonical frames of `planner.data.frames`.

`load_files` never raises on bad input. Every file-level issue and every bad row becomes a
`Problem` (key `data.problem.*`, row / column / value as the spreadsheet shows them); bad rows are
counted and left out. Chat exports are recognised first by `planner.data.chat_formats.detect`; every
other file takes the generic path: `sheets` reads it into a table, `recognise` tells which table it
is from its mapped headers, and `canonical` builds the frame.

Options (a plain dict, all optional):
- "mapping":    {source header: canonical column or "" to ignore} — the user's override;
- "date_order": "dmy" | "mdy" — answer to the day-first / month-first question;
- "max_bytes":  size limit per file (default `MAX_BYTES`, for every format: spreadsheets and chat exports);
- "keep_self":  False leaves the exporting account of a chat export out (default True);
- "chat":       the chat to load from an export that holds several (Telegram full export).
Message text, when a source has it, is never kept: only canonical columns leave this module.
"""

from __future__ import annotations

import csv
from typing import Any

import pandas as pd
import pyarrow as pa

from models.problems import Problem
from planner.data import chat_formats, xlsx_guard
from planner.data.canonical import build_frame
from planner.data.columnar import WORKBOOK_ERRORS, to_utf8
from planner.data.frames import (
    DUPLICATES,
    ID_MISMATCH,
    LoadResult,
    combine,
    is_content_header,
    map_headers,
    match_by_nickname,
    merge,
)
from planner.data.recognise import detect_kind
from planner.data.sheets import csv_head, dedupe, header_index, looks_binary, read_csv, read_xlsx, sheet_rows
from planner.data.text_encoding import MixedEncoding, mixed_encoding_row

# The one size limit per uploaded file, whatever its format (the app, `analyze` and `export --data`).
# .streamlit/config.toml's maxUploadSize says the same in MB (a test keeps them equal).
MAX_BYTES = 200 * 1024 * 1024


MAX_ROW_PROBLEMS = 200  # per upload; the rest are only counted


# What reading a damaged or unexpected file raises (any other exception is a bug of ours); a damaged
# workbook: see columnar.WORKBOOK_ERRORS.
_TRUNCATED = WORKBOOK_ERRORS


_UNREADABLE = (pa.ArrowInvalid, ValueError, csv.Error)


def too_large(name: str, size: int, limit: int | None = None) -> Problem | None:
    """The problem of a file of `size` bytes over the limit (default `MAX_BYTES`), None when it is within."""
    limit = MAX_BYTES if limit is None else int(limit)
    if size <= limit:
        return None
    return Problem(key="data.problem.too_large", params={"mb": round(size / 2**20, 1), "limit": round(limit / 2**20)},
                   file=name)


def _load_one(name: str, data: bytes, options: dict[str, Any], checkin_keywords: list[str] | None,
              budget: list[int], checked: bool = False) -> tuple[str | None, pd.DataFrame | None, list[Problem], int]:
    refused = too_large(name, len(data), options.get("max_bytes"))
    if refused is not None:
        return None, None, [refused], 0
    if not data or data.isspace():
        return None, None, [Problem(key="data.problem.empty", file=name)], 0
    try:
        if data.startswith(b"PK\x03\x04"):
            tbl = read_xlsx(data, checked)
        elif data.startswith(b"\xd0\xcf\x11\xe0"):
            return None, None, [Problem(key="data.problem.old_xls", file=name)], 0
        elif looks_binary(data):
            return None, None, [Problem(key="data.problem.binary", file=name)], 0
        else:
            tbl = read_csv(data, options.get("mapping"))
    except xlsx_guard.WorkbookRefused as exc:
        return None, None, [_refusal(name, exc)], 0
    except _TRUNCATED:
        return None, None, [Problem(key="data.problem.truncated", file=name)], 0
    except MixedEncoding as exc:
        return None, None, [Problem(key="data.problem.mixed_encoding", file=name, row=exc.row)], 0
    except UnicodeError:
        return None, None, [Problem(key="data.problem.encoding", file=name)], 0
    except _UNREADABLE as exc:
        key = "data.problem.truncated" if "quote" in str(exc).lower() else "data.problem.unreadable"
        return None, None, [Problem(key=key, file=name)], 0
    if tbl.table.num_columns == 0 or tbl.table.num_rows == 0:
        return None, None, [Problem(key="data.problem.no_rows", file=name)], 0
    headers = [h for h in tbl.table.column_names if not is_content_header(h)]
    mapping = map_headers(headers, options.get("mapping"))
    kind = detect_kind(set(mapping.values()))
    if kind is None:
        return None, None, [Problem(key="data.problem.unknown_kind", params={"headers": "、".join(headers[:12])},
                                    file=name)], 0
    problems: list[Problem] = []
    if len(tbl.skipped):
        problems.append(Problem(key="data.problem.wrong_field_count", params={"count": len(tbl.skipped)}, file=name))
    frame, row_problems, bad = build_frame(kind, name, tbl, mapping, options, checkin_keywords, budget, problems)
    return kind, frame, problems + row_problems, bad + len(tbl.skipped)


def _refusal(name: str, exc: xlsx_guard.WorkbookRefused) -> Problem:
    return Problem(key=exc.key, params=exc.params, file=name)


def _workbook_refusal(name: str, data: bytes) -> Problem | None:
    """Why an XLSX must not be opened at all (planner.data.xlsx_guard), else None (also for other files, and
    for a damaged zip, which its reader reports)."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        xlsx_guard.check_workbook(data)
    except xlsx_guard.WorkbookRefused as exc:
        return _refusal(name, exc)
    except _TRUNCATED:
        return None
    return None


def load_generic(files: list[tuple[str, bytes]], *, plan: Any = None,
                 options: dict[str, Any] | None = None, _checked: bool = False) -> LoadResult:
    """The generic spreadsheet path alone (no chat-format detection). `_checked`: load_files has already
    run planner.data.xlsx_guard over these files."""
    options = options or {}
    keywords = list(plan.data.checkin_keywords) if plan is not None else None
    budget = [MAX_ROW_PROBLEMS]
    frames: dict[str, list[pd.DataFrame]] = {"activity": [], "members": [], "daily": []}
    result = LoadResult()
    for name, data in files:
        kind, frame, problems, bad = _load_one(name, data, options, keywords, budget, _checked)
        result.problems.extend(problems)
        result.bad_rows += bad
        if kind and frame is not None:
            frames[kind].append(frame)
    if result.bad_rows > MAX_ROW_PROBLEMS and budget[0] <= 0:
        result.problems.append(Problem(key="data.problem.more_bad_rows",
                                       params={"shown": MAX_ROW_PROBLEMS, "count": result.bad_rows}))
    result.activity, result.members, result.daily = (combine(kind, frames[kind])
                                                       for kind in ("activity", "members", "daily"))
    return result


def load_files(files: list[tuple[str, bytes]], *, plan: Any = None,
               options: dict[str, Any] | None = None) -> LoadResult:
    """Chat exports first (`planner.data.chat_formats.detect`), then generic spreadsheets.

    Contract with chat_formats: `detect(files, checkin_keywords=…, keep_self=…, chat=…)` returns
    None when no file is a chat export, else a ChatLoadResult whose `unrecognised` names the files it
    left alone; those go through the generic mapping and both results are merged (format
    "wecom+generic"). The options "keep_self" (default True) and "chat" are the page's choices.
    A file over the size limit, or a workbook over planner.data.xlsx_guard's caps, is refused here, before
    any reader (the chat sniffers open every XLSX) sees it."""
    opts = options or {}
    if opts.get("group_by_file") and len(files) > 1:
        return _load_by_file(files, plan, opts)
    checked = [(name, data, too_large(name, len(data), opts.get("max_bytes")) or _workbook_refusal(name, data))
               for name, data in files]
    if any(refused is not None for *_, refused in checked):
        result = load_files([(name, data) for name, data, refused in checked if refused is None], plan=plan,
                            options=options)
        result.problems[:0] = [refused for *_, refused in checked if refused is not None]
        return result
    keywords = list(plan.data.checkin_keywords) if plan is not None else None
    # No guard here: the chat readers report damaged input as problems themselves, and an exception
    # from them is a bug that must show, not a silent switch to the generic loader.
    detected = chat_formats.detect(files, checkin_keywords=keywords, keep_self=bool(opts.get("keep_self", True)),
                                   chat=opts.get("chat"))
    if detected is None:
        return _upload_notes(load_generic(files, plan=plan, options=options, _checked=True), opts)
    left = set(detected.unrecognised)
    rest = [(name, data) for name, data in files if name in left]
    if not rest:
        return _upload_notes(detected, opts)
    generic = load_generic(rest, plan=plan, options=options, _checked=True)
    detected.problems = [p for p in detected.problems if not (p.file in left and p.key.endswith("not_chat_export"))]
    return _upload_notes(merge([detected, generic]), opts)


def group_label(name: str, result: LoadResult, labels: dict[str, str] | None = None) -> str:
    """A file's group: the user's label, else the chat's name inside an export, else the file name
    without its extension."""
    label = (labels or {}).get(name, "").strip()
    return label or getattr(result, "chat_name", "") or name.rsplit(".", 1)[0]


def _load_by_file(files: list[tuple[str, bytes]], plan: Any, opts: dict[str, Any]) -> LoadResult:
    """Each file loaded on its own and its activity tagged with its group (`group_label`; a group column
    in the file wins), then all of them combined: one upload, several groups."""
    single = {k: v for k, v in opts.items() if k not in ("group_by_file", "match_by")}
    results = []
    for name, data in files:
        one = load_files([(name, data)], plan=plan, options=single)
        if one.activity is not None and "group" not in one.activity:
            label = group_label(name, one, opts.get("group_labels"))
            one.activity = one.activity.assign(group=pd.Categorical([label] * len(one.activity)))
        results.append(one)
    merged = merge(results, into=LoadResult())
    merged.notes = [n for r in results for n in r.notes]
    return _upload_notes(merged, opts)


def _upload_notes(result: LoadResult, opts: dict[str, Any]) -> LoadResult:
    """What combining the files found, as notes (events counted once, ids that cannot match), and the
    option "match_by": "nickname" applied."""
    found = dict(result.activity.attrs) if result.activity is not None else {}
    if found.get(DUPLICATES):
        result.notes.append(Problem(key="data.note.duplicates", params={"count": f"{found[DUPLICATES]:,}"}))
    if opts.get("match_by") == "nickname":
        match_by_nickname(result)
        result.notes.append(Problem(key="data.note.matched_by_nickname"))
    elif found.get(ID_MISMATCH):
        result.notes.append(Problem(key="data.note.id_mismatch"))
    return result


def preview_headers(name: str, data: bytes) -> list[str]:
    """The header row of a spreadsheet file (a CSV's first 64 KB, a workbook's first rows), for the mapping
    override. Blank headers get the names the full load gives them."""
    try:
        if data.startswith(b"PK\x03\x04"):
            rows, _ = sheet_rows(data, limit=10)  # header_index looks at the first ten rows
            if not rows:
                return []
            header = rows[header_index(rows)]
            return dedupe([c.strip() or f"column{i + 1}" for i, c in enumerate(header)])
        # isspace, not strip: strip copies the whole file (80 ms for a 50 MB log) to find one character
        if not data or data.isspace() or looks_binary(data) or data.startswith(b"\xd0\xcf\x11\xe0"):
            return []
        head = data[:65536]
        if mixed_encoding_row(head) is not None:  # garbled headers to map: the full load says why
            return []
        utf8, _ = to_utf8(head)
        _, header, _ = csv_head(utf8.decode("utf-8", errors="ignore"))
        return [h.strip() for h in header] if header is not None else []
    except (*_TRUNCATED, UnicodeError, *_UNREADABLE, xlsx_guard.WorkbookRefused):  # the full load says why
        return []


def files_digest(files: list[tuple[str, bytes]], options: dict[str, Any] | None = None) -> str:
    """A stable hash of the uploaded bytes (and load options): the page's cache key."""
    import hashlib
    import json

    digest = hashlib.sha256()
    for name, data in files:
        digest.update(name.encode("utf-8", "replace") + b"\0" + len(data).to_bytes(8, "big"))
        digest.update(data)
    digest.update(json.dumps(options or {}, sort_keys=True, default=str).encode())
    return digest.hexdigest()
