"""The format-neutral document every renderer reads: a title page plus a flat list of blocks.

Blocks hold plain (unescaped) text; each renderer escapes for its own format, so user text is
treated as data everywhere and one builder feeds Markdown, HTML, DOCX and PDF alike.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 = section, 2 = sub-section, 3 = minor


@dataclass(frozen=True)
class Paragraph:
    text: str
    muted: bool = False  # hints such as "not filled yet"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Relative column widths (same length as columns); None = equal.
    widths: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Image:
    png: bytes
    caption: str  # printed under the chart; empty when the chart's own title already says it
    width_px: int
    height_px: int
    alt: str = ""  # what the chart shows, for readers that cannot see it (defaults to the caption)

    @property
    def alt_text(self) -> str:
        return self.alt or self.caption

    @property
    def data_uri(self) -> str:
        """The PNG as a `data:` URI: how the HTML and Markdown files carry their charts."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


Block = Heading | Paragraph | Bullets | Table | Image


@dataclass
class Document:
    lang: str
    title: str
    subtitle: str  # the slogan, may be empty
    cover: list[tuple[str, str]]  # (label, value) lines of the title page
    blocks: list[Block] = field(default_factory=list)

    def headings(self, level: int | None = None) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Heading) and (level is None or b.level == level)]

    def images(self) -> list[Image]:
        return [b for b in self.blocks if isinstance(b, Image)]
