"""Which witnesses to ask for a post: the one place that knows every platform's fetcher (the
parsers and the table of fetchable platforms are in archiver/witnesses/platforms.py)."""

from __future__ import annotations

from archiver.fetch import bluesky, mastodon
from archiver.fetch.getter import Getter
from archiver.fetch.twitter import fetch_twitter_witnesses
from archiver.models import Platform, Witness


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
