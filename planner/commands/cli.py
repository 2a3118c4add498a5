"""`python -m planner`: each module in `planner/commands/` adds its own sub-command.

A command module defines `register(subparsers)` and sets `func(args) -> int` on its parser, so a
new command never edits this file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from planner import commands
from planner.memory import keep_freed_memory


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m planner",
        description="社群运营规划工作台 Community Ops Planner — command line",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        name = f"{commands.__name__}.{info.name}"
        if name == __name__:  # the dispatcher lives beside the commands it gathers
            continue
        module = importlib.import_module(name)
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    keep_freed_memory()
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    return int(args.func(args))
