"""Which witnesses to ask for a post, by platform: the one place that knows every fetcher."""

from __future__ import annotations

from archiver.fetch.bluesky import fetch_bluesky_witnesses
from archiver.fetch.getter import Getter
from archiver.fetch.mastodon import fetch_mastodon_witnesses
from archiver.fetch.twitter import fetch_twitter_witnesses
from archiver.models import Platform, Witness

FETCHABLE = frozenset({Platform.TWITTER, Platform.BLUESKY, Platform.MASTODON})


async def fetch_witnesses(
    client: Getter, platform: str, post_id: str, *, handle: str | None = None
) -> list[Witness]:
    """Every witness this platform offers for a post; ValueError for a platform with none.

    Instagram, TikTok and Threads posts are kept as the article shows them (their embed
    markup) but not fetched: their keyless endpoints give no post content (reference §5).
    """
    if platform == Platform.TWITTER:
        return await fetch_twitter_witnesses(client, post_id, handle=handle)
    if platform == Platform.BLUESKY:
        return await fetch_bluesky_witnesses(client, post_id)
    if platform == Platform.MASTODON:
        return await fetch_mastodon_witnesses(client, post_id)
    raise ValueError(f"no fetcher for {platform} posts")
