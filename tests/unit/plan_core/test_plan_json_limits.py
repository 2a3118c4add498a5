"""Plan JSON that is valid syntax but no plan: non-finite numbers, nesting thousands deep, a 5,001-digit
integer, a lone surrogate. Each gives a localized problem, through `plan_from_json` (the home page's
import) and through every command that reads a plan; never a traceback, never a stored Infinity."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from models.plan import Plan, Role
from models.sop import SopRule, Trigger, TriggerKind
from planner import i18n
from planner.commands.cli import main
from planner.plan_core.json_io import plan_from_json, plan_to_json

ROOT = Path(__file__).resolve().parents[3]


def _base() -> dict:
    plan = Plan(roles=[Role(id="ta", name="助教")])
    plan.sop.rules = [SopRule(name="打卡提醒", owner_role="ta", trigger=Trigger(kind=TriggerKind.WEEKLY, weekdays=[0]))]
    plan.lifecycle.start_date, plan.lifecycle.length_days = date(2026, 3, 2), 14
    return json.loads(plan_to_json(plan))


def _with(path: str, literal: str) -> str:
    """The base plan's JSON with the value at `path` replaced by a raw JSON literal."""
    data, marker = _base(), "__VALUE__"
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(last)] = marker
    else:
        node[last] = marker
    return json.dumps(data, ensure_ascii=False).replace(f'"{marker}"', literal)


NON_FINITE = [
    ("elements.structure.fee", "1e999"),
    ("elements.structure.fee", "-1e999"),
    ("lifecycle.goals", '[{"statement": "x", "target": Infinity}]'),
    ("kpis", '[{"metric": "members", "target": NaN}]'),
    ("lifecycle.conversion_ladder", '[{"name": "年卡", "price": Infinity}]'),
    ("sop.settings.max_marketing_share", "NaN"),
]
@pytest.mark.parametrize(("path", "literal"), NON_FINITE, ids=[f"{p}={v[-12:]}" for p, v in NON_FINITE])
def test_non_finite_numbers_are_refused_naming_the_field(path: str, literal: str) -> None:
    plan, problems = plan_from_json(_with(path, literal), file="plan.json")
    assert plan is None
    assert [p.key for p in problems] == ["validation.finite_number"]
    assert problems[0].column.startswith(path)
    for lang in i18n.LANGS:
        text = i18n.render_problem(problems[0], lang)
        assert "finite_number" not in text and "plan.json" in text
        assert text.endswith(i18n.t("validation.finite_number", lang))


@pytest.mark.parametrize(("lang", "shown"), [
    ("zh", "列/字段 四大要素 › 社群结构 › 费用：应为普通的有限数字，不能是无穷大（Infinity、1e999）或 NaN。"),
    ("en", "column/field four elements › structure › fee: Must be an ordinary finite number, not infinity "
           "(Infinity, 1e999) or NaN."),
])
def test_non_finite_message_names_the_field(lang: str, shown: str) -> None:
    _, problems = plan_from_json(_with("elements.structure.fee", "Infinity"))
    assert i18n.render_problem(problems[0], lang) == shown


def test_finite_numbers_still_load() -> None:
    plan, problems = plan_from_json(_with("elements.structure.fee", "1e300"))
    assert problems == [] and plan.elements.structure.fee == 1e300


BROKEN = {
    "nested_5k": ("plan_io.too_deep", '{"meta": ' + "[" * 5_000 + "]" * 5_000 + "}"),
    "nested_100k": ("plan_io.too_deep", "[" * 100_000 + "]" * 100_000),
    "objects_100k": ("plan_io.too_deep", '{"a": ' * 100_000 + "1" + "}" * 100_000),
    "int_5001_digits": ("plan_io.number_too_long", '{"lifecycle": {"length_days": ' + "7" * 5_001 + "}}"),
    "surrogate_key": ("validation.string_unicode", '{"meta": {"\\ud800": "x"}}'),
    "surrogate_alone": ("plan_io.not_an_object", '"\\ud800"'),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_json_gives_a_localized_problem(case: str) -> None:
    key, raw = BROKEN[case]
    plan, problems = plan_from_json(raw.encode("utf-8"), file="plan.json")
    assert plan is None and problems[0].key == key
    for lang in i18n.LANGS:
        assert i18n.t(key, lang) != key
        i18n.render_problem(problems[0], lang).encode("utf-8")  # printable, no lone surrogate in it


def test_a_lone_surrogate_in_text_is_dropped_and_the_plan_saves() -> None:
    plan, problems = plan_from_json(_with("meta.name", '"晨\\ud800读"'))
    assert problems == [] and plan.meta.name == "晨读"
    plan_to_json(plan).encode("utf-8")


def test_limit_message_says_how_many_digits() -> None:
    _, problems = plan_from_json(BROKEN["int_5001_digits"][1])
    assert "4300" in i18n.render_problem(problems[0], "en") and "4300" in i18n.render_problem(problems[0], "zh")


# --- the command line: every command that reads a plan --------------------------------------
COMMANDS = {
    "doctor": lambda f, out: ["doctor", f],
    "doctor_json": lambda f, out: ["doctor", f, "--json"],
    "export": lambda f, out: ["export", f, "--format", "md", "--out", str(out / "plan.md")],
    "sop": lambda f, out: ["sop", f, "--out", str(out / "plan.csv")],
    "analyze": lambda f, out: ["analyze", str(ROOT / "assets" / "sample" / "行为日志.csv"), "--plan", f],
}
CASES = {
    "infinity": ("validation.finite_number", _with("elements.structure.fee", "Infinity")),
    **{name: BROKEN[name] for name in ("nested_5k", "nested_100k", "int_5001_digits", "surrogate_key")},
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_cli_reports_the_problem_and_exits_2(command: str, case: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    key, raw = CASES[case]
    path = tmp_path / "plan.json"
    path.write_bytes(raw.encode("utf-8"))
    assert main(COMMANDS[command](str(path), tmp_path)) == 2
    captured = capsys.readouterr()
    assert i18n.t(key, "zh") != key and i18n.t(key, "zh").split("{")[0][:8] in captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    assert not (tmp_path / "plan.md").exists() and not (tmp_path / "plan.csv").exists()


@pytest.mark.parametrize("case", ["nested_100k", "int_5001_digits"])
def test_cli_as_a_process_prints_the_message_not_a_traceback(case: str, tmp_path: Path) -> None:
    key, raw = BROKEN[case]
    path = tmp_path / "plan.json"
    path.write_bytes(raw.encode("utf-8"))
    done = subprocess.run([sys.executable, "-m", "planner", "doctor", str(path), "--lang", "en"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    problem = plan_from_json(raw, file="plan.json")[1][0]
    assert problem.key == key and done.stderr.strip() == i18n.render_problem(problem, "en")
