"""The one CJK font every export embeds, taken from a pip package so a fresh machine has it.

Chosen: Noto Sans SC from `pylopdf-fonts-zh-cn` (static OTF/CFF), over WenQuanYi Micro Hei from
`paperang-p2-fonts-cjk` (TTC), because:
- license: Noto is SIL OFL 1.1, stated cleanly, which explicitly allows embedding and
  redistribution; the WenQuanYi package declares MIT while the font itself is Apache-2.0 /
  GPLv3-with-font-exception upstream, so its metadata cannot be relied on;
- coverage and looks: Noto Sans SC covers all of GB 18030 and renders evenly in print;
- fpdf2: both work (fpdf2 reads the TTC's first face), and Noto is static, not a variable font;
- the costs we accept: a 17 MB wheel (the PDF embeds only a ~15 KB subset), and pypdf puts a NUL
  between characters when extracting CFF text — poppler (`pdftotext`, most viewers) is clean.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSansSC-Regular.otf"
FONT_FAMILY = "Noto Sans SC"  # the family name charts and documents ask for
# What Word/WPS users on Windows and macOS have; the document names fonts, it does not carry them.
DOCX_EAST_ASIA_FONT = "Microsoft YaHei"
DOCX_LATIN_FONT = "Calibri"
CSS_FONT_STACK = (
    '"Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Hiragino Sans GB", '
    '"WenQuanYi Micro Hei", "Source Han Sans SC", sans-serif'
)


def font_path() -> Path:
    return Path(str(resources.files(FONT_PACKAGE).joinpath(FONT_FILE)))


def font_dir() -> Path:
    return font_path().parent


@cache
def covered_codepoints() -> frozenset[int]:
    """Characters the font can draw (for dropping emoji quietly instead of warning per glyph)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(font_path()), lazy=True) as font:
        return frozenset(font.getBestCmap())
