"""Redirects written into a page instead of a Location header: meta refresh and location.replace.

t.co answers browser-like clients with ``200`` and a page such as
``<noscript><META http-equiv="refresh" content="0;URL=https://…"></noscript>``
``<script>window.opener = null; location.replace("https:\\/\\/…")</script>``
(docs/endpoints.md §1.2). Read with patterns, not a parser: the page is small, and only these two
forms count.
"""

from __future__ import annotations

import html
import re

SCAN_BYTES = 64 * 1024  # the forms sit in the head; a longer page is not a redirect page

_META = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    rb"""([a-z][a-z0-9_:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE
)
_REFRESH_CONTENT = re.compile(r"^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?(.*)$", re.IGNORECASE)
_LOCATION_REPLACE = re.compile(
    rb"""location\.replace\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)"""
)
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)")


def html_redirect(body: bytes) -> tuple[str, str] | None:
    """The target of a page's meta refresh or ``location.replace``, with how it was found.

    >>> html_redirect(b'<meta http-equiv="refresh" content="0;URL=https://x.com/a/status/1">')
    ('https://x.com/a/status/1', 'meta_refresh')
    """
    head = body[:SCAN_BYTES]
    for tag in _META.finditer(head):
        attributes = {
            match.group(1).lower(): next(v for v in match.group(2, 3, 4) if v is not None)
            for match in _ATTRIBUTE.finditer(tag.group())
        }
        if attributes.get(b"http-equiv", b"").strip().lower() == b"refresh":
            content = html.unescape(attributes.get(b"content", b"").decode("utf-8", "replace"))
            match = _REFRESH_CONTENT.match(content)
            target = match.group(1).strip().strip("'\"").strip() if match else ""
            if target:
                return target, "meta_refresh"
    if replace := _LOCATION_REPLACE.search(head):
        raw = (replace.group(1) if replace.group(1) is not None else replace.group(2)).decode(
            "utf-8", "replace"
        )
        target = _JS_ESCAPE.sub(_unescape_js, raw).strip()
        if target:
            return target, "location_replace"
    return None


def _unescape_js(match: re.Match[str]) -> str:
    escape = match.group(1)
    if escape[0] in "ux" and len(escape) > 1:
        return chr(int(escape[1:], 16))
    return {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(escape, escape)
