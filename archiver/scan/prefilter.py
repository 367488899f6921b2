"""Cheap literal searches over a whole HTML page: where embeds may be, and what to skip.

Each search is one ``re`` pass anchored on a literal (``(``, ``>``, ``<``), so it runs at memory
speed and never backtracks; only the places it finds are looked at closely.
"""

from __future__ import annotations

import re

# "(@handle" and "(<a href=…>@handle</a>": where a flattened attribution may be. One pattern per
# literal: a pattern that starts with a bare "(" would stop at every parenthesis of the scripts.
_ATTRIBUTION_ANCHORS = (re.compile(r"\(@"), re.compile(r"\(<[aA][\s>]"))
# A text node that starts with a URL: where a bare status URL may stand alone.
_TEXT_NODE_URL = re.compile(r">[ \t\r\n\xa0]{0,200}(?=https?://)")
_RAW_TEXT_OPENER = re.compile(r"<(?P<name>[sS][cC][rR][iI][pP][tT]|[sS][tT][yY][lL][eE])(?=[\s>/])")
_RAW_TEXT_CLOSER = {
    "script": re.compile(r"</[sS][cC][rR][iI][pP][tT]\s*>"),
    "style": re.compile(r"</[sS][tT][yY][lL][eE]\s*>"),
}


def attribution_anchors(source: str) -> list[int]:
    """Offsets of every ``(`` that opens something like ``(@handle``."""
    return sorted(m.start() for pattern in _ATTRIBUTION_ANCHORS for m in pattern.finditer(source))


def text_node_urls(source: str) -> list[int]:
    """Offsets of the ``>`` before every text node that starts with a URL."""
    return [match.end() for match in _TEXT_NODE_URL.finditer(source)]


def raw_text_ranges(source: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every ``<script>`` and ``<style>`` element: code, never visible text."""
    ranges: list[tuple[int, int]] = []
    pos = 0
    while (opener := _RAW_TEXT_OPENER.search(source, pos)) is not None:
        closer = _RAW_TEXT_CLOSER[opener["name"].lower()].search(source, opener.end())
        end = len(source) if closer is None else closer.end()
        ranges.append((opener.start(), end))
        pos = end
    return ranges
