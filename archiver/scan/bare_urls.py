"""Bare status URLs alone on their line: auto-embeds that did not render.

``https://twitter.com/user/status/ID`` on a line (or paragraph) of its own is what a CMS turns into
an embed; the same URL inside a sentence is only a link, and is not reported.
"""

from __future__ import annotations

from typing import NamedTuple

from archiver.urls import PostRef, parse_post_url

# Literals every bare post URL contains: a scheme, or (for X links written without one) /status.
_LITERALS = ("://", "/status")
_MAX_LINE = 2048  # a status URL with its tracking query fits easily
_WRAPPERS = "<>"


class BareUrl(NamedTuple):
    """A post URL alone on its line; offsets index the text it was found in."""

    start: int
    end: int
    url: str  # with a scheme, even when the article left it out
    post: PostRef


def find_bare_urls(text: str, *, start: int = 0, end: int | None = None) -> list[BareUrl]:
    """Every post URL that stands alone on its line in ``text[start:end]``, in order."""
    end = len(text) if end is None else end
    lines: dict[int, BareUrl] = {}
    for literal in _LITERALS:
        pos = text.find(literal, start, end)
        while pos != -1:
            line_start = text.rfind("\n", max(start, pos - _MAX_LINE), pos) + 1
            if line_start == 0 and pos - _MAX_LINE > start:
                pos = text.find(literal, pos + 1, end)
                continue
            line_start = max(line_start, start)
            line_end = text.find("\n", pos, min(end, pos + _MAX_LINE))
            if line_end == -1:
                line_end = end if end - pos <= _MAX_LINE else -1
            if line_end != -1 and line_start not in lines:
                found = _bare_url(text, line_start, line_end)
                if found is not None:
                    lines[line_start] = found
            pos = text.find(literal, max(pos + 1, line_end), end) if line_end != -1 else -1
    return sorted(lines.values(), key=lambda bare: bare.start)


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
