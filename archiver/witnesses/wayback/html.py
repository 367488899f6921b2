"""Captured pages: twitter.com permalink, schema.org and mobile.twitter.com pages, pages that
tell of a post only in ``og:`` metadata, and bsky.app post pages.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import PageElement, Tag

from archiver.models import Exchange, Platform, Post, PostState, Witness
from archiver.witnesses.soup import attributes, is_text, parse_html
from archiver.witnesses.twitter.snowflake import format_ms
from archiver.witnesses.wayback.cdx import id_in_url
from archiver.witnesses.wayback.verdict import (
    SOURCE,
    accepted,
    iso_time,
    rejected,
    twitter_post,
    unrewritten,
)

# bsky.app's page summary of a post (the <noscript> of the post page), by element id
_BSKY_FIELDS = frozenset(
    {"bsky_display_name", "bsky_handle", "bsky_did", "bsky_post_text", "bsky_post_indexedat"}
)
# The summary frames a reply's text with whom it answers and follows it with the post it quotes.
_BSKY_REPLY_HEADER = re.compile(r"^\u21a9\ufe0f? reply to [^\n]*:\n\n")
_BSKY_QUOTE = re.compile(r"\n\n(?:\u2198\ufe0f? quoting [^\n]*:\n\n.*|\[quote/embed\])$", re.DOTALL)
_LEADING_MENTIONS = re.compile(r"^(?:@[A-Za-z0-9_]{1,50}\s+)+", re.ASCII)
_OG_TITLE = re.compile(r"^(?P<name>.+?) on (?:Twitter|X)(?::|$)")
_SCHEMA_KEYS = frozenset({"identifier", "dateCreated", "additionalName", "givenName"})
_VOID = frozenset({"meta", "link", "img", "br", "input", "hr", "source", "wbr", "area", "base"})
# What a page without the post says instead, matched on its lower-cased text, in this order.
_LOGIN_WALL = ("redirect_after_login", "loginform", "/i/flow/login", "log in to twitter")
_UNAVAILABLE = (
    "this tweet is unavailable",
    "this post is unavailable",
    "this tweet was deleted",
    "this post was deleted",
    "sorry, that page doesn",
    "this page doesn",
    "account suspended",
    "this account doesn",
)
_JS_SHELL = ("javascript is not available", "we've detected that javascript is disabled")


@dataclass(slots=True)
class _Found:
    """One post as a page shows it: a legacy tweet container, a schema.org posting, mobile."""

    id: str
    handle: str | None = None
    name: str | None = None
    author_id: str | None = None
    time_ms: str | None = None
    date_created: str | None = None
    lang: str | None = None
    text: list[str] = field(default_factory=list)
    has_text: bool = False


@dataclass(slots=True)
class _Page:
    """The parts of a captured page that can tell of a post."""

    meta: dict[str, str] = field(default_factory=dict)
    canonical: str | None = None
    found: list[_Found] = field(default_factory=list)
    main_author: dict[str, list[str]] = field(
        default_factory=lambda: {"username": [], "fullname": []}
    )
    bsky: dict[str, list[str]] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Context:
    """What an element's ancestors make of what it holds."""

    post: _Found | None = None  # the nearest post an ancestor opened
    role: str | None = None  # what the nearest collecting ancestor collects
    in_main: bool = False  # inside a legacy mobile page's main-tweet
    hidden: bool = False  # inside <script> or <style>: no words a reader sees


def _read_page(exchange: Exchange) -> tuple[_Page, str]:
    """The page of a capture, walked in document order (a list for a stack, so that no nesting
    depth can exhaust Python's), and its text."""
    text = exchange.body.decode("utf-8", errors="replace")
    page = _Page()
    todo: list[tuple[PageElement, _Context]] = [(parse_html(text), _Context())]
    while todo:
        node, context = todo.pop()
        if isinstance(node, Tag):
            inner = _element(page, node, context)
            todo.extend((child, inner) for child in reversed(node.contents))
        elif is_text(node):
            _text(page, node, context)
    return page, text


def _element(page: _Page, tag: Tag, context: _Context) -> _Context:
    """Note what an element tells of a post; the context of what it holds."""
    a = attributes(tag)
    classes = a.get("class", "").split()
    post, role = context.post, context.role
    if tag.name == "meta":
        key = a.get("property") or a.get("name") or a.get("itemprop")
        if key and "content" in a:
            if post is not None and key in _SCHEMA_KEYS:
                _schema_meta(post, key, a["content"], of_author=role == "author")
            else:
                page.meta.setdefault(key, a["content"])
        return context
    if tag.name == "link" and a.get("rel") == "canonical":
        page.canonical = a.get("href")
        return context
    if tag.name == "img" and role == "text" and post is not None:
        post.text.append(a.get("alt", ""))  # emoji are images with the character as alt
        return context
    if tag.name == "br" and role == "text" and post is not None:
        post.text.append("\n")
        return context
    if tag.name in _VOID:
        return context
    opened: _Found | None = None
    collects: str | None = None
    if tweet_id := a.get("data-tweet-id"):  # the legacy twitter.com tweet container
        opened = _Found(
            tweet_id,
            handle=a.get("data-screen-name"),
            name=a.get("data-name"),
            author_id=a.get("data-user-id"),
        )
    elif a.get("itemtype", "").endswith("schema.org/SocialMediaPosting"):
        opened = _Found("")
    elif "tweet-text" in classes and a.get("data-id"):  # legacy mobile.twitter.com
        opened = _Found(a["data-id"])
        collects = "text"
    if opened is not None:
        page.found.append(opened)
        post = opened
    if (
        post is not None
        and not post.has_text
        and collects is None
        and ("tweet-text" in classes or a.get("itemprop") == "articleBody")
    ):
        collects = "text"
    if a.get("id") in _BSKY_FIELDS:
        collects = a["id"]
    elif a.get("itemprop") == "author":
        collects = "author"
    elif "main-tweet" in classes:  # legacy mobile: the post's table, its author in the header
        collects = "main"
    elif {"username", "fullname"} & set(classes) and context.in_main:
        collects = "username" if "username" in classes else "fullname"
    if tag.name == "span" and "_timestamp" in classes and post is not None:
        post.time_ms = post.time_ms or a.get("data-time-ms")
    if post is not None and tag.name == "a" and role == "text":
        if "twitter-timeline-link" in classes and post.text and not post.text[-1][-1:].isspace():
            post.text.append(" ")  # the picture link follows the text with no space
        collects = "link" if a.get("data-expanded-url") else None
        if collects:
            post.text.append(a["data-expanded-url"])
    if collects == "text" and post is not None:
        post.has_text = True
        post.lang = post.lang or a.get("lang")
    return _Context(
        post=post,
        role=collects if collects is not None else role,
        in_main=context.in_main or collects == "main",
        hidden=context.hidden or tag.name in ("script", "style"),
    )


def _schema_meta(post: _Found, key: str, value: str, *, of_author: bool) -> None:
    """A schema.org property: the posting's own, or its author Person's."""
    if of_author and key == "identifier":
        post.author_id = post.author_id or value
    elif of_author and key == "additionalName":
        post.handle = post.handle or value
    elif of_author and key == "givenName":
        post.name = post.name or value
    elif key == "identifier":
        post.id = post.id or value
    elif key == "dateCreated":
        post.date_created = post.date_created or value


def _text(page: _Page, text: str, context: _Context) -> None:
    if not context.hidden:
        page.words.append(text)
    if context.post is not None and context.role == "text":
        context.post.text.append(text)
    elif context.role in page.main_author:
        page.main_author[context.role].append(text)
    elif context.role in _BSKY_FIELDS:
        page.bsky.setdefault(context.role, []).append(text)


def read_bluesky_page(exchange: Exchange, asked: str) -> Witness:
    """A bsky.app post page: its summary names the author (handle and DID) and the text; the
    post is the one asked for when its author is the actor asked for and the page's URL names
    the same record key."""
    page, text = _read_page(exchange)
    fields = {key: "".join(parts).strip() for key, parts in page.bsky.items()}
    actor, _, rkey = asked.rpartition("/")
    og_url = page.meta.get("og:url") or ""
    if not fields.get("bsky_post_text"):
        return rejected(exchange, _why_no_post(page, asked, og_url, text.casefold()))
    handle, did = fields.get("bsky_handle", ""), fields.get("bsky_did", "")
    if actor.casefold() not in (handle.casefold(), did.casefold()):
        return rejected(exchange, f"shows a post of {handle or did or 'no one'}, not of {actor}")
    shown = id_in_url(og_url)
    if shown and shown.rpartition("/")[2] != rkey:
        return rejected(exchange, f"shows post {shown}, not {asked}")
    body = _BSKY_QUOTE.sub("", _BSKY_REPLY_HEADER.sub("", fields["bsky_post_text"]))
    post = Post(
        platform=Platform.BLUESKY,
        # named as the AppView witness names it (archiver/witnesses/bluesky.py): by DID
        id=f"{did}/{rkey}" if did.startswith("did:") else asked,
        url=f"https://bsky.app/profile/{handle or actor}/post/{rkey}",
        handle=handle or None,
        author_name=fields.get("bsky_display_name") or None,
        author_id=did if did.startswith("did:") else None,
        text=unrewritten(body).strip(),
        created_at=iso_time(fields.get("bsky_post_indexedat")),
    )
    post.media = []
    return Witness(
        SOURCE, exchange, PostState.LIVE, post=post, reason="created_at is the AppView's indexedAt"
    )


def read_twitter_page(exchange: Exchange, asked: str, *, after_2022: bool) -> tuple[str, Witness]:
    """The shape of a captured X page and its witness: the post whose id is the one asked for
    (legacy permalink, schema.org or mobile markup), else its ``og:`` metadata, else the reason
    the page shows no post."""
    page, text = _read_page(exchange)
    mine = next((f for f in page.found if f.id == asked and f.has_text), None)
    if mine is not None:
        shape = "permalink_html"
        if any(f.date_created for f in page.found):
            shape = "schema_org_html"
        elif mine.handle is None and page.main_author["username"]:
            shape = "mobile_html"
            mine.handle = "".join(page.main_author["username"]).strip().lstrip("@")
            mine.name = "".join(page.main_author["fullname"]).strip() or None
        return shape, accepted(exchange, _found_post(mine), asked)
    og_url = page.meta.get("og:url") or page.canonical or ""
    description = page.meta.get("og:description")
    if description and id_in_url(og_url) == asked:
        post = twitter_post(
            asked,
            handle=urlsplit(og_url).path.strip("/").split("/")[0],
            name=_og_name(page.meta.get("og:title")),
            author_id=None,
            text=_og_text(description, after_2022=after_2022),
        )
        note = "text from og:description"
        if _LEADING_MENTIONS.match(_og_text(description, after_2022=after_2022, mentions=True)):
            note += " (the leading @mentions a reply's description adds are dropped)"
        return "og_html", accepted(exchange, post, asked, note)
    return "html", rejected(exchange, _why_no_post(page, asked, og_url, text.casefold()))


def _why_no_post(page: _Page, asked: str, og_url: str, raw: str) -> str:
    words = " ".join(page.words).casefold().replace("\u2019", "'")
    others = sorted({f.id for f in page.found if f.id and f.id != asked})
    if any(marker in words for marker in _UNAVAILABLE):
        return "unavailable page: the capture says the post is not there"
    if others and not any(f.id == asked for f in page.found):
        return f"shows post {', '.join(others[:3])}, not {asked}"
    if (other := id_in_url(og_url)) and other != asked:
        return f"shows post {other}, not {asked}"
    if any(marker in raw for marker in _LOGIN_WALL):
        return "login wall: the capture asks to log in and shows no post"
    if any(marker in words for marker in _JS_SHELL):
        return "a JavaScript shell with no post in it (logged-out capture)"
    return f"no post {asked} in the page"


def _found_post(found: _Found) -> Post:
    created = None
    if found.time_ms and found.time_ms.isdigit():
        created = format_ms(int(found.time_ms))
    elif found.date_created:
        created = iso_time(found.date_created)
    text = re.sub(r"[ \t]+\n", "\n", "".join(found.text)).strip()
    return twitter_post(
        found.id,
        handle=found.handle,
        name=found.name,
        author_id=found.author_id,
        text=text,
        lang=found.lang,
        created_at=created,
    )


def _og_text(description: str, *, after_2022: bool, mentions: bool = False) -> str:
    text = description.strip()
    if after_2022:
        text = html.unescape(text)  # escaped twice since 2023: the parser undid one layer
    if len(text) >= 2 and text[0] in '\u201c"' and text[-1] in '\u201d"':
        text = text[1:-1]
    return text if mentions else _LEADING_MENTIONS.sub("", text).strip()


def _og_name(title: str | None) -> str | None:
    m = _OG_TITLE.match(title or "")
    return m["name"] if m else None
