"""Document → one self-contained, printable HTML file (inline CSS, images as data URIs, no script).

Every piece of text goes through `html.escape(..., quote=True)` on its way out: the plan's
fields are data, never markup. The only markup is this module's own fixed template, and the
only URLs are `#` anchors we number and `data:image/png` URIs of charts we rendered ourselves.
"""

from __future__ import annotations

from html import escape

from models.text import clean_text
from planner import i18n
from planner.export.fonts import CSS_FONT_STACK
from planner.export.model import Bullets, Document, Heading, Image, Paragraph, Table

_CSS = """
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: FONT_STACK; color: #1f2933; line-height: 1.6; margin: 0; background: #f4f6f8; }
main { max-width: 900px; margin: 0 auto; padding: 32px 40px 48px; background: #fff; }
.cover { border-bottom: 3px solid #2f6f9f; padding: 24px 0 20px; margin-bottom: 24px; }
.cover h1 { font-size: 30px; margin: 0 0 6px; color: #17405f; }
.cover .slogan { font-size: 18px; color: #2f6f9f; margin: 0 0 16px; }
.cover dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
.cover dt { color: #52606d; } .cover dd { margin: 0; }
nav.toc { background: #f0f4f8; padding: 12px 20px; border-radius: 6px; margin-bottom: 28px; }
nav.toc h2 { font-size: 16px; margin: 0 0 6px; border: 0; padding: 0; }
nav.toc ol { margin: 0; padding-left: 20px; columns: 2; } nav.toc a { color: #17405f; text-decoration: none; }
h2 { font-size: 22px; color: #17405f; border-bottom: 1px solid #d9e2ec; padding-bottom: 4px; margin: 32px 0 12px; }
h3 { font-size: 17px; color: #2f6f9f; margin: 20px 0 8px; }
h4 { font-size: 15px; color: #334e68; margin: 14px 0 6px; }
p.muted { color: #829ab1; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13.5px; }
th, td { border: 1px solid #d9e2ec; padding: 6px 8px; text-align: left; vertical-align: top;
         white-space: pre-wrap; overflow-wrap: anywhere; }
th { background: #e6eef5; color: #17405f; font-weight: 600; }
tr:nth-child(even) td { background: #fafbfc; }
figure { margin: 12px 0 20px; text-align: center; }
figure img { max-width: 100%; height: auto; }
figcaption { color: #52606d; font-size: 13px; }
footer { color: #829ab1; font-size: 12px; margin-top: 40px; text-align: center; }
@media (max-width: 600px) {  /* a phone, or the export page's preview frame on one */
  main { padding: 16px 14px 32px; } .cover h1 { font-size: 24px; } nav.toc ol { columns: 1; }
  table { font-size: 12.5px; } th, td { padding: 4px 5px; }
}
@media print {
  body { background: #fff; } main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; } h3, h4 { break-after: avoid; }
  h2.section { break-before: page; page-break-before: always; }
  tr, figure { break-inside: avoid; } nav.toc { break-after: page; }
}
""".replace("FONT_STACK", CSS_FONT_STACK)


def _e(text: str) -> str:
    # Control characters are not allowed in HTML text and would reach a printout as garbage.
    return escape(clean_text(text), quote=True)


def _multiline(text: str) -> str:
    return "<br>".join(_e(line) for line in clean_text(text).split("\n"))


def render_html(doc: Document) -> str:
    lang_attr = "zh-CN" if doc.lang == "zh" else "en"
    sections = [b for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    body: list[str] = []
    cover_rows = "".join(f"<dt>{_e(label)}</dt><dd>{_multiline(value)}</dd>" for label, value in doc.cover)
    body.append('<header class="cover">')
    body.append(f"<h1>{_e(doc.title)}</h1>")
    if doc.subtitle:
        body.append(f'<p class="slogan">{_e(doc.subtitle)}</p>')
    body.append(f"<dl>{cover_rows}</dl></header>")
    toc = "".join(f'<li><a href="#s{i}">{_e(h.text)}</a></li>' for i, h in enumerate(sections, 1))
    body.append(f'<nav class="toc"><h2>{_e(i18n.t("export.doc.contents", doc.lang))}</h2><ol>{toc}</ol></nav>')
    section_no = 0
    for block in doc.blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                section_no += 1
                css = ' class="section"' if section_no > 1 else ""
                body.append(f'<h2 id="s{section_no}"{css}>{_e(block.text)}</h2>')
            else:
                tag = "h3" if block.level == 2 else "h4"
                body.append(f"<{tag}>{_e(block.text)}</{tag}>")
        elif isinstance(block, Paragraph):
            css = ' class="muted"' if block.muted else ""
            body.append(f"<p{css}>{_multiline(block.text)}</p>")
        elif isinstance(block, Bullets):
            body.append("<ul>" + "".join(f"<li>{_multiline(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Table):
            body.append(_table(block))
        elif isinstance(block, Image):
            # Shown at half its pixel size: charts are rendered at scale 2 for print.
            caption = f"<figcaption>{_e(block.caption)}</figcaption>" if block.caption else ""
            body.append(
                f'<figure><img src="{block.data_uri}" alt="{_e(block.alt_text)}" width="{block.width_px // 2}">'
                f"{caption}</figure>"
            )
    body.append(f"<footer>{_e(i18n.t('export.doc.generated', doc.lang))}</footer>")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang_attr}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # No script may run even if something slipped through: the file forbids it itself.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "img-src data:; style-src 'unsafe-inline'\">\n"
        f"<title>{_e(doc.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


def _table(table: Table) -> str:
    widths = table.widths or (1,) * len(table.columns)
    total = sum(widths) or 1
    cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in widths)
    head = "".join(f"<th>{_e(c)}</th>" for c in table.columns)
    rows = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    return f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
