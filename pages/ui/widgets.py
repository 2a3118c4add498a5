"""Widgets bound to a field of the current plan by its dotted path.

A viewer of the plan's workspace (server mode) sees every one of them disabled (`state.read_only`).

Each widget takes its value from the plan, and on change writes the new value back through
`state.edit` (validated, saved at once). A rejected value shows its problem under the widget and
leaves the plan as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, time
from enum import Enum
from typing import Any

import pandas as pd
import streamlit as st

from pages.ui import state
from pages.ui.nav import SECTIONS
from planner import i18n
from planner.days import display_day, stored_day
from planner.plan_core.edit import get_at


def _commit(path: str, key: str, convert: Callable[[Any], Any]) -> None:
    state.edit(path, convert(state.widget_value(key)))


def _show_problems(path: str) -> None:
    for problem in state.problems_at(path):
        st.error(state.problem_text(problem), icon=":material/warning:")


def _label(label_key: str) -> str:
    return state.t(label_key)


def _help(help_key: str | None) -> str | None:
    return state.t(help_key) if help_key else None


def text(ns: str, path: str, label_key: str, *, help_key: str | None = None,
         placeholder: str | None = None, area: bool = False, height: int | None = None) -> None:
    plan = state.require_plan()
    key = state.bound_key(ns, path)
    value = get_at(plan, path) or ""
    kwargs: dict[str, Any] = dict(value=value, key=key, help=_help(help_key), placeholder=placeholder,
                                  disabled=state.read_only(), on_change=_commit, args=(path, key, lambda v: v))
    if area:
        st.text_area(_label(label_key), height=height, **kwargs)
    else:
        st.text_input(_label(label_key), **kwargs)
    _show_problems(path)


def lines(ns: str, path: str, label_key: str, *, help_key: str | None = None,
          placeholder: str | None = None, height: int | None = None) -> None:
    """A list of short strings edited as one item per line."""
    plan = state.require_plan()
    key = state.bound_key(ns, path)
    value = "\n".join(get_at(plan, path) or [])
    st.text_area(_label(label_key), value=value, key=key, help=_help(help_key) or state.t("widget.one_per_line"),
                 placeholder=placeholder, height=height, disabled=state.read_only(), on_change=_commit,
                 args=(path, key, lambda v: [line.strip() for line in v.splitlines() if line.strip()]))
    _show_problems(path)


def number(ns: str, path: str, label_key: str, *, min_value: float | None = None,
           max_value: float | None = None, step: float | int = 1, help_key: str | None = None,
           label: str | None = None) -> None:
    """`label` replaces the catalog text of `label_key` when the label is composed (an amount's unit)."""
    plan = state.require_plan()
    key = state.bound_key(ns, path)
    st.number_input(label or _label(label_key), value=get_at(plan, path), min_value=min_value, max_value=max_value,
                    step=step, key=key, help=_help(help_key), disabled=state.read_only(), on_change=_commit,
                    args=(path, key, lambda v: v))
    _show_problems(path)


def date_field(ns: str, path: str, label_key: str, *, help_key: str | None = None) -> None:
    plan = state.require_plan()
    key = state.bound_key(ns, path)
    raw = get_at(plan, path)
    st.date_input(_label(label_key), value=date.fromisoformat(raw) if raw else None, key=key,
                  help=_help(help_key), format="YYYY-MM-DD", disabled=state.read_only(), on_change=_commit,
                  args=(path, key, lambda v: v.isoformat() if v else None))
    _show_problems(path)


def time_field(ns: str, path: str, label_key: str, *, help_key: str | None = None) -> None:
    """A time of day (HH:MM) field."""
    plan = state.require_plan()
    key = state.bound_key(ns, path)
    raw = get_at(plan, path)
    st.time_input(_label(label_key), value=time.fromisoformat(raw) if raw else None, key=key, step=300,
                  help=_help(help_key), disabled=state.read_only(), on_change=_commit,
                  args=(path, key, lambda v: v.strftime("%H:%M") if v else None))
    _show_problems(path)


def select_enum(ns: str, path: str, label_key: str, enum_cls: type[Enum], *, help_key: str | None = None,
                horizontal: bool = False) -> None:
    plan = state.require_plan()
    key = state.bound_key(ns, path)
    options = [m.value for m in enum_cls]
    current = get_at(plan, path)
    fmt = lambda v: i18n.t(f"enum.{enum_cls.__name__}.{v}", state.lang())  # noqa: E731
    if horizontal:
        st.radio(_label(label_key), options, index=options.index(current), format_func=fmt, key=key,
                 horizontal=True, help=_help(help_key), disabled=state.read_only(), on_change=_commit,
                 args=(path, key, lambda v: v))
    else:
        st.selectbox(_label(label_key), options, index=options.index(current), format_func=fmt, key=key,
                     help=_help(help_key), disabled=state.read_only(), on_change=_commit, args=(path, key, lambda v: v))
    _show_problems(path)


def toggle(ns: str, path: str, label_key: str, *, help_key: str | None = None) -> None:
    plan = state.require_plan()
    key = state.bound_key(ns, path)
    st.toggle(_label(label_key), value=bool(get_at(plan, path)), key=key, help=_help(help_key),
              disabled=state.read_only(), on_change=_commit, args=(path, key, bool))
    _show_problems(path)


def table(ns: str, path: str, columns: Sequence[str], *, column_config: dict[str, Any] | None = None,
          label_key: str | None = None, keep: Sequence[str] = (), days: Sequence[str] = ()) -> None:
    """A list of sub-models as an editable table (add / delete rows).

    `columns` are the fields shown, labelled `field.<ns>.<column>` from the catalog; `keep` are
    hidden fields (e.g. ids) carried through edits; `days` are lifecycle-day columns, stored from 0
    and shown, as everywhere, from 1 (planner.days.display_day / stored_day).
    Empty rows are dropped; new rows get the model's defaults for fields not shown."""
    plan = state.require_plan()
    rows: list[dict[str, Any]] = get_at(plan, path) or []
    fields = [*keep, *columns]
    key = state.bound_key(ns, path)
    # The editor applies its edits to the frame it was first given, so keep handing it that same
    # frame until the widget is dropped (page left, plan reloaded); the plan gets the result.
    shown = [{k: r.get(k) for k in fields} for r in rows]
    base = state.widget_base(key, lambda: pd.DataFrame([_days_shown(r, days) for r in shown], columns=fields))
    if label_key:
        st.markdown(f"**{state.t(label_key)}**")
    config = {c: st.column_config.Column(state.t(f"field.{ns}.{c}")) for c in columns}
    config.update(column_config or {})
    config.update({c: None for c in keep})  # hidden
    read_only = state.read_only()
    edited = st.data_editor(base, key=key, num_rows="fixed" if read_only else "dynamic", hide_index=True,
                            column_config=config, width="stretch", disabled=read_only,
                            placeholder="")  # a new row's empty cells stay empty (Streamlit would write "None")
    new_rows = [_days_stored(r, days) for r in _rows_from_frame(edited, fields)]
    if new_rows != shown:
        by_id = {r.get(keep[0]): r for r in rows} if keep else {}
        merged = [
            {**(by_id.get(r.get(keep[0]), {}) if keep else (rows[i] if i < len(rows) else {})), **_drop_missing(r)}
            for i, r in enumerate(new_rows)
        ]
        state.edit(path, merged)
    _show_problems(path)


def examples(key: str, label_key: str, rows: list[dict[str, Any]], column_config: dict[str, Any]) -> None:
    """An example plan's rows for a table, folded away under `label_key` and drawn only while unfolded
    (`key` keeps it open or shut): a folded expander's table is still sent and laid out by the browser
    on every run of the page, one of the costliest things a page draws. Nothing when there are none."""
    if not rows:
        return
    box = st.expander(state.t(label_key), key=key, on_change="rerun")
    if box.open:
        with box:
            st.dataframe(rows, hide_index=True, width="stretch", column_config=column_config)


def lazy_tabs(key: str, labels: dict[str, str], draw: dict[str, Callable[[], None]],
              default: str | None = None) -> None:
    """Tabs ({name: label}), only the open one drawn by `draw[name]` (choosing another reruns the page): hidden
    tabs were sent and laid out by the browser on every run all the same. `default`: the name open first."""
    shown = st.tabs(list(labels.values()), key=key, on_change="rerun", default=labels[default] if default else None)
    for tab, name in zip(shown, labels, strict=True):
        if tab.open:
            with tab:
                draw[name]()


def open_tab(page: str, draw: dict[str, Callable[[], None]]) -> None:
    """The page's parts as lazy tabs (`nav.SECTIONS[page]`, each drawn by `draw[section]`). A link may ask for
    a part (`state.opened_section`), else the first is open."""
    labels = {section: state.t(key) for section, key in SECTIONS[page].items()}
    lazy_tabs(f"{page}.tabs.{state.lang()}", labels, draw, default=state.opened_section(page, labels))


def set_value(ns: str, path: str, value: Any) -> bool:
    """Write `value` at `path` from a button (use as on_click) and rebuild the widget bound to it
    under `ns`, which would otherwise keep showing, and write back, its old value."""
    if state.edit(path, value):
        return False
    state.renew_widgets(path)
    return True


def _days_shown(row: dict[str, Any], days: Sequence[str]) -> dict[str, Any]:
    return {k: display_day(int(v)) if k in days and v is not None else v for k, v in row.items()}


def _days_stored(row: dict[str, Any], days: Sequence[str]) -> dict[str, Any]:
    return {k: stored_day(int(v)) if k in days and pd.api.types.is_number(v) else v for k, v in row.items()}


def _rows_from_frame(frame: pd.DataFrame, fields: Sequence[str]) -> list[dict[str, Any]]:
    out = []
    for record in frame.to_dict(orient="records"):
        row = {k: (None if _is_missing(record.get(k)) else record.get(k)) for k in fields}
        if any(v not in (None, "") for v in row.values()):
            out.append(row)
    return out


def _drop_missing(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}


def _is_missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
