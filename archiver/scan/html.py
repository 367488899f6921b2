"""Embeds in an HTML page: the markup embeds, then the flattened forms in its visible text.

The visible text is extracted only around candidates the pre-filter found (a window reaching back
far enough for the post text), never for the whole page; spans are mapped back to the source.
A window reads the attributions up to its last candidate only: one after it, in the text the
window reaches forward for the dates, is the next window's.
"""

from __future__ import annotations

import bisect
import html
import re
from operator import attrgetter

from archiver.lazy_pattern import LazyPattern
from archiver.models import Embed
from archiver.scan import prefilter
from archiver.scan.bare_urls import find_bare_urls
from archiver.scan.links import is_post_link, other_links, trim_link
from archiver.scan.markup import find_markup_embeds
from archiver.scan.plain import attribution_embed, bare_url_embed
from archiver.scan.text import Attribution, find_attributions, has_attribution_tail
from archiver.scan.visible import VisibleText, visible_text
from archiver.urls import parse_post_url

BACK = 2000  # source characters before a candidate: the post text, its markup and the lead-in
URL_BACK = 400  # before a bare URL: the rest of its line
FORWARD = 800  # after it: the handle, the date and the markup around them
_CHECK = 600
_URL_SLACK = 256
_AFTER_DATE = 64  # room for the "</a>" that closes a date link
_TITLE = re.compile(r"<title\b[^<>]{0,500}>(?P<title>[^<]{0,2000})</title", re.IGNORECASE)
_TITLE_SEARCH = 262144
_ANCHOR = LazyPattern(
    r"""<a\b(?P<attributes>[^<>]{0,4000})>(?P<text>.{0,2000}?)</a\s*>""", re.IGNORECASE | re.DOTALL
)
_HREF = LazyPattern(
    r"""\bhref\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))""", re.I
)
_TAGS = LazyPattern(r"<[^<>]{0,4000}>")
_SPACE_RUN = LazyPattern(r"[ \t]{2,}")
_URL_TOKEN = LazyPattern(r"[^\s<>\"']{1,2048}")
_START = attrgetter("start")


def html_embeds(source: str) -> list[Embed]:
    """Every embed of an HTML page in document order; spans index ``source``."""
    found = prefilter.find_candidates(source)
    markup = find_markup_embeds(source, found.elements)
    if not found.anchors and not found.urls:
        return markup
    return sorted(markup + _flattened_embeds(source, found, markup), key=_START)


def reference_flattened_embeds(
    source: str, found: prefilter.PageCandidates, markup: list[Embed]
) -> list[Embed]:
    """The flattened attributions and bare URLs of a page, cluster by cluster: its candidates
    outside the markup embeds and code, each cluster read through its window.

    In Python: ``_flattened_embeds`` is the same compiled (_flattened.c) wherever the install
    could build it, this one elsewhere.
    """
    blocked = _merged([(embed.start, embed.end) for embed in markup] + found.code)
    candidates = sorted(pos for pos in found.anchors + found.urls if not _inside(blocked, pos))
    flattened: list[Embed] = []
    for window_start, cluster in _clusters(source, candidates, blocked):
        flattened += _window_embeds(source, window_start, cluster)
    return flattened


def html_title(source: str) -> str | None:
    """The page's ``<title>``, unescaped, with its whitespace collapsed."""
    match = _TITLE.search(source, 0, _TITLE_SEARCH)
    if match is None:
        return None
    title = " ".join(html.unescape(match["title"]).split())
    return title or None


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _inside(ranges: list[tuple[int, int]], pos: int) -> bool:
    index = bisect.bisect_right(ranges, (pos, 1 << 62)) - 1
    return index >= 0 and pos < ranges[index][1]


def reference_clusters(
    source: str, candidates: list[int], blocked: list[tuple[int, int]]
) -> list[tuple[int, list[int]]]:
    """Candidates grouped so that one window of visible text serves each group.

    A candidate joins the group before it when the text between is within its reach (the post
    text before an attribution; the line before a URL) and nothing blocked lies between; a
    candidate that would open a new group must first look like an embed (a cheap test).

    In Python: ``_clusters`` is the same compiled (_flattened.c) wherever the install could build
    it, this one elsewhere.
    """
    blocked_ends = [end for _, end in blocked]
    clusters: list[tuple[int, list[int]]] = []
    for pos in candidates:
        reach = BACK if source[pos] == "(" else URL_BACK
        barrier = _last_barrier(blocked_ends, pos)
        if clusters and pos - clusters[-1][1][-1] < reach and clusters[-1][1][-1] >= barrier:
            clusters[-1][1].append(pos)
        elif _looks_like_an_embed(source, pos):
            window_start = max(barrier, pos - reach)
            if window_start != barrier:
                tag = source.find("<", window_start, pos)
                window_start = tag if tag != -1 else window_start
            clusters.append((window_start, [pos]))
    return clusters


def _last_barrier(ends: list[int], pos: int) -> int:
    """The end of the last blocked range (markup embed, script) that ends at or before ``pos``."""
    index = bisect.bisect_right(ends, pos) - 1
    return ends[index] if index >= 0 else 0


def _looks_like_an_embed(source: str, pos: int) -> bool:
    if source[pos] == "(":
        return has_attribution_tail(_plain_text_at(source, pos), 0)
    token = _URL_TOKEN.match(source, pos)
    return token is not None and parse_post_url(html.unescape(token.group())) is not None


def reference_plain_text_at(source: str, pos: int) -> str:
    """The ``_CHECK`` source characters from ``pos`` as the cheap test reads them: tags dropped,
    references decoded, whitespace collapsed to single spaces.

    In Python: ``_plain_text_at`` is the same compiled (_flattened.c) wherever the install could
    build it, this one elsewhere.
    """
    return " ".join(html.unescape(_TAGS.sub("", source[pos : pos + _CHECK])).split())


def reference_window_embeds(source: str, window_start: int, cluster: list[int]) -> list[Embed]:
    """The bare URLs and flattened attributions a cluster of candidates stands for, read in the
    visible text of ``source`` from ``window_start`` to ``FORWARD`` past its last candidate: a
    bare URL that starts from the first candidate to ``_URL_SLACK`` past the last, an attribution
    whose "(@" sits from the first to the last.

    In Python: ``_window_embeds`` is the same compiled (_flattened.c, calling the compiled
    visible text, bare URLs and attributions) wherever the install could build it, this one
    elsewhere.
    """
    window_end = min(len(source), cluster[-1] + FORWARD)
    seen = visible_text(source, window_start, window_end)
    first, last = cluster[0], cluster[-1] + _URL_SLACK
    embeds: list[Embed] = []
    bare = find_bare_urls(seen.text)
    for found in bare:
        start = seen.source_start(found.start)
        if first <= start <= last:
            end = seen.source_end(found.end)
            url = html.unescape(found.url)
            embeds.append(bare_url_embed(found._replace(start=start, end=end, url=url)))
    for attribution in find_attributions(
        seen.text,
        barriers=tuple(b.end for b in bare),
        anchors_before=seen.chars_until(cluster[-1]),  # those after belong to the next window
    ):
        if first <= seen.source_start(attribution.anchor) <= cluster[-1]:
            embeds.append(_attribution_in_source(source, seen, attribution))
    return embeds


def reference_attribution_in_source(source: str, seen: VisibleText, found: Attribution) -> Embed:
    """The record of an attribution found in ``seen.text``: its spans in ``source``, its post's
    text tidied, its status URL the last anchor around its date that links to a post (else its
    own), its links those of ``_post_links``.

    In Python: ``_attribution_in_source`` is the same compiled (_flattened.c) wherever the
    install could build it, this one elsewhere.
    """
    start = seen.source_start(found.start)
    dash = seen.source_start(found.dash)
    anchor = seen.source_start(found.anchor)
    end = seen.source_end(found.end)
    post_text = _tidy(seen.text[found.start : found.dash])
    status_url = found.status_url
    for _pos, href, _text, _end in reversed(_anchors(source, anchor, end, slack=_AFTER_DATE)):
        if parse_post_url(href) is not None:
            status_url = href
            break
    located = found._replace(start=start, dash=dash, anchor=anchor, end=end, status_url=status_url)
    return attribution_embed(
        located, post_text, links=_post_links(source, seen, found, start, dash)
    )


try:
    from archiver.scan._flattened import attribution_in_source as _attribution_in_source
    from archiver.scan._flattened import clusters as _clusters
    from archiver.scan._flattened import flattened_embeds as _flattened_embeds
    from archiver.scan._flattened import plain_text_at as _plain_text_at
    from archiver.scan._flattened import window_embeds as _window_embeds
except ImportError:  # installed without a C compiler: the same records, in Python
    _attribution_in_source = reference_attribution_in_source
    _clusters = reference_clusters
    _flattened_embeds = reference_flattened_embeds
    _plain_text_at = reference_plain_text_at
    _window_embeds = reference_window_embeds


def _post_links(
    source: str, seen: VisibleText, found: Attribution, start: int, dash: int
) -> tuple[str, ...]:
    """The post's links: each ``<a href>`` that is a link, and URLs written out in plain text."""
    anchors = _anchors(source, start, dash)
    placed = [(pos, href) for pos, href, text, _end in anchors if is_post_link(href, text)]
    spans = [(pos, end) for pos, _href, _text, end in anchors]
    text = seen.text[found.start : found.dash]
    for link in other_links(text):
        index = text.find(link)
        pos = seen.source_start(found.start + index) if index != -1 else dash
        if not any(a <= pos < b for a, b in spans):
            placed.append((pos, link))
    return tuple(dict.fromkeys(link for _pos, link in sorted(placed)))


def reference_anchors(
    source: str, start: int, end: int, *, slack: int = 0
) -> list[tuple[int, str, str, int]]:
    """``(offset, href, visible text, end)`` of each ``<a>`` that opens in ``source[start:end]``
    (one that closes within ``slack`` characters after it still counts).

    In Python: ``_anchors`` is the same compiled (_anchors.c) wherever the install could build
    it, this one elsewhere.
    """
    found = []
    for match in _ANCHOR.finditer(source, start, min(len(source), end + slack)):
        if match.start() >= end:
            break
        href = _HREF.search(match["attributes"])
        if href is None:
            continue
        value = html.unescape(
            href["dq"] if href["dq"] is not None else href["sq"] or href["bare"] or ""
        )
        text = html.unescape(_TAGS.sub("", match["text"]))
        found.append((match.start(), trim_link(value.strip()), text, match.end()))
    return found


def _compiled_anchors(
    source: str, start: int, end: int, *, slack: int = 0
) -> list[tuple[int, str, str, int]]:
    """``reference_anchors``, its reading compiled: the same anchors."""
    return anchors(source, start, end, slack)


try:
    from archiver.scan._anchors import anchors
except ImportError:  # installed without a C compiler: the same anchors, in Python
    _anchors = reference_anchors
else:
    _anchors = _compiled_anchors


def _tidy(text: str) -> str:
    """Visible text as a reader sees it: spaces collapsed, lines stripped, ends stripped."""
    return "\n".join(_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n")).strip()
