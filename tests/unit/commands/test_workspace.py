"""The command line acting as a team member (`--as EMAIL`): `workspace create|invite|list|adopt` and
`plans list|show|import|export --as`, on SQLite and PostgreSQL; a refused action is one localized
line and exit 2, also as a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models import Plan
from planner.commands.cli import main
from planner.plan_core.json_io import plan_to_json
from planner.store import Role, TeamStore, open_store

ROOT = Path(__file__).resolve().parents[3]
ANN, BOB = "ann@example.com", "bob@example.com"


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = str(tmp_path / "cli.sqlite3") if request.param == "sqlite" else request.getfixturevalue("pg_db")
    monkeypatch.setenv("COMMUNITY_PLANNER_DB", url)
    return url


def plan_file(tmp_path: Path, name: str = "读书会 📚") -> tuple[Plan, Path]:
    plan = Plan()
    plan.meta.name = name
    path = tmp_path / f"{plan.id}.json"
    path.write_text(plan_to_json(plan), encoding="utf-8")
    return plan, path


def test_a_team_from_the_command_line(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workspace", "create", "运营组", "--as", "Ann@Example.com"]) == 0
    assert capsys.readouterr().out.startswith("已创建团队空间「运营组」")
    assert main(["workspace", "invite", "运营组", BOB, "--role", "viewer", "--as", ANN, "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "bob@example.com is now viewer of “运营组”."
    assert "has not signed in yet" in captured.err
    assert main(["workspace", "list", "--as", ANN, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["personal"], r["role"]) for r in rows] == [(ANN, True, "owner"), ("运营组", False, "owner")]

    plan, path = plan_file(tmp_path)
    assert main(["plans", "import", str(path), "--into", "运营组", "--as", ANN]) == 0
    capsys.readouterr()
    assert main(["plans", "list", "--as", BOB, "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["id"], row["workspace"], row["updated_by"]) == (plan.id, "运营组", "ann@example.com · 命令行 CLI")
    assert main(["plans", "show", plan.id, "--as", BOB, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["meta"]["name"] == "读书会 📚"
    out = tmp_path / "out.json"
    assert main(["plans", "export", plan.id, "--out", str(out), "--as", BOB]) == 0  # viewers export
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == plan.id
    capsys.readouterr()

    # Someone outside: the plan does not exist for them; without --as (solo) every plan is there.
    assert main(["plans", "show", plan.id, "--as", "eve@example.com", "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith(f"No plan {plan.id}.")
    assert main(["plans", "list", "--as", "eve@example.com", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["plans", "list", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [plan.id]


def test_refused_actions(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(db)
    ann = TeamStore(store, ANN)
    ops = ann.create_workspace("运营组")
    ann.invite(ops.id, BOB, Role.VIEWER)
    TeamStore(store, BOB)
    _, path = plan_file(tmp_path)
    refused = {
        ("plans", "import", str(path), "--into", "运营组", "--as", BOB): "access.viewer_cannot_edit",
        ("workspace", "invite", "运营组", "eve@example.com", "--role", "editor", "--as", BOB): "access.owner_only",
        ("workspace", "adopt", "运营组", "--as", BOB): "access.owner_only",
        ("workspace", "invite", ANN, BOB, "--role", "editor", "--as", ANN): "access.personal_workspace",
        ("workspace", "invite", "运营组", ANN, "--role", "viewer", "--as", ANN): "access.last_owner",
    }
    from planner import i18n

    for argv, reason in refused.items():
        assert main([*argv, "--lang", "en"]) == 2, argv
        err = capsys.readouterr().err.strip()
        assert err == f"Not done: {i18n.t(reason, 'en')}" and "\n" not in err
    assert main(["plans", "import", str(path), "--into", "没有", "--as", BOB]) == 2
    assert "你没有名为「没有」的空间" in capsys.readouterr().err
    assert main(["plans", "list", "--as", "not an address"]) == 2
    assert capsys.readouterr().err.strip() == "「not an address」不是一个邮箱地址。"
    assert main(["workspace", "invite", "运营组", "eve", "--role", "viewer", "--as", ANN, "--lang", "en"]) == 2
    assert capsys.readouterr().err.strip() == "“eve” is not an e-mail address."
    assert main(["plans", "import", str(path), "--into", "运营组"]) == 2  # --into needs --as
    assert "--into 要和 --as 一起用" in capsys.readouterr().err
    assert store.list() == []  # nothing was stored
    store.close()


def test_adopt_plans_from_solo_mode(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, path = plan_file(tmp_path)
    assert main(["plans", "import", str(path)]) == 0  # solo: no workspace
    assert main(["workspace", "create", "运营组", "--as", ANN]) == 0
    capsys.readouterr()
    assert main(["plans", "list", "--as", ANN, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # not the team's until adopted
    assert main(["workspace", "adopt", "运营组", "--as", ANN, "--lang", "en"]) == 0
    assert capsys.readouterr().out.strip() == "Moved 1 plans that belonged to no workspace into “运营组”."
    assert main(["plans", "list", "--as", ANN]) == 0
    assert capsys.readouterr().out.rstrip("\n").split("\t")[-1] == "运营组"


def _run(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COMMUNITY_PLANNER_DB": db}
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_as_processes_an_allowed_and_a_refused_action(db: str, tmp_path: Path) -> None:
    made = _run(db, "workspace", "create", "运营组", "--as", ANN)
    assert made.returncode == 0, made.stderr
    invited = _run(db, "workspace", "invite", "运营组", BOB, "--role", "viewer", "--as", ANN, "--lang", "en")
    assert invited.returncode == 0 and invited.stdout.strip() == "bob@example.com is now viewer of “运营组”."
    _, path = plan_file(tmp_path)
    refused = _run(db, "plans", "import", str(path), "--into", "运营组", "--as", BOB)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr and refused.stdout == ""
    assert refused.stderr.strip().splitlines() == ["没有执行：你在这里是查看者：可以阅读、导出和评论，但不能修改方案。"]
    allowed = _run(db, "plans", "import", str(path), "--into", "运营组", "--as", ANN)
    assert allowed.returncode == 0 and "已导入方案" in allowed.stdout
    listed = _run(db, "plans", "list", "--as", BOB, "--json")
    assert listed.returncode == 0 and [r["workspace"] for r in json.loads(listed.stdout)] == ["运营组"]
