"""Flattened attributions in text: ``TEXT pic.twitter.com/CODE — Name (@handle) Date``.

A widget that a site flattened to text leaves ``— Display Name (@handle) Date`` after the post.
The finder anchors on the literal ``(@``, reads the handle and the date after it, then the dash
and the display name before it, then walks back to where the post text starts.

Where the post text starts (the rule, in order):

1. It ends at the dash. The text before the dash on the dash's line is the post's last line; when
   the attribution stands on its own line, the previous non-blank line is, unless it is a lead-in
   ending with ``:`` (then the post shows no text).
2. Earlier lines join the post one at a time, walking back. The walk stops at the end of the
   previous embed (attribution or bare status URL) and before a line that would take the post
   past 280 characters (Twitter's length, links counted as 23, wide characters as 2).
   A line that shows a sign of a post (a hashtag, a t.co link, a start with an ``@mention`` or
   an emoji) joins, and so does a paragraph that is one quotation in double quotes. Any other
   line stops the walk when it is a lead-in ending with ``:``, or when an ordinary paragraph
   break separates it from the post (it is the article's prose), or when a wider break does and
   it is a short sentence (at most 100 characters ending in ``.``, ``!``, ``?`` or ``…``: a
   lead-in such as "Last night, this was posted on Facebook."). A line only a narrower break
   away (a line break inside a paragraph) joins.
   Except: a paragraph an ordinary break away, and every one up to a lead-in ending with ``:``
   within a post's length, join the post when it is not a short sentence or when the post
   already spans an ordinary break: a post quoted over several paragraphs (docs/scan-accuracy.md).
3. An ordinary paragraph break is the most common run of newlines around the attribution,
   beside prose paragraphs (lines longer than a lead-in) when there are any. Flatteners write a
   post's own line breaks differently from the article's paragraphs (the sample article puts
   three blank lines inside a post, one between paragraphs; a post of short lines, one).

An export that dropped the dash leaves its spaces: ``post text  Name (@handle) Date``, often glued
to the next block with no break at all ("…next season!  Jane Roe (@janeroe_tv) March 3,
2019The replies were not kind…", docs/scan-accuracy.md). Two or more spaces then stand for the dash
(``_dashless_gap``), and the post may share its line with prose (``glued_post_start``).

The rule's walk back is post_text.py's; the paragraph break it compares lines with, gaps.py's.
The dash and the display name are ``reference_dash_and_name``'s, and the loop over the anchors
``reference_find_attributions``', both compiled in _attributions.c (issue 17).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from archiver.lazy_pattern import LazyPattern
from archiver.scan.dates import DATE_PATTERN, cached_date_iso
from archiver.scan.post_text import glued_post_start, line_start_before, post_start

# "(@handle) Date", as one pattern: re skips to each "(@" as fast as str.find (faster in wide
# strings), and an anchor without a handle and a date after it costs no Python at all (the
# compiled loop finds each "(@" with memchr and reads this pattern there in C, _attributions.c
# and _dates.h). A date never starts with what the handle's tail may leave out (a space, a line
# break, "[", "·"), so the tail matches exactly as it would on its own.
_ATTRIBUTION_TAIL = LazyPattern(  # read in C where _attributions.c is built
    r"""\(@(?P<handle>[A-Za-z0-9_]{1,15}(?=\))|[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63}){1,8})\)
        [ \t\xa0\u202f]{0,40}(?:\n[ \t\xa0\u202f]{0,40})?
        (?:[·|][ \t\xa0\u202f]{1,3})?(?P<bracket>\[)?"""
    rf"(?P<date>{DATE_PATTERN})",
    re.VERBOSE,
)
_MARKDOWN_LINK_TAIL = re.compile(r"\]\((?P<url>[^\s()]{1,2000})\)")
# Dashes that end a post, strongest first (em/en dash and their entities, "--", a lone hyphen).
_DASH_ENTITIES = ("&mdash;", "&ndash;", "&#8212;", "&#8211;", "&#x2014;", "&#x2013;")
_STRONG_DASH = LazyPattern("(?s:.*)[—–―‒]")  # the rightmost of the four: one pass, not four
_HYPHEN = LazyPattern(r"(?s:.*)(?<!-)(?P<dash>-)(?=[ \t\xa0\u202f])")
# A dash a text export removed leaves the spaces that stood around it; a name read without one
# is at most X's 50 characters, and a name after a dash that holds such a run may be two things
# (the sample article's ``not a ride" - AP  BNO News (@BNONews)``: the post's own hyphen, then
# the spaces of the removed dash).
_DASHLESS_GAP = LazyPattern(r"[ \t\xa0\u202f]{2,}")
_DASHLESS_NAME = 50
_SPLIT_NAME = LazyPattern(r"\S[ \t\xa0\u202f]{2,}\S")
_LAST_WORD = LazyPattern(r"\S+$")
_NEXT_WORD = LazyPattern(r"[ \t\xa0\u202f]*[^\W\d_]")
_NAME_WINDOW = 100  # display names are at most 50 characters; room for emoji sequences and marks
_MAX_NAME = 64
_POST_LINK = LazyPattern(r"pic\.(?:twitter|x)\.com/|t\.co/")
NAME_STRIP = (
    " \t\xa0\u202f\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)


class Attribution(NamedTuple):
    """A flattened attribution; offsets index the text it was found in."""

    start: int  # first character of the post text (the dash when the post shows no text)
    dash: int
    end: int  # end of the date (of the Markdown link, when the date is one)
    anchor: int  # where "(@" sits
    handle: str
    display_name: str
    date: str
    date_text: str
    status_url: str | None  # only when the date is a Markdown link to the post


def reference_find_attributions(
    text: str,
    *,
    start: int = 0,
    end: int | None = None,
    barriers: tuple[int, ...] = (),
    anchors_before: int | None = None,
) -> list[Attribution]:
    """Every flattened attribution in ``text[start:end]``, in order.

    ``barriers`` are sorted positions (ends of other embeds) that no post text reaches back over.
    ``anchors_before``: only those whose ``(@`` is before it (their dates may run past it).

    The loop in Python: ``find_attributions`` is the same loop compiled (_attributions.c)
    wherever the install could build it, this one elsewhere.
    """
    end = len(text) if end is None else end
    last_anchor = end if anchors_before is None else anchors_before - 1
    found: list[Attribution] = []
    floor, next_barrier = start, 0
    pos = start
    while (tail := _ATTRIBUTION_TAIL.search(text, pos, end)) is not None:
        pos = tail.start()
        if pos > last_anchor:
            break
        while next_barrier < len(barriers) and barriers[next_barrier] <= pos:
            floor = max(floor, barriers[next_barrier])
            next_barrier += 1
        attribution = _attribution_at(text, tail, end, floor)
        if attribution is not None:
            found.append(attribution)
            floor = pos = attribution.end
        pos += 1
    return found


def reference_has_attribution_tail(text: str, anchor: int) -> bool:
    """Whether ``(@handle) Date`` starts at ``text[anchor]`` (a cheap test before a full parse).

    The rule in Python: ``has_attribution_tail`` is the same rule compiled (_attributions.c)
    wherever the install could build it, this one elsewhere.
    """
    tail = _ATTRIBUTION_TAIL.match(text, anchor)
    return tail is not None and cached_date_iso(tail["date"]) is not None


def _attribution_at(text: str, tail: re.Match[str], end: int, floor: int) -> Attribution | None:
    iso = cached_date_iso(tail["date"])
    if iso is None:
        return None
    anchor, date_end, status_url = tail.start(), tail.end("date"), None
    if tail["bracket"]:
        link = _MARKDOWN_LINK_TAIL.match(text, date_end, end)
        if link is None:
            return None
        date_end, status_url = link.end(), link["url"]
    found = _dash_and_name(text, anchor, floor)
    dashless = None
    if found is None or _SPLIT_NAME.search(text, found[1], anchor):
        dashless = _dashless_gap(text, anchor, floor, tail.end())
        if dashless is not None:
            found = (*dashless, text[dashless[1] : anchor].strip(NAME_STRIP))
    if found is None:
        return None
    dash, _dash_end, name = found
    start = (glued_post_start if dashless else post_start)(text, dash, floor)
    # start, dash, end, anchor, handle, display_name, date, date_text, status_url
    return Attribution(
        start, dash, date_end, anchor, tail["handle"], name, iso, tail["date"], status_url
    )


def dash_before(text: str, anchor: int, floor: int = 0) -> tuple[int, int] | None:
    """The dash that opens the attribution whose ``(@`` is at ``anchor``: (start, end), or None.

    On the anchor's line and at most 100 characters before it. The strongest dash wins (em/en
    dash, then ``--``, then a hyphen followed by a space), the rightmost among equals, unless
    the display name it would give cannot be one (too long, or holding the post's own links).
    """
    found = _dash_and_name(text, anchor, floor)
    return None if found is None else (found[0], found[1])


def reference_dash_and_name(text: str, anchor: int, floor: int) -> tuple[int, int, str] | None:
    """``dash_before``'s dash, and the display name between it and the anchor.

    The rule in Python: ``_dash_and_name`` is the same rule compiled (_attributions.c) wherever
    the install could build it, this one elsewhere.
    """
    window_start = max(floor, anchor - _NAME_WINDOW)
    line_start = text.rfind("\n", window_start, anchor) + 1 or window_start
    strongest = _strongest_dash(text, line_start, anchor)
    if strongest is not None:
        name = text[strongest[1] : anchor].strip(NAME_STRIP)
        if _plausible_name(name):
            return (*strongest, name)
    for dash in _weaker_dashes(text, line_start, anchor):
        name = text[dash[1] : anchor].strip(NAME_STRIP)
        if _plausible_name(name):
            return (*dash, name)
    return None


try:
    from archiver.scan._attributions import dash_and_name as _dash_and_name
    from archiver.scan._attributions import find_attributions as _find_attributions
    from archiver.scan._attributions import has_attribution_tail
except ImportError:  # installed without a C compiler: the same rules, in Python
    _dash_and_name = reference_dash_and_name
    has_attribution_tail = reference_has_attribution_tail
    find_attributions = reference_find_attributions
else:

    def find_attributions(
        text: str,
        *,
        start: int = 0,
        end: int | None = None,
        barriers: tuple[int, ...] = (),
        anchors_before: int | None = None,
    ) -> list[Attribution]:
        """``reference_find_attributions``, compiled."""
        end = len(text) if end is None else end
        last_anchor = end if anchors_before is None else anchors_before - 1
        return _find_attributions(text, start, end, barriers, last_anchor)


def _dashless_gap(text: str, anchor: int, floor: int, date_end: int) -> tuple[int, int] | None:
    """Where a removed dash left its spaces: ``post text  Name (@handle) Date`` (docs/scan-accuracy.md).

    The rightmost run of two or more spaces on the anchor's line, within a name's reach, with
    the end of a post before it (``_ends_a_post``) and a plausible display name after it. The
    date must end the line or be followed by a new sentence (glued to it or not), never by a
    word in lower case: prose that names a handle and a date goes on ("… (@janedoe) March 3,
    2019 was the day").
    """
    after = _NEXT_WORD.match(text, date_end)
    if after is not None and after[0][-1].islower():
        return None
    window_start = max(floor, anchor - _NAME_WINDOW)
    line_start = text.rfind("\n", window_start, anchor) + 1 or window_start
    gaps = list(_DASHLESS_GAP.finditer(text, line_start, anchor))  # a name's reach at most
    gap = gaps[-1] if gaps else None
    if gap is None or not _ends_a_post(
        text, line_start_before(text, gap.start(), floor), gap.start()
    ):
        return None
    name = text[gap.end() : anchor].strip(NAME_STRIP)
    return gap.span() if _plausible_name(name) and len(name) <= _DASHLESS_NAME else None


def _ends_a_post(text: str, line_start: int, gap: int) -> bool:
    """Whether the line holds text before ``gap`` that can end a post: a hashtag, a mention or a
    link, or anything but a word in lower case or a comma, colon or bracket that leads on to a
    name ("Reporting by", "Contributors:")."""
    last_word = _LAST_WORD.search(text, max(line_start, gap - _NAME_WINDOW), gap)
    if last_word is None:
        return False
    if last_word[0][0] in "#＃@" or _POST_LINK.search(last_word[0]) or "://" in last_word[0]:
        return True
    last = text[gap - 1]
    return not last.islower() and last not in ",;:(&/-–—"


def _strongest_dash(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The rightmost em or en dash (—, –, ―, ‒, or one of their entities) in ``text[start:end]``."""
    dash = _STRONG_DASH.match(text, start, end)
    position = dash.end() - 1 if dash else -1
    length = 1
    if text.find("&", start, end) != -1:
        for entity in _DASH_ENTITIES:
            found = text.rfind(entity, start, end)
            if found > position:
                position, length = found, len(entity)
    return None if position == -1 else (position, position + length)


def _weaker_dashes(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``--``, then a hyphen followed by a space, each looked for only when the stronger one
    gave no name."""
    double = text.rfind("--", start, end)
    while double != -1 and (
        text[double + 2 : double + 3] == "-" or text[double - 1 : double] == "-"
    ):
        double = text.rfind("--", start, double)
    if double != -1:
        yield double, double + 2
    if hyphen := _HYPHEN.match(text, start, end):
        yield hyphen.start("dash"), hyphen.end("dash")


def _plausible_name(name: str) -> bool:
    """Display names are 1-50 characters (room here for emoji sequences); a post's links are not."""
    if not 0 < len(name) <= _MAX_NAME or "t.co/" in name:
        return False
    return "pic." not in name or _POST_LINK.search(name) is None
