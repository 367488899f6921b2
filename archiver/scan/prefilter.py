"""Cheap searches over a whole HTML page: where embeds may be, and which stretches are code.

Two ``re`` passes, each anchored on literals, so they run near memory speed and never backtrack:
the first finds the opening tags of embed elements and of ``<script>``/``<style>`` (whose content
it jumps over); the second, only outside scripts and styles, finds ``(@handle``-like anchors and
text nodes that start with a URL. Only what they find is looked at closely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archiver.lazy_pattern import LazyPattern

_OPENER = LazyPattern(
    r"<(?:(?P<element>[bB][lL][oO][cC][kK][qQ][uU][oO][tT][eE]|[iI][fF][rR][aA][mM][eE]"
    r"|twitter-widget|amp-twitter|amp-instagram)"
    r"|(?P<code>[sS][cC][rR][iI][pP][tT]|[sS][tT][yY][lL][eE]))(?=[\s>/])"
)
_CLOSER = {
    "script": re.compile(r"</[sS][cC][rR][iI][pP][tT]\s*>"),
    "style": re.compile(r"</[sS][tT][yY][lL][eE]\s*>"),
}
# "(@handle" and "(<a href=…>@handle</a>": a flattened attribution. One pattern for both, as
# they share their first character; the URL pattern below starts with another (an alternation
# without a common literal would be tried at every "(" and ">" of the page, at half the speed).
_ANCHOR = LazyPattern(r"\((?:@|<[aA][\s>])")
# A text node that starts with a URL, where a bare status URL may stand alone.
_TEXT_NODE_URL = LazyPattern(r">[ \t\r\n\xa0]{0,200}(?P<url>https?://)")


@dataclass(slots=True)
class PageCandidates:
    """What the pre-filter found in a page; all offsets index the page."""

    elements: list[int] = field(default_factory=list)  # "<blockquote", "<iframe", "<amp-twitter"…
    code: list[tuple[int, int]] = field(default_factory=list)  # script and style elements
    anchors: list[int] = field(default_factory=list)  # "(" of "(@" and "(<a"
    urls: list[int] = field(default_factory=list)  # first character of a text node's URL


def reference_find_candidates(source: str) -> PageCandidates:
    """Everything in ``source`` worth a closer look, in document order.

    In Python: ``find_candidates`` is the same compiled (_prefilter.c) wherever the install
    could build it, this one elsewhere.
    """
    found = PageCandidates()
    pos = 0
    while (opener := _OPENER.search(source, pos)) is not None:
        if opener["element"]:
            found.elements.append(opener.start())
            pos = opener.end()
            continue
        closer = _CLOSER[opener["code"].lower()].search(source, opener.end())
        pos = len(source) if closer is None else closer.end()
        found.code.append((opener.start(), pos))
    start = 0
    for code_start, code_end in [*found.code, (len(source), len(source))]:
        found.anchors += [match.start() for match in _ANCHOR.finditer(source, start, code_start)]
        found.urls += [m.start("url") for m in _TEXT_NODE_URL.finditer(source, start, code_start)]
        start = code_end
    return found


def _compiled_find_candidates(source: str) -> PageCandidates:
    """``reference_find_candidates``, its searches compiled: the same ``PageCandidates``."""
    return PageCandidates(*candidates(source))


try:
    from archiver.scan._prefilter import candidates
except ImportError:  # installed without a C compiler: the same searches, in Python
    find_candidates = reference_find_candidates
else:
    find_candidates = _compiled_find_candidates
