"""Which platforms' posts are fetched, and which parser reads each witness's answer: the one
place that knows every parser (the fetchers are in archiver/fetch/platforms.py)."""

from __future__ import annotations

from collections.abc import Callable

from archiver.evidence import atproto as evidence_atproto
from archiver.models import Exchange, Platform, Witness
from archiver.witnesses import atproto, bluesky, mastodon, wayback
from archiver.witnesses.twitter import oembed, syndication

# Instagram, TikTok and Threads posts are kept as the article shows them (their embed markup)
# but not fetched: their keyless endpoints give no post content (docs/endpoints.md §5).
FETCHABLE = frozenset({Platform.TWITTER, Platform.BLUESKY, Platform.MASTODON})

PARSERS: dict[str, Callable[[Exchange], Witness]] = {
    syndication.SOURCE: syndication.parse_syndication,
    oembed.SOURCE: oembed.parse_oembed,
    bluesky.SOURCE: bluesky.parse_bluesky_thread,
    evidence_atproto.DID_SOURCE: atproto.parse_did_document,
    evidence_atproto.RECORD_SOURCE: atproto.parse_record,
    mastodon.SOURCE: mastodon.parse_mastodon_status,
    wayback.SOURCE: wayback.parse_wayback,
}


def parse_again(source: str, exchange: Exchange) -> Witness:
    """Read a recorded answer again with today's parser (record first, parse later)."""
    try:
        parse = PARSERS[source]
    except KeyError:
        raise ValueError(f"no parser for {source!r} answers") from None
    return parse(exchange)
