"""The text a reader sees in a stretch of HTML, with a map from each character back to the source.

A small tokenizer, not a tree: it skips tags, comments and the content of ``script``/``style``-like
elements, decodes character references, turns ``<br>`` and block boundaries into newlines and
source whitespace into spaces (one for one, so plain runs map back by offset).
A run of block boundaries with nothing visible between them is one paragraph break (``\n\n``),
so nested ``<div><p>`` read like flat paragraphs; each ``<br>`` is one newline. Inside ``<pre>``
line breaks stay line breaks.

``reference_visible_text`` is the tokenizer in Python; ``_visible.c`` is the same loop compiled,
and ``visible_text`` runs the compiled one wherever the install could build it (issue 17).
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import re
from dataclasses import dataclass

from archiver.lazy_pattern import LazyPattern

# One token at every position, so ``finditer`` reads the stretch without gaps: a run of text (with
# no tab or line break, which need no rewriting, or with some), a tag, a character reference, a
# comment, a declaration, or a "<" or "&" that opens nothing. A "<" never sits inside a tag here,
# so each attempt at a tag stops at the next one: linear on any input.
_TOKEN = LazyPattern(
    r"(?P<text>[^<&\t\n\r\f]++(?![\t\n\r\f]))"
    r"|(?P<spaced>[^<&]+)"
    r"""|(?P<tag><(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9:-]{0,40})(?:[^<>"']++|"[^<"]*+"|'[^<']*+')*+>)"""
    r"|(?P<reference>&(?:#[0-9]{1,7};?|#[xX][0-9A-Fa-f]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?))"
    r"|(?P<comment><!--(?:.*?-->|.*))"
    r"|(?P<declaration><[!?][^>]*+>?)"
    r"|(?P<lone>[<&])",
    re.DOTALL,
)
_RAW_TEXT = frozenset(
    {"script", "style", "noscript", "template", "textarea", "title", "svg", "math"}
)
_RAW_TEXT_END = {name: LazyPattern(rf"</{name}\s*>", re.IGNORECASE) for name in _RAW_TEXT}
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


def reference_visible_text(source: str, start: int = 0, end: int | None = None) -> VisibleText:
    """The visible text of ``source[start:end]``, with its map back to source offsets.

    Tokens are read in one pass until the content of a ``script``-like element, which is jumped.
    """
    end = len(source) if end is None else end
    parts: list[str] = []
    source_starts: list[int] = []
    source_ends: list[int] = []
    literal: list[bool] = []
    at_boundary = True  # nothing visible since the last block boundary
    preformatted = 0  # inside how many <pre>
    pos = start
    while pos < end:
        resume = end  # where to read on after this pass
        for token in _TOKEN.finditer(source, pos, end):
            kind = token.lastgroup
            if kind == "tag":
                name = token["name"].lower()
                if name in _RAW_TEXT:
                    if token["close"] or token.group().endswith("/>"):
                        continue
                    closing = _RAW_TEXT_END[name].search(source, token.end(), end)
                    resume = end if closing is None else closing.end()
                    break
                if name not in _BLOCK:
                    continue  # an inline tag leaves nothing
                if name == "pre":
                    preformatted += -1 if token["close"] else 1
                if name == "br":
                    piece = "\n"
                elif at_boundary:
                    continue  # a run of boundaries is one break
                else:
                    piece, at_boundary = "\n\n", True
                is_literal = False
            elif kind == "text":
                piece, is_literal = token.group(), True
                at_boundary = at_boundary and piece.isspace()
            elif kind == "spaced":
                run = token.group()
                piece, is_literal = run if preformatted > 0 else _spaces(run), True
                at_boundary = at_boundary and piece.isspace()
            elif kind == "reference":
                reference = token.group()
                decoded = _unescape(reference)
                is_literal = decoded == reference
                piece = reference if is_literal else _spaces(decoded)
                at_boundary = at_boundary and piece.isspace()
                if not piece:
                    continue  # a reference to a character HTML drops
            elif kind == "lone":
                if source.startswith(("<!", "<?"), token.start()):
                    break  # a comment or declaration that the end of the stretch cuts
                piece, is_literal, at_boundary = token.group(), True, False
            else:
                continue  # a comment or a declaration
            parts.append(piece)
            source_starts.append(token.start())
            source_ends.append(token.end())
            literal.append(is_literal)
        pos = resume
    text_starts = [0, *itertools.accumulate(map(len, parts))]
    text_starts.pop()
    return VisibleText("".join(parts), text_starts, source_starts, source_ends, literal)


def _compiled_visible_text(source: str, start: int = 0, end: int | None = None) -> VisibleText:
    """``reference_visible_text``, its loop compiled: the same ``VisibleText``."""
    end = len(source) if end is None else end
    return VisibleText(*visible_parts(source, start, end))


try:
    from archiver.scan._visible import visible_parts
except ImportError:  # installed without a C compiler: the same loop, in Python
    visible_text = reference_visible_text
else:
    visible_text = _compiled_visible_text


@functools.lru_cache(maxsize=512)
def _unescape(reference: str) -> str:
    return html.unescape(reference)


def _spaces(text: str) -> str:
    """Source line breaks and tabs are spaces in HTML; one for one, so offsets still line up."""
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ").replace("\f", " ")
