"""Answers worked out once per script run instead of once per call.

A page asks some questions dozens of times in one run: every bound widget asks whether the person
may edit, every store call who is signed in. Some answers cost a file lookup each time (`st.secrets`
searches for its files again on every `in` when there are none, i.e. always in solo mode); within one
run they cannot change. The memo lives on Streamlit's run context and is dropped when the next run
(or a fragment's run) starts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from streamlit.runtime.scriptrunner import get_script_run_ctx

T = TypeVar("T")
_ATTR = "_planner_per_run"


def once(key: str, make: Callable[[], T]) -> T:
    """`make()`'s value, computed on the first call of this run for `key` (outside a run: every call)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return make()
    # Streamlit gives the context a new `cursors` dict whenever a run (or a fragment's run) starts: it
    # tells this run from the last one. Holding on to it keeps its identity from being reused.
    run_marker = ctx.cursors
    memo: tuple[Any, dict[str, Any]] | None = getattr(ctx, _ATTR, None)
    if memo is None or memo[0] is not run_marker:
        memo = (run_marker, {})
        setattr(ctx, _ATTR, memo)
    values = memo[1]
    if key not in values:
        values[key] = make()
    return values[key]


def forget(key: str) -> None:
    """Drop `key`'s answer for the rest of this run (this run itself changed it)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    memo = getattr(ctx, _ATTR, None) if ctx is not None else None
    if memo is not None:
        memo[1].pop(key, None)
