"""Capturing posts: ask every witness, save what each said, then hand the post to the media stage.

The step that ``archive`` (posts seen for the first time) and ``recheck`` (posts archived before)
share. Per post:

1. skip a platform without a fetcher (Instagram, TikTok, Threads: counted, not a failure);
2. ask its witnesses; when none shows an X or Bluesky post live and it was never archived live,
   ask the Wayback Machine for its captures of it, once (archiver/fetch/wayback.py);
3. save each answer as a snapshot and a check, in one transaction;
4. record a failure when none of its own witnesses could answer (the post's known state is left
   as it was);
5. put the post into the media stage (archiver/jobs/media.py) when its live answer queued media;
   the media an earlier run left queued follow the last capture.

Posts and media flow through bounded stages (archiver/jobs/concurrency.py): the first pictures are
downloaded while later posts are still being asked for, so each host's limiter stays busy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from archiver.fetch import HttpClient
from archiver.fetch.platforms import fetch_witnesses
from archiver.fetch.wayback import PLATFORMS as WAYBACK_PLATFORMS
from archiver.fetch.wayback import fetch_wayback_witnesses
from archiver.jobs.concurrency import Stage, streaming
from archiver.jobs.media import MediaStage
from archiver.jobs.record import Progress, RunRecord, no_progress
from archiver.models import PostState, Witness
from archiver.witnesses.platforms import FETCHABLE

DEFAULT_CONCURRENCY = 16  # posts, and media downloads, in flight at most in each stage


class CaptureStage:
    """Captures the ``(post_key, handle)`` put into it, then their media; see the module."""

    def __init__(
        self,
        client: HttpClient,
        record: RunRecord,
        group: asyncio.TaskGroup,
        *,
        workers: int,
        progress: Progress,
    ) -> None:
        self.client = client
        self.record = record
        self.progress = progress
        self.media = MediaStage(client, record, group, workers=workers, progress=progress)
        self._posts = Stage(group, self._capture, workers=workers)

    async def put(self, post: tuple[str, str | None]) -> None:
        """Queue a post to capture."""
        await self._posts.put(post)

    async def close(self) -> None:
        """Take no more posts; return once every post and every medium queued is done."""
        await self._posts.close()
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
        try:
            witnesses = await fetch_witnesses(self.client, platform, post_id, handle=handle)
            copies: list[Witness] = []
            if (
                platform in WAYBACK_PLATFORMS
                and all(w.state is not PostState.LIVE for w in witnesses)
                and record.archive.wayback_due(post_key)
            ):
                shown = handle or record.archive.embedded_handle(post_key)
                copies = await fetch_wayback_witnesses(self.client, platform, post_id, handle=shown)
        except ValueError as exc:
            record.fail("fetch", post_key, str(exc), post_key=post_key)
            return
        saved = witnesses + copies
        snapshot_ids = record.archive.save_witnesses(post_key, saved, run_id=record.run_id)
        record.count("snapshots", len(snapshot_ids))
        if any(w.state is PostState.LIVE for w in copies):
            record.count("posts_from_wayback")
        self.progress("posts", 1)
        if all(w.state is PostState.UNKNOWN for w in witnesses):
            reason = "; ".join(w.reason or "no answer" for w in witnesses)
            record.fail("fetch", post_key, reason, post_key=post_key)
            return
        record.count("posts_fetched")
        if record.archive.media_snapshot(post_key) is not None:  # as save_witnesses queued it
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
        stage = CaptureStage(client, record, group, workers=concurrency, progress=progress)
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
