"""`plans list|show|import|export`: the stored plans, in whichever database is configured (the same
choice as the app's: COMMUNITY_PLANNER_DB, else .streamlit/secrets.toml, else the per-user file)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from models.text import clean_text
from planner import i18n
from planner.commands import fail, report
from planner.plan_core.json_io import plan_from_json, plan_to_json
from planner.store import PlanStore, StaleVersion, StorageError, configured_url, open_store
from planner.store.config import secrets_files

# Who a revision made here is by, in the history the app shows.
AUTHOR = "命令行 CLI"


def register(subparsers: argparse._SubParsersAction) -> None:
    plans = subparsers.add_parser("plans", help="list, show, import or export the stored plans")
    actions = plans.add_subparsers(dest="action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of messages")

    listing = actions.add_parser("list", parents=[common], help="every stored plan: id, version, last change, name")
    listing.add_argument("--json", action="store_true", help="a JSON list instead of lines")
    listing.set_defaults(func=run_list)

    show = actions.add_parser("show", parents=[common], help="one plan: its summary and history, or its JSON")
    show.add_argument("id")
    show.add_argument("--json", action="store_true", help="the plan's JSON itself")
    show.set_defaults(func=run_show)

    load = actions.add_parser("import", parents=[common], help="store a plan JSON file (a new plan unless --replace)")
    load.add_argument("file", type=Path)
    load.add_argument("--replace", action="store_true", help="replace a stored plan with the same id")
    load.set_defaults(func=run_import)

    export = actions.add_parser("export", parents=[common], help="write a stored plan as JSON")
    export.add_argument("id")
    export.add_argument("--out", metavar="FILE", type=Path, required=True)
    export.set_defaults(func=run_export)


def _open() -> PlanStore:
    return open_store(configured_url(secrets_files()))


def _storage_failure(exc: StorageError, args: argparse.Namespace) -> int:
    if exc.key == "storage.not_found":
        return fail(i18n.t("plans.cli.not_found", args.lang, id=getattr(args, "id", "") or exc.detail))
    return fail(i18n.t("plans.cli.storage", args.lang, reason=i18n.t(exc.key, args.lang)))


def _guarded(run: Callable[[PlanStore, argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Every database failure is one localized line and a non-zero exit, never a traceback."""

    def guarded(args: argparse.Namespace) -> int:
        try:
            store = _open()
        except StorageError as exc:
            return _storage_failure(exc, args)
        try:
            return int(run(store, args))
        except StorageError as exc:
            return _storage_failure(exc, args)
        finally:
            store.close()

    guarded.__name__ = run.__name__
    return guarded


@_guarded
def run_list(store: PlanStore, args: argparse.Namespace) -> int:
    summaries = store.list()
    if args.json:
        rows = [
            {
                "id": s.id,
                "name": s.name,
                "version": s.version,
                "updated": s.updated_at.isoformat(),
                "updated_by": s.updated_by,
            }
            for s in summaries
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    if not summaries:
        print(i18n.t("plans.cli.empty", args.lang), file=sys.stderr)
    for s in summaries:
        print(clean_text(f"{s.id}\tv{s.version}\t{s.updated_at.isoformat()}\t{s.name}"))
    return 0


@_guarded
def run_show(store: PlanStore, args: argparse.Namespace) -> int:
    plan, version = store.get_versioned(args.id)
    if args.json:
        sys.stdout.write(plan_to_json(plan))
        return 0
    updated = plan.meta.updated_at.isoformat() if plan.meta.updated_at else ""
    print(clean_text(f"{plan.id}\tv{version}\t{updated}\t{plan.meta.name}"))
    for r in store.revisions(plan.id):
        label = f"v{r.version}" if r.version is not None else "-"
        print(clean_text(f"  #{r.id}\t{label}\t{r.saved_at.isoformat()}\t{r.author}\t{r.note}".rstrip()))
    return 0


@_guarded
def run_import(store: PlanStore, args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        return fail(i18n.t("plans.cli.unreadable", args.lang, file=str(args.file), reason=exc.strerror or str(exc)))
    plan, problems = plan_from_json(data)
    if plan is None:
        report(problems, args.lang)
        return 2
    try:
        if args.replace:
            saved = store.save(plan, author=AUTHOR)
            version = store.version(saved.id)
        else:
            saved, version = store.save_if(plan, 0, author=AUTHOR)  # never overwrites a stored plan
    except StaleVersion as exc:
        return fail(i18n.t("plans.cli.exists", args.lang, id=plan.id, version=exc.version))
    print(clean_text(i18n.t("plans.cli.imported", args.lang, id=saved.id, name=saved.meta.name, version=version)))
    return 0


@_guarded
def run_export(store: PlanStore, args: argparse.Namespace) -> int:
    text = plan_to_json(store.get(args.id))
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        return fail(i18n.t("plans.cli.unwritable", args.lang, file=str(args.out), reason=exc.strerror or str(exc)))
    print(clean_text(i18n.t("plans.cli.written", args.lang, file=str(args.out))), file=sys.stderr)
    return 0
