"""The house rules, read from the code's imports: the core stays pure (nothing in planner/ or models/
imports streamlit or the pages), and the capability packages of planner/ depend on each other in one
direction only, as each package's __init__ says."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE_FILES = sorted([*ROOT.glob("planner/**/*.py"), *ROOT.glob("models/**/*.py")])

# package -> the packages it may import ("basics" = the modules directly under planner/)
MAY_USE: dict[str, set[str]] = {
    "models": set(),
    "basics": {"models", "basics"},
    "plan_core": {"models", "basics"},
    "store": {"models", "basics", "plan_core"},
    "sop": {"models", "basics", "plan_core"},
    "data": {"models", "basics"},
    "plan": {"models", "basics", "plan_core", "sop", "data"},
    "export": {"models", "basics", "plan_core", "sop", "data", "plan"},
    "workshop": {"models", "basics", "plan_core", "plan", "export", "store"},
    "commands": {"models", "basics", "plan_core", "sop", "data", "plan", "export", "store", "workshop"},
}


def imported_modules(path: Path) -> set[str]:
    """Dotted names of every module `path` imports (`from a.b import c` gives a.b and a.b.c)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def part_of(module: str) -> str | None:
    """Which part of the house a dotted module name belongs to (None: outside planner/ and models/)."""
    parts = module.split(".")
    if parts[0] == "models":
        return "models"
    if parts[0] != "planner" or len(parts) < 2:
        return None
    if parts[1] == "__main__":  # `python -m planner` is the command line's door
        return "commands"
    if (ROOT / "planner" / parts[1]).is_dir():
        return parts[1]
    return "basics" if (ROOT / "planner" / f"{parts[1]}.py").exists() else None


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_core_files_found() -> None:
    assert len(CORE_FILES) > 5


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_does_not_import_streamlit_or_pages(path: Path) -> None:
    assert not {m.split(".")[0] for m in imported_modules(path)} & {"streamlit", "pages"}


def test_every_package_has_its_rules() -> None:
    packages = {p.name for p in (ROOT / "planner").iterdir() if (p / "__init__.py").exists()}
    assert packages <= set(MAY_USE), f"add the new package to MAY_USE: {packages - set(MAY_USE)}"
    for name in packages:
        doc = ast.get_docstring(ast.parse((ROOT / "planner" / name / "__init__.py").read_text(encoding="utf-8")))
        assert doc, f"planner/{name}/__init__.py says what lives there and what it may use"


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_packages_depend_one_way(path: Path) -> None:
    own = part_of(_module(path))
    assert own is not None
    allowed = MAY_USE[own] | {own}
    wrong = sorted(m for m in imported_modules(path) if (p := part_of(m)) is not None and p not in allowed)
    assert not wrong, f"{path.relative_to(ROOT)} ({own}) may not import {wrong}"


def test_rules_have_no_cycle() -> None:
    # a topological order exists: each package is placed after all it may use
    placed: list[str] = []
    pending = {name: uses - {name} for name, uses in MAY_USE.items()}
    while pending:
        ready = [name for name, uses in pending.items() if uses <= set(placed)]
        assert ready, f"the rules loop: {pending}"
        placed += ready
        for name in ready:
            del pending[name]


def test_detector_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("import os\nfrom streamlit import session_state\nfrom planner.sop import checks\n",
                      encoding="utf-8")
    found = imported_modules(sample)
    assert {"streamlit", "planner.sop", "planner.sop.checks"} <= found
