"""Embed markup in HTML: the platforms' blockquote snippets, rendered widgets and embed iframes.

The pre-filter finds the opening tags (``<blockquote``, ``<iframe``, ``<twitter-widget``, AMP's
``<amp-twitter>`` and ``<amp-instagram>``); only the element each opens is parsed (lxml), never
the whole page, and X's and Bluesky's blockquote snippet is read in C (_snippet.c) when its
markup has the widget's plain shape, and Mastodon's, Instagram's, Threads' and TikTok's
blockquote (_linked.c) when it has the shape their embed code writes; the records of both are
made in C (_widget.c). A rendered widget (``div.twitter-tweet-rendered``) is found by the
iframe inside it, which carries ``data-tweet-id``.
Markup as the platforms write it: docs/endpoints.md §5, §6.1, §1.5.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from archiver.lazy_pattern import LazyPattern
from archiver.models import Embed, EmbedForm, Platform
from archiver.scan.dates import search_date
from archiver.scan.links import clean_status_url, is_post_link
from archiver.scan.text import NAME_STRIP, dash_before
from archiver.urls import PostRef, normalise_pic_link, parse_post_url, twitter_status_url

if TYPE_CHECKING:
    from lxml import etree

MAX_ELEMENT = 65536  # an embed snippet is a few kB; a longer element is cut here
_MAX_START_TAG = 8192
_START_TAG = LazyPattern(
    r"""<(?P<name>[A-Za-z][A-Za-z0-9:-]{0,40})(?P<attributes>(?:[^<>"']++|"[^"]{0,4096}+"|'[^']{0,4096}+')*+)/?>"""
)
_ATTRIBUTE = LazyPattern(
    r"""(?P<key>[^\s"'<>/=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+)))?"""
)
_CLASS_PLATFORMS = {
    "twitter-tweet": Platform.TWITTER,
    "twitter-video": Platform.TWITTER,
    "bluesky-embed": Platform.BLUESKY,
    "mastodon-embed": Platform.MASTODON,
    "instagram-media": Platform.INSTAGRAM,
    "tiktok-embed": Platform.TIKTOK,
    "text-post-media": Platform.THREADS,
}
_TWEET_IFRAME = LazyPattern(
    r"^(?:https?:)?//platform\.(?:twitter|x)\.com/embed/Tweet\.html\?", re.I
)
_BLUESKY_IFRAME = LazyPattern(
    r"^(?:https?:)?//embed\.bsky\.app/embed/(?P<did>did:[a-z0-9]+:[A-Za-z0-9._:%-]+)/app\.bsky\.feed\.post/(?P<rkey>[A-Za-z0-9._~:-]+)",
    re.I,
)
_EMBED_SUFFIX = LazyPattern(r"/embed/?(?:[?#].*)?$")
_INSTAGRAM_POST = LazyPattern(
    r"https?://(?:www\.)?instagram\.com/(?:[A-Za-z0-9_.]+/)?(?:p|reel|tv)/[A-Za-z0-9_-]+/?"
)
_TWEET_ID_INSIDE = LazyPattern(
    r"""data-tweet-id\s*=\s*["']?([0-9]{1,20})|Tweet\.html\?[^"'\s>]*?\bid=([0-9]{1,20})"""
)
_POST_ID = LazyPattern(r"[0-9]{1,20}")
_DASHES = ("—", "–", "―", "‒", "-")
_BLOCKQUOTE_INSIDE = LazyPattern(r"<[bB][lL][oO][cC][kK][qQ][uU][oO][tT][eE][\s>]")
_HANDLE_IN_TEXT = LazyPattern(r"\(\s*@(?P<handle>[A-Za-z0-9_.-]{1,253})\s*\)")
# Runs of whitespace, each read as one space: a lone space already is one, and is left alone.
_SPACES = LazyPattern(r"[ \t\n\r\f]{2,}|[\t\n\r\f]")
_AROUND_NEWLINES = LazyPattern(r" *\n *")
_LINE_BREAK = "\u2028"  # what a <br> leaves in the text until it becomes "\n"
_XML_FORBIDDEN = LazyPattern("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class _Element:
    start: int
    end: int
    name: str
    attributes: dict[str, str]


def reference_find_markup_embeds(source: str, starts: list[int]) -> list[Embed]:
    """The embeds among the elements that open at ``starts``, in order; spans cover their markup.
    An element that opens inside the last embed found is skipped.

    In Python: ``find_markup_embeds`` is the same compiled (_elements.c, which calls the rules
    below as this module binds them) wherever the install could build it, this one elsewhere.
    """
    embeds: list[Embed] = []
    covered_until = 0
    for element in _elements(source, starts):
        if element.start < covered_until:
            continue
        embed = _embed(source, element)
        if embed is not None:
            embeds.append(embed)
            covered_until = element.end
    return embeds


def reference_elements(source: str, starts: list[int]) -> list[_Element]:
    """The element each start tag at ``starts`` opens (a start that opens none is left out):
    its span, its name in lower case and its attributes.

    In Python: ``_elements`` is the same compiled (_elements.c) wherever the install could
    build it, this one elsewhere.
    """
    elements = []
    for start in starts:
        tag = _START_TAG.match(source, start, min(len(source), start + _MAX_START_TAG))
        if tag is None:
            continue
        name = tag["name"].lower()
        end = _element_end(source, name, tag.end(), self_closing=tag.group().endswith("/>"))
        elements.append(_Element(start, end, name, _attributes(tag["attributes"])))
    return elements


def _attributes(text: str) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(text):
        value = match["dq"] if match["dq"] is not None else match["sq"] or match["bare"] or ""
        attributes.setdefault(match["key"].lower(), html.unescape(value))
    return attributes


def _element_end(source: str, name: str, after_start_tag: int, *, self_closing: bool) -> int:
    """Where the element ends: after its closing tag, else where the next one like it opens
    (an embed never nests in itself, so the first was left open), else after MAX_ELEMENT."""
    if self_closing:
        return after_start_tag
    limit = min(len(source), after_start_tag + MAX_ELEMENT)
    tag = _tag_of(name).search(source, after_start_tag, limit)
    if tag is None:
        return limit
    if not tag[1]:
        return tag.start()
    close = source.find(">", tag.end(), limit)
    return limit if close == -1 else close + 1


def _compiled_elements(source: str, starts: list[int]) -> list[_Element]:
    """``reference_elements``, its reading compiled: the same elements."""
    return [_Element(*fields) for fields in elements(source, starts)]


try:
    from archiver.scan._elements import elements
    from archiver.scan._elements import markup_embeds as find_markup_embeds
except ImportError:  # installed without a C compiler: the same elements and embeds, in Python
    _elements = reference_elements
    find_markup_embeds = reference_find_markup_embeds
else:
    _elements = _compiled_elements


@functools.lru_cache(maxsize=64)
def _tag_of(name: str) -> re.Pattern[str]:
    """An opening or closing tag of elements called ``name``."""
    return re.compile(rf"<(/?){re.escape(name)}(?=[\s>/])", re.IGNORECASE)


def _embed(source: str, element: _Element) -> Embed | None:
    classes = set(element.attributes.get("class", "").split())
    if element.name == "iframe":
        return _iframe(element, classes)
    if element.name == "twitter-widget":
        return _rendered_widget(source, element)
    if element.name == "amp-twitter":
        return _amp_twitter(source, element)
    if element.name == "amp-instagram":
        code = element.attributes.get("data-shortcode", "").strip()
        return _post_iframe(element, f"https://www.instagram.com/p/{code}/") if code else None
    if element.name != "blockquote":
        return None
    platform = next((p for c, p in _CLASS_PLATFORMS.items() if c in classes), None)
    if platform is None:
        return None
    markup = source[element.start : element.end]
    if platform in (Platform.TWITTER, Platform.BLUESKY):
        snippet = read_snippet(markup)
        return None if snippet is None else _widget_blockquote(element, snippet, platform)
    quote = read_linked(markup)
    if quote is None:
        return None
    if platform == Platform.TIKTOK:
        return _tiktok_blockquote(element, quote)
    return _linked_blockquote(element, quote, platform)


@functools.cache
def _lxml() -> tuple[etree.HTMLParser, etree.XPath]:
    """lxml's HTML parser and its string() query, made when lxml first reads an element: a page
    whose snippets the compiled twins read never imports lxml (docs/benchmarks.md). Plain
    elements: lxml.html's element classes cost a class lookup on every node touched."""
    from lxml import etree

    return etree.HTMLParser(), etree.XPath("string()")


def _string(element: etree._Element) -> str:
    """string() of ``element``, as XPath reads it."""
    return str(_lxml()[1](element))


def _parse(markup: str) -> etree._Element | None:
    from lxml import etree

    # lxml refuses to build text nodes holding characters XML forbids; one replacement character
    # each keeps every length, so offsets still hold.
    markup = _XML_FORBIDDEN.sub("\ufffd", markup)
    try:
        root = etree.fromstring(markup, _lxml()[0])
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if root is not None:
        for br in root.iter("br"):
            # A character reference such as "&#1;" in the tail is read into a character that
            # lxml's parser keeps but its setter refuses: the same replacement, one for one.
            br.tail = _LINE_BREAK + _XML_FORBIDDEN.sub("\ufffd", br.tail or "")
    return root


# What _widget_blockquote reads of a widget blockquote: its paragraphs (each its string(), its
# lang and its anchors), every anchor of the quote, each its href (None when it has none) and its
# string(), and the quote's string(); string() as lxml gives it after _parse, with _LINE_BREAK
# before each <br>'s tail.
Anchor = tuple[str | None, str]
Paragraph = tuple[str, str | None, list[Anchor]]
Snippet = tuple[list[Paragraph], list[Anchor], str]


def reference_read_snippet(markup: str) -> Snippet | None:
    """The snippet lxml reads in a widget blockquote's markup; None when lxml cannot parse it.

    The rule: ``read_snippet`` reads markup in the widget's plain shape compiled (_snippet.c)
    wherever the install could build it, and the rest through this.
    """
    root = _parse(markup)
    if root is None:
        return None
    quote = _first(root, "blockquote")
    paragraphs = [(_string(p), p.get("lang"), _anchors(p)) for p in quote.iter("p")]
    return paragraphs, _anchors(quote), _string(quote)


def _anchors(element: etree._Element) -> list[Anchor]:
    return [(a.get("href"), _string(a)) for a in element.iter("a")]


try:  # compiled where the markup has the widget's plain shape, through lxml elsewhere
    from archiver.scan._snippet import read_snippet
except ImportError:  # installed without a C compiler: every snippet read through lxml
    read_snippet = reference_read_snippet


# What _linked_blockquote and _tiktok_blockquote read of a Mastodon, Instagram, Threads or TikTok
# blockquote: each anchor's href (None when it has none), the quote's string(), the first <time>'s
# datetime and string() (None without a <time>), and the caption: string() of the first <section>
# (else of the quote) less the anchors whose label starts with "@" or "♬", their tails kept.
Time = tuple[str | None, str]
LinkedQuote = tuple[list[str | None], str, Time | None, str]


def reference_read_linked(markup: str) -> LinkedQuote | None:
    """What lxml reads in such a blockquote's markup; None when lxml cannot parse it.

    The rule: ``read_linked`` reads markup in the shape the platforms' embed code writes
    compiled (_linked.c) wherever the install could build it, and the rest through this.
    """
    root = _parse(markup)
    if root is None:
        return None
    quote = _first(root, "blockquote")
    hrefs = [a.get("href") for a in quote.iter("a")]
    time = next(quote.iter("time"), None)
    time_read = (time.get("datetime"), _string(time)) if time is not None else None
    string = _string(quote)
    section = next(quote.iter("section"), quote)
    for anchor in list(section.iter("a")):
        label = _inline_text(anchor)
        if label.startswith(("@", "♬")) and anchor is not section:
            _drop_keeping_tail(anchor)
    return hrefs, string, time_read, _string(section)


try:  # compiled where the markup has the embed code's plain shape, through lxml elsewhere
    from archiver.scan._linked import read_linked
except ImportError:  # installed without a C compiler: every such blockquote read through lxml
    read_linked = reference_read_linked


def _record(element: _Element, platform: str, form: str, **fields: object) -> Embed:
    return Embed(platform=platform, form=form, start=element.start, end=element.end, **fields)  # type: ignore[arg-type]


def _iframe(element: _Element, classes: set[str]) -> Embed | None:
    attributes = element.attributes
    src = attributes.get("src") or attributes.get("data-src") or ""
    tweet_id = attributes.get("data-tweet-id", "").strip()
    if _is_post_id(tweet_id):
        return _tweet_by_id(element, tweet_id, EmbedForm.RENDERED_IFRAME)
    if _TWEET_IFRAME.match(src):
        ids = parse_qs(urlsplit(src).query).get("id", [])
        if ids and _is_post_id(ids[0]):
            return _tweet_by_id(element, ids[0], EmbedForm.IFRAME)
        return None
    if match := _BLUESKY_IFRAME.match(src):
        url = f"https://bsky.app/profile/{match['did']}/post/{match['rkey']}"
        return _post_iframe(element, url)
    if "instagram.com/" in src:  # ".../p/CODE/embed/captioned/?cr=1&v=14": the post's URL leads
        post_url = _INSTAGRAM_POST.match(src.strip())
        return _post_iframe(element, post_url[0]) if post_url else None
    if "mastodon-embed" in classes:
        return _post_iframe(element, _EMBED_SUFFIX.sub("", src))
    return None


def _post_iframe(element: _Element, url: str) -> Embed | None:
    post = parse_post_url(url)
    if post is None:
        return None
    return _record(
        element,
        post.platform,
        EmbedForm.IFRAME,
        text="",
        handle=post.handle,
        status_id=post.post_id,
        status_url=clean_status_url(url),
    )


def _is_post_id(value: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also takes other scripts' digits and superscripts."""
    return _POST_ID.fullmatch(value) is not None


def _tweet_by_id(element: _Element, tweet_id: str, form: str) -> Embed:
    return _record(
        element,
        Platform.TWITTER,
        form,
        text="",
        status_id=tweet_id,
        status_url=twitter_status_url(tweet_id),
    )


def _rendered_widget(source: str, element: _Element) -> Embed | None:
    tweet_id = element.attributes.get("data-tweet-id", "").strip()
    if not _is_post_id(tweet_id):
        inside = _TWEET_ID_INSIDE.search(source, element.start, element.end)
        if inside is None:
            return None
        tweet_id = inside[1] or inside[2]
    return _tweet_by_id(element, tweet_id, EmbedForm.RENDERED_IFRAME)


def _amp_twitter(source: str, element: _Element) -> Embed | None:
    """AMP's ``<amp-twitter data-tweetid>``; a placeholder snippet inside it is reported instead."""
    if _BLOCKQUOTE_INSIDE.search(source, element.start + 1, element.end):
        return None
    tweet_id = element.attributes.get("data-tweetid", "").strip()
    return _tweet_by_id(element, tweet_id, EmbedForm.IFRAME) if _is_post_id(tweet_id) else None


def reference_widget_blockquote(element: _Element, snippet: Snippet, platform: str) -> Embed | None:
    """Twitter's and Bluesky's snippet.

    ``<p lang>TEXT</p>&mdash; Name (@handle) <a href=URL>DATE</a>``

    The rule in Python: ``_widget_blockquote`` makes the same record compiled (_widget.c)
    wherever the install could build it, this one elsewhere.
    """
    all_paragraphs, anchors, quote_string = snippet
    paragraphs = [
        (text, lang, links)
        for string, lang, links in all_paragraphs
        if not (text := _collapsed_text(string)).startswith(_DASHES)
    ]
    post_links = [
        (href or "", _inline(string)) for *_, links in paragraphs for href, string in links
    ]
    status_url, date_text = None, None
    for href, string in reversed(anchors):
        href = (href or "").strip()
        found = parse_post_url(href)
        if found is not None and found.platform == platform:
            status_url, date_text = clean_status_url(href), _inline(string) or None
            break
    post = parse_post_url(status_url) if status_url else None
    tweet_id = element.attributes.get("data-tweet-id", "").strip()
    if post is None and platform == Platform.TWITTER and _is_post_id(tweet_id):
        post, status_url = PostRef(platform, tweet_id), twitter_status_url(tweet_id)
    uri = element.attributes.get("data-bluesky-uri", "")
    uri_post = parse_post_url(uri) if uri else None
    # only a Bluesky post's uri names the post: another platform's URL there is ignored
    if platform == Platform.BLUESKY and uri_post is not None and uri_post.platform == platform:
        post = uri_post
        did, rkey = uri_post.post_id.split("/", 1)
        status_url = status_url or f"https://bsky.app/profile/{did}/post/{rkey}"
    attribution = _attribution_line(quote_string)
    name, handle = _name_and_handle(attribution)
    if post is None and handle is None:
        return None
    own_post = post.key if post else None
    date = search_date(date_text or attribution)
    if date_text is None and date is not None:
        date_text = attribution[date.start : date.end]
    return _record(
        element,
        platform,
        EmbedForm.HTML_BLOCKQUOTE,
        text="\n\n".join(text for text, *_ in paragraphs if text),
        handle=handle or (post.handle if post else None),
        display_name=name,
        date=date.iso if date else None,
        date_text=date_text,
        pic_links=_unique(normalise_pic_link(t) or normalise_pic_link(h) for h, t in post_links),
        links=_unique(
            h.strip() for h, t in post_links if is_post_link(h, t) and _post_key(h) != own_post
        ),
        status_id=post.post_id if post else None,
        status_url=status_url,
        lang=(paragraphs[0][1] or None) if paragraphs else None,
    )


try:
    from archiver.scan._widget import widget_blockquote as _widget_blockquote
except ImportError:  # installed without a C compiler: the same records, in Python
    _widget_blockquote = reference_widget_blockquote


def reference_linked_blockquote(
    element: _Element, quote: LinkedQuote, platform: str
) -> Embed | None:
    """Mastodon, Instagram and Threads: the post is named by an attribute or a link, not shown.

    The rule in Python: ``_linked_blockquote`` makes the same record compiled (_widget.c)
    wherever the install could build it, this one elsewhere.
    """
    attributes = element.attributes
    hrefs, string, time, _ = quote
    candidates = [
        _EMBED_SUFFIX.sub("", attributes.get("data-embed-url", "")),
        attributes.get("data-instgrm-permalink", ""),
        attributes.get("data-text-post-permalink", ""),
        *(href or "" for href in hrefs),
    ]
    found = _first_post(candidates, platform)
    if found is None:
        return None
    url, post = found
    name, handle = _name_and_handle(_attribution_line(string))
    return _record(
        element,
        platform,
        EmbedForm.HTML_BLOCKQUOTE,
        text="",
        handle=post.handle or handle,
        display_name=name,
        date=_iso_date(time[0] or "") if time is not None else None,
        date_text=(_inline(time[1]) or None) if time is not None else None,
        status_id=post.post_id,
        status_url=clean_status_url(url),
    )


def reference_tiktok_blockquote(element: _Element, quote: LinkedQuote) -> Embed | None:
    """TikTok's snippet: the caption inside ``<section>``, between the author and sound links.

    The rule in Python: ``_tiktok_blockquote`` makes the same record compiled (_widget.c)
    wherever the install could build it, this one elsewhere.
    """
    hrefs, *_, caption = quote
    candidates = [element.attributes.get("cite", ""), *(href or "" for href in hrefs)]
    found = _first_post(candidates, Platform.TIKTOK)
    if found is None:
        return None
    url, post = found
    return _record(
        element,
        Platform.TIKTOK,
        EmbedForm.HTML_BLOCKQUOTE,
        text=_collapsed_text(caption),
        handle=post.handle,
        status_id=post.post_id,
        status_url=clean_status_url(url),
    )


try:
    from archiver.scan._widget import linked_blockquote as _linked_blockquote
    from archiver.scan._widget import tiktok_blockquote as _tiktok_blockquote
except ImportError:  # installed without a C compiler: the same records, in Python
    _linked_blockquote = reference_linked_blockquote
    _tiktok_blockquote = reference_tiktok_blockquote


def _post_key(url: str) -> str | None:
    post = parse_post_url(url.strip())
    return post.key if post else None


def _first_post(urls: list[str], platform: str) -> tuple[str, PostRef] | None:
    for url in urls:
        post = parse_post_url(url) if url else None
        if post is not None and post.platform == platform:
            return url, post
    return None


def _first(root: etree._Element, tag: str) -> etree._Element:
    return next(root.iter(tag), root)


def _drop_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _collapsed_text(string: str) -> str:
    """Visible text with ``<br>`` as newlines and runs of other whitespace as one space."""
    text = _SPACES.sub(" ", string).replace(_LINE_BREAK, "\n")
    return (_AROUND_NEWLINES.sub("\n", text) if "\n" in text else text).strip()


def _inline_text(element: etree._Element) -> str:
    return _inline(_string(element))


def _inline(string: str) -> str:
    return " ".join(string.split())


def _attribution_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    with_handle = [line for line in lines if "(@" in line.replace("( @", "(@")]
    return (with_handle or lines or [""])[-1]


def _name_and_handle(line: str) -> tuple[str | None, str | None]:
    matches = list(_HANDLE_IN_TEXT.finditer(line))
    if not matches:
        return None, None
    last = matches[-1]
    dash = dash_before(line, last.start())
    name = line[dash[1] : last.start()].strip(NAME_STRIP) if dash else ""
    return name or None, last["handle"]


def _iso_date(datetime_attribute: str) -> str | None:
    match = re.match(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", datetime_attribute.strip())
    return "-".join(match.groups()) if match else None


def _unique(items: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))
