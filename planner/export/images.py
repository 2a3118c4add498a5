"""Vega-Lite specs (Altair charts or plain dicts) to PNG with vl-convert, labels in the CJK font.

vl-convert has no system fonts to fall back on here, so the packaged font's folder is registered
once per process and every chart is told to use that family; otherwise Chinese becomes boxes.
"""

from __future__ import annotations

import logging
import struct
import threading
from typing import Any

from models.text import clean_value
from planner.export.fonts import FONT_FAMILY, font_dir
from planner.export.model import Image

log = logging.getLogger(__name__)
_lock = threading.Lock()
_registered = False


def _register_font() -> None:
    global _registered
    with _lock:
        if not _registered:
            import vl_convert

            vl_convert.register_font_directory(str(font_dir()))
            _registered = True


def spec_of(chart: Any) -> dict[str, Any]:
    """A Vega-Lite dict from an Altair chart or a dict (copied, so the caller's object is untouched)."""
    if hasattr(chart, "to_dict"):
        return chart.to_dict()
    if isinstance(chart, dict):
        return dict(chart)
    raise TypeError(f"not a chart: {type(chart).__name__}")


def with_font(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with every text element (axes, legends, titles, marks) in the CJK family."""
    config = dict(spec.get("config") or {})
    config["font"] = FONT_FAMILY
    for part in ("axis", "legend", "header"):
        settings = dict(config.get(part) or {})
        settings.update({"labelFont": FONT_FAMILY, "titleFont": FONT_FAMILY})
        config[part] = settings
    config["title"] = {**(config.get("title") or {}), "font": FONT_FAMILY, "subtitleFont": FONT_FAMILY}
    config["text"] = {**(config.get("text") or {}), "font": FONT_FAMILY}
    config.setdefault("background", "white")  # transparent PNGs vanish on dark viewers
    return {**spec, "config": config}


PAGE_WIDTH_PX = 650  # an A4 text column (174 mm) at 96 dpi


def page_width(spec: dict[str, Any]) -> dict[str, Any]:
    """A single-view chart without a fixed width (the app lets it fill the container, which a
    static image does not have) drawn as wide as the page's text column, axis labels and legend
    included ("fit-x"): a plot area of that width plus long role labels and a legend came out wider
    than the page, and shrinking the image to fit made its labels too small to read on paper."""
    single = "mark" in spec or "layer" in spec
    if single and spec.get("width") in (None, "container"):
        return {**spec, "width": PAGE_WIDTH_PX, "autosize": {"type": "fit-x", "contains": "padding"}}
    return spec


def render_spec(chart: Any) -> dict[str, Any]:
    """The Vega-Lite spec vl-convert is given: CJK font, page width, and every string in it (titles,
    labels, data values) cleaned. A control character in a label aborts the whole process inside
    vl-convert (its text measuring panics in a Rust function that cannot unwind), so no catch
    can help: the text must be clean before it gets there."""
    return clean_value(page_width(with_font(spec_of(chart))))


def chart_image(chart: Any, caption: str) -> Image | None:
    """The chart as a document image, or None when the chart engine cannot draw it.

    Whatever the engine raises while drawing (ValueError for a spec it cannot render, a Rust panic
    surfacing as pyo3's PanicException, which derives from BaseException) costs that one chart,
    not the user's whole document or the server. Building the spec stays outside the guard, so a
    bug in our chart code still raises; only Altair's refusal of a chart with too many rows is a note."""
    import vl_convert

    try:
        spec = render_spec(chart)
    except Exception as error:  # too many rows for Altair: a note in the document, not a failed export
        if type(error).__name__ != "MaxRowsError":
            raise
        log.warning("export: chart %r has too many rows", caption, exc_info=True)
        return None
    _register_font()
    try:
        png = vl_convert.vegalite_to_png(spec, scale=2.0)
        width, height = png_size(png)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # PanicException is not an Exception (see above)
        log.warning("export: chart %r did not render", caption, exc_info=True)
        return None
    # The document prints no caption that only repeats the title drawn in the image; it stays the alt text.
    shown = "" if _same_text(caption, title_of(spec)) else caption
    return Image(png, shown, width, height, alt=caption)


def title_of(spec: dict[str, Any]) -> str:
    """The title text drawn on a chart (a string, a list of lines, or {"text": ...}); a layered
    chart may carry it on one of its layers."""
    title = spec.get("title")
    if not title:
        return next((text for layer in spec.get("layer") or [] if (text := title_of(layer))), "")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(part) for part in title)
    return str(title or "")


def _same_text(caption: str, title: str) -> bool:
    """Whether a caption and the title say the same (one holds the other and is at least half as
    long, spacing and punctuation aside): "运营阶段时间线" under a chart titled "阶段时间线" only
    repeats it, "图 1：三个阶段的天数" under "阶段" says more."""
    squash = lambda s: "".join(ch for ch in s if ch.isalnum())  # noqa: E731
    short, long = sorted((squash(caption), squash(title)), key=len)
    return bool(short) and short in long and 2 * len(short) >= len(long)


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from the PNG header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", png[16:24])
    return width, height
