"""Capturing posts: ask every witness, save what each said, download the media not yet held.

The step that ``archive`` (posts seen for the first time) and ``recheck`` (posts archived before)
share. Per post:

1. skip a platform without a fetcher (Instagram, TikTok, Threads: counted, not a failure);
2. ask its witnesses and save each answer as a snapshot and a check, in one transaction;
3. record a failure when no witness could answer (the post's known state is left as it was);
4. for a post seen live, download the media whose bytes the archive does not hold yet.
"""

from __future__ import annotations

import asyncio

from archiver.errors import FetchError
from archiver.fetch import HttpClient
from archiver.fetch.platforms import FETCHABLE, fetch_witnesses
from archiver.models import MediaItem, PostState
from archiver.run import Progress, RunRecord

DEFAULT_CONCURRENCY = 16  # posts and media in flight at most


async def capture_posts(
    client: HttpClient,
    record: RunRecord,
    posts: list[tuple[str, str | None]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    progress: Progress,
) -> None:
    """Capture every ``(post_key, handle)`` of ``posts`` into ``record.archive``; see the module."""
    limit = asyncio.Semaphore(concurrency)
    await asyncio.gather(
        *(_capture(client, record, key, handle, limit, progress) for key, handle in posts)
    )


async def _capture(
    client: HttpClient,
    record: RunRecord,
    post_key: str,
    handle: str | None,
    limit: asyncio.Semaphore,
    progress: Progress,
) -> None:
    platform, _, post_id = post_key.partition(":")
    if platform not in FETCHABLE:
        record.count("posts_not_fetchable")
        return
    async with limit:
        try:
            witnesses = await fetch_witnesses(client, platform, post_id, handle=handle)
        except ValueError as exc:
            record.fail("fetch", post_key, str(exc), post_key=post_key)
            return
    snapshot_ids = record.archive.save_witnesses(post_key, witnesses, run_id=record.run_id)
    record.count("snapshots", len(snapshot_ids))
    progress("posts", 1)
    if all(w.state is PostState.UNKNOWN for w in witnesses):
        reason = "; ".join(w.reason or "no answer" for w in witnesses)
        record.fail("fetch", post_key, reason, post_key=post_key)
        return
    record.count("posts_fetched")
    for witness, snapshot_id in zip(witnesses, snapshot_ids, strict=True):
        if witness.post is not None and witness.state is PostState.LIVE:
            held = record.archive.stored_media_urls(post_key)
            missing = [item for item in witness.post.media if item.url not in held]
            await _download_media(client, record, post_key, missing, snapshot_id, limit)
            break


async def _download_media(
    client: HttpClient,
    record: RunRecord,
    post_key: str,
    items: list[MediaItem],
    snapshot_id: int,
    limit: asyncio.Semaphore,
) -> None:
    for item in items:
        async with limit:
            try:
                exchange = await client.get(item.url, max_bytes=client.config.max_media_bytes)
            except FetchError as exc:
                record.fail("media", item.url, str(exc), post_key=post_key, evidence=exc)
                continue
        if exchange.status != 200:
            record.fail("media", item.url, f"HTTP {exchange.status}", post_key=post_key)
            continue
        record.archive.save_media(post_key, item, exchange, snapshot_id=snapshot_id)
        record.count("media")
