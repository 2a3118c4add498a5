"""Addresses people open: a workshop's join link and a participant's resume link, and a QR code of
a link large enough to scan from the back of a room."""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno

# A projected QR code is scanned from metres away: big modules and the quiet zone the standard asks.
QR_SCALE = 16
QR_BORDER = 4


def app_link(page_url: str, **params: str) -> str:
    """The app's root address (from any page's address) with `params` as the query."""
    parts = urlsplit(page_url)
    return urlunsplit((parts.scheme, parts.netloc, "/", urlencode(params), ""))


def workshop_link(page_url: str, code: str) -> str:
    return app_link(page_url, workshop=code)


def resume_link(page_url: str, token: str) -> str:
    return app_link(page_url, resume=token)


def qr_png(text: str, scale: int = QR_SCALE) -> bytes:
    """A PNG of `text` as a QR code (error correction M: survives a projector's glare)."""
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=scale, border=QR_BORDER)
    return out.getvalue()
