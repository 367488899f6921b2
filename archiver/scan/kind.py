"""HTML or plain text? Its content type decides, else its file name, else its content."""

from __future__ import annotations

import re

from archiver.lazy_pattern import LazyPattern

HTML = "html"
TEXT = "text"

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
SNIFF_CHARS = 65536
_DOCUMENT_START = LazyPattern(
    r"^\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.I | re.S,
)
_COMMON_TAG = LazyPattern(
    r"<(?:p|div|br|span|a|blockquote|iframe|article|section|h[1-6]|ul|li|img|script)\b[^<>]{0,500}>",
    re.IGNORECASE,
)
_TAGS_FOR_HTML = 3


def detect_kind(
    document: str, *, content_type: str | None = None, filename: str | None = None
) -> str:
    """``"html"`` or ``"text"``, from the content type, else the file extension, else the bytes."""
    if content_type:
        media_type = content_type.split(";")[0].strip().lower()
        if media_type in _HTML_TYPES:
            return HTML
        if media_type in _TEXT_TYPES:
            return TEXT
    if filename:
        suffix = filename.lower()
        if suffix.endswith(_HTML_SUFFIXES):
            return HTML
        if suffix.endswith(_TEXT_SUFFIXES):
            return TEXT
    if document.find("<", 0, SNIFF_CHARS) == -1:
        return TEXT  # no markup in the head, and no copy of it made
    head = document[:SNIFF_CHARS]
    if _DOCUMENT_START.match(head):
        return HTML
    for count, _tag in enumerate(_COMMON_TAG.finditer(head), start=1):
        if count >= _TAGS_FOR_HTML:
            return HTML
    return TEXT
