"""The media stage of a run: each queued post's pictures, videos and avatars, a URL fetched once.

A live answer that lists media queues them on the post (``posts.media_snapshot_id``, set in the
snapshot's transaction). For each queued post the stage reads that snapshot again and, for each
item the post does not hold yet:

1. reuses a download of the same URL already stored, if it is fresh enough (below): a media row
   for this post holds the same blob, keeps that download's exchange, and names its row in
   ``reused_from_media_id``; no request is made;
2. else waits for a download of the same URL in flight in this run, and reuses it;
3. else downloads it, streamed through a temporary file into a blob.

Once every item is stored the post's queue is emptied, so a run killed in between leaves the
work to the next run.

Freshness: a photo or video URL names one upload (``pbs.twimg.com/media/<key>``, the video's
file name: a new picture gets a new key, archiver/witnesses/twitter/media.py), so its download is
reused forever. Avatars and card images are the account's or the link's current picture and
other platforms may serve a new one under the same URL, so they are reused for 7 days: an account
quoted by a hundred posts costs one avatar request a week instead of a hundred.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile

from archiver.errors import FetchError
from archiver.jobs.concurrency import Stage, StageContext
from archiver.models import MediaItem
from archiver.store import StreamedBody
from archiver.witnesses.platforms import parse_again

MEDIA_TYPES = ("image/", "video/", "application/octet-stream")
FRESH_FOR: dict[str, dt.timedelta] = {
    "profile_image": dt.timedelta(days=7),
    "card_image": dt.timedelta(days=7),
}  # any other kind: forever


class MediaStage:
    """Downloads (or reuses) the media of the posts put into it; ``close`` waits for the last."""

    def __init__(self, run: StageContext) -> None:
        self.client, self.record, self.progress = run.client, run.record, run.progress
        self._stage = Stage(run.group, self._media_of, workers=run.workers)
        self._limit = asyncio.Semaphore(
            run.workers
        )  # downloads in flight, across every post's media
        self._queued: set[str] = set()  # posts queued and not started: queued once
        self._seen: set[str] = set()  # posts queued this run
        self._downloading: dict[str, asyncio.Future[int | None]] = {}  # URL -> its media row

    async def put(self, post_key: str, *, again: bool = True) -> None:
        """Queue a post whose media may be awaited (its queue on record says which); with
        ``again=False``, not a post already queued this run (its failures wait for the next)."""
        if post_key in self._queued or (not again and post_key in self._seen):
            return
        self._queued.add(post_key)
        self._seen.add(post_key)
        await self._stage.put(post_key)

    async def close(self) -> None:
        """Take no more posts; return once every queued post is done."""
        await self._stage.close()

    async def _media_of(self, post_key: str) -> None:
        self._queued.discard(post_key)
        archive = self.record.archive
        # Read when the post's turn comes, not when it was queued: a later capture may have
        # queued a newer snapshot, or an earlier worker stored everything already.
        snapshot_id = archive.media_snapshot(post_key)
        if snapshot_id is None:
            return
        source, exchange = archive.snapshot_exchange(snapshot_id)
        try:
            witness = parse_again(source, exchange)
        except ValueError as exc:
            self.record.fail("media", post_key, str(exc), post_key=post_key)
            return
        held = archive.stored_media_urls(post_key)
        missing = [m for m in (witness.post.media if witness.post else []) if m.url not in held]
        stored = await asyncio.gather(*(self._one(post_key, m, snapshot_id) for m in missing))
        if all(stored):
            archive.media_done(post_key, snapshot_id)

    async def _one(self, post_key: str, item: MediaItem, snapshot_id: int) -> bool:
        reused = self._stored(item)
        in_flight = self._downloading.get(item.url)
        if reused is None and in_flight is not None:
            reused = await asyncio.shield(in_flight)  # None: it failed, so try on our own
        if reused is not None:
            self.record.archive.link_media(
                post_key, item, reused_from=reused, snapshot_id=snapshot_id
            )
            self.record.count("media")
            self.record.count("media_reused")
            self.progress("media", 1)
            return True
        done: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self._downloading[item.url] = done
        media_id = None
        try:
            media_id = await self._download(post_key, item, snapshot_id)
        finally:
            # Waiters on a download that failed each try their own, one after another: the
            # entry may already be a later download's, which is not ours to remove.
            if self._downloading.get(item.url) is done:
                del self._downloading[item.url]
            done.set_result(media_id)
        return media_id is not None

    def _stored(self, item: MediaItem) -> int | None:
        window = FRESH_FOR.get(item.kind)
        since = None
        if window is not None:
            now = dt.datetime.fromisoformat(self.record.archive.now().replace("Z", "+00:00"))
            since = (now - window).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return self.record.archive.reusable_media(item.url, fetched_since=since)

    async def _download(self, post_key: str, item: MediaItem, snapshot_id: int) -> int | None:
        # Streamed through a temporary file into the blob: a 200 MB video is never held whole.
        with tempfile.TemporaryFile() as sink:
            async with self._limit:
                try:
                    download = await self.client.stream_to(
                        item.url,
                        sink,
                        max_bytes=self.client.config.max_media_bytes,
                        content_types=MEDIA_TYPES,
                    )
                except FetchError as exc:
                    self.record.fail("media", item.url, str(exc), post_key=post_key, evidence=exc)
                    return None
            media_id = self.record.archive.save_media(
                post_key,
                item,
                download.exchange,
                snapshot_id=snapshot_id,
                body=StreamedBody(sink, download.sha256, download.size, download.content_type),
            )
        self.record.count("media")
        self.progress("media", 1)
        return media_id
