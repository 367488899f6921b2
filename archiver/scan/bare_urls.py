"""Bare status URLs alone on their line: auto-embeds that did not render.

``https://twitter.com/user/status/ID`` on a line (or paragraph) of its own is what a CMS turns into
an embed; the same URL inside a sentence is only a link, and is not reported.
"""

from __future__ import annotations

from typing import NamedTuple

from archiver.lazy_pattern import LazyPattern
from archiver.urls import PostRef, parse_post_url

# Every bare post URL holds "://" or, for X links written without a scheme, "/status". One
# pattern for both, starting with a literal, so the text is read in one fast pass; its "//" is
# a match only as part of "://".
_LITERALS = LazyPattern(r"/(?:/|status)")
_MAX_LINE = 2048  # a status URL with its tracking query fits easily
_WRAPPERS = "<>"


class BareUrl(NamedTuple):
    """A post URL alone on its line; offsets index the text it was found in."""

    start: int
    end: int
    url: str  # with a scheme, even when the article left it out
    post: PostRef


def reference_find_bare_urls(text: str, *, start: int = 0, end: int | None = None) -> list[BareUrl]:
    """Every post URL that stands alone on its line in ``text[start:end]``, in order.

    In Python: ``find_bare_urls`` is the same compiled (_bare_urls.c) wherever the install could
    build it, this one elsewhere.
    """
    end = len(text) if end is None else end
    found: list[BareUrl] = []
    pos = start
    while (literal := _LITERALS.search(text, pos, end)) is not None:
        at = literal.start()
        if literal.group() == "//":
            if at == start or text[at - 1] != ":":
                pos = at + 1
                continue
            at -= 1
        line_start = text.rfind("\n", max(start, at - _MAX_LINE), at) + 1
        if line_start == 0 and at - _MAX_LINE > start:
            line_end = -1  # the line started too far back to be a URL alone
        else:
            line_start = max(line_start, start)
            line_end = text.find("\n", at, min(end, at + _MAX_LINE))
            if line_end == -1 and end - at <= _MAX_LINE:
                line_end = end
        if line_end == -1:  # too long a line: go on after it
            next_line = text.find("\n", at, end)
            if next_line == -1:
                break
            pos = next_line
            continue
        if (bare := _bare_url(text, line_start, line_end)) is not None:
            found.append(bare)
        pos = line_end
    return found


def _bare_url(text: str, line_start: int, line_end: int) -> BareUrl | None:
    line = text[line_start:line_end]
    tokens = line.split(maxsplit=1)
    if len(tokens) != 1:
        return None
    token = tokens[0]
    offset = line_start + line.index(token)
    if token[0] in _WRAPPERS and token[-1] in _WRAPPERS:
        token, offset = token[1:-1], offset + 1
    url = token if "://" in token else "https://" + token
    post = parse_post_url(url)
    if post is None:
        return None
    return BareUrl(offset, offset + len(token), url, post)


try:
    from archiver.scan._bare_urls import find_bare_urls as _find_bare_urls
except ImportError:  # installed without a C compiler: the same rule, in Python
    find_bare_urls = reference_find_bare_urls
else:

    def find_bare_urls(text: str, *, start: int = 0, end: int | None = None) -> list[BareUrl]:
        """``reference_find_bare_urls``, compiled."""
        end = len(text) if end is None else end
        if not 0 <= start <= end <= len(text):  # bounds outside the text, read as re and slices do
            return reference_find_bare_urls(text, start=start, end=end)
        return _find_bare_urls(text, start, end)
