"""Reading the Wayback Machine's copies of a post: CDX listings and raw captures. Pure functions.

Nothing here asks anything over HTTP (the asking is in archiver/fetch/wayback.py), so a read-only
command can read a stored capture again. A capture is a third party's copy: it shows the post as
it was when the Internet Archive captured it, never as it is now.

What the tools that recover deleted posts from the Wayback learned (issue 13), and how each
lesson is applied here:

- a reply's page shows its parent first, even inside the permalink container, and a schema.org
  page lists the whole thread: the post is always the one whose id is the requested id, never
  the first one on the page;
- ``og:description`` is curly-quoted before 2023 and double-escaped after; a reply's adds the
  leading @mentions; ``<title>`` is translated and cut (never read for the text), and the
  legacy ``title`` attribute of the time is Pacific time (``data-time-ms`` is read instead);
- JSON captures have statuscode ``-`` in the CDX; since 2023 they are API v2 (``data``,
  ``includes.users``, ``note_tweet``), before that v1.1 objects; the author is the user whose
  id is the post's ``author_id``, not the first user listed;
- a capture filed under one handle can be another account's post: the handle is read from the
  content, never from the captured URL;
- a 302 capture points at another post; a capture read without ``id_`` has rewritten URLs;
  logged-out captures from 2020 on are often a JavaScript shell with no post at all.

A bsky.app post page carries its post in a ``<noscript>`` summary (author handle, DID, text,
indexedAt): the post is the one whose author is the actor asked for and whose record key the
page's URL names.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlsplit

from archiver.models import (
    WAYBACK,
    WAYBACK_CDX,
    Exchange,
    Platform,
    Post,
    PostState,
    Witness,
    post_key,
)
from archiver.urls import twitter_status_url
from archiver.witnesses.payload import body_problem, decode_json
from archiver.witnesses.twitter.handles import is_handle
from archiver.witnesses.twitter.oembed import parse_oembed
from archiver.witnesses.twitter.snowflake import format_ms, snowflake_time
from archiver.witnesses.twitter.syndication import parse_syndication

SOURCE = WAYBACK  # a raw capture of the post
CDX_SOURCE = WAYBACK_CDX  # the Wayback's list of captures
WAYBACK_HOST = "web.archive.org"

_CAPTURE = re.compile(r"^https?://web\.archive\.org/web/(\d{14})([a-z]{2}_)?/(.+)$", re.ASCII)
_ID_IN_URL = (
    re.compile(r"/status(?:es)?/(\d{1,20})(?![0-9])", re.ASCII),
    re.compile(r"/tweets/(\d{1,20})(?![0-9])", re.ASCII),
    re.compile(r"[?&]ids?=(\d{1,20})(?![0-9])", re.ASCII),
)
_ID = re.compile(r"[0-9]{1,20}", re.ASCII)
_BLUESKY_POST = re.compile(r"bsky\.app/profile/([^/?#\s]+)/post/([A-Za-z0-9._~:-]{1,512})")
# bsky.app's page summary of a post (the <noscript> of the post page), by element id
_BSKY_FIELDS = frozenset(
    {"bsky_display_name", "bsky_handle", "bsky_did", "bsky_post_text", "bsky_post_indexedat"}
)
# The summary frames a reply's text with whom it answers and follows it with the post it quotes.
_BSKY_REPLY_HEADER = re.compile(r"^\u21a9\ufe0f? reply to [^\n]*:\n\n")
_BSKY_QUOTE = re.compile(r"\n\n(?:\u2198\ufe0f? quoting [^\n]*:\n\n.*|\[quote/embed\])$", re.DOTALL)
_REWRITTEN = re.compile(r"https?://web\.archive\.org/web/\d{14}[a-z_]*/", re.ASCII)
_LEADING_MENTIONS = re.compile(r"^(?:@[A-Za-z0-9_]{1,50}\s+)+", re.ASCII)
_OG_TITLE = re.compile(r"^(?P<name>.+?) on (?:Twitter|X)(?::|$)")
_SCHEMA_KEYS = frozenset({"identifier", "dateCreated", "additionalName", "givenName"})
_JSON_TYPES = ("application/json", "text/json", "application/javascript")
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


@dataclass(frozen=True, slots=True)
class Capture:
    """One row of a CDX listing: what was captured, when, with which status and bytes."""

    original: str
    timestamp: str  # YYYYMMDDhhmmss, UTC
    statuscode: str  # "200", "302", ... or "-" (JSON captures)
    mimetype: str = ""
    digest: str = ""

    @property
    def raw_url(self) -> str:
        """The capture as it was captured: ``id_`` asks for the bytes without rewritten links."""
        return f"https://{WAYBACK_HOST}/web/{self.timestamp}id_/{self.original}"


@dataclass(slots=True)
class Listing:
    """A CDX listing read against one post: the captures chosen and why the others were not."""

    chosen: list[Capture] = field(default_factory=list)
    rejected: list[tuple[Capture, str]] = field(default_factory=list)


def id_in_url(url: str) -> str | None:
    """The post id a captured URL names (status path, ``/tweets/ID``, ``?id=``; Bluesky's
    ``actor/rkey``), or None.

    >>> id_in_url("https://publish.twitter.com/oembed?url=https%3A%2F%2Ftwitter.com%2Fa%2Fstatus%2F20")
    '20'
    """
    text = unquote(unquote(url))
    if m := _BLUESKY_POST.search(text):
        return f"{m[1]}/{m[2]}"
    for pattern in _ID_IN_URL:
        if m := pattern.search(text):
            return m[1]
    return None


def capture_of(url: str) -> tuple[str, str] | None:
    """``(timestamp, original URL)`` of a Wayback capture URL, or None for any other URL."""
    m = _CAPTURE.match(url)
    return (m[1], m[3]) if m else None


def captured_at(url: str) -> str | None:
    """When the Internet Archive made the capture at ``url``, UTC ISO 8601, or None.

    >>> captured_at("https://web.archive.org/web/20190303120501id_/https://twitter.com/a/status/1")
    '2019-03-03T12:05:01Z'
    """
    capture = capture_of(url)
    if capture is None:
        return None
    try:
        moment = dt.datetime.strptime(capture[0], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def read_listing(
    exchange: Exchange, post_id: str, *, most: int, also: frozenset[str] = frozenset()
) -> tuple[Witness, Listing]:
    """The CDX answer as a witness (never LIVE: a listing is not the post) and the captures to
    fetch: at most ``most``, each naming ``post_id`` (or one of ``also``: a Bluesky post under
    its handle), captured with 200 (or ``-``), distinct bytes.

    JSON captures come first (they carry the whole post), then captures made before 2020 (after
    that most are a logged-out JavaScript shell), oldest first. Never raises.
    """
    listing = Listing()
    if exchange.status is None:
        reason = f"no response ({exchange.error or 'no error recorded'})"
        return Witness(CDX_SOURCE, exchange, PostState.UNKNOWN, reason=reason), listing
    data, problem = decode_json(exchange.body)
    problem = body_problem(exchange) or problem
    if exchange.status != 200:
        problem = f"HTTP {exchange.status}"
    elif problem is None and not (
        isinstance(data, list) and all(isinstance(row, list) for row in data)
    ):
        problem = "the CDX answer is not a list of rows"
    if problem:
        return Witness(CDX_SOURCE, exchange, PostState.UNKNOWN, reason=problem), listing
    captures = _rows(data)
    seen: set[str] = set()
    candidates = []
    for capture in captures:
        why = _rejection(capture, post_id, also)
        if why is None and capture.digest and capture.digest in seen:
            why = "the same bytes as another capture"
        if why is not None:
            listing.rejected.append((capture, why))
            continue
        seen.add(capture.digest)
        candidates.append(capture)
    candidates.sort(key=lambda c: (not _is_json(c), c.timestamp >= "2020", c.timestamp))
    listing.chosen = candidates[:most]
    reason = f"{len(captures)} captures listed, {len(listing.chosen)} chosen" + "".join(
        f"; {c.timestamp} {c.original}: {why}" for c, why in listing.rejected[:20]
    )
    parsed = {
        "chosen": [c.raw_url for c in listing.chosen],
        "rejected": [[c.timestamp, c.original, why] for c, why in listing.rejected],
    }
    return Witness(CDX_SOURCE, exchange, PostState.UNKNOWN, reason=reason, parsed=parsed), listing


def _rows(data: list[list[Any]]) -> list[Capture]:
    """Rows of ``output=json`` (a header row naming the fields, then one row per capture)."""
    if not data:
        return []
    header = [str(name) for name in data[0]]
    captures = []
    for row in data[1:]:
        fields = dict(zip(header, row, strict=False))
        original, timestamp = fields.get("original"), fields.get("timestamp")
        if not isinstance(original, str) or not isinstance(timestamp, str):
            continue
        if not re.fullmatch(r"\d{14}", timestamp):
            continue
        captures.append(
            Capture(
                original=original,
                timestamp=timestamp,
                statuscode=str(fields.get("statuscode", "")),
                mimetype=str(fields.get("mimetype", "")),
                digest=str(fields.get("digest", "")),
            )
        )
    return captures


def _rejection(capture: Capture, post_id: str, also: frozenset[str]) -> str | None:
    named = id_in_url(capture.original)
    if named != post_id and named not in also:
        # A prefix query for status/123 also lists status/1234.
        return f"names {'post ' + named if named else 'no post'}, not {post_id}"
    code = capture.statuscode
    if code.startswith("3"):
        return f"a redirect (HTTP {code}): it points at another page, often another post"
    if code not in ("200", "-"):
        return f"captured with HTTP {code or 'no status'}"
    return None


def _is_json(capture: Capture) -> bool:
    return capture.statuscode == "-" or "json" in capture.mimetype


def parse_wayback(exchange: Exchange) -> Witness:
    """Read one raw capture (``/web/TIMESTAMPid_/URL``) into a witness; never raises.

    LIVE when the capture shows the post its URL names (matched by id), with what the capture
    tells of it; otherwise UNKNOWN with the reason it was rejected (``rejected: login wall``,
    ``rejected: unavailable page``, ``rejected: shows post X``, ...). ``parsed`` says which
    shape was read and when the capture was made.
    """
    capture = capture_of(exchange.url)
    asked = id_in_url(capture[1]) if capture else None
    if capture is None or asked is None:
        return _rejected(exchange, "not a Wayback capture of a post")
    if exchange.status is None:
        return _rejected(exchange, f"no response ({exchange.error or 'no error recorded'})")
    if exchange.status != 200:
        return _rejected(exchange, f"HTTP {exchange.status}")
    if problem := body_problem(exchange):
        return _rejected(exchange, problem)
    if exchange.final_url != exchange.url:
        landed = capture_of(exchange.final_url)
        if landed is None:
            return _rejected(exchange, f"redirected away from the Wayback, to {exchange.final_url}")
        if id_in_url(landed[1]) != asked:
            return _rejected(exchange, f"a redirect to another page: {landed[1]}")
    timestamp, original = capture
    parts = urlsplit(original if "://" in original else f"https://{original}")
    host = (parts.hostname or "").lower()
    body = exchange.body.lstrip()
    if host.removeprefix("www.") == "bsky.app":
        shape, witness = "bluesky_html", _bluesky_html(exchange, asked)
    elif "syndication" in host:
        shape, witness = "syndication_json", _through(parse_syndication, exchange, asked)
    elif "oembed" in parts.path:
        shape, witness = "oembed_json", _through(parse_oembed, exchange, asked)
    elif body[:1] in (b"{", b"[") or exchange.content_type in _JSON_TYPES:
        shape, witness = "api_json", _api_json(exchange, asked)
    else:
        shape, witness = _html(exchange, asked, after_2022=timestamp >= "2023")
    witness.parsed = {"shape": shape, "captured_at": captured_at(exchange.url), "url": original}
    return witness


def _rejected(exchange: Exchange, why: str) -> Witness:
    return Witness(SOURCE, exchange, PostState.UNKNOWN, reason=f"rejected: {why}")


def _accepted(exchange: Exchange, post: Post, asked: str, note: str | None = None) -> Witness:
    if post.id != asked:
        return _rejected(exchange, f"shows post {post.id}, not {asked}")
    post.text = _REWRITTEN.sub("", post.text) if post.text else post.text
    post.media = []  # a copy's media links may be gone or another's; they are not downloaded
    return Witness(SOURCE, exchange, PostState.LIVE, post=post, reason=note)


def _through(parse: Any, exchange: Exchange, asked: str) -> Witness:
    """A syndication or oEmbed capture, read by that witness's own parser."""
    said: Witness = parse(exchange)
    if said.state is PostState.LIVE and said.post is not None:
        return _accepted(exchange, said.post, asked, said.reason)
    return _rejected(exchange, f"the captured answer says {said.state}: {said.reason or '-'}")


# API-style JSON ---------------------------------------------------------------------------


def _api_json(exchange: Exchange, asked: str) -> Witness:
    data, problem = decode_json(exchange.body)
    if problem:
        return _rejected(exchange, problem)
    if isinstance(data, dict) and "data" in data:
        post = _v2_post(data, asked)
    else:
        post = _v1_post(data, asked)
    if post is None:
        return _rejected(exchange, f"no post {asked} in the captured JSON")
    return _accepted(exchange, post, asked)


def _v2_post(data: dict[str, Any], asked: str) -> Post | None:
    """API v2: ``data`` (an object or a list), ``includes.tweets``, ``includes.users``."""
    includes: dict[str, Any] = data["includes"] if isinstance(data.get("includes"), dict) else {}
    items = list(data["data"]) if isinstance(data["data"], list) else [data["data"]]
    if isinstance(includes.get("tweets"), list):
        items += includes["tweets"]
    item = next((t for t in items if isinstance(t, dict) and t.get("id") == asked), None)
    if item is None:
        return None
    note = item.get("note_tweet")
    text = note.get("text") if isinstance(note, dict) else None
    text = text if isinstance(text, str) else item.get("text")
    author_id = item.get("author_id") if isinstance(item.get("author_id"), str) else None
    users: list[Any] = includes["users"] if isinstance(includes.get("users"), list) else []
    user = next((u for u in users if isinstance(u, dict) and u.get("id") == author_id), {})
    parent = next(
        (
            r.get("id")
            for r in item.get("referenced_tweets") or []
            if isinstance(r, dict) and r.get("type") == "replied_to"
        ),
        None,
    )
    return _post(
        asked,
        handle=user.get("username"),
        name=user.get("name"),
        author_id=author_id,
        text=text,
        lang=item.get("lang"),
        created_at=_iso(item.get("created_at")),
        reply_to=parent,
    )


def _v1_post(data: Any, asked: str) -> Post | None:
    """API v1.1 objects: the status, or one nested as ``retweeted_status``/``quoted_status``."""
    stack = list(data) if isinstance(data, list) else [data]
    while stack:
        item = stack.pop(0)
        if not isinstance(item, dict):
            continue
        if item.get("id_str") == asked:
            user: dict[str, Any] = item["user"] if isinstance(item.get("user"), dict) else {}
            extended = item.get("extended_tweet")
            text = extended.get("full_text") if isinstance(extended, dict) else None
            text = text or item.get("full_text") or item.get("text")
            if isinstance(text, str):
                text = html.unescape(text)  # v1.1 escapes &, < and > in post text
            return _post(
                asked,
                handle=user.get("screen_name"),
                name=user.get("name"),
                author_id=user.get("id_str"),
                text=text,
                lang=item.get("lang"),
                created_at=_v1_time(item.get("created_at")),
                reply_to=item.get("in_reply_to_status_id_str"),
            )
        stack += [item.get("retweeted_status"), item.get("quoted_status")]
    return None


def _v1_time(value: Any) -> str | None:
    """``Wed Oct 10 20:19:24 +0000 2018`` as UTC ISO 8601."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        return None
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _iso(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return format_ms(int(moment.timestamp() * 1000))


def _post(
    post_id: str,
    *,
    handle: Any,
    name: Any,
    author_id: Any,
    text: Any,
    lang: Any = None,
    created_at: str | None = None,
    reply_to: Any = None,
) -> Post:
    handle = handle if is_handle(handle) and handle != "i" else None
    return Post(
        platform=Platform.TWITTER,
        id=post_id,
        url=twitter_status_url(post_id, handle),
        handle=handle,
        author_name=name if isinstance(name, str) else None,
        author_id=author_id if isinstance(author_id, str) and _ID.fullmatch(author_id) else None,
        text=text.strip() if isinstance(text, str) else None,
        lang=lang if isinstance(lang, str) and re.fullmatch(r"[A-Za-z-]{1,20}", lang) else None,
        created_at=created_at,
        created_at_from_id=snowflake_time(post_id),
        reply_to=post_key(Platform.TWITTER, reply_to)
        if isinstance(reply_to, str) and _ID.fullmatch(reply_to) and reply_to != post_id
        else None,
    )


# HTML pages -------------------------------------------------------------------------------


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


class _Page(HTMLParser):
    """The parts of a twitter.com or mobile.twitter.com page that can tell of a post."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.found: list[_Found] = []
        self.main_author: dict[str, list[str]] = {"username": [], "fullname": []}
        self.bsky: dict[str, list[str]] = {}
        self.words: list[str] = []
        # open elements: (tag, the post it opens or None, what it collects)
        self.stack: list[tuple[str, _Found | None, str | None]] = []

    def _current(self) -> tuple[_Found | None, str | None]:
        post = next((p for _, p, _ in reversed(self.stack) if p is not None), None)
        role = next((r for _, _, r in reversed(self.stack) if r is not None), None)
        return post, role

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        post, role = self._current()
        if tag == "meta":
            key = a.get("property") or a.get("name") or a.get("itemprop")
            if key and "content" in a:
                if post is not None and key in _SCHEMA_KEYS:
                    self._schema_meta(post, key, a["content"], of_author=role == "author")
                else:
                    self.meta.setdefault(key, a["content"])
            return
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
            return
        if tag == "img" and role == "text" and post is not None:
            post.text.append(a.get("alt", ""))  # emoji are images with the character as alt
            return
        if tag == "br" and role == "text" and post is not None:
            post.text.append("\n")
            return
        if tag in _VOID:
            return
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
            self.found.append(opened)
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
        elif {"username", "fullname"} & set(classes) and any(r == "main" for *_, r in self.stack):
            collects = "username" if "username" in classes else "fullname"
        if tag == "span" and "_timestamp" in classes and post is not None:
            post.time_ms = post.time_ms or a.get("data-time-ms")
        if post is not None and tag == "a" and role == "text":
            if (
                "twitter-timeline-link" in classes
                and post.text
                and not post.text[-1][-1:].isspace()
            ):
                post.text.append(" ")  # the picture link follows the text with no space
            collects = "link" if a.get("data-expanded-url") else None
            if collects:
                post.text.append(a["data-expanded-url"])
        if collects == "text" and post is not None:
            post.has_text = True
            post.lang = post.lang or a.get("lang")
        self.stack.append((tag, opened, collects))

    def _schema_meta(self, post: _Found, key: str, value: str, *, of_author: bool) -> None:
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

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not any(tag in ("script", "style") for tag, _, _ in self.stack):
            self.words.append(data)
        post, role = self._current()
        if post is not None and role == "text":
            post.text.append(data)
        elif role in self.main_author:
            self.main_author[role].append(data)
        elif role in _BSKY_FIELDS:
            self.bsky.setdefault(role, []).append(data)


def _read_page(exchange: Exchange) -> tuple[_Page, str]:
    page = _Page()
    text = exchange.body.decode("utf-8", errors="replace")
    try:
        page.feed(text)
        page.close()
    except AssertionError:  # html.parser raises it for some malformed <![ ... ]> sections
        pass
    return page, text


def _bluesky_html(exchange: Exchange, asked: str) -> Witness:
    """A bsky.app post page: its summary names the author (handle and DID) and the text; the
    post is the one asked for when its author is the actor asked for and the page's URL names
    the same record key."""
    page, text = _read_page(exchange)
    fields = {key: "".join(parts).strip() for key, parts in page.bsky.items()}
    actor, _, rkey = asked.rpartition("/")
    og_url = page.meta.get("og:url") or ""
    if not fields.get("bsky_post_text"):
        return _rejected(exchange, _why_no_post(page, asked, og_url, text.casefold()))
    handle, did = fields.get("bsky_handle", ""), fields.get("bsky_did", "")
    if actor.casefold() not in (handle.casefold(), did.casefold()):
        return _rejected(exchange, f"shows a post of {handle or did or 'no one'}, not of {actor}")
    shown = id_in_url(og_url)
    if shown and shown.rpartition("/")[2] != rkey:
        return _rejected(exchange, f"shows post {shown}, not {asked}")
    body = _BSKY_QUOTE.sub("", _BSKY_REPLY_HEADER.sub("", fields["bsky_post_text"]))
    post = Post(
        platform=Platform.BLUESKY,
        # named as the AppView witness names it (archiver/witnesses/bluesky.py): by DID
        id=f"{did}/{rkey}" if did.startswith("did:") else asked,
        url=f"https://bsky.app/profile/{handle or actor}/post/{rkey}",
        handle=handle or None,
        author_name=fields.get("bsky_display_name") or None,
        author_id=did if did.startswith("did:") else None,
        text=_REWRITTEN.sub("", body).strip(),
        created_at=_iso(fields.get("bsky_post_indexedat")),
    )
    post.media = []
    return Witness(
        SOURCE, exchange, PostState.LIVE, post=post, reason="created_at is the AppView's indexedAt"
    )


def _html(exchange: Exchange, asked: str, *, after_2022: bool) -> tuple[str, Witness]:
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
        return shape, _accepted(exchange, _found_post(mine), asked)
    og_url = page.meta.get("og:url") or page.canonical or ""
    description = page.meta.get("og:description")
    if description and id_in_url(og_url) == asked:
        post = _post(
            asked,
            handle=urlsplit(og_url).path.strip("/").split("/")[0],
            name=_og_name(page.meta.get("og:title")),
            author_id=None,
            text=_og_text(description, after_2022=after_2022),
        )
        note = "text from og:description"
        if _LEADING_MENTIONS.match(_og_text(description, after_2022=after_2022, mentions=True)):
            note += " (the leading @mentions a reply's description adds are dropped)"
        return "og_html", _accepted(exchange, post, asked, note)
    return "html", _rejected(exchange, _why_no_post(page, asked, og_url, text.casefold()))


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
        created = _iso(found.date_created)
    text = re.sub(r"[ \t]+\n", "\n", "".join(found.text)).strip()
    return _post(
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
