"""Plan JSON in and out. Reading never raises on bad input: it returns problems to show."""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import ValidationError

from models.migrations import NewerSchemaError, upgrade
from models.plan import SCHEMA_VERSION, Plan
from models.problems import Problem
from models.text import clean_value

MAX_PLAN_BYTES = 5 * 1024 * 1024

# The parser's English messages (json.JSONDecodeError.msg, by how they start) → catalog keys, so a
# broken file is explained in the person's language; an unknown message gets the general one.
_JSON_ERRORS: tuple[tuple[str, str], ...] = (
    ("Expecting value", "plan_io.json.value"),
    ("Expecting property name", "plan_io.json.name"),
    ("Expecting ',' delimiter", "plan_io.json.comma"),
    ("Expecting ':' delimiter", "plan_io.json.colon"),
    ("Unterminated string", "plan_io.json.string"),
    ("Invalid control character", "plan_io.json.control"),
    ("Invalid \\", "plan_io.json.escape"),
    ("Extra data", "plan_io.json.extra"),
    ("Illegal trailing comma", "plan_io.json.trailing_comma"),
)


def json_error_key(message: str) -> str:
    return next((key for start, key in _JSON_ERRORS if message.startswith(start)), "plan_io.bad_json")


def plan_to_json(plan: Plan) -> str:
    """Pretty, stable JSON; Chinese text and emoji stay as they are (not \\u-escaped).

    Text is cleaned again here (a plan edited in place skips validation): a lone surrogate would
    make the file impossible to encode as UTF-8, and the file would import differently anyway."""
    return json.dumps(clean_value(plan.model_dump(mode="json")), ensure_ascii=False, indent=2) + "\n"


def _loc(loc: tuple[int | str, ...]) -> str:
    # 0-based list indices become 1-based positions, as a person counts rows.
    return ".".join(str(p + 1) if isinstance(p, int) else p for p in loc)


def validation_problems(error: ValidationError, file: str | None = None) -> list[Problem]:
    problems = []
    for err in error.errors(include_url=False):
        key = f"validation.{err['type']}"
        params = {"detail": err["msg"], **{k: str(v) for k, v in (err.get("ctx") or {}).items()}}
        problems.append(Problem(key=key, params=params, file=file, column=_loc(err["loc"]) or None))
    return problems


def plan_from_dict(data: Any, file: str | None = None) -> tuple[Plan | None, list[Problem]]:
    if not isinstance(data, dict):
        return None, [Problem(key="plan_io.not_an_object", file=file)]
    try:
        upgraded = upgrade(data)
    except NewerSchemaError as exc:
        params = {"found": exc.found, "supported": SCHEMA_VERSION}
        return None, [Problem(key="plan_io.newer_schema", params=params, file=file)]
    except ValueError:
        return None, [Problem(key="plan_io.bad_schema_version", file=file, column="schema_version")]
    try:
        return Plan.model_validate(upgraded), []
    except ValidationError as exc:
        return None, validation_problems(exc, file)


def plan_from_json(raw: bytes | str, file: str | None = None) -> tuple[Plan | None, list[Problem]]:
    """Parse, upgrade and validate plan JSON. Returns (plan, []) or (None, problems)."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_PLAN_BYTES:
            return None, [Problem(key="plan_io.too_large", params={"mb": MAX_PLAN_BYTES // 2**20}, file=file)]
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, [Problem(key="plan_io.not_utf8", file=file)]
    if not raw.strip():
        return None, [Problem(key="plan_io.empty", file=file)]
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return None, [Problem(key=json_error_key(exc.msg), file=file, row=exc.lineno, column=str(exc.colno))]
    except RecursionError:
        # Arrays or objects nested about a thousand deep or more: the parser runs out of stack.
        return None, [Problem(key="plan_io.too_deep", file=file)]
    except ValueError:
        # Valid JSON syntax can still fail to convert: only an integer longer than Python converts
        # (sys.get_int_max_str_digits, 4300 by default) does that; syntax errors are caught above.
        return None, [Problem(key="plan_io.number_too_long", params={"digits": sys.get_int_max_str_digits()},
                              file=file)]
    return plan_from_dict(data, file)
