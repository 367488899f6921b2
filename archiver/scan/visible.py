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

# A run of text, a tag or a character reference. A "<" never sits inside a tag here, so each
# attempt at a tag stops at the next one: linear on any input.
_TOKEN = re.compile(
    r"(?P<text>[^<&]+)"
    r"""|<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9:-]{0,40})(?:[^<>"']++|"[^<"]*+"|'[^<']*+')*+>"""
    r"|(?P<reference>&(?:#[0-9]{1,7};?|#[xX][0-9A-Fa-f]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?))"
)
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

    def chars_until(self, position: int) -> int:
        """How many characters of ``text``, from its start, sit at or before ``position`` in the
        source (``source_start`` never decreases along the text)."""
        piece = bisect.bisect_right(self.source_starts, position) - 1
        if piece < 0:
            return 0
        start = self.text_starts[piece]
        following = piece + 1
        size = (
            self.text_starts[following] if following < len(self.text_starts) else len(self.text)
        ) - start
        if self.literal[piece]:
            return start + min(size, position - self.source_starts[piece] + 1)
        return start + size

    def source_end(self, index: int) -> int:
        """Source offset just after the character at ``text[index - 1]`` (for span ends)."""
        if index <= 0:
            return self.source_start(0)
        piece = bisect.bisect_right(self.text_starts, index - 1) - 1
        if self.literal[piece]:
            return self.source_starts[piece] + index - self.text_starts[piece]
        return self.source_ends[piece]


def visible_text(source: str, start: int = 0, end: int | None = None) -> VisibleText:
    """The visible text of ``source[start:end]``, with its map back to source offsets.

    One pattern reads each token where the last one ended (a run of text, a tag, a character
    reference); comments, declarations and a ``<`` or ``&`` that opens nothing are read by hand.
    """
    end = len(source) if end is None else end
    parts: list[str] = []
    text_starts: list[int] = []
    source_starts: list[int] = []
    source_ends: list[int] = []
    literal: list[bool] = []
    length = 0
    at_boundary = True  # nothing visible since the last block boundary
    preformatted = 0  # inside how many <pre>
    pos = start
    while pos < end:
        token = _TOKEN.match(source, pos, end)
        if token is None:
            if source.startswith("<!--", pos):
                close = source.find("-->", pos + 4, end)
                pos = end if close == -1 else close + 3
                continue
            if source.startswith(("<!", "<?"), pos):
                close = source.find(">", pos, end)
                pos = end if close == -1 else close + 1
                continue
            after, piece, is_literal = pos + 1, source[pos], True  # a "<" or "&" opening nothing
            at_boundary = False
        elif (run := token["text"]) is not None:
            after, piece, is_literal = token.end(), run if preformatted > 0 else _spaces(run), True
            at_boundary = at_boundary and piece.isspace()
        elif (reference := token["reference"]) is not None:
            after, decoded = token.end(), html.unescape(reference)
            is_literal = decoded == reference
            piece = reference if is_literal else _spaces(decoded)
            at_boundary = at_boundary and piece.isspace()
        else:
            after, name, piece, is_literal = token.end(), token["name"].lower(), "", False
            if name == "pre":
                preformatted += -1 if token["close"] else 1
            if name == "br":
                piece = "\n"
            elif name in _BLOCK:
                piece = "" if at_boundary else "\n\n"  # a run of boundaries is one break
                at_boundary = True
            if name in _RAW_TEXT and not token["close"] and not token.group().endswith("/>"):
                closing = _RAW_TEXT_END[name].search(source, after, end)
                after = end if closing is None else closing.end()
        if piece:
            parts.append(piece)
            text_starts.append(length)
            source_starts.append(pos)
            source_ends.append(after)
            literal.append(is_literal)
            length += len(piece)
        pos = after
    return VisibleText("".join(parts), text_starts, source_starts, source_ends, literal)


def _spaces(text: str) -> str:
    """Source line breaks and tabs are spaces in HTML; one for one, so offsets still line up."""
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ").replace("\f", " ")
