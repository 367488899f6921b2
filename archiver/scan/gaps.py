"""The article's paragraph break near an attribution: the most common run of newlines around it.

``reference_typical_gap`` and ``reference_typical_gap_at_most`` are the rule in Python;
``_walk_back.c`` has the same rule compiled, which its walk back calls without coming back to
Python, and ``typical_gap`` and ``typical_gap_at_most`` are the compiled ones wherever the install
could build it (issue 17: at a post per kB the calls back were 15% of the text scanner's time).
"""

from __future__ import annotations

from archiver.lazy_pattern import LazyPattern

LEAD_IN_MAX = 100  # a lead-in is at most this long; a longer line is prose
_GAP_CONTEXT = 2000
# A run of blank lines: only its newlines are counted, so the spaces after the last may join it.
_BLANK_RUN = LazyPattern(r"\n[\n \t\r\xa0\u202f]*")
# A run beside a prose paragraph: a line longer than a lead-in (LEAD_IN_MAX) before or after it.
# Anchored on its newline, so that re skips to each one as fast as str.find.
_PROSE_LINE = rf"[^\n]{{{LEAD_IN_MAX + 1}}}"
_BESIDE_PROSE = LazyPattern(
    rf"\n(?:(?<={_PROSE_LINE}\n)[\n \t\r\xa0\u202f]*|[\n \t\r\xa0\u202f]*(?={_PROSE_LINE}))"
)
_PROSE_BEFORE = LazyPattern(rf"{_PROSE_LINE}\n")
_PROSE_AFTER = LazyPattern(_PROSE_LINE)
# More than N newlines in a stretch of blank lines, N up to 4: tried from each newline, so a
# stretch without them is read at most four times (anchored on the newline, re skips to each).
_HOLDING_MORE = {
    newlines: LazyPattern(rf"\n(?:[ \t\r\xa0\u202f]*+\n){{{newlines}}}") for newlines in range(1, 5)
}


def reference_typical_gap(text: str, around: int, floor: int) -> int:
    """The most common run of newlines near ``around``: the article's paragraph break.

    Runs beside a prose paragraph (a line longer than a lead-in, other than the attribution's
    own) count alone when there are any: a post written as several short lines, its breaks
    narrower than the article's, can outnumber the paragraphs around it (the farewell of docs/scan-accuracy.md's corpus).

    Each attribution's window (2,000 characters before it, 500 after) is read on its own: at a
    post per kB the windows overlap, but reading the runs of the whole text once and counting
    each window's from them cost more than this one pass (docs/benchmarks.md).
    """
    low, high = _window(around, floor)
    own_start = text.rfind("\n", low, around) + 1 or low
    own_end = text.find("\n", around, high)
    runs: dict[int, int] = {}
    for run in _BESIDE_PROSE.finditer(text, low, high):
        start, end = run.span()
        if end == len(text):
            continue
        if end == own_start and not _PROSE_BEFORE.match(text, max(0, start - LEAD_IN_MAX - 1)):
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


def reference_typical_gap_at_most(text: str, around: int, floor: int, newlines: int) -> bool:
    """Whether ``reference_typical_gap`` is certainly at most ``newlines``, without counting the
    runs: no stretch of blank lines in its window holds more. False when it cannot tell so
    cheaply."""
    if newlines not in _HOLDING_MORE:
        return False  # an unusual break
    return _HOLDING_MORE[newlines].search(text, *_window(around, floor)) is None


try:
    from archiver.scan._walk_back import typical_gap, typical_gap_at_most
except ImportError:  # installed without a C compiler: the same rule, in Python
    typical_gap = reference_typical_gap
    typical_gap_at_most = reference_typical_gap_at_most


def _window(around: int, floor: int) -> tuple[int, int]:
    """Where the runs are counted: 2,000 characters before ``around``, 500 after."""
    return max(floor, around - _GAP_CONTEXT), around + _GAP_CONTEXT // 4
