"""The media queue: posts whose media are still to download, worked through a few at a time."""

import asyncio
import dataclasses
import json
import sqlite3
import tracemalloc

from archiver.fetch import HttpClient
from archiver.fetch.twitter import syndication_url
from archiver.jobs.capture import fetch_pending_media
from archiver.jobs.record import RunRecord
from archiver.models import Exchange
from archiver.replay import ReplayServer
from archiver.store import open_archive
from archiver.witnesses.twitter.syndication import parse_syndication
from benchmarks.made_up import MadePost, Recording, media_url, snowflake_id

POSTS = 300
PADDING = 40_000  # characters of a field the parser keeps in ``parsed``: a large answer


def made_post(n):
    posted = f"2023-05-{1 + n % 28:02d}T12:{n % 60:02d}:00"
    post_id = snowflake_id(posted, f"queue/{n}")
    return MadePost(
        post_id=post_id,
        handle=f"reporter_{n % 7}",
        name=f"Reporter {n % 7}",
        user_id=str(1000 + n % 7),
        posted=posted,
        text=f"Photo {n} from the scene.",
        pic_code=f"Queue{n:05d}",
        media="photo",
        seed=post_id,
    )


def test_a_long_media_queue_is_read_a_few_posts_at_a_time(tmp_path, replay_config):
    posts = [made_post(n) for n in range(POSTS)]
    recording = Recording(tmp_path / "recordings", "queue", picture_scale=20)
    with open_archive(tmp_path / "archive.db") as archive:
        for post in posts:
            answer = recording.tweet(post) | {"padding": "x" * PADDING}
            url = syndication_url(post.post_id)
            exchange = Exchange(url, url, 200, [("content-type", "application/json")])
            exchange.body = json.dumps(answer).encode()
            archive.save_witnesses(f"twitter:{post.post_id}", [parse_syndication(exchange)])
    for handle in sorted({post.handle for post in posts}):
        recording.avatar(handle)
    recording.save()

    async def work_the_queue(archive, config):
        async with HttpClient(config) as client:
            with RunRecord.open(archive, "archive", [], replay=True) as record:
                tracemalloc.start()
                await fetch_pending_media(client, record, concurrency=4)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
        return record.summary, peak

    with (
        ReplayServer(tmp_path / "recordings") as server,
        open_archive(tmp_path / "archive.db") as archive,
    ):
        config = dataclasses.replace(replay_config(), reroute=server.url)
        summary, peak = asyncio.run(work_the_queue(archive, config))
    assert (summary.counts["media"], summary.failures) == (2 * POSTS, [])
    # Every queued snapshot read and parsed at once would hold POSTS x 2 x PADDING bytes (24 MB).
    assert peak < 6_000_000
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        assert conn.execute(
            "SELECT count(*) FROM posts WHERE media_snapshot_id IS NOT NULL"
        ).fetchone() == (0,)
        assert {url for (url,) in conn.execute("SELECT url FROM media WHERE kind = 'photo'")} == {
            media_url(post) for post in posts
        }
