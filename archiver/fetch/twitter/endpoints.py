"""The URLs asked of X's keyless endpoints and of the Wayback Machine, built one way everywhere."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from archiver.fetch.twitter.token import syndication_token
from archiver.urls import twitter_status_url
from archiver.witnesses.twitter.handles import is_handle

SYNDICATION_HOST = "cdn.syndication.twimg.com"
OEMBED_HOST = "publish.twitter.com"
WAYBACK_CDX = "https://web.archive.org/cdx/search/cdx"


def syndication_url(post_id: str) -> str:
    """The syndication request for a post: only ``id`` and ``token``, as yt-dlp and vxTwitter send.

    >>> syndication_url("1641086480675225601")
    'https://cdn.syndication.twimg.com/tweet-result?id=1641086480675225601&token=3z7miaszni8'
    """
    return (
        f"https://{SYNDICATION_HOST}/tweet-result?id={post_id}&token={syndication_token(post_id)}"
    )


def oembed_url(post_id: str, handle: str) -> str:
    """The oEmbed request for a post, naming it by its twitter.com URL (docs/endpoints.md §3).

    >>> oembed_url("705219971425574912", "sengineland")
    'https://publish.twitter.com/oembed?url=https%3A%2F%2Ftwitter.com%2Fsengineland%2Fstatus%2F705219971425574912&omit_script=1&dnt=1'
    """
    if not is_handle(handle):
        raise ValueError(f"not an X handle: {handle!r}")
    syndication_token(post_id)  # the same validation of the id
    inner = twitter_status_url(post_id, handle)
    return f"https://{OEMBED_HOST}/oembed?url={quote(inner, safe='')}&omit_script=1&dnt=1"


def wayback_status_search_url(handle: str, *, id_prefix: str = "", since: str, limit: int) -> str:
    """A Wayback CDX query for captured status URLs of ``handle`` (docs/endpoints.md §4.4, §4.6).

    Queries twitter.com, where the Internet Archive keeps posts. ``id_prefix`` narrows the
    prefix match to ids that start with it; ``since`` (``YYYYMMDD``) drops captures made
    before the post could exist. Captures are not bounded above: a post may be captured
    years after it was made.
    """
    if not is_handle(handle):
        raise ValueError(f"not an X handle: {handle!r}")
    if not re.fullmatch(r"[0-9]{0,19}", id_prefix) or not re.fullmatch(r"[0-9]{8}", since):
        raise ValueError(f"bad id prefix {id_prefix!r} or date {since!r}")
    query = {
        "url": f"twitter.com/{handle}/status/{id_prefix}*",
        "output": "json",
        "fl": "original",
        "collapse": "urlkey",
        "from": since,
        "limit": str(limit),
    }
    return f"{WAYBACK_CDX}?{urlencode(query, safe='/*')}"


# Captured URL families of a post, each a CDX prefix that takes in every variant of its host and
# path (http or https, www., ?s=20, /photo/1). The CDX matches one prefix per query and a prefix
# cannot span hosts, so a post takes one query per family, asked in this order until one yields
# the post. The oEmbed family is asked as the oEmbed widget names a post; the syndication family
# by id, before the token and other parameters.
def wayback_capture_queries(post_id: str, handle: str | None, *, limit: int) -> list[str]:
    """The Wayback CDX queries that list the captures of one post (docs/endpoints.md), best family first.

    >>> wayback_capture_queries("20", "jack", limit=50)[0]
    'https://web.archive.org/cdx/search/cdx?url=twitter.com/jack/status/20*&output=json&fl=original,timestamp,statuscode,mimetype,digest&limit=50'
    """
    syndication_token(post_id)  # the same validation of the id
    families = []
    if is_handle(handle) and handle != "i":
        families += [f"twitter.com/{handle}/status/{post_id}", f"x.com/{handle}/status/{post_id}"]
        families.append(f"mobile.twitter.com/{handle}/status/{post_id}")
    families += [
        f"twitter.com/i/web/status/{post_id}",
        f"{SYNDICATION_HOST}/tweet-result?id={post_id}",
    ]
    if is_handle(handle) and handle != "i":
        families.append(f"{OEMBED_HOST}/oembed?url=https://twitter.com/{handle}/status/{post_id}")
    fields = "original,timestamp,statuscode,mimetype,digest"
    queries = []
    for family in families:
        query = {"url": family + "*", "output": "json", "fl": fields, "limit": str(limit)}
        queries.append(f"{WAYBACK_CDX}?{urlencode(query, safe='/*,')}")
    return queries
