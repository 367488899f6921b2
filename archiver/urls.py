"""Which post a URL names: status URLs of every platform, pic links, canonical forms.

Standard library only, so the scanner, the fetcher and the store agree on one reading.
The X/Twitter pattern follows yt-dlp's ``TwitterIE._VALID_URL`` (yt_dlp/extractor/twitter.py).
Ids and handles are ASCII (``re.ASCII``): a digit class would take any script's digits, and
IGNORECASE would let letters such as U+212A KELVIN SIGN stand for ``k``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeGuard
from urllib.parse import unquote, urlsplit

from archiver.lazy_pattern import LazyPattern
from archiver.models import Platform, post_key

_TWITTER_STATUS = LazyPattern(
    r"""^(?:https?:)?//(?:www\.|mobile\.|m\.)?(?:twitter|x)\.com/
        (?:
            (?:i/web|i|(?P<handle>[A-Za-z0-9_]{1,50}))/status(?:es)?
          | statuses
        )/(?P<id>\d{1,20})(?:[/?#]|$)""",
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)
_BLUESKY_WEB = LazyPattern(
    r"^https?://(?:www\.)?bsky\.app/profile/(?P<actor>[^/?#\s]+)/post/(?P<rkey>[A-Za-z0-9._~:-]+)",
    re.IGNORECASE,
)
_BLUESKY_AT = LazyPattern(
    r"^at://(?P<actor>[^/?#\s]+)/app\.bsky\.feed\.post/(?P<rkey>[A-Za-z0-9._~:-]+)$",
    re.IGNORECASE,
)
_MASTODON = LazyPattern(
    r"^https?://(?P<host>[a-z0-9.-]+\.[a-z]{2,})/(?:@(?P<handle>[A-Za-z0-9_.]+)(?:@[a-z0-9.-]+)?"
    r"|users/(?P<user>[A-Za-z0-9_.]+)/statuses)/(?P<id>\d{1,20})(?:[/?#]|$)",
    re.IGNORECASE | re.ASCII,
)
_INSTAGRAM = LazyPattern(
    r"^https?://(?:www\.)?instagram\.com/(?:[A-Za-z0-9_.]+/)?(?:p|reel|tv)/(?P<code>[A-Za-z0-9_-]+)",
    re.IGNORECASE | re.ASCII,
)
_TIKTOK = LazyPattern(
    r"^https?://(?:www\.|m\.)?tiktok\.com/@(?P<handle>[A-Za-z0-9_.]+)/video/(?P<id>\d+)",
    re.IGNORECASE | re.ASCII,
)
_THREADS = LazyPattern(
    r"^https?://(?:www\.)?threads\.(?:net|com)/@(?P<handle>[A-Za-z0-9_.]+)/post/(?P<code>[A-Za-z0-9_-]+)",
    re.IGNORECASE | re.ASCII,
)
_PIC_LINK = LazyPattern(
    r"^(?:https?://)?(?:www\.)?pic\.(?:twitter|x)\.com/(?P<code>[A-Za-z0-9]{1,32})$",
    re.IGNORECASE | re.ASCII,
)
_SHORTLINK = LazyPattern(
    r"^(?:https?://)?t\.co/(?P<code>[A-Za-z0-9]{1,32})$", re.IGNORECASE | re.ASCII
)

# Hosts whose status URLs the Twitter pattern accepts: lower-case, without a leading www./mobile./m.
TWITTER_HOSTS = frozenset({"twitter.com", "x.com"})


@dataclass(frozen=True, slots=True)
class PostRef:
    """A post named by a URL: enough to look it up or fetch it."""

    platform: str
    post_id: str
    handle: str | None = None

    @property
    def key(self) -> str:
        return post_key(self.platform, self.post_id)


def reference_parse_post_url(url: str) -> PostRef | None:
    """The post a URL points at, or None when it names no post.

    The rule in Python: ``parse_post_url`` is the same compiled (archiver/_urls.c) wherever the
    install could build it, this one elsewhere.

    >>> reference_parse_post_url("https://mobile.twitter.com/i/web/status/1497276578845167617?s=20")
    PostRef(platform='twitter', post_id='1497276578845167617', handle=None)
    """
    url = url.strip()
    if m := _TWITTER_STATUS.match(url):
        handle = m["handle"]
        if handle and handle.lower() in ("i", "intent", "home", "search", "hashtag"):
            handle = None
        return PostRef(Platform.TWITTER, m["id"], handle)
    if m := _BLUESKY_WEB.match(url) or _BLUESKY_AT.match(url):
        actor = unquote(m["actor"])
        handle = None if actor.startswith("did:") else actor
        return PostRef(Platform.BLUESKY, f"{actor}/{m['rkey']}", handle)
    if m := _INSTAGRAM.match(url):
        return PostRef(Platform.INSTAGRAM, m["code"])
    if m := _TIKTOK.match(url):
        return PostRef(Platform.TIKTOK, m["id"], m["handle"])
    if m := _THREADS.match(url):
        return PostRef(Platform.THREADS, m["code"], m["handle"])
    if m := _MASTODON.match(url):
        host = m["host"].lower()
        if host.removeprefix("www.").removeprefix("mobile.").removeprefix("m.") in TWITTER_HOSTS:
            return None
        return PostRef(Platform.MASTODON, f"{host}/{m['id']}", m["handle"] or m["user"])
    return None


def twitter_status_url(post_id: str, handle: str | None = None) -> str:
    """The canonical twitter.com URL of a status (the form oEmbed and the Wayback Machine know)."""
    return f"https://twitter.com/{handle or 'i/web'}/status/{post_id}"


def reference_pic_link_code(link: str) -> str | None:
    """The code of a pic.twitter.com / pic.x.com link, or None (``pic_link_code``, compiled)."""
    m = _PIC_LINK.match(link.strip())
    return m["code"] if m else None


def reference_normalise_pic_link(link: str) -> str | None:
    """``pic.x.com/AbC`` or ``https://pic.twitter.com/AbC`` -> ``pic.twitter.com/AbC``
    (``normalise_pic_link``, compiled)."""
    code = reference_pic_link_code(link)
    return f"pic.twitter.com/{code}" if code else None


def reference_shortlink_code(link: str) -> str | None:
    """The code of a t.co link, or None (``shortlink_code``, compiled)."""
    m = _SHORTLINK.match(link.strip())
    return m["code"] if m else None


def shortlink_url(code: str) -> str:
    """The t.co URL that a pic.twitter.com code resolves through (the codes are the same)."""
    return f"https://t.co/{code}"


def host_of(url: str) -> str:
    """The lower-case host of a URL ('' when it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


_UNSAFE_IN_URL = LazyPattern(r"[\x00-\x20\x7f]")
MAX_URL_LENGTH = 2048


def is_fetchable_https_url(url: object) -> TypeGuard[str]:
    """True for an https URL with a host and no space or control character anywhere (a CR LF
    in a URL from a remote answer is a header injection attempt), at most 2,048 characters."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH or _UNSAFE_IN_URL.search(url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme == "https" and bool(parts.hostname)
    except ValueError:
        return False


try:
    from archiver._urls import normalise_pic_link, parse_post_url, pic_link_code, shortlink_code
except ImportError:  # installed without a C compiler: the same rules, in Python
    parse_post_url = reference_parse_post_url
    pic_link_code = reference_pic_link_code
    normalise_pic_link = reference_normalise_pic_link
    shortlink_code = reference_shortlink_code
