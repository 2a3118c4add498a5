"""`plans list|show|import|export`: the stored plans, in whichever database is configured (the same
choice as the app's: COMMUNITY_PLANNER_DB, else .streamlit/secrets.toml, else the per-user file).

Without `--as` a command acts as solo mode does, on every plan. With `--as EMAIL` it acts as that
team member (planner.store.access.TeamStore): only the plans of their workspaces, their role checked
by the store; `import --into WORKSPACE` puts the plan in one of their workspaces. A refused action
is one localized line and exit 2."""

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
from planner.store import (
    AccessDenied,
    PlanStore,
    StaleVersion,
    StorageError,
    TeamStore,
    configured_url,
    open_store,
)
from planner.store.access import normalise_email
from planner.store.config import secrets_files

# Who a revision made here is by, in the history the app shows.
AUTHOR = "命令行 CLI"


def register(subparsers: argparse._SubParsersAction) -> None:
    plans = subparsers.add_parser("plans", help="list, show, import or export the stored plans")
    actions = plans.add_subparsers(dest="action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of messages")
    common.add_argument(
        "--as", dest="acting", metavar="EMAIL", help="act as this team member: their workspaces and role only"
    )

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
    load.add_argument("--into", metavar="WORKSPACE", help="the workspace (name or id) the plan goes into; needs --as")
    load.set_defaults(func=run_import)

    export = actions.add_parser("export", parents=[common], help="write a stored plan as JSON")
    export.add_argument("id")
    export.add_argument("--out", metavar="FILE", type=Path, required=True)
    export.set_defaults(func=run_export)


def _open() -> PlanStore:
    return open_store(configured_url(secrets_files()))


def storage_failure(exc: StorageError, args: argparse.Namespace) -> int:
    """A refused action or a database failure as one localized line; the exit status."""
    if isinstance(exc, AccessDenied):
        return fail(i18n.t("access.cli.denied", args.lang, reason=i18n.t(exc.reason, args.lang)))
    if exc.key == "storage.ambiguous_workspace":
        return fail(i18n.t("storage.ambiguous_workspace", args.lang))
    if exc.key == "storage.not_found":
        return fail(i18n.t("plans.cli.not_found", args.lang, id=getattr(args, "id", "") or exc.detail))
    return fail(i18n.t("plans.cli.storage", args.lang, reason=i18n.t(exc.key, args.lang)))


def acting_author(args: argparse.Namespace) -> str:
    """Who a revision made here is by: the acting member when there is one."""
    return f"{normalise_email(args.acting)} · {AUTHOR}" if getattr(args, "acting", None) else AUTHOR


def guarded(run: Callable[[PlanStore, argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Every database failure and every refused action is one localized line and a non-zero exit,
    never a traceback. `run` gets the plain store, or with --as the store as that member sees it."""

    def guarded(args: argparse.Namespace) -> int:
        try:
            store = _open()
        except StorageError as exc:
            return storage_failure(exc, args)
        try:
            acting = getattr(args, "acting", None)
            try:
                view: PlanStore = TeamStore(store, acting) if acting is not None else store
            except ValueError:
                return fail(i18n.t("access.cli.bad_email", args.lang, email=acting))
            return int(run(view, args))
        except StorageError as exc:
            return storage_failure(exc, args)
        finally:
            store.close()

    guarded.__name__ = run.__name__
    return guarded


@guarded
def run_list(store: PlanStore, args: argparse.Namespace) -> int:
    summaries = store.list()
    # With --as: each plan's workspace too (its name last on a line, as it may hold spaces).
    names = {w.id: w.name for w in store.workspaces()} if isinstance(store, TeamStore) else None
    if args.json:
        rows = [
            {
                "id": s.id,
                "name": s.name,
                "version": s.version,
                "updated": s.updated_at.isoformat(),
                "updated_by": s.updated_by,
            }
            | ({"workspace_id": s.workspace_id, "workspace": names.get(s.workspace_id or "", "")} if names else {})
            for s in summaries
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    if not summaries:
        print(i18n.t("plans.cli.empty", args.lang), file=sys.stderr)
    for s in summaries:
        where = f"\t{names.get(s.workspace_id or '', '')}" if names else ""
        print(clean_text(f"{s.id}\tv{s.version}\t{s.updated_at.isoformat()}\t{s.name}{where}"))
    return 0


@guarded
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


@guarded
def run_import(store: PlanStore, args: argparse.Namespace) -> int:
    if args.into:
        if not isinstance(store, TeamStore):
            return fail(i18n.t("access.cli.into_needs_as", args.lang))
        try:
            store.workspace_id = store.workspace_by_name(args.into).id
        except StorageError as exc:
            if exc.key != "storage.not_found":
                raise
            return fail(i18n.t("access.cli.no_workspace", args.lang, name=args.into))
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
            saved = store.save(plan, author=acting_author(args))
            version = store.version(saved.id)
        else:  # never overwrites a stored plan
            saved, version = store.save_if(plan, 0, author=acting_author(args))
    except StaleVersion as exc:
        return fail(i18n.t("plans.cli.exists", args.lang, id=plan.id, version=exc.version))
    print(clean_text(i18n.t("plans.cli.imported", args.lang, id=saved.id, name=saved.meta.name, version=version)))
    return 0


@guarded
def run_export(store: PlanStore, args: argparse.Namespace) -> int:
    text = plan_to_json(store.get(args.id))
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        return fail(i18n.t("plans.cli.unwritable", args.lang, file=str(args.out), reason=exc.strerror or str(exc)))
    print(clean_text(i18n.t("plans.cli.written", args.lang, file=str(args.out))), file=sys.stderr)
    return 0
