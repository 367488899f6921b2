"""Where the text of a flattened post starts: the walk back from its attribution's dash.

The rule is text.py's (its module docstring). The walk reads the lines before the dash one at a
time; the paragraph break it compares them with is gaps.py's, counted only when the walk cannot
tell its way without it, and a post's length is weighed only as far as the comparison with 280
needs.

``reference_post_start`` is the rule in Python; ``_walk_back.c`` is the same rule compiled, and
``post_start`` is the compiled one wherever the install could build it (issue 17: the walk back
was half of the scanner's time at a post per kB, docs/benchmarks.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from archiver.lazy_pattern import LazyPattern
from archiver.scan.gaps import LEAD_IN_MAX, reference_typical_gap, reference_typical_gap_at_most

MAX_POST_WEIGHT = 280
_MAX_LINE = 4000  # a post line longer than this is cut there (long posts exist; 50 MB lines too)
_MAX_BLANK = 400  # whitespace between two lines of one post
_SENTENCE_END = LazyPattern(r"[.!?…](?:[\"'”’»)\]]{0,2})$")
_OPENING_QUOTES = '"“„«»「『'
_CLOSING_QUOTES = '"”“»«」』'
_QUOTE_MARKS = '"“”„«»「」『』'
_HASHTAG = LazyPattern(r"[#＃](?:[^\W\d_]|\d+[^\W\d])")
_NON_SPACE = LazyPattern(r"\S")
_URL_WEIGHT = LazyPattern(r"(?:https?://|t\.co/|pic\.(?:twitter|x)\.com/)\S{1,2000}")
_WIDE = LazyPattern("[^\x00-\u10ff]")  # U+1100 and above: as a range, 6 ms to compile
# A sentence end glued to the next sentence (a lower-case letter before it, a capital or a letter
# of a script without case after it), and a sentence end followed by spaces.
_SEAM = LazyPattern(r"(?<=[^\W\d_])[.!?…][\"”’»)]?(?=[^\W\d_])")
_SENTENCE_BREAK = LazyPattern(r"[.!?…][\"'”’»)]{0,2}[ \t\xa0\u202f]+(?=\S)|[。！？](?=\S)")
_LEAD_IN_ENDS = (":", "：")


def reference_post_start(text: str, dash: int, floor: int) -> int:
    """Where the post whose attribution dash is at ``text[dash]`` starts (see text.py's rule)."""
    line_start = line_start_before(text, dash, floor)
    first = first_visible(text, line_start, dash)
    if first == dash:  # nothing before the dash on its line
        previous = _previous_line(text, line_start, floor)
        if previous is None:
            return dash
        line_start, first, line_end, _gap = previous
        line = text[first:line_end]
        if line.endswith(_LEAD_IN_ENDS) and not _shows_a_post(line):
            return dash
    paragraph_gap = 0  # computed when first needed
    widest_joined = 0  # the widest break the post already spans
    while (previous := _previous_line(text, line_start, floor)) is not None:
        candidate_start, candidate_first, candidate_end, gap = previous
        line = text[candidate_first:candidate_end]
        post_like = _shows_a_post(line) or _is_quotation(line)
        if not post_like and line.endswith(_LEAD_IN_ENDS):
            break
        short = not post_like and _is_short_sentence(line)
        # Only a short sentence may stop the walk unweighed: any other line is weighed first,
        # so that one the post cannot hold stops it before the paragraph break is counted.
        if not short and too_long_for_a_post(text[candidate_first:dash]):
            break
        if not post_like:
            if (
                short
                and widest_joined < gap
                and reference_typical_gap_at_most(text, dash, floor, gap)
            ):
                break  # a lead-in at the ordinary break or a wider one, and the post spans neither
            paragraph_gap = paragraph_gap or reference_typical_gap(text, dash, floor)
            if gap == paragraph_gap:
                if not short or (
                    widest_joined >= paragraph_gap
                    and not too_long_for_a_post(text[candidate_first:dash])
                ):
                    introduced = _introduced_post(
                        text, (candidate_start, candidate_first), dash, floor, paragraph_gap
                    )
                    first = first if introduced is None else introduced
                break
            if short and (gap > paragraph_gap or too_long_for_a_post(text[candidate_first:dash])):
                break
        line_start, first = candidate_start, candidate_first
        widest_joined = max(widest_joined, gap)
    return first


try:
    from archiver.scan._walk_back import post_start
except ImportError:  # installed without a C compiler: the same rule, in Python
    post_start = reference_post_start


def _introduced_post(
    text: str, line: tuple[int, int], dash: int, floor: int, paragraph_gap: int
) -> int | None:
    """Where a post quoted over several paragraphs starts, when a lead-in introduces it.

    ``line`` (its start, its first visible character) is a paragraph an ordinary break
    (``paragraph_gap``) away from the post, and the post fits from it. It and the paragraphs
    above it join the post when, within a post's length, one ending with ``:`` opens them and no
    wider break comes first: the article said where the quote starts ("The ministry wrote on
    Friday:"). Without such a lead-in, ordinary paragraphs are the article's prose.
    """
    line_start, first = line  # the post up to the dash fits from here
    while (previous := _previous_line(text, line_start, floor)) is not None:
        if previous[3] > paragraph_gap:
            return None
        above = text[previous[1] : previous[2]]
        if above.endswith(_LEAD_IN_ENDS) and not _shows_a_post(above):
            return first
        line_start, first = previous[0], previous[1]
        if too_long_for_a_post(text[first:dash]):
            return None
    return None


def glued_post_start(text: str, gap: int, floor: int) -> int:
    """Where the post before a dashless attribution starts.

    Flatteners that drop the dash also drop the breaks between blocks, so the post may share its
    line with the article's prose: it starts after the last seam on the line (a sentence end glued
    to the next sentence, "night.Thanks"), after the sentence of prose glued to the previous
    attribution's date ("2019The replies were not kind."), or, with neither, where
    ``post_start`` says. It is at most a post's length: whole sentences are dropped from its start
    until it fits.
    """
    line_start = line_start_before(text, gap, floor)
    start = line_start
    glued = 0 < line_start == floor and not text[floor - 1].isspace()
    if glued and text[floor : floor + 1].isalnum():  # prose glued to an earlier date
        prose_end = next(_sentence_breaks(text, floor, gap), None)
        start = prose_end.end() if prose_end else start
    for seam in _SEAM.finditer(text, start, gap):
        if text[seam.start() - 1].islower() and not text[seam.end()].islower():
            start = seam.end()
    if start == line_start:
        start = post_start(text, gap, floor)
    if too_long_for_a_post(text[start:gap]):
        # The weight falls as the start moves on: bisect the sentence starts (a line holds
        # thousands of them at most, and each weighing reads the rest of the line).
        starts = [found.end() for found in _sentence_breaks(text, start, gap)]
        low, high = 0, len(starts)
        while low < high:
            middle = (low + high) // 2
            if too_long_for_a_post(text[starts[middle] : gap]):
                low = middle + 1
            else:
                high = middle
        start = starts[min(low, len(starts) - 1)] if starts else start
    return first_visible(text, start, gap)


def _sentence_breaks(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Each sentence end and the spaces after it in ``text[start:end]``; not the point after an
    initial ("U.S. request", "J. Smith"): a capital after a point or a space."""
    for found in _SENTENCE_BREAK.finditer(text, start, end):
        before = text[max(0, found.start() - 2) : found.start()]
        if not (before[-1:].isupper() and before[:-1] in ("", ".", " ")):
            yield found


def line_start_before(text: str, pos: int, floor: int) -> int:
    """Where the line holding ``text[pos]`` starts: not before ``floor``, nor more than a post
    line's length back (a cut line starts at a word)."""
    lowest = max(floor, pos - _MAX_LINE)
    newline = text.rfind("\n", lowest, pos)
    if newline != -1:
        return newline + 1
    if lowest == floor:
        return floor
    space = text.find(" ", lowest, pos)
    return space + 1 if space != -1 else lowest


def first_visible(text: str, start: int, end: int) -> int:
    """The first character of ``text[start:end]`` that is not a space, else ``end``."""
    if start < end and not text[start].isspace():
        return start
    visible = _NON_SPACE.search(text, start, end)
    return visible.start() if visible else end


def _previous_line(text: str, line_start: int, floor: int) -> tuple[int, int, int, int] | None:
    """The non-blank line before the one at ``line_start``: start, first visible, end, newlines.

    From its first visible character to its end, the line has no spaces to strip.
    """
    lowest = max(floor, line_start - _MAX_BLANK)
    pos = line_start
    while pos > lowest and text[pos - 1].isspace():
        pos -= 1
        if line_start - pos > 8:  # a wide blank stretch: strip it in one go
            pos = lowest + len(text[lowest:line_start].rstrip())
            break
    newlines = text.count("\n", pos, line_start)
    if pos == lowest or newlines == 0:
        return None  # the floor, or a blank stretch too long to sit inside a post
    start = text.rfind("\n", max(floor, pos - _MAX_LINE), pos)
    if start == -1:
        if pos - _MAX_LINE > floor:
            return None  # a line too long to be part of a post
        start = floor
    else:
        start += 1
    return start, first_visible(text, start, pos), pos, newlines


def _is_short_sentence(line: str) -> bool:
    return len(line) <= LEAD_IN_MAX and _SENTENCE_END.search(line) is not None


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
    """Whether a line (stripped, as ``_previous_line`` gives it) shows a sign of a post."""
    if not line:
        return False
    if line[0] == "@" or unicodedata.category(line[0]) == "So" or "t.co/" in line:
        return True
    return ("#" in line or "＃" in line) and _HASHTAG.search(line) is not None


def too_long_for_a_post(post: str) -> bool:
    """Whether ``post`` weighs more than a post may, as Twitter counts a post's length: links
    as 23, wide characters as 2. Wide characters are counted only when the rest leaves room;
    spaces around the post, wide ones too (U+3000), do not count."""
    post = post.strip()
    weight = len(post) - _saved_by_links(post)
    if weight > MAX_POST_WEIGHT or post.isascii():
        return weight > MAX_POST_WEIGHT
    return weight + len(_WIDE.findall(post)) > MAX_POST_WEIGHT


def _saved_by_links(post: str) -> int:
    """How much less than their length the links in ``post`` weigh (each weighs 23): the
    links ``_URL_WEIGHT.findall`` finds, looked for only where their first words are."""
    starts = []
    for literal in ("://", "t.co/", "pic."):
        found = post.find(literal)
        while found != -1:
            if literal != "://":
                starts.append(found)
            elif found >= 5 and post.startswith("https", found - 5):
                starts.append(found - 5)
            elif found >= 4 and post.startswith("http", found - 4):
                starts.append(found - 4)
            found = post.find(literal, found + 1)
    saved = end = 0
    for start in sorted(starts):
        if start >= end and (link := _URL_WEIGHT.match(post, start)) is not None:
            saved += len(link[0]) - 23
            end = link.end()
    return saved
