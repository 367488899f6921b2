"""pic.twitter.com, pic.x.com and t.co links, resolved hop by hop to the status they point at.

A pic link's code is its t.co code (docs/endpoints.md §1.1), so ``pic.x.com/CODE`` is asked as
``https://t.co/CODE``. t.co answers 301 to non-browser User-Agents and a 200 page with a meta
refresh and ``location.replace`` to browsers (§1.2); both are followed. yt-dlp resolves t.co
with ``User-Agent: curl`` and strips the ``unsafe_link_warning`` interstitial the same way
(yt_dlp/extractor/twitter.py, ``TwitterShortenerIE``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from archiver.errors import HTTPStatusError, InputError, PayloadError
from archiver.fetch.client import HttpClient
from archiver.fetch.policy import TWITTER, TWITTER_WEB_HOSTS
from archiver.models import Exchange, Platform, Resolution
from archiver.urls import PostRef, parse_post_url, pic_link_code, shortlink_code, shortlink_url

CURL_USER_AGENT = "curl/8.5.0"
_INTERSTITIAL_PATH = "/safety/unsafe_link_warning"


@dataclass(frozen=True, slots=True)
class ShortlinkResult:
    """Where a shortlink led: the status URL, the post it names, and the exchange with every hop."""

    link: str
    status_url: str
    ref: PostRef
    exchange: Exchange

    def resolution(self) -> Resolution:
        """The result as the pipeline records it (``how="shortlink"``)."""
        return Resolution(
            platform=self.ref.platform,
            post_id=self.ref.post_id,
            status_url=self.status_url,
            how="shortlink",
            exchanges=[self.exchange],
        )


def unwrap_interstitial(url: str) -> str:
    """``https://twitter.com/safety/unsafe_link_warning?unsafe_link=X`` -> ``X``; else unchanged."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if (parts.hostname or "").lower() in TWITTER_WEB_HOSTS and parts.path == _INTERSTITIAL_PATH:
        targets = parse_qs(parts.query).get("unsafe_link")
        if targets:
            return targets[0]
    return url


def is_twitter_status_url(url: str) -> bool:
    """True for a twitter.com / x.com status URL (where resolving a shortlink stops)."""
    ref = parse_post_url(url)
    return ref is not None and ref.platform == Platform.TWITTER


SHORTLINK = dataclasses.replace(
    TWITTER, name="shortlink", stop_at=is_twitter_status_url, unwrap=unwrap_interstitial
)


async def resolve_shortlink(client: HttpClient, link: str) -> ShortlinkResult:
    """Follow ``t.co/CODE``, ``pic.twitter.com/CODE`` or ``pic.x.com/CODE`` to its status URL.

    Stops at the first twitter.com / x.com status URL without fetching it. Raises InputError
    for a link that is none of these, and a FetchError carrying the exchange (every hop) when
    the link cannot be followed or leads elsewhere.

    >>> result = await resolve_shortlink(client, "pic.x.com/CODE")  # doctest: +SKIP
    >>> result.status_url, result.exchange.chain  # doctest: +SKIP
    ('https://twitter.com/USER/status/ID/photo/1', [Hop('https://t.co/CODE', 301, '...')])
    """
    code = pic_link_code(link) or shortlink_code(link)
    if code is None:
        raise InputError(f"not a t.co or pic.twitter.com link: {link!r}")
    url = shortlink_url(code)
    exchange = await client.get(
        url,
        headers={"User-Agent": CURL_USER_AGENT},
        redirects=SHORTLINK,
        follow_html_redirects=True,
    )
    location = exchange.chain[-1].location if exchange.chain else None
    target = unwrap_interstitial(location) if location else None
    ref = parse_post_url(target) if target else None
    if target is None or ref is None or ref.platform != Platform.TWITTER:
        if exchange.status is not None and exchange.status >= 400:
            exchange.error = f"{url} answered {exchange.status}"
            raise HTTPStatusError(
                exchange.error, status=exchange.status, url=url, exchange=exchange
            )
        exchange.error = f"{url} does not lead to a status (it ended at {exchange.final_url})"
        raise PayloadError(exchange.error, url=url, exchange=exchange)
    return ShortlinkResult(link=link, status_url=target, ref=ref, exchange=exchange)
