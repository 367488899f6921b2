"""What X's oEmbed endpoint says of a post: ``publish.twitter.com/oembed`` (docs/endpoints.md §3).

The answer has no date, media or counts; it names the author and carries the official
blockquote, whose ``<p>`` holds the text as the widget shows it (links as their t.co form,
the media link as ``pic.twitter.com/CODE``).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from archiver.models import Exchange, Platform, Post, PostState, Witness
from archiver.urls import TWITTER_HOSTS, host_of, parse_post_url, twitter_status_url
from archiver.witnesses.payload import LANG, Fields, Malformed, body_problem, decode_json
from archiver.witnesses.soup import parseable
from archiver.witnesses.twitter.handles import is_handle
from archiver.witnesses.twitter.snowflake import snowflake_time

SOURCE = "oembed"

# Only the markup from the first <blockquote> to the first </p> after it is parsed.
_BLOCKQUOTE = re.compile(r"<blockquote\b", re.IGNORECASE)
_PARAGRAPH_END = re.compile(r"</p\s*>", re.IGNORECASE)


def parse_oembed(exchange: Exchange) -> Witness:
    """Read one oEmbed answer into a witness; never raises.

    200 -> LIVE with the author, the text of the blockquote's ``<p>`` and its ``lang``;
    404 -> NOT_FOUND; 403 -> PROTECTED (X answers ``{"error": "Sorry, you are not authorized to
    see this status."}``, abraham/twitteroauth#472); anything else -> UNKNOWN with the reason.
    The decoded answer, ``html`` included, is kept in ``parsed``.
    """
    if exchange.status is None:
        reason = f"no response ({exchange.error or 'no error recorded'})"
        return Witness(SOURCE, exchange, PostState.UNKNOWN, reason=reason)
    data, decode_problem = decode_json(exchange.body)
    if exchange.status == 404:
        return Witness(SOURCE, exchange, PostState.NOT_FOUND, reason="HTTP 404", parsed=data)
    if exchange.status == 403:
        error = data.get("error") if isinstance(data, dict) else None
        reason = error[:500] if isinstance(error, str) and error else "HTTP 403"
        return Witness(SOURCE, exchange, PostState.PROTECTED, reason=reason, parsed=data)
    if exchange.status != 200:
        reason = f"HTTP {exchange.status}"
        return Witness(SOURCE, exchange, PostState.UNKNOWN, reason=reason, parsed=data)
    problem = body_problem(exchange) or decode_problem
    try:
        if problem:
            raise Malformed(problem)
        post = _post(Fields.of(data, ""), _asked_id(exchange.url))
    except Malformed as exc:
        return Witness(SOURCE, exchange, PostState.UNKNOWN, reason=str(exc), parsed=data)
    return Witness(SOURCE, exchange, PostState.LIVE, post=post, parsed=data)


def _asked_id(url: str) -> str | None:
    inner = parse_qs(urlsplit(url).query).get("url", [""])[0]
    ref = parse_post_url(inner)
    return ref.post_id if ref else None


def _post(fields: Fields, asked: str | None) -> Post:
    author_url = fields.required("author_url", str)
    handle = urlsplit(author_url).path.strip("/")
    if host_of(author_url).removeprefix("www.") not in TWITTER_HOSTS or not is_handle(handle):
        raise Malformed("author_url is not an X profile URL")
    url = fields.optional("url", str)
    ref = parse_post_url(url) if url else None
    post_id = ref.post_id if ref else asked
    if post_id is None:
        raise Malformed("neither url nor the request names a post")
    if asked is not None and post_id != asked:
        raise Malformed(f"the answer is about post {post_id}, not the post asked for ({asked})")
    text, lang = blockquote_text(fields.required("html", str))
    if text is None:
        raise Malformed("html has no <p> inside a <blockquote>")
    return Post(
        platform=Platform.TWITTER,
        id=post_id,
        url=twitter_status_url(post_id, handle),
        handle=handle,
        author_name=fields.optional("author_name", str),
        text=text,
        lang=lang if lang and LANG.fullmatch(lang) else None,
        created_at_from_id=snowflake_time(post_id),
    )


def blockquote_text(html: str) -> tuple[str | None, str | None]:
    """The text and ``lang`` of the first ``<p>`` in the first ``<blockquote>`` of embed HTML.

    Entities are unescaped and ``<br>`` becomes a newline; the markup itself is dropped, so
    nothing of it can be rendered later. Only the markup from the blockquote to the first
    ``</p>`` after it is parsed, by lxml (see archiver/witnesses/soup.py for why not
    BeautifulSoup here).

    >>> blockquote_text('<blockquote><p lang="en">a &amp; b<br>c</p>&mdash; x</blockquote>')
    ('a & b\\nc', 'en')
    """
    start = _BLOCKQUOTE.search(html)
    if start is None:
        return None, None
    end = _PARAGRAPH_END.search(html, start.start())
    region = parseable(html[start.start() : end.end() if end else len(html)])
    root = etree.HTML(region) if region.strip() else None
    quote = root.find(".//blockquote") if root is not None else None
    paragraph = quote.find(".//p") if quote is not None else None
    if paragraph is None:
        return None, None
    for line_break in paragraph.iter("br"):
        line_break.tail = "\n" + (line_break.tail or "")
    lang = paragraph.get("lang")
    return "".join(paragraph.itertext()), lang if isinstance(lang, str) else None
