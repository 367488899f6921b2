"""Capturing posts: ask every witness, save what each said, download the media not yet held.

The step that ``archive`` (posts seen for the first time) and ``recheck`` (posts archived before)
share. Per post:

1. skip a platform without a fetcher (Instagram, TikTok, Threads: counted, not a failure);
2. ask its witnesses; when none shows an X or Bluesky post live and it was never archived live,
   ask the Wayback Machine for its captures of it, once (archiver/fetch/wayback.py);
3. save each answer as a snapshot and a check, in one transaction;
4. record a failure when none of its own witnesses could answer (the post's known state is left
   as it was).

A live answer that lists media queues them on the post (``posts.media_snapshot_id``, in the same
transaction); ``fetch_pending_media`` then downloads what the archive does not hold yet and
empties the queue, so a run killed in between leaves the work to the next run.
"""

from __future__ import annotations

import asyncio
import tempfile

from archiver.concurrency import for_each
from archiver.errors import FetchError
from archiver.fetch import HttpClient
from archiver.fetch.platforms import FETCHABLE, fetch_witnesses, parse_again
from archiver.fetch.wayback import PLATFORMS as WAYBACK_PLATFORMS
from archiver.fetch.wayback import fetch_wayback_witnesses
from archiver.models import MediaItem, PostState, Witness
from archiver.run import Progress, RunRecord
from archiver.store import StreamedBody

DEFAULT_CONCURRENCY = 16  # posts and media in flight at most
MEDIA_TYPES = ("image/", "video/", "application/octet-stream")


async def capture_posts(
    client: HttpClient,
    record: RunRecord,
    posts: list[tuple[str, str | None]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    progress: Progress,
) -> None:
    """Capture every ``(post_key, handle)`` of ``posts`` into ``record.archive``, then download
    the media still queued (these posts' and any an earlier run left); see the module."""

    async def capture(post: tuple[str, str | None]) -> None:
        await _capture(client, record, *post, progress)

    await for_each(posts, capture, workers=concurrency)
    await fetch_pending_media(client, record, concurrency=concurrency)


async def _capture(
    client: HttpClient,
    record: RunRecord,
    post_key: str,
    handle: str | None,
    progress: Progress,
) -> None:
    platform, _, post_id = post_key.partition(":")
    if platform not in FETCHABLE:
        record.count("posts_not_fetchable")
        return
    try:
        witnesses = await fetch_witnesses(client, platform, post_id, handle=handle)
        copies: list[Witness] = []
        if (
            platform in WAYBACK_PLATFORMS
            and all(w.state is not PostState.LIVE for w in witnesses)
            and record.archive.wayback_due(post_key)
        ):
            shown = handle or record.archive.embedded_handle(post_key)
            copies = await fetch_wayback_witnesses(client, platform, post_id, handle=shown)
    except ValueError as exc:
        record.fail("fetch", post_key, str(exc), post_key=post_key)
        return
    saved = witnesses + copies
    snapshot_ids = record.archive.save_witnesses(post_key, saved, run_id=record.run_id)
    record.count("snapshots", len(snapshot_ids))
    if any(w.state is PostState.LIVE for w in copies):
        record.count("posts_from_wayback")
    progress("posts", 1)
    if all(w.state is PostState.UNKNOWN for w in witnesses):
        reason = "; ".join(w.reason or "no answer" for w in witnesses)
        record.fail("fetch", post_key, reason, post_key=post_key)
        return
    record.count("posts_fetched")


async def fetch_pending_media(
    client: HttpClient, record: RunRecord, *, concurrency: int = DEFAULT_CONCURRENCY
) -> None:
    """Download the media of every post whose media are not all stored: those just captured and
    those a killed or failed run left behind, read again from the live snapshot that lists them.

    ``concurrency`` workers take the queue a post at a time, so however long the queue, only
    that many snapshots are read and parsed at once.
    """
    limit = asyncio.Semaphore(concurrency)  # downloads in flight, across every post's media

    async def media_of(queued: tuple[str, int]) -> None:
        await _media_of(client, record, *queued, limit)

    await for_each(record.archive.posts_awaiting_media(), media_of, workers=concurrency)


async def _media_of(
    client: HttpClient, record: RunRecord, post_key: str, snapshot_id: int, limit: asyncio.Semaphore
) -> None:
    source, exchange = record.archive.snapshot_exchange(snapshot_id)
    try:
        witness = parse_again(source, exchange)
    except ValueError as exc:
        record.fail("media", post_key, str(exc), post_key=post_key)
        return
    held = record.archive.stored_media_urls(post_key)
    missing = [
        item for item in (witness.post.media if witness.post else []) if item.url not in held
    ]
    stored = await asyncio.gather(
        *(_download(client, record, post_key, item, snapshot_id, limit) for item in missing)
    )
    if all(stored):
        record.archive.set_media_snapshot(post_key, None)


async def _download(
    client: HttpClient,
    record: RunRecord,
    post_key: str,
    item: MediaItem,
    snapshot_id: int,
    limit: asyncio.Semaphore,
) -> bool:
    # Streamed through a temporary file into the blob: a 200 MB video is never held whole.
    with tempfile.TemporaryFile() as sink:
        async with limit:
            try:
                download = await client.stream_to(
                    item.url,
                    sink,
                    max_bytes=client.config.max_media_bytes,
                    content_types=MEDIA_TYPES,
                )
            except FetchError as exc:
                record.fail("media", item.url, str(exc), post_key=post_key, evidence=exc)
                return False
        record.archive.save_media(
            post_key,
            item,
            download.exchange,
            snapshot_id=snapshot_id,
            body=StreamedBody(sink, download.sha256, download.size, download.content_type),
        )
    record.count("media")
    return True
