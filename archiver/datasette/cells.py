"""How archive values read in a Datasette page: safe markup built from escaped text, never raw HTML.

Everything here is a pure function from a stored value to ``Markup``; every piece of stored text
goes through ``markupsafe.escape`` (``Markup.format`` escapes its arguments).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

SHORT_HASH_LENGTH = 12

_SHA256 = re.compile(r"[0-9a-f]{64}")
# Only http and https become links: javascript:, data: and the like stay text.
_LINK = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\"’”»…"
_CLOSING = {")": "(", "]": "[", "}": "{"}


def is_sha256(value: object) -> bool:
    """True for a lowercase hex SHA-256, the way the archive names its blobs."""
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def short_hash(sha256: str, *, href: str | None) -> Markup:
    """The first characters of a hash, the whole of it on hover, linked to ``href`` if given."""
    short = Markup('<code title="{}">{}…</code>').format(sha256, sha256[:SHORT_HASH_LENGTH])
    if href is None:
        return short
    return Markup('<a href="{}" title="{}">{}</a>').format(href, sha256, short)


def text_with_links(text: str) -> Markup:
    """``text`` escaped, with its http(s) links made clickable."""
    parts: list[Markup] = []
    done = 0
    for match in _LINK.finditer(text):
        url = _without_trailing_punctuation(match.group(0))
        if not url.partition("://")[2]:
            continue
        parts.append(escape(text[done : match.start()]))
        parts.append(
            Markup('<a href="{}" rel="nofollow noopener noreferrer">{}</a>').format(url, url)
        )
        done = match.start() + len(url)
    parts.append(escape(text[done:]))
    return Markup("").join(parts)


def _without_trailing_punctuation(url: str) -> str:
    """A link as a reader meant it: "(see https://x.org/a)." ends at "a", "/Foo_(bar)" keeps ")"."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _CLOSING and url.count(_CLOSING[last]) < url.count(last)):
            url = url[:-1]
        else:
            break
    return url


def image(src: str, *, alt: str, href: str) -> Markup:
    """An image that links to itself, small enough for a table cell."""
    return Markup(
        '<a href="{}"><img src="{}" alt="{}" loading="lazy" '
        'style="max-width: 240px; max-height: 240px; display: block"></a>'
    ).format(href, src, alt)
