"""Records passed between the stages: scan -> resolve -> fetch -> store. Standard library only."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Platform(enum.StrEnum):
    TWITTER = "twitter"
    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    THREADS = "threads"


class EmbedForm(enum.StrEnum):
    """How an embed appears in the article."""

    TEXT_ATTRIBUTION = "text_attribution"  # flattened widget: TEXT — Name (@handle) Date
    HTML_BLOCKQUOTE = "html_blockquote"  # the platform's blockquote snippet
    RENDERED_IFRAME = "rendered_iframe"  # twitter-tweet-rendered / iframe with data-tweet-id
    IFRAME = "iframe"  # platform.twitter.com/embed/Tweet.html?id=, mastodon iframe
    STATUS_URL = (
        "status_url"  # a bare status URL alone on its line (auto-embed that did not render)
    )


class PostState(enum.StrEnum):
    LIVE = "live"
    DELETED = "deleted"
    SUSPENDED = "suspended"
    PROTECTED = "protected"
    RESTRICTED = "restricted"  # age-gated, withheld, sensitive for logged-out readers
    UNAVAILABLE = "unavailable"  # a tombstone that says no more than that
    NOT_FOUND = "not_found"
    UNKNOWN = "unknown"  # no witness could tell (errors, malformed answers)

    @property
    def gone(self) -> bool:
        """True for states in which the post can no longer be read."""
        return self not in (PostState.LIVE, PostState.UNKNOWN)


@dataclass(frozen=True, slots=True)
class Embed:
    """One embedded post as the article shows it.

    ``start``/``end`` index the decoded document (``ScanResult.document``):
    ``document[start:end]`` is where the embed sits.
    """

    platform: str
    form: str
    text: str
    start: int
    end: int
    handle: str | None = None
    display_name: str | None = None
    date: str | None = None  # YYYY-MM-DD as parsed from date_text
    date_text: str | None = None  # the date exactly as the article shows it
    pic_links: tuple[str, ...] = ()  # normalised to pic.twitter.com/CODE
    links: tuple[str, ...] = ()  # other links inside the post text
    status_id: str | None = None
    status_url: str | None = None
    lang: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `archiver scan` (lists, not tuples)."""
        return {
            "platform": self.platform,
            "form": self.form,
            "handle": self.handle,
            "display_name": self.display_name,
            "date": self.date,
            "date_text": self.date_text,
            "pic_links": list(self.pic_links),
            "links": list(self.links),
            "status_id": self.status_id,
            "status_url": self.status_url,
            "lang": self.lang,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What the scanner read from one article."""

    document: str  # the decoded article (HTML source or text)
    kind: str  # "html" or "text"
    encoding: str  # how the bytes were decoded, e.g. "utf-8", "windows-1252", "utf-8 (replaced)"
    title: str | None
    embeds: tuple[Embed, ...]


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a redirect chain, as the original (not rerouted) URL."""

    url: str
    status: int | None
    location: str | None = None
    via: str = "http"  # "http" (Location header), "meta_refresh", "location_replace"


@dataclass(slots=True)
class Exchange:
    """One HTTP request/response as recorded, after redirects.

    URLs are the originals, never the rerouted ones. ``body`` holds what was read,
    even when it was cut at the cap (``truncated``) or the request failed part-way.
    """

    url: str  # what was asked for
    final_url: str  # where the last hop landed
    status: int | None  # None when no response arrived
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    chain: list[Hop] = field(default_factory=list)
    fetched_at: str = ""  # UTC ISO 8601 of the first byte sent
    elapsed_ms: float = 0.0
    replay: bool = False  # came through ARCHIVER_REROUTE
    truncated: bool = False
    attempts: int = 1
    error: str | None = None  # why it failed, when it did

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    @property
    def content_type(self) -> str | None:
        value = self.header("content-type")
        return value.split(";")[0].strip().lower() if value else None


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """An article to archive: its bytes and where they came from."""

    source: str  # the URL, or the absolute path, or "-" for stdin
    content: bytes
    content_type: str | None = None
    final_url: str | None = None  # after redirects, for URLs
    title: str | None = None  # when the feed or WARC names it
    provenance: dict[str, Any] = field(
        default_factory=dict
    )  # feed URL, WARC-Target-URI, WARC-Date...
    exchange: Exchange | None = None  # the fetch of the article, when it came over HTTP


@dataclass(slots=True)
class MediaItem:
    """A picture, video or avatar that belongs to a post, before or after download."""

    kind: str  # photo, video, animated_gif, profile_image, card_image
    url: str  # the URL fetched (photos at name=orig; best mp4)
    stream_url: str | None = None  # m3u8 playlist, kept for the record
    alt: str | None = None
    width: int | None = None
    height: int | None = None
    bitrate: int | None = None


@dataclass(slots=True)
class Post:
    """A post as one witness describes it."""

    platform: str
    id: str
    url: str
    handle: str | None = None
    author_name: str | None = None
    author_id: str | None = None
    text: str | None = None
    lang: str | None = None
    created_at: str | None = None  # as the witness reports it, UTC ISO 8601
    created_at_from_id: str | None = None  # X: derived from the snowflake id
    reply_to: str | None = None  # key "platform:id" of the parent
    quote_of: str | None = None  # key "platform:id" of the quoted post
    counts: dict[str, int] = field(default_factory=dict)
    card: dict[str, Any] | None = None
    edit_ids: list[str] = field(default_factory=list)
    media: list[MediaItem] = field(default_factory=list)

    @property
    def key(self) -> str:
        return post_key(self.platform, self.id)


def post_key(platform: str, post_id: str) -> str:
    """The primary key of a post: ``platform:id``."""
    return f"{platform}:{post_id}"


# Sources whose snapshots are a third party's copy of a post (the Wayback Machine's), not the
# platform's own answer: they tell what the post said when captured, never whether it is there now.
WAYBACK = "wayback"
WAYBACK_CDX = "wayback_cdx"
THIRD_PARTY_SOURCES = frozenset({WAYBACK, WAYBACK_CDX})


@dataclass(slots=True)
class Witness:
    """One source's account of a post: the raw exchange and what it says.

    A witness with ``state == UNKNOWN`` and an ``error`` is a failed attempt,
    kept so the failure is on record.
    """

    source: str  # syndication, oembed, bluesky_appview, mastodon_api, ...
    exchange: Exchange
    state: PostState
    post: Post | None = None
    related: list[Post] = field(default_factory=list)  # parent and quoted posts it carried
    reason: str | None = None  # tombstone text, error message
    parsed: Any = None  # the decoded JSON, when it decoded


@dataclass(slots=True)
class Resolution:
    """How an embed led to a post: the id and the hops that proved it."""

    platform: str
    post_id: str
    status_url: str
    how: str  # markup, status_url, shortlink
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def key(self) -> str:
        return post_key(self.platform, self.post_id)
