"""Every text an AppTest run puts on the page: markdown, labels, captions, help, options,
placeholders, metric labels and values, table headers and cells, column configs and chart titles.

Each text comes with where it was found (element type and field), so a failing language check can
say which widget shows it. Only the fields a person reads are taken: keys, ids and icons are not.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, NamedTuple

from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

# proto fields a person reads (others are ids, keys, icons, types, form ids …)
_TEXT_FIELDS = frozenset({"label", "help", "placeholder", "body", "options", "caption", "text", "title", "delta",
                          "description", "delta_description", "display_text", "default", "value", "name"})
# widgets whose `default` / `value` field is an index or a number, not text
_NOT_TEXT_DEFAULT = frozenset({"selectbox", "multiselect", "radio", "checkbox", "toggle", "slider", "select_slider",
                               "number_input", "date_input", "time_input", "button_group", "color_picker",
                               "segmented_control", "pills", "progress"})
# column-config keys a person reads in a table's header, tooltips and cell editors
_COLUMN_TEXT = frozenset({"label", "help", "placeholder", "default", "display_text", "options"})
# Vega-Lite spec keys whose strings are drawn in a chart
_CHART_TEXT = frozenset({"title", "text", "subtitle", "description"})


class Shown(NamedTuple):
    where: str  # e.g. "selectbox.label", "dataframe.cell"
    text: str


def _proto_strings(message: Message, kind: str, prefix: str = "") -> Iterator[Shown]:
    for field, value in message.ListFields():
        name = field.name
        if field.type == field.TYPE_MESSAGE:
            items = value if field.is_repeated else [value]
            for item in items:
                if isinstance(item, Message):
                    yield from _proto_strings(item, kind, f"{prefix}{name}.")
            continue
        if name not in _TEXT_FIELDS or field.type != field.TYPE_STRING:
            continue
        if name in ("default", "value") and kind in _NOT_TEXT_DEFAULT:
            continue
        for text in value if field.is_repeated else [value]:
            if text:
                yield Shown(f"{kind}.{prefix}{name}", text)


def _json_strings(data: Any, keys: frozenset[str], where: str, inside: bool = False) -> Iterator[Shown]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _json_strings(value, keys, f"{where}.{key}", inside=key in keys)
    elif isinstance(data, list):
        for item in data:
            yield from _json_strings(item, keys, where, inside)
    elif isinstance(data, str) and inside and data:
        yield Shown(where, data)


def _table(node: Any) -> Iterator[Shown]:
    """A table as the browser draws it: a column's configured label instead of its name, a select
    column's option labels instead of its values, hidden columns left out."""
    proto = node.proto
    config: dict[str, Any] = json.loads(proto.columns) if proto.columns else {}
    if proto.placeholder:
        yield Shown("dataframe.placeholder", proto.placeholder)
    yield from _json_strings(config, _COLUMN_TEXT - {"options", "default"}, "dataframe.column_config")
    frame = node.value
    for column in frame.columns:
        spec = config.get(str(column)) or {}
        if spec.get("hidden"):
            continue
        yield Shown("dataframe.header", str(spec.get("label") or column))
        options = (spec.get("type_config") or {}).get("options") or []
        labels = {str(o["value"]): str(o.get("label", o["value"])) for o in options if isinstance(o, dict)}
        labels.update({str(o): str(o) for o in options if not isinstance(o, dict)})
        yield from (Shown("dataframe.option", text) for text in labels.values())
        default = spec.get("default")
        if isinstance(default, str) and default:  # a new row's value, shown by its label
            yield Shown("dataframe.default", labels.get(default, default))
        for cell in frame[column].tolist():
            if isinstance(cell, str) and cell:
                yield Shown("dataframe.cell", labels.get(cell, cell))
            elif isinstance(cell, (list, tuple)):
                yield from (Shown("dataframe.cell", labels.get(v, v)) for v in cell if isinstance(v, str) and v)


def _chart(proto: Message, kind: str) -> Iterator[Shown]:
    spec = getattr(proto, "spec", "")
    if spec:
        yield from _json_strings(json.loads(spec), _CHART_TEXT, f"{kind}.spec")


def _walk(node: Any) -> Iterator[Shown]:
    kind = getattr(node, "type", "")
    proto = getattr(node, "proto", None)
    children = getattr(node, "children", None)
    if children is not None:  # a block: expander, tab, popover, column …
        if isinstance(proto, Message):
            yield from _proto_strings(proto, kind)
        for child in children.values():
            yield from _walk(child)
        return
    if kind in ("dataframe", "arrow_data_frame", "table"):
        yield from _table(node)
        return
    if not isinstance(proto, Message):
        return
    if kind in ("arrow_vega_lite_chart", "vega_lite_chart"):
        yield from _chart(proto, kind)
        return
    yield from _proto_strings(proto, kind)


def rendered_texts(at: AppTest) -> list[Shown]:
    """Every text on the page as the last run left it (main area and sidebar, all tabs and expanders)."""
    return list(_walk(at._tree))
