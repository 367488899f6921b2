"""The text a reader sees in a stretch of HTML, with a map from each character back to the source.

A small tokenizer, not a tree: it skips tags, comments and the content of ``script``/``style``-like
elements, decodes character references, turns ``<br>`` and block boundaries into newlines and
source whitespace into spaces (one for one, so plain runs map back by offset).
A run of block boundaries with nothing visible between them is one paragraph break (``\n\n``),
so nested ``<div><p>`` read like flat paragraphs; each ``<br>`` is one newline. Inside ``<pre>``
line breaks stay line breaks.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass

_SPECIAL = re.compile(r"[<&]")
# A "<" never sits inside a tag here, so each attempt stops at the next one: linear on any input.
_TAG = re.compile(
    r"""<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9:-]{0,40})(?:[^<>"']++|"[^<"]*+"|'[^<']*+')*+>"""
)
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9A-Fa-f]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_RAW_TEXT = frozenset(
    {"script", "style", "noscript", "template", "textarea", "title", "svg", "math"}
)
_RAW_TEXT_END = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in _RAW_TEXT}
_BLOCK = frozenset((
    "address", "article", "aside", "blockquote", "body", "br", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "iframe", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "video", "audio",
))  # fmt: skip


@dataclass(frozen=True, slots=True)
class VisibleText:
    """Visible text and its source map: piece ``i`` starts at ``text_starts[i]`` in ``text``
    and covers ``source[source_starts[i]:source_ends[i]]``; ``literal`` pieces map char for char."""

    text: str
    text_starts: list[int]
    source_starts: list[int]
    source_ends: list[int]
    literal: list[bool]

    def source_start(self, index: int) -> int:
        """Source offset of the character at ``text[index]``."""
        piece = bisect.bisect_right(self.text_starts, index) - 1
        if piece < 0:
            return self.source_starts[0] if self.source_starts else 0
        if self.literal[piece]:
            return self.source_starts[piece] + index - self.text_starts[piece]
        return self.source_starts[piece]

    def source_end(self, index: int) -> int:
        """Source offset just after the character at ``text[index - 1]`` (for span ends)."""
        if index <= 0:
            return self.source_start(0)
        piece = bisect.bisect_right(self.text_starts, index - 1) - 1
        if self.literal[piece]:
            return self.source_starts[piece] + index - self.text_starts[piece]
        return self.source_ends[piece]


def visible_text(source: str, start: int = 0, end: int | None = None) -> VisibleText:
    """The visible text of ``source[start:end]``, with its map back to source offsets."""
    end = len(source) if end is None else end
    builder = _Builder()
    pos = start
    while pos < end:
        special = _SPECIAL.search(source, pos, end)
        if special is None:
            builder.literal(source, pos, end)
            break
        if special.start() > pos:
            builder.literal(source, pos, special.start())
        pos = special.start()
        if source[pos] == "&":
            pos = _reference(source, pos, end, builder)
        else:
            pos = _markup(source, pos, end, builder)
    return builder.build()


def _reference(source: str, pos: int, end: int, builder: _Builder) -> int:
    match = _REFERENCE.match(source, pos, end)
    if match is None:
        builder.literal(source, pos, pos + 1)
        return pos + 1
    decoded = html.unescape(match.group())
    if decoded == match.group():
        builder.literal(source, pos, match.end())
    else:
        builder.synthetic(_spaces(decoded), pos, match.end())
    return match.end()


def _markup(source: str, pos: int, end: int, builder: _Builder) -> int:
    if source.startswith("<!--", pos):
        close = source.find("-->", pos + 4, end)
        return end if close == -1 else close + 3
    if source.startswith(("<!", "<?"), pos):
        close = source.find(">", pos, end)
        return end if close == -1 else close + 1
    tag = _TAG.match(source, pos, end)
    if tag is None:
        builder.literal(source, pos, pos + 1)
        return pos + 1
    name = tag["name"].lower()
    if name == "pre":
        builder.preformatted += -1 if tag["close"] else 1
    if name == "br":
        builder.line_break(pos, tag.end())
    elif name in _BLOCK:
        builder.block_boundary(pos, tag.end())
    if name in _RAW_TEXT and not tag["close"] and not tag.group().endswith("/>"):
        return _after_raw_text(source, name, tag.end(), end)
    return tag.end()


def _after_raw_text(source: str, name: str, pos: int, end: int) -> int:
    closing = _RAW_TEXT_END[name].search(source, pos, end)
    return end if closing is None else closing.end()


def _spaces(text: str) -> str:
    """Source line breaks and tabs are spaces in HTML; one for one, so offsets still line up."""
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ").replace("\f", " ")


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.text_starts: list[int] = []
        self.source_starts: list[int] = []
        self.source_ends: list[int] = []
        self.literal_flags: list[bool] = []
        self.at_boundary = True
        self.preformatted = 0

    def literal(self, source: str, start: int, end: int) -> None:
        text = source[start:end] if self.preformatted > 0 else _spaces(source[start:end])
        self.at_boundary = self.at_boundary and text.isspace()
        self._add(text, start, end, True)

    def synthetic(self, text: str, start: int, end: int) -> None:
        self.at_boundary = self.at_boundary and text.isspace()
        self._add(text, start, end, False)

    def line_break(self, start: int, end: int) -> None:
        self.synthetic("\n", start, end)

    def block_boundary(self, start: int, end: int) -> None:
        if not self.at_boundary:
            self._add("\n\n", start, end, False)
            self.at_boundary = True

    def _add(self, text: str, start: int, end: int, literal: bool) -> None:
        if not text:
            return
        self.parts.append(text)
        self.text_starts.append(self.length)
        self.source_starts.append(start)
        self.source_ends.append(end)
        self.literal_flags.append(literal)
        self.length += len(text)

    def build(self) -> VisibleText:
        return VisibleText(
            "".join(self.parts),
            self.text_starts,
            self.source_starts,
            self.source_ends,
            self.literal_flags,
        )
