"""Capturing posts: ask every witness, save what each said, then hand the post to the media stage.

The step that ``archive`` (posts seen for the first time) and ``recheck`` (posts archived before)
share. Per post:

1. skip a platform without a fetcher (Instagram, TikTok, Threads: counted, not a failure);
2. ask its witnesses and save each answer as a snapshot and a check, in one transaction;
3. record a failure when none of its own witnesses could answer (the post's known state is left
   as it was);
4. put the post into the media stage (archiver/jobs/media.py) when its live answer queued media;
   the media an earlier run left queued follow the last capture;
5. when no witness shows an X or Bluesky post live and it was never archived live, put it into
   the Wayback stage, which asks the Wayback Machine for its captures, once
   (archiver/fetch/wayback.py), and saves them in a transaction of their own.

Posts, Wayback lookups and media flow through bounded stages (archiver/jobs/concurrency.py): the
first pictures are downloaded while later posts are still being asked for, and a gone post waits
for the Wayback's slow pace (docs/rates.md) in a stage of its own instead of holding a worker
that the next posts need, so each host's limiter stays busy. A run killed between a post's two
transactions leaves it never asked of the Wayback; the next run asks (``posts_awaiting_wayback``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable

from archiver.fetch import HttpClient
from archiver.fetch.platforms import fetch_witnesses
from archiver.fetch.wayback import PLATFORMS as WAYBACK_PLATFORMS
from archiver.fetch.wayback import fetch_wayback_witnesses
from archiver.jobs.concurrency import Stage, StageContext, streaming
from archiver.jobs.media import MediaStage
from archiver.jobs.record import Progress, RunRecord, no_progress
from archiver.models import PostState, Witness
from archiver.witnesses.platforms import FETCHABLE

DEFAULT_CONCURRENCY = 16  # posts, and media downloads, in flight at most in each stage
# Gone posts asked of the Wayback at once: its client rate (0.4 requests/s) is the real bound, a
# few in flight keep it busy while answers are slow. Gone posts queued beyond them wait in memory
# (a key and a handle each), up to a bound, so capture workers go on to the next posts.
WAYBACK_WORKERS = 4
WAYBACK_QUEUE = 10_000


class CaptureStage:
    """Captures the ``(post_key, handle)`` put into it, then their media; see the module."""

    def __init__(self, run: StageContext) -> None:
        self.client, self.record, self.progress = run.client, run.record, run.progress
        self.media = MediaStage(run)
        self._posts = Stage(run.group, self._capture, workers=run.workers)
        self._wayback = Stage(
            run.group,
            self._ask_wayback,
            workers=min(run.workers, WAYBACK_WORKERS),
            size=WAYBACK_QUEUE,
        )

    async def put(self, post: tuple[str, str | None]) -> None:
        """Queue a post to capture."""
        await self._posts.put(post)

    async def ask_wayback(self, post: tuple[str, str | None]) -> None:
        """Queue a post whose own witnesses were asked before for the Wayback's captures."""
        await self._wayback.put(post)

    async def close(self) -> None:
        """Take no more posts; return once every post, Wayback lookup and medium queued is done."""
        await self._posts.close()
        await self._wayback.close()
        # Then what earlier runs left in the media queue: after this run's captures, so that a
        # post captured again has its media stored with its newest snapshot.
        for post_key, _ in self.record.archive.posts_awaiting_media():
            await self.media.put(post_key, again=False)
        await self.media.close()

    async def _capture(self, post: tuple[str, str | None]) -> None:
        post_key, handle = post
        record = self.record
        platform, _, post_id = post_key.partition(":")
        if platform not in FETCHABLE:
            record.count("posts_not_fetchable")
            return
        witnesses = await self._ask_and_save(
            post_key, fetch_witnesses(self.client, platform, post_id, handle=handle)
        )
        if witnesses is None:
            return
        self.progress("posts", 1)
        if (
            platform in WAYBACK_PLATFORMS
            and all(w.state is not PostState.LIVE for w in witnesses)
            and record.archive.wayback_due(post_key)
        ):
            await self._wayback.put(post)
        if all(w.state is PostState.UNKNOWN for w in witnesses):
            reason = "; ".join(w.reason or "no answer" for w in witnesses)
            record.fail("fetch", post_key, reason, post_key=post_key)
            return
        record.count("posts_fetched")
        await self._media_if_queued(post_key)

    async def _ask_wayback(self, post: tuple[str, str | None]) -> None:
        post_key, handle = post
        record = self.record
        platform, _, post_id = post_key.partition(":")
        shown = handle or record.archive.embedded_handle(post_key)
        copies = await self._ask_and_save(
            post_key, fetch_wayback_witnesses(self.client, platform, post_id, handle=shown)
        )
        if copies is None:
            return
        if any(w.state is PostState.LIVE for w in copies):
            record.count("posts_from_wayback")
        await self._media_if_queued(post_key)

    async def _ask_and_save(
        self, post_key: str, asking: Awaitable[list[Witness]]
    ) -> list[Witness] | None:
        """Await the witnesses' answers and save them in one transaction; None (a failure of
        the run) when the post cannot be asked at all."""
        record = self.record
        try:
            witnesses = await asking
        except ValueError as exc:
            record.fail("fetch", post_key, str(exc), post_key=post_key)
            return None
        snapshot_ids = record.archive.save_witnesses(post_key, witnesses, run_id=record.run_id)
        record.count("snapshots", len(snapshot_ids))
        return witnesses

    async def _media_if_queued(self, post_key: str) -> None:
        if self.record.archive.media_snapshot(post_key) is not None:  # as save_witnesses queued it
            await self.media.put(post_key)


async def capture_posts(
    client: HttpClient,
    record: RunRecord,
    posts: Iterable[tuple[str, str | None]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    progress: Progress = no_progress,
) -> None:
    """Capture every ``(post_key, handle)`` of ``posts`` into ``record.archive`` and download
    their media, and any an earlier run left queued; see the module."""

    async def body(group: asyncio.TaskGroup) -> None:
        stage = CaptureStage(StageContext(client, record, group, concurrency, progress))
        for post in posts:
            await stage.put(post)
        await stage.close()

    await streaming(body)


async def fetch_pending_media(
    client: HttpClient, record: RunRecord, *, concurrency: int = DEFAULT_CONCURRENCY
) -> None:
    """Download the media of every post whose media are not all stored (a killed or failed run
    left them), a few posts at a time: only ``concurrency`` snapshots are read at once."""
    await capture_posts(client, record, (), concurrency=concurrency)
