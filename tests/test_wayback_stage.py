"""A gone post waits for the Wayback in a stage of its own: the next posts are captured meanwhile,
and a run killed between a post's capture and its Wayback lookup leaves the lookup to the next run.

Recordings: the Wayback captures of tests/fixtures/wayback/ (a post gone before it was archived)
beside the demo's recordings of a live post (examples/replay/), served by one replay server.
"""

import shutil
import sqlite3
from pathlib import Path

import pytest
from cron_samples import fast_config

from archiver.jobs import archive as archive_job
from archiver.replay import ReplayServer
from archiver.store import open_archive

ROOT = Path(__file__).resolve().parent.parent
GONE = "twitter:1102268528456630279"  # harbourwatch, recovered from two Wayback captures
LIVE = "twitter:1497266682363265687"  # ChristopherJM, live in the demo recordings
ARTICLE = """<!doctype html><html><body><p>Two posts.</p>
<blockquote class="twitter-tweet"><p lang="en">The ferry terminal is closed</p>&mdash; Harbour Watch
(@harbourwatch) <a href="https://twitter.com/harbourwatch/status/1102268528456630279">March 3,
2019</a></blockquote>
<blockquote class="twitter-tweet"><p lang="en">A post</p>&mdash; Christopher Miller (@ChristopherJM)
<a href="https://twitter.com/ChristopherJM/status/1497266682363265687">February 25, 2022</a>
</blockquote></body></html>"""


@pytest.fixture
def server(tmp_path):
    recordings = tmp_path / "recordings"
    shutil.copytree(ROOT / "tests" / "fixtures" / "wayback" / "replay", recordings)
    shutil.copy(ROOT / "examples" / "replay" / "christopherjm.json", recordings)
    shutil.copytree(ROOT / "examples" / "replay" / "media", recordings / "media")
    with ReplayServer(recordings) as replay:
        yield replay


def archive_article(tmp_path: Path, server: ReplayServer) -> Path:
    article = tmp_path / "article.html"
    article.write_text(ARTICLE, encoding="utf-8")
    db_path = tmp_path / "archive.db"
    with open_archive(db_path) as archive:
        archive_job.archive(
            archive,
            archive_job.ArchiveRequest(inputs=(str(article),), concurrency=1),
            command_line=["archive"],
            config=fast_config(server.url),
        )
    return db_path


def snapshots(db_path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT post_key, source FROM snapshots WHERE post_key IS NOT NULL ORDER BY id"
        ).fetchall()


def test_the_next_post_is_captured_while_a_gone_post_waits_for_the_wayback(tmp_path, server):
    # One capture worker; every Wayback answer 0.4 s late. The live post that comes second in
    # the article is captured (and its media downloaded) before the Wayback answers the first.
    server.inject({"match": "web.archive.org", "sequence": ["ok"], "delay_ms": 400, "times": 100})
    db_path = archive_article(tmp_path, server)
    order = snapshots(db_path)
    first_wayback = next(i for i, (_, source) in enumerate(order) if source.startswith("wayback"))
    assert {key for key, _ in order[:first_wayback]} == {GONE, LIVE}
    assert all(key == GONE for key, _ in order[first_wayback:])
    with sqlite3.connect(db_path) as conn:
        assert conn.execute(
            "SELECT state, text IS NOT NULL FROM posts WHERE key = ?", [GONE]
        ).fetchone() == ("deleted", 1)
        assert conn.execute("SELECT state FROM posts WHERE key = ?", [LIVE]).fetchone() == ("live",)
        assert (
            conn.execute("SELECT count(*) FROM media WHERE post_key = ?", [LIVE]).fetchone()[0] > 0
        )


def test_a_post_left_unasked_of_the_wayback_is_asked_by_the_next_run(tmp_path, server):
    db_path = archive_article(tmp_path, server)
    # As if the run had been killed after the post's capture and before its Wayback lookup.
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for table in ("checks", "snapshots"):
            conn.execute(
                f"DELETE FROM {table} WHERE post_key = ? AND source LIKE 'wayback%'", [GONE]
            )
    server.reset()
    with open_archive(db_path) as archive:
        summary = archive_job.archive(
            archive,
            archive_job.ArchiveRequest(),
            command_line=["archive"],
            config=fast_config(server.url),
        )
    assert summary.counts["posts_from_wayback"] == 1
    asked = server.stats()["urls"]
    assert any("web.archive.org/cdx" in url for url in asked)
    assert not any("syndication" in url for url in asked)  # its own witnesses answered already
