"""Embeds in plain text: flattened attributions and bare status URLs, as ``Embed`` records."""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import attrgetter

from archiver.lazy_pattern import LazyPattern
from archiver.models import Embed, EmbedForm, Platform
from archiver.scan.bare_urls import BareUrl, reference_find_bare_urls
from archiver.scan.links import clean_status_url, other_links, pic_links
from archiver.scan.text import Attribution, find_attributions
from archiver.urls import parse_post_url


def text_embeds(text: str, *, start: int = 0, end: int | None = None) -> list[Embed]:
    """Every embed in ``text[start:end]``, in order; spans index ``text``."""
    quoted = has_quote_marker(text)  # the rules read a quoted text's markers as spaces
    bare = bare_url_embeds(text, start=start, end=end, blank_markers=quoted)
    barriers = tuple([found.end for found in bare]) if bare else ()
    attributions = find_attributions(text, start=start, end=end, barriers=barriers)
    if not quoted:  # no Markdown quote: each post is the text up to its dash
        embeds = attribution_embeds(text, attributions)
    else:
        ends = sorted([found.end for found in bare] + [found.end for found in attributions])
        embeds = quoted_embeds(text, attributions, ends, start)
    if bare:  # after the attributions that start where one starts, as a stable sort leaves them
        embeds += bare
        embeds.sort(key=_START)
    return embeds


# A Markdown blockquote's marker at the start of a line: ">", up to three spaces in, one after;
# found after a newline (re skips to each newline as fast as str.find), or at the text's start.
_QUOTE_MARKER = LazyPattern(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)
_QUOTE_MARKER_AFTER_NEWLINE = LazyPattern(r"\n(?P<marker>[ \t]{0,3}>[ \t]?)")
_NON_SPACE = LazyPattern(r"\S")
_START = attrgetter("start")


def reference_quote_markers_blanked(text: str) -> str:
    """``text`` with Markdown quote markers turned to spaces (offsets unchanged): a status URL
    alone on a quoted line stands alone, and a quoted post's words read without the markers.
    ``text`` itself when it has none.

    The compiled scan never makes this copy: ``bare_url_embeds(blank_markers=True)`` and
    ``quoted_embeds`` (_bare_urls.c, _attributions.c) read ``text`` itself, each marker a space
    where it lies.
    """
    if ">" not in text:  # a scan for "\n>" line by line runs at 90 MB/s; "in" at memory speed
        return text
    first = _QUOTE_MARKER.match(text)
    view, count = _QUOTE_MARKER_AFTER_NEWLINE.subn(
        lambda found: "\n" + " " * len(found["marker"]), text
    )
    if first is None:
        return view if count else text
    return " " * first.end() + view[first.end() :]


def reference_has_quote_marker(text: str) -> bool:
    """Whether a Markdown quote marker opens a line of ``text``: whether
    ``reference_quote_markers_blanked(text)`` is not ``text``.

    In Python: ``has_quote_marker`` is the same compiled (_attributions.c) wherever the install
    could build it, this one elsewhere.
    """
    if ">" not in text:
        return False
    return (
        _QUOTE_MARKER.match(text) is not None
        or _QUOTE_MARKER_AFTER_NEWLINE.search(text) is not None
    )


def reference_quoted_embeds(
    text: str, view: str, attributions: list[Attribution], ends: list[int], floor: int
) -> list[Embed]:
    """The record of each attribution in a text with a Markdown quote, ``view`` its
    ``reference_quote_markers_blanked``, ``ends`` the sorted ends of its embeds, ``floor`` where
    the scan starts.

    In Python: ``quoted_embeds(text, attributions, ends, floor)`` is the same compiled
    (_attributions.c, ``view`` read in ``text``) wherever the install could build it, this one of
    ``text`` and its view elsewhere.
    """
    return [_quoted_or_plain(text, view, found, ends, floor=floor) for found in attributions]


def _quoted_or_plain(
    text: str, view: str, found: Attribution, ends: list[int], *, floor: int
) -> Embed:
    """The record of an attribution. When its own line is quoted in Markdown (``> … — Name
    (@handle) Date``), the post is the whole quote up to the dash (not reaching back over the end
    of an earlier embed, one of the sorted ``ends``), its ``>`` markers the article's markup;
    otherwise a ``>`` is the post's own (greentext)."""
    earlier = bisect_right(ends, found.start)
    floor = max(floor, ends[earlier - 1]) if earlier else floor
    newline = text.rfind("\n", floor, found.dash)  # bounded: a 50 MB line is not searched again
    dash_line = floor if newline < 0 else newline + 1
    if _QUOTE_MARKER.match(text, dash_line) is None:
        return _attribution_embed(found, text[found.start : found.dash].strip())
    quote = min(found.start, _quote_start(text, dash_line, floor))
    first_word = _NON_SPACE.search(view, quote, found.dash)
    start = first_word.start() if first_word else found.dash  # the dash when it shows no text
    post = "\n".join(line.strip() for line in view[start : found.dash].split("\n")).strip()
    return _attribution_embed(found._replace(start=start), post)


def _quote_start(text: str, line: int, floor: int) -> int:
    """Where the Markdown quote holding ``line`` starts: its first quoted line, not before ``floor``."""
    while line > floor:
        previous = text.rfind("\n", 0, line - 1) + 1
        if previous < floor or _QUOTE_MARKER.match(text, previous) is None:
            break
        line = previous
    return line


def attribution_embed(
    found: Attribution, post_text: str, *, links: tuple[str, ...] | None = None
) -> Embed:
    """The record of a flattened attribution whose post text is ``post_text``.

    Compiled (_attributions.c) without ``links`` wherever the install could build it: the
    scan of plain text calls ``_attribution_embed``, this one elsewhere.
    """
    status = parse_post_url(found.status_url) if found.status_url else None
    if status is not None:
        platform = status.platform
    else:
        platform = Platform.BLUESKY if "." in found.handle else Platform.TWITTER
    return Embed(
        platform=platform,
        form=EmbedForm.TEXT_ATTRIBUTION,
        text=post_text,
        start=found.start,
        end=found.end,
        handle=found.handle,
        display_name=found.display_name,
        date=found.date,
        date_text=found.date_text,
        pic_links=pic_links(post_text),
        links=other_links(post_text) if links is None else links,
        status_id=status.post_id if status else None,
        status_url=clean_status_url(found.status_url) if status and found.status_url else None,
    )


def reference_attribution_embeds(text: str, attributions: list[Attribution]) -> list[Embed]:
    """The record of each attribution in a text without a Markdown quote: its post is the text
    up to its dash.

    In Python: ``attribution_embeds`` is the same compiled (_attributions.c) wherever the
    install could build it, this one elsewhere.
    """
    return [
        attribution_embed(found, text[found.start : found.dash].strip()) for found in attributions
    ]


def _python_quoted_embeds(
    text: str, attributions: list[Attribution], ends: list[int], floor: int
) -> list[Embed]:
    """``reference_quoted_embeds`` of ``text`` and its ``reference_quote_markers_blanked``."""
    view = reference_quote_markers_blanked(text)
    return reference_quoted_embeds(text, view, attributions, ends, floor)


try:
    from archiver.scan._attributions import attribution_embed as _attribution_embed
    from archiver.scan._attributions import attribution_embeds, has_quote_marker, quoted_embeds
except ImportError:  # installed without a C compiler: the same records, in Python
    _attribution_embed = attribution_embed
    attribution_embeds = reference_attribution_embeds
    has_quote_marker = reference_has_quote_marker
    quoted_embeds = _python_quoted_embeds


def bare_url_embed(found: BareUrl) -> Embed:
    """The record of a post URL that stands alone on its line."""
    return Embed(
        platform=found.post.platform,
        form=EmbedForm.STATUS_URL,
        text="",
        start=found.start,
        end=found.end,
        handle=found.post.handle,
        status_id=found.post.post_id,
        status_url=clean_status_url(found.url),
    )


def reference_bare_url_embeds(text: str, *, start: int = 0, end: int | None = None) -> list[Embed]:
    """The record of each post URL that stands alone on its line in ``text[start:end]``, in order.

    In Python: ``bare_url_embeds`` is the same compiled (_bare_urls.c, without a ``BareUrl``
    between) wherever the install could build it, this one elsewhere; with
    ``blank_markers=True``, of ``text`` read as its ``reference_quote_markers_blanked``.
    """
    return [bare_url_embed(found) for found in reference_find_bare_urls(text, start=start, end=end)]


def _python_bare_url_embeds(
    text: str, *, start: int = 0, end: int | None = None, blank_markers: bool = False
) -> list[Embed]:
    """``reference_bare_url_embeds`` of ``text``, or with ``blank_markers`` of its
    ``reference_quote_markers_blanked``."""
    view = reference_quote_markers_blanked(text) if blank_markers else text
    return reference_bare_url_embeds(view, start=start, end=end)


try:
    from archiver.scan._bare_urls import bare_url_embeds as _bare_url_embeds
except ImportError:  # installed without a C compiler: the same records, in Python
    bare_url_embeds = _python_bare_url_embeds
else:

    def bare_url_embeds(
        text: str, *, start: int = 0, end: int | None = None, blank_markers: bool = False
    ) -> list[Embed]:
        """``reference_bare_url_embeds`` of ``text``, or with ``blank_markers`` of its
        ``reference_quote_markers_blanked``, compiled: the markers read where they lie."""
        end = len(text) if end is None else end
        if not 0 <= start <= end <= len(text):  # bounds outside the text, read as re and slices do
            return _python_bare_url_embeds(text, start=start, end=end, blank_markers=blank_markers)
        return _bare_url_embeds(text, start, end, blank_markers)
