"""The HTML in stored answers as a tree: BeautifulSoup over lxml's HTML parser.

A Mastodon status's content and a Wayback capture's page are read through ``parse_html``;
attribute values stay single strings (``class`` too), as the page wrote them. The oEmbed
blockquote, read for every X post on the fetcher's path, goes to lxml directly
(twitter/oembed.py): BeautifulSoup's cost per document (about 0.2 ms) would take "both
witnesses of a post" below the fetch target in docs/benchmarks.md.
"""

from __future__ import annotations

import re
import warnings
from typing import TypeGuard

from bs4 import (
    BeautifulSoup,
    MarkupResemblesLocatorWarning,
    NavigableString,
    PageElement,
    Tag,
    XMLParsedAsHTMLWarning,
)
from bs4.element import PreformattedString

# What the parsers read is a remote answer, never a file name or a URL typed by mistake, and an
# XML body is read as the HTML it claims to be: BeautifulSoup's warnings for beginners say
# nothing here (and would reach the command line's stderr).
for _category in (MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning):
    warnings.filterwarnings("ignore", category=_category, module=__name__)


# A lone surrogate (JSON can carry one: "\\ud800") cannot be handed to lxml as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def parseable(markup: str) -> str:
    """``markup`` with each lone surrogate replaced by U+FFFD, as a parser can take it."""
    return _SURROGATE.sub("\ufffd", markup)


def parse_html(markup: str) -> BeautifulSoup:
    """The tree lxml's HTML parser builds of ``markup`` (entities decoded, never raising)."""
    return BeautifulSoup(parseable(markup), "lxml", multi_valued_attributes=None)


def is_text(node: PageElement) -> TypeGuard[NavigableString]:
    """True for character data as a reader sees it (``<script>`` and ``<style>`` content
    included), False for comments, CDATA, doctypes, declarations and processing instructions."""
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def attributes(tag: Tag) -> dict[str, str]:
    """An element's attributes as strings (an attribute written without a value is ``""``)."""
    return {key: value for key, value in tag.attrs.items() if isinstance(value, str)}
