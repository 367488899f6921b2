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
   already spans an ordinary break: a post quoted over several paragraphs (issue 13).
3. An ordinary paragraph break is the most common run of newlines around the attribution,
   beside prose paragraphs (lines longer than a lead-in) when there are any. Flatteners write a
   post's own line breaks differently from the article's paragraphs (the sample article puts
   three blank lines inside a post, one between paragraphs; a post of short lines, one).

An export that dropped the dash leaves its spaces: ``post text  Name (@handle) Date``, often glued
to the next block with no break at all ("…next season!  Jane Roe (@janeroe_tv) March 3,
2019The replies were not kind…", issue 13). Two or more spaces then stand for the dash
(``_dashless_gap``), and the post may share its line with prose (``_glued_post_start``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

from archiver.scan.dates import DATE_PATTERN, date_iso

# "(@handle) Date", as one pattern: re skips to each "(@" as fast as str.find (faster in wide
# strings), and an anchor without a handle and a date after it costs no Python at all. A date
# never starts with what the handle's tail may leave out (a space, a line break, "[", "·"), so
# the tail matches exactly as it would on its own.
_ATTRIBUTION_TAIL = re.compile(
    r"""\(@(?P<handle>[A-Za-z0-9_]{1,15}(?=\))|[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63}){1,8})\)
        [ \t\xa0\u202f]{0,40}(?:\n[ \t\xa0\u202f]{0,40})?
        (?:[·|][ \t\xa0\u202f]{1,3})?(?P<bracket>\[)?"""
    rf"(?P<date>{DATE_PATTERN})",
    re.VERBOSE,
)
_MARKDOWN_LINK_TAIL = re.compile(r"\]\((?P<url>[^\s()]{1,2000})\)")
# Dashes that end a post, strongest first (em/en dash and their entities, "--", a lone hyphen).
_STRONG_DASHES = ("—", "–", "―", "‒")
_DASH_ENTITIES = ("&mdash;", "&ndash;", "&#8212;", "&#8211;", "&#x2014;", "&#x2013;")
_HYPHEN = re.compile(r"(?s:.*)(?<!-)(?P<dash>-)(?=[ \t\xa0\u202f])")
# A dash a text export removed leaves the spaces that stood around it; a name read without one
# is at most X's 50 characters, and a name after a dash that holds such a run may be two things
# (the sample article's ``not a ride" - AP  BNO News (@BNONews)``: the post's own hyphen, then
# the spaces of the removed dash).
_DASHLESS_GAP = re.compile(r"[ \t\xa0\u202f]{2,}")
_DASHLESS_NAME = 50
_SPLIT_NAME = re.compile(r"\S[ \t\xa0\u202f]{2,}\S")
_LAST_WORD = re.compile(r"\S+$")
_NEXT_WORD = re.compile(r"[ \t\xa0\u202f]*[^\W\d_]")
# A sentence end glued to the next sentence (a lower-case letter before it, a capital or a letter
# of a script without case after it), and a sentence end followed by spaces.
_SEAM = re.compile(r"(?<=[^\W\d_])[.!?…][\"”’»)]?(?=[^\W\d_])")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’»)]{0,2}[ \t\xa0\u202f]+(?=\S)|[。！？](?=\S)")
_NAME_WINDOW = 100  # display names are at most 50 characters; room for emoji sequences and marks
_MAX_NAME = 64
_POST_LINK = re.compile(r"pic\.(?:twitter|x)\.com/|t\.co/")
NAME_STRIP = (
    " \t\xa0\u202f\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)

MAX_POST_WEIGHT = 280
_LEAD_IN_MAX = 100
_MAX_LINE = 4000  # a post line longer than this is cut there (long posts exist; 50 MB lines too)
_MAX_BLANK = 400  # whitespace between two lines of one post
_GAP_CONTEXT = 2000
_SENTENCE_END = re.compile(r"[.!?…](?:[\"'”’»)\]]{0,2})$")
_OPENING_QUOTES = '"“„«»「『'
_CLOSING_QUOTES = '"”“»«」』'
_QUOTE_MARKS = '"“”„«»「」『』'
_HASHTAG = re.compile(r"[#＃](?:[^\W\d_]|\d+[^\W\d])")
_NON_SPACE = re.compile(r"\S")
# A run of blank lines: only its newlines are counted, so the spaces after the last may join it.
_BLANK_RUN = re.compile(r"\n[\n \t\r\xa0\u202f]*")
# A run beside a prose paragraph: a line longer than a lead-in (_LEAD_IN_MAX) before or after it.
# Anchored on its newline, so that re skips to each one as fast as str.find.
_PROSE_LINE = rf"[^\n]{{{_LEAD_IN_MAX + 1}}}"
_BESIDE_PROSE = re.compile(
    rf"\n(?:(?<={_PROSE_LINE}\n)[\n \t\r\xa0\u202f]*|[\n \t\r\xa0\u202f]*(?={_PROSE_LINE}))"
)
_PROSE_BEFORE = re.compile(rf"{_PROSE_LINE}\n")
_PROSE_AFTER = re.compile(_PROSE_LINE)
_URL_WEIGHT = re.compile(r"(?:https?://|t\.co/|pic\.(?:twitter|x)\.com/)\S{1,2000}")
_WIDE = re.compile("[\u1100-\U0010ffff]")


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


def find_attributions(
    text: str, *, start: int = 0, end: int | None = None, barriers: tuple[int, ...] = ()
) -> list[Attribution]:
    """Every flattened attribution in ``text[start:end]``, in order.

    ``barriers`` are sorted positions (ends of other embeds) that no post text reaches back over.
    """
    end = len(text) if end is None else end
    found: list[Attribution] = []
    floor, next_barrier = start, 0
    pos = start
    while (tail := _ATTRIBUTION_TAIL.search(text, pos, end)) is not None:
        pos = tail.start()
        while next_barrier < len(barriers) and barriers[next_barrier] <= pos:
            floor = max(floor, barriers[next_barrier])
            next_barrier += 1
        attribution = _attribution_at(text, tail, end, floor)
        if attribution is not None:
            found.append(attribution)
            floor = pos = attribution.end
        pos += 1
    return found


def has_attribution_tail(text: str, anchor: int) -> bool:
    """Whether ``(@handle) Date`` starts at ``text[anchor]`` (a cheap test before a full parse)."""
    tail = _ATTRIBUTION_TAIL.match(text, anchor)
    return tail is not None and date_iso(tail) is not None


def _attribution_at(text: str, tail: re.Match[str], end: int, floor: int) -> Attribution | None:
    iso = date_iso(tail)
    if iso is None:
        return None
    anchor, date_end, status_url = tail.start(), tail.end("date"), None
    if tail["bracket"]:
        link = _MARKDOWN_LINK_TAIL.match(text, date_end, end)
        if link is None:
            return None
        date_end, status_url = link.end(), link["url"]
    dash = dash_before(text, anchor, floor)
    dashless = None
    if dash is None or _SPLIT_NAME.search(text, dash[1], anchor):
        dashless = _dashless_gap(text, anchor, floor, tail.end())
        dash = dashless or dash
    if dash is None:
        return None
    name = text[dash[1] : anchor].strip(NAME_STRIP)
    start = (
        _glued_post_start(text, dash[0], floor) if dashless else post_start(text, dash[0], floor)
    )
    return Attribution(
        start=start,
        dash=dash[0],
        end=date_end,
        anchor=anchor,
        handle=tail["handle"],
        display_name=name,
        date=iso,
        date_text=tail["date"],
        status_url=status_url,
    )


def dash_before(text: str, anchor: int, floor: int = 0) -> tuple[int, int] | None:
    """The dash that opens the attribution whose ``(@`` is at ``anchor``: (start, end), or None.

    On the anchor's line and at most 100 characters before it. The strongest dash wins (em/en
    dash, then ``--``, then a hyphen followed by a space), the rightmost among equals, unless
    the display name it would give cannot be one (too long, or holding the post's own links).
    """
    window_start = max(floor, anchor - _NAME_WINDOW)
    line_start = text.rfind("\n", window_start, anchor) + 1 or window_start
    for dash in _dash_candidates(text, line_start, anchor):
        if _plausible_name(text[dash[1] : anchor].strip(NAME_STRIP)):
            return dash
    return None


def _dashless_gap(text: str, anchor: int, floor: int, date_end: int) -> tuple[int, int] | None:
    """Where a removed dash left its spaces: ``post text  Name (@handle) Date`` (issue 13).

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
    if gap is None or not _ends_a_post(text, _line_start(text, gap.start(), floor), gap.start()):
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


def _glued_post_start(text: str, gap: int, floor: int) -> int:
    """Where the post before a dashless attribution starts.

    Flatteners that drop the dash also drop the breaks between blocks, so the post may share its
    line with the article's prose: it starts after the last seam on the line (a sentence end glued
    to the next sentence, "night.Thanks"), after the sentence of prose glued to the previous
    attribution's date ("2019The replies were not kind."), or, with neither, where
    ``post_start`` says. It is at most a post's length: whole sentences are dropped from its start
    until it fits.
    """
    line_start = _line_start(text, gap, floor)
    start = line_start
    glued = 0 < line_start == floor and not text[floor - 1].isspace()
    if glued and text[floor : floor + 1].isalnum():  # prose glued to an earlier date
        prose_end = _sentence_break(text, floor, gap)
        start = prose_end.end() if prose_end else start
    for seam in _SEAM.finditer(text, start, gap):
        if text[seam.start() - 1].islower() and not text[seam.end()].islower():
            start = seam.end()
    if start == line_start:
        start = post_start(text, gap, floor)
    if _weight(text[start:gap]) > MAX_POST_WEIGHT:
        # The weight falls as the start moves on: bisect the sentence starts (a line holds
        # thousands of them at most, and each weighing reads the rest of the line).
        starts = [found.end() for found in _sentence_breaks(text, start, gap)]
        low, high = 0, len(starts)
        while low < high:
            middle = (low + high) // 2
            if _weight(text[starts[middle] : gap]) > MAX_POST_WEIGHT:
                low = middle + 1
            else:
                high = middle
        start = starts[min(low, len(starts) - 1)] if starts else start
    return _first_visible(text, start, gap)


def _sentence_break(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first sentence end and the spaces after it in ``text[start:end]``, or None."""
    return next(_sentence_breaks(text, start, end), None)


def _sentence_breaks(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Each sentence end and the spaces after it in ``text[start:end]``; not the point after an
    initial ("U.S. request", "J. Smith"): a capital after a point or a space."""
    for found in _SENTENCE_BREAK.finditer(text, start, end):
        before = text[max(0, found.start() - 2) : found.start()]
        if not (before[-1:].isupper() and before[:-1] in ("", ".", " ")):
            yield found


def _dash_candidates(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Dashes strongest first, each looked for only when the stronger one gave no name."""
    strong = [(text.rfind(dash, start, end), len(dash)) for dash in _STRONG_DASHES]
    if text.find("&", start, end) != -1:
        strong += [(text.rfind(dash, start, end), len(dash)) for dash in _DASH_ENTITIES]
    position, length = max(strong)
    if position != -1:
        yield position, position + length
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
    return 0 < len(name) <= _MAX_NAME and _POST_LINK.search(name) is None


def post_start(text: str, dash: int, floor: int) -> int:
    """Where the post whose attribution dash is at ``text[dash]`` starts (see the module's rule)."""
    line_start = _line_start(text, dash, floor)
    first = _first_visible(text, line_start, dash)
    if first == dash:  # nothing before the dash on its line
        previous = _previous_line(text, line_start, floor)
        if previous is None:
            return dash
        line_start, first, line_end, _gap = previous
        line = text[first:line_end]
        if line.rstrip().endswith((":", "：")) and not _shows_a_post(line):
            return dash
    typical_gap = 0  # computed when first needed
    widest_joined = 0  # the widest break the post already spans
    while (previous := _previous_line(text, line_start, floor)) is not None:
        candidate_start, candidate_first, candidate_end, gap = previous
        line = text[candidate_first:candidate_end].strip()
        if not _shows_a_post(line) and not _is_quotation(line):
            if line.endswith((":", "：")):
                break
            typical_gap = typical_gap or _typical_gap(text, dash, floor)
            if gap == typical_gap:
                if widest_joined >= typical_gap or not _is_short_sentence(line):
                    introduced = _introduced_post(
                        text, (candidate_start, candidate_first), dash, floor, typical_gap
                    )
                    first = first if introduced is None else introduced
                break
            if gap > typical_gap and _is_short_sentence(line):
                break
        if _weight(text[candidate_first:dash]) > MAX_POST_WEIGHT:
            break
        line_start, first = candidate_start, candidate_first
        widest_joined = max(widest_joined, gap)
    return first


def _introduced_post(
    text: str, line: tuple[int, int], dash: int, floor: int, paragraph_gap: int
) -> int | None:
    """Where a post quoted over several paragraphs starts, when a lead-in introduces it.

    ``line`` (its start, its first visible character) is a paragraph an ordinary break
    (``paragraph_gap``) away from the post. It and the paragraphs above it join the post when,
    within a post's length, one ending with ``:`` opens them and no wider break comes first: the
    article said where the quote starts ("The ministry wrote on Friday:"). Without such a
    lead-in, ordinary paragraphs are the article's prose.
    """
    line_start, first = line
    while _weight(text[first:dash]) <= MAX_POST_WEIGHT:
        previous = _previous_line(text, line_start, floor)
        if previous is None or previous[3] > paragraph_gap:
            return None
        above = text[previous[1] : previous[2]].strip()
        if above.endswith((":", "：")) and not _shows_a_post(above):
            return first
        line_start, first = previous[0], previous[1]
    return None


def _line_start(text: str, pos: int, floor: int) -> int:
    lowest = max(floor, pos - _MAX_LINE)
    newline = text.rfind("\n", lowest, pos)
    if newline != -1:
        return newline + 1
    if lowest == floor:
        return floor
    space = text.find(" ", lowest, pos)  # a cut line starts at a word
    return space + 1 if space != -1 else lowest


def _first_visible(text: str, start: int, end: int) -> int:
    visible = _NON_SPACE.search(text, start, end)
    return visible.start() if visible else end


def _previous_line(text: str, line_start: int, floor: int) -> tuple[int, int, int, int] | None:
    """The non-blank line before the one at ``line_start``: start, first visible, end, newlines."""
    lowest = max(floor, line_start - _MAX_BLANK)
    before = text[lowest:line_start]
    kept = len(before.rstrip())
    newlines = before.count("\n", kept)
    if kept == 0 or newlines == 0:
        return None  # the floor, or a blank stretch too long to sit inside a post
    pos = lowest + kept
    start = text.rfind("\n", max(floor, pos - _MAX_LINE), pos)
    if start == -1:
        if pos - _MAX_LINE > floor:
            return None  # a line too long to be part of a post
        start = floor
    else:
        start += 1
    return start, _first_visible(text, start, pos), pos, newlines


def _is_short_sentence(line: str) -> bool:
    return len(line) <= _LEAD_IN_MAX and _SENTENCE_END.search(line) is not None


def _is_quotation(line: str) -> bool:
    """A paragraph that is one quotation, in double quotes or guillemets from end to end (a post
    quoting someone), not prose around a quote ("“We stay,” the mayor said.")."""
    return (
        len(line) > 2
        and line[0] in _OPENING_QUOTES
        and line.rstrip(".!?…")[-1:] in _CLOSING_QUOTES
        and sum(line.count(mark) for mark in _QUOTE_MARKS) == 2
    )


def _shows_a_post(line: str) -> bool:
    line = line.strip()
    if not line:
        return False
    if line[0] == "@" or unicodedata.category(line[0]) == "So" or "t.co/" in line:
        return True
    return ("#" in line or "＃" in line) and _HASHTAG.search(line) is not None


def _typical_gap(text: str, around: int, floor: int) -> int:
    """The most common run of newlines near ``around``: the article's paragraph break.

    Runs beside a prose paragraph (a line longer than a lead-in, other than the attribution's
    own) count alone when there are any: a post written as several short lines, its breaks
    narrower than the article's, can outnumber the paragraphs around it (issue 13's farewell).
    """
    low, high = max(floor, around - _GAP_CONTEXT), around + _GAP_CONTEXT // 4
    own_start = text.rfind("\n", low, around) + 1 or low
    own_end = text.find("\n", around, high)
    runs: dict[int, int] = {}
    for run in _BESIDE_PROSE.finditer(text, low, high):
        start, end = run.span()
        if end == len(text):
            continue
        if end == own_start and not _PROSE_BEFORE.match(text, max(0, start - _LEAD_IN_MAX - 1)):
            continue  # the only long line beside it is the attribution's own
        if start == own_end and not _PROSE_AFTER.match(text, end):
            continue
        gap = run[0].count("\n")
        runs[gap] = runs.get(gap, 0) + 1
    if not runs:
        for run in _BLANK_RUN.finditer(text, low, high):
            if run.end() == len(text):
                continue  # the newline that ends a file separates no paragraphs
            gap = run[0].count("\n")
            runs[gap] = runs.get(gap, 0) + 1
    if not runs:
        return 1
    most = max(runs.values())
    return max(gap for gap, count in runs.items() if count == most)


def _weight(post: str) -> int:
    """Roughly how Twitter counts a post's length: links as 23, wide characters as 2."""
    weight = len(post.strip())
    if "://" in post or "t.co/" in post or "pic." in post:
        weight -= sum(len(link) - 23 for link in _URL_WEIGHT.findall(post))
    return weight if post.isascii() else weight + len(_WIDE.findall(post))
