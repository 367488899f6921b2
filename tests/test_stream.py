"""The streaming run: stages overlap, an account's avatar is downloaded once, --rate is obeyed."""

import asyncio
import datetime as dt
import hashlib
import json
import sqlite3

import pytest
from cron_samples import Clock
from typer.testing import CliRunner

from archiver.cli import app
from archiver.errors import InputError
from archiver.evidence.manifest import COLUMNS, canonical_json, row_hash
from archiver.fetch import ClientConfig, HttpClient
from archiver.fetch.rates import env_rates, parse_rate, parse_rates
from archiver.fetch.twitter import syndication_url
from archiver.jobs import archive as archive_job
from archiver.jobs.capture import fetch_pending_media
from archiver.jobs.record import RunRecord
from archiver.models import Exchange
from archiver.replay import ReplayServer
from archiver.store import open_archive
from archiver.witnesses.twitter.syndication import parse_syndication
from benchmarks.corpus import corpus
from benchmarks.made_up import MadePost, Recording, avatar_urls, media_url, snowflake_id

POST_HOSTS = {"cdn.syndication.twimg.com", "publish.twitter.com"}
MEDIA_HOSTS = {"pbs.twimg.com", "video.twimg.com"}


@pytest.fixture(scope="module")
def small_corpus():
    # 16 posts of 4 accounts: few enough requests for the replay's log of the last 100
    return corpus(articles=8, embeds=20, posts=16)


def one_at_a_time(reroute):
    """One request in flight per host, 50 a second: the replay's log shows the order of work."""
    return ClientConfig(
        reroute=reroute,
        per_host_concurrency=1,
        per_host_rate=50.0,
        host_rates={},
        backoff_base=0.001,
        backoff_cap=0.01,
    )


def test_media_are_downloaded_while_posts_are_still_asked_for(tmp_path, small_corpus):
    with ReplayServer(small_corpus.recordings_dir, latency_ms=5) as replay:
        with open_archive(tmp_path / "archive.db") as archive:
            summary = archive_job.archive(
                archive,
                archive_job.ArchiveRequest(inputs=(str(small_corpus.articles_dir),)),
                command_line=["archive"],
                config=one_at_a_time(replay.url),
            )
        stats = replay.stats()
    assert summary.ok, summary.failures
    assert len(stats["recent"]) == stats["requests"] < 100  # the whole run is in the log
    hosts = [request["url"].split("/")[2] for request in stats["recent"]]
    first = {host: hosts.index(host) for host in set(hosts)}
    last = {host: len(hosts) - 1 - hosts[::-1].index(host) for host in set(hosts)}
    # in stages, every t.co hop came before the first post, every post before the first picture
    assert first["cdn.syndication.twimg.com"] < last["t.co"]
    assert min(first[h] for h in MEDIA_HOSTS) < max(last[h] for h in POST_HOSTS)


def test_an_accounts_avatar_is_downloaded_once_and_linked_to_its_other_posts(
    tmp_path, small_corpus
):
    with ReplayServer(small_corpus.recordings_dir) as replay:
        with open_archive(tmp_path / "archive.db") as archive:
            summary = archive_job.archive(
                archive,
                archive_job.ArchiveRequest(inputs=(str(small_corpus.articles_dir),)),
                command_line=["archive"],
                config=one_at_a_time(replay.url),
            )
        urls = replay.stats()["urls"]
    live = [post for post in small_corpus.posts if not post.tombstone]
    handles = {post.handle for post in live}
    assert len(handles) < len(live)  # some account has several posts
    assert {avatar_urls(h)[1]: urls.get(avatar_urls(h)[1]) for h in handles} == {
        avatar_urls(h)[1]: 1 for h in handles
    }
    assert summary.counts["media_reused"] == len(live) - len(handles)
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        rows = conn.execute(
            "SELECT m.url, m.sha256, m.reused_from_media_id, s.url, s.sha256,"
            " s.reused_from_media_id FROM media m LEFT JOIN media s ON s.id = m.reused_from_media_id"
            " WHERE m.kind = 'profile_image'"
        ).fetchall()
    assert len(rows) == len(live)
    reused = [row for row in rows if row[2] is not None]
    assert len(reused) == len(live) - len(handles)
    # each points at the download of the same URL, holding the same blob
    assert all(row[3] == row[0] and row[4] == row[1] and row[5] is None for row in reused)
    with open_archive(tmp_path / "archive.db") as archive:
        assert archive.check() == []  # the manifest covers the reused rows, provenance included


def test_a_reused_rows_provenance_is_hashed_and_other_rows_hash_as_before():
    row = {column: None for column in COLUMNS["media"]} | {"id": 7, "url": "https://x/y"}
    before = hashlib.sha256(canonical_json({"table": "media", "row": row})).hexdigest()
    assert row_hash("media", row | {"reused_from_media_id": None}) == before
    assert row_hash("media", row | {"reused_from_media_id": 3}) not in (
        before,
        row_hash("media", row | {"reused_from_media_id": 4}),
    )


def made_post(n):
    posted = f"2024-03-0{1 + n}T12:00:00"
    post_id = snowflake_id(posted, f"fresh/{n}")
    return MadePost(
        post_id=post_id,
        handle="reporter",
        name="Reporter",
        user_id="1000",
        posted=posted,
        text=f"Photo {n} from the scene.",
        pic_code=f"Fresh{n:05d}",
        media="photo",
        seed=post_id,
    )


def test_an_avatar_is_reused_for_seven_days_then_downloaded_again(tmp_path):
    posts = [made_post(n) for n in range(3)]
    recording = Recording(tmp_path / "recordings", "fresh", picture_scale=20)
    answers = [recording.tweet(post) for post in posts]
    recording.avatar("reporter")
    recording.save()
    avatar = avatar_urls("reporter")[1]
    clock = Clock("2024-03-01T12:00:00.000Z")

    async def capture(archive, config, post, answer):
        url = syndication_url(post.post_id)
        exchange = Exchange(url, url, 200, [("content-type", "application/json")])
        exchange.body = json.dumps(answer).encode()
        archive.save_witnesses(f"twitter:{post.post_id}", [parse_syndication(exchange)])
        async with HttpClient(config, utc_clock=archive.now) as client:
            with RunRecord.open(archive, "archive", [], replay=True) as record:
                await fetch_pending_media(client, record)
        return record.summary

    requested = []
    with (
        ReplayServer(tmp_path / "recordings") as server,
        open_archive(tmp_path / "archive.db", clock=clock) as archive,
    ):
        config = ClientConfig(reroute=server.url, per_host_rate=None)
        for post, answer, day in zip(posts, answers, ("01", "04", "09"), strict=True):
            clock.now = f"2024-03-{day}T12:00:00.000Z"
            summary = asyncio.run(capture(archive, config, post, answer))
            assert (summary.counts["media"], summary.failures) == (2, [])
            requested.append(server.stats()["urls"].get(avatar, 0))
    # day 4: three days after the download, reused; day 9: eight days after, asked again
    assert requested == [1, 1, 2]
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        avatars = conn.execute(
            "SELECT id, fetched_at, reused_from_media_id FROM media WHERE url = ? ORDER BY id",
            [avatar],
        ).fetchall()
        photos = {url for (url,) in conn.execute("SELECT url FROM media WHERE kind = 'photo'")}
    first = avatars[0][0]
    assert [row[1:] for row in avatars] == [
        ("2024-03-01T12:00:00.000Z", None),
        ("2024-03-01T12:00:00.000Z", first),  # the download it reuses, as it was made
        ("2024-03-09T12:00:00.000Z", None),
    ]
    assert photos == {media_url(post) for post in posts}


# -- per-host rates -----------------------------------------------------------------------------


def test_rates_are_parsed_host_by_host():
    assert parse_rate(" PBS.twimg.com.=2.5 ") == ("pbs.twimg.com", 2.5)
    assert parse_rates(["t.co=4", "*=50", "t.co=3"]) == {"t.co": 3.0, "*": 50.0}
    assert env_rates({"ARCHIVER_RATES": "t.co=4, pbs.twimg.com=20"}) == {
        "t.co": 4.0,
        "pbs.twimg.com": 20.0,
    }
    assert env_rates({"ARCHIVER_RATES": "  "}) == env_rates({}) == {}


@pytest.mark.parametrize(
    "text", ["t.co", "t.co=", "=3", "t.co=0", "t.co=-1", "t.co=nan", "t.co=inf", "a b=1", "x:80=1"]
)
def test_a_malformed_rate_is_refused(text):
    with pytest.raises(InputError):
        parse_rate(text)


def test_rates_go_on_top_of_the_defaults_then_the_environment():
    config = ClientConfig.from_env({"ARCHIVER_RATES": "t.co=4 *=20"}).with_rates(
        {"t.co": 2.0, "pbs.twimg.com": 30.0}
    )
    assert config.per_host_rate == 20.0
    assert dict(config.host_rates) == {"web.archive.org": 0.4, "t.co": 2.0, "pbs.twimg.com": 30.0}
    assert ClientConfig.from_env({}).per_host_rate == 8.0


@pytest.mark.parametrize("command", [["archive", "article.txt"], ["recheck"]])
@pytest.mark.parametrize(
    ("args", "env"),
    [(["--rate", "t.co"], {}), (["--rate", "t.co=0"], {}), ([], {"ARCHIVER_RATES": "t.co=fast"})],
)
def test_a_bad_rate_is_a_usage_error(tmp_path, command, args, env):
    db = tmp_path / "archive.db"
    open_archive(db).close()
    result = CliRunner().invoke(
        app, [*command, "--db", str(db), *args], env={"ARCHIVER_REROUTE": "", **env}
    )
    assert result.exit_code == 2, result.output
    assert "rate" in result.output.lower()


def test_the_rates_given_reach_the_run(tmp_path, monkeypatch):
    seen = {}

    def fake_archive(archive_db, request, *, config, **kwargs):
        seen["config"] = config
        return archive_job.RunSummary(run_id=1)

    monkeypatch.setattr(archive_job, "archive", fake_archive)
    article = tmp_path / "article.txt"
    article.write_text("nothing here\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "archive",
            "--db",
            str(tmp_path / "a.db"),
            "--rate",
            "t.co=2",
            "--rate",
            "*=30",
            str(article),
        ],
        env={"ARCHIVER_REROUTE": "", "ARCHIVER_RATES": "t.co=5 pbs.twimg.com=9"},
    )
    assert result.exit_code == 0, result.output
    config = seen["config"]
    assert config.per_host_rate == 30.0
    assert dict(config.host_rates) == {"web.archive.org": 0.4, "t.co": 2.0, "pbs.twimg.com": 9.0}


def test_a_rate_set_for_a_host_paces_its_requests(tmp_path, small_corpus):
    # t.co at 20/s, one request at a time: one every 50 ms, so the run lasts at least that long
    with ReplayServer(small_corpus.recordings_dir) as replay:
        config = one_at_a_time(replay.url).with_rates({"t.co": 20.0, "*": 1000.0})
        with open_archive(tmp_path / "archive.db") as archive:
            summary = archive_job.archive(
                archive,
                archive_job.ArchiveRequest(inputs=(str(small_corpus.articles_dir),)),
                command_line=["archive"],
                config=config,
            )
        shortlinks = sum(n for url, n in replay.stats()["urls"].items() if "//t.co/" in url)
    assert summary.ok
    assert shortlinks > 5
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        started, finished = conn.execute("SELECT started_at, finished_at FROM runs").fetchone()
    assert _seconds(finished) - _seconds(started) >= (shortlinks - 1) / 20.0 * 0.9


def _seconds(timestamp):
    return dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()
