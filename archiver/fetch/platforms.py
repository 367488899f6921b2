"""Which witnesses to ask for a post, and how to read each witness's answer: the one place that
knows every platform's fetcher and parser."""

from __future__ import annotations

from collections.abc import Callable

from archiver.evidence import atproto as evidence_atproto
from archiver.fetch import atproto, bluesky, mastodon, wayback_parse
from archiver.fetch.getter import Getter
from archiver.fetch.twitter import fetch_twitter_witnesses, oembed, syndication
from archiver.models import Exchange, Platform, Witness

FETCHABLE = frozenset({Platform.TWITTER, Platform.BLUESKY, Platform.MASTODON})

PARSERS: dict[str, Callable[[Exchange], Witness]] = {
    syndication.SOURCE: syndication.parse_syndication,
    oembed.SOURCE: oembed.parse_oembed,
    bluesky.SOURCE: bluesky.parse_bluesky_thread,
    evidence_atproto.DID_SOURCE: atproto.parse_did_document,
    evidence_atproto.RECORD_SOURCE: atproto.parse_record,
    mastodon.SOURCE: mastodon.parse_mastodon_status,
    wayback_parse.SOURCE: wayback_parse.parse_wayback,
}


async def fetch_witnesses(
    client: Getter, platform: str, post_id: str, *, handle: str | None = None
) -> list[Witness]:
    """Every witness this platform offers for a post; ValueError for a platform with none.

    Instagram, TikTok and Threads posts are kept as the article shows them (their embed
    markup) but not fetched: their keyless endpoints give no post content (docs/endpoints.md §5).
    """
    if platform == Platform.TWITTER:
        return await fetch_twitter_witnesses(client, post_id, handle=handle)
    if platform == Platform.BLUESKY:
        return await bluesky.fetch_bluesky_witnesses(client, post_id)
    if platform == Platform.MASTODON:
        return await mastodon.fetch_mastodon_witnesses(client, post_id)
    raise ValueError(f"no fetcher for {platform} posts")


def parse_again(source: str, exchange: Exchange) -> Witness:
    """Read a recorded answer again with today's parser (record first, parse later)."""
    try:
        parse = PARSERS[source]
    except KeyError:
        raise ValueError(f"no parser for {source!r} answers") from None
    return parse(exchange)
