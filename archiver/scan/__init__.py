"""The scanner: which posts does an article embed, and what does it show of each?

``scan_bytes`` decodes an article and finds its embeds; ``scan_text`` does the same for text
already decoded. Both return one ``Embed`` per embedded post, in document order, and never raise
on any input. Time and memory grow linearly with the input: every pattern is anchored on a
literal and bounded, and HTML is parsed only around the places a literal search found.
"""

from __future__ import annotations

from archiver.models import ScanResult
from archiver.scan.decode import REPLACED, REPLACED_REASON, decode
from archiver.scan.kind import HTML, TEXT, detect_kind
from archiver.scan.plain import text_embeds

__all__ = ["HTML", "REPLACED", "REPLACED_REASON", "TEXT", "scan_bytes", "scan_text"]


def scan_bytes(
    data: bytes, *, content_type: str | None = None, filename: str | None = None
) -> ScanResult:
    """Decode an article (text or HTML, any encoding) and find the posts it embeds.

    >>> result = scan_bytes(b"Ok pic.twitter.com/abc \\xe2\\x80\\x94 A (@a) May 1, 2022")
    >>> [(e.handle, e.date, e.pic_links) for e in result.embeds]
    [('a', '2022-05-01', ('pic.twitter.com/abc',))]
    """
    document, encoding = decode(data, content_type=content_type)
    kind = detect_kind(document, content_type=content_type, filename=filename)
    return _scan(document, kind=kind, encoding=encoding, title=None)


def scan_text(document: str, *, kind: str = TEXT, title: str | None = None) -> ScanResult:
    """Find the posts embedded in an already decoded article (``kind`` is "text" or "html").

    The result's ``encoding`` is "utf-8": the text has no bytes of its own, and that is how
    it is stored.
    """
    return _scan(document, kind=HTML if kind == HTML else TEXT, encoding="utf-8", title=title)


def _scan(document: str, *, kind: str, encoding: str, title: str | None) -> ScanResult:
    if kind == HTML:
        # Imported by the first page: lxml and the markup rules are a sixth of the command's
        # start, which a text article does without (docs/benchmarks.md).
        from archiver.scan.html import html_embeds, html_title

        embeds = html_embeds(document)
        title = title or html_title(document)
    else:
        embeds = text_embeds(document)
    return ScanResult(document, kind, encoding, title, tuple(embeds))
