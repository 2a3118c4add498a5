"""Icons are Material symbols, not emoji: an emoji shows as an empty box on a machine without an emoji
font (servers, many office PCs). Plan content (examples, the welcome card drafted for members) may
hold emoji: members read it in their chat app, which has the font."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from streamlit.string_util import is_material_icon

ROOT = Path(__file__).resolve().parents[2]
PAGE_FILES = sorted([ROOT / "app.py", *(ROOT / "pages").rglob("*.py")])
CATALOGS = sorted((ROOT / "assets" / "locales").glob("*/*.json"))
# Catalog texts drafted into a plan as content for members (planner/plan/setup.py), not interface labels.
CONTENT_KEYS = re.compile(r"^setup\.draft\.")

# Characters drawn as emoji by default (Unicode Emoji_Presentation: the pictograph planes and the
# listed BMP symbols), or any character followed by the emoji variation selector U+FE0F. Text
# symbols such as ✓ → ⚠ are left alone: ordinary fonts have them.
_BMP_EMOJI = ("\u231a\u231b\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1"
              "\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705"
              "\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55")
PICTOGRAPH = re.compile(f"[{_BMP_EMOJI}\U0001f000-\U0001faff]|.\ufe0f")
MATERIAL = re.compile(r":material/([a-z0-9_]+):")


def test_pictograph_finds_emoji_not_text_symbols() -> None:
    emoji = ("💡", "✅", "⚠️", "🗓️", "➕", "⛔", "🧭")
    text = ("✓ saved", "⚠ x", "→", "第 1 天", "Ω")
    assert [bool(PICTOGRAPH.search(s)) for s in emoji + text] == [True] * len(emoji) + [False] * len(text)


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_files_use_no_emoji(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [(n, line.strip()) for n, line in enumerate(lines, 1) if PICTOGRAPH.search(line)] == []


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_icon_arguments_are_known_material_icons(path: Path) -> None:
    # every literal icon= / page_icon= is a Material shortcode Streamlit knows
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.keyword) and node.arg in ("icon", "page_icon") and isinstance(node.value, ast.Constant):
            match = MATERIAL.fullmatch(str(node.value.value))
            assert match and is_material_icon(match.group(1)), (path.name, node.lineno, node.value.value)
    for name in MATERIAL.findall(path.read_text(encoding="utf-8")):
        assert is_material_icon(name), (path.name, name)


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_interface_texts_use_no_emoji(path: Path) -> None:
    catalog = json.loads(path.read_text(encoding="utf-8"))
    found = {key: text for key, text in catalog.items()
             if isinstance(text, str) and not CONTENT_KEYS.match(key) and PICTOGRAPH.search(text)}
    assert found == {}
