"""`archiver archive`: the sample article end to end through the replay server, and what fails."""

import dataclasses
import json
import sqlite3

import pytest
from conftest import ROOT, SAMPLE_ARTICLE
from typer.testing import CliRunner

from archiver.cli import app
from archiver.jobs import archive as archive_job
from archiver.replay import ReplayServer
from archiver.store import open_archive
from archiver.witnesses.twitter.snowflake import snowflake_time

RECORDINGS = ROOT / "examples" / "replay"
# The five posts of the sample article, as the demo recordings answer for them.
SAMPLE_POSTS = {
    "ChristopherJM": ("Christopher Miller", "2022-02-25", "⚡️Ukraine’s Zelensky posts a new video"),
    "SaoSasha": ("Alex Kliment", "2022-02-25", "went and translated that zelensky selfie"),
    "BNONews": ("BNO News", "2022-02-26", "Ukrainian President Zelenskiy turns down"),
    "YVindman": ("Yevgeny (Eugene) Vindman", "2022-02-26", "I’m in awe of this man."),
    "France24_en": ("FRANCE 24 English", "2022-02-26", "🔴🇺🇦 After Ukrainian forces said"),
}
TABLES = [
    "articles",
    "article_versions",
    "embeds",
    "posts",
    "snapshots",
    "media",
    "blobs",
    "checks",
    "failures",
    "pic_links",
]


@pytest.fixture
def demo_replay():
    with ReplayServer(RECORDINGS) as server:
        yield server


def run_cli(*args, reroute=None, input=None):
    env = {"ARCHIVER_REROUTE": reroute} if reroute else {"ARCHIVER_REROUTE": ""}
    return CliRunner().invoke(app, list(args), env=env, input=input)


def counts(db_path):
    with sqlite3.connect(db_path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_the_sample_article_is_archived_with_two_witnesses_per_post(tmp_path, demo_replay):
    db_path = tmp_path / "archive.db"
    result = run_cli("archive", "--db", str(db_path), str(SAMPLE_ARTICLE), reroute=demo_replay.url)
    assert result.exit_code == 0, result.output
    assert "5 embeds found, 5 resolved, 5 posts fetched, 10 snapshots" in result.output

    with open_archive(db_path) as archive:
        embeds = archive.article_embeds(str(SAMPLE_ARTICLE.resolve()))
        assert [e["handle"] for e in embeds] == list(SAMPLE_POSTS)
        for embed in embeds:
            name, date, text_start = SAMPLE_POSTS[embed["handle"]]
            post = archive.post_detail(embed["post"]["key"])
            assert post["handle"] == embed["handle"]
            assert post["author_name"] == name
            assert post["state"] == "live"
            assert post["text"].startswith(text_start)
            # what the post said is what the article quotes (less the pic link the widget adds)
            quoted = embed["text"].rsplit(" pic.twitter.com/", 1)[0]
            assert post["text"] == quoted
            assert post["created_at"].startswith(date)
            assert post["created_at_from_id"] == snowflake_time(post["id"])
            assert post["created_at_from_id"][:19] == post["created_at"][:19]
            assert [(s["source"], s["status"], s["replay"]) for s in post["snapshots"]] == [
                ("syndication", 200, True),
                ("oembed", 200, True),
            ]
            assert [a["url"] for a in post["articles"]] == [str(SAMPLE_ARTICLE.resolve())]
            for item in post["media"]:
                assert len(item["sha256"]) == 64 and item["bytes"] > 0
                assert archive.get_blob(item["sha256"])  # the bytes are there, under their hash
        assert archive.check() == []
    vindman = archive_post(db_path, "YVindman")
    assert {m["kind"] for m in vindman["media"]} == {"photo", "profile_image"}


def archive_post(db_path, handle):
    with open_archive(db_path, readonly=True) as archive:
        [post] = [r for r in archive.lookup(f"@{handle}") if r.get("key")]
        return post


def test_a_second_run_over_an_unchanged_article_adds_nothing_and_asks_nothing(
    tmp_path, demo_replay
):
    db_path = tmp_path / "archive.db"
    assert (
        run_cli(
            "archive", "--db", str(db_path), str(SAMPLE_ARTICLE), reroute=demo_replay.url
        ).exit_code
        == 0
    )
    before, requests_before = counts(db_path), demo_replay.stats()["requests"]
    result = run_cli("archive", "--db", str(db_path), str(SAMPLE_ARTICLE), reroute=demo_replay.url)
    assert result.exit_code == 0
    assert "1 unchanged" in result.output
    assert counts(db_path) == before | {"blobs": before["blobs"] + 1}  # the run's manifest
    assert demo_replay.stats()["requests"] == requests_before


def test_no_fetch_stores_the_article_and_its_embeds_without_a_request(tmp_path, demo_replay):
    db_path = tmp_path / "archive.db"
    result = run_cli(
        "archive", "--no-fetch", "--db", str(db_path), str(SAMPLE_ARTICLE), reroute=demo_replay.url
    )
    assert result.exit_code == 0
    assert demo_replay.stats()["requests"] == 0
    assert counts(db_path)["embeds"] == 5
    assert counts(db_path)["snapshots"] == 0


def test_the_json_summary_for_cron(tmp_path, demo_replay):
    db_path = tmp_path / "archive.db"
    result = run_cli(
        "archive",
        "--format",
        "json",
        "--db",
        str(db_path),
        str(SAMPLE_ARTICLE),
        reroute=demo_replay.url,
    )
    summary = json.loads(result.stdout)
    assert summary["ok"] is True and summary["failures"] == []
    assert summary["counts"]["posts_fetched"] == 5
    assert summary["counts"]["embeds_resolved"] == 5


def test_quiet_runs_print_nothing_when_all_is_well(tmp_path, demo_replay):
    result = run_cli(
        "archive",
        "-q",
        "--db",
        str(tmp_path / "a.db"),
        str(SAMPLE_ARTICLE),
        reroute=demo_replay.url,
    )
    assert result.exit_code == 0
    assert result.output == ""


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("archive", "--db", str(tmp_path / "a.db")).exit_code == 2
    assert run_cli("archive", "--concurrency", "0", "x.txt").exit_code == 2


def test_a_missing_input_is_a_usage_error_and_nothing_is_archived(tmp_path, demo_replay):
    # A mistyped path is the user's mistake, as in `archiver scan`: exit 2 before anything is made.
    db_path = tmp_path / "archive.db"
    result = run_cli(
        "archive",
        "--db",
        str(db_path),
        str(tmp_path / "gone.txt"),
        str(SAMPLE_ARTICLE),
        reroute=demo_replay.url,
    )
    assert result.exit_code == 2
    assert f"{tmp_path / 'gone.txt'}: no such file or folder" in result.stderr
    assert not db_path.exists()
    assert demo_replay.stats()["requests"] == 0


def one_post_article(tmp_path, code="Zz9hostile1"):
    path = tmp_path / "hostile.txt"
    path.write_text(
        "A quoted post:\n\nNothing to see here pic.twitter.com/"
        f"{code} — Someone (@someone) March 1, 2022\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "location, reason",
    [
        ("http://127.0.0.1/admin", "127.0.0.1 is a loopback address: http://127.0.0.1/admin"),
        ("http://10.0.0.1/", "10.0.0.1 is a private address: http://10.0.0.1/"),
        (
            "http://[::ffff:127.0.0.1]/",
            "::ffff:127.0.0.1 is an IPv4-mapped IPv6 address: http://[::ffff:127.0.0.1]/",
        ),
    ],
)
def test_a_shortlink_redirecting_to_a_private_address_is_refused_and_recorded(
    tmp_path, replay_server, replay_config, location, reason
):
    replay_server.add(
        {
            "request": {"method": "GET", "url": "https://t.co/Zz9hostile1"},
            "response": {"status": 301, "headers": [["location", location]]},
        }
    )
    db_path = tmp_path / "archive.db"
    with open_archive(db_path) as archive:
        summary = archive_job.archive(
            archive,
            archive_job.ArchiveRequest(inputs=(str(one_post_article(tmp_path)),)),
            command_line=["archive"],
            config=replay_config(),
        )
    assert summary.failures == [
        archive_job.Failure("resolve", "embed 1 (@someone, 2022-03-01)", reason)
    ]
    with sqlite3.connect(db_path) as conn:
        # the refusal is a row with its reason and the t.co answer that led there, as evidence
        assert conn.execute(
            "SELECT f.stage, f.reason, f.embed_id, s.url, s.status, s.redirect_chain"
            " FROM failures f JOIN snapshots s ON s.id = f.snapshot_id"
        ).fetchall() == [
            (
                "resolve",
                reason,
                1,
                "https://t.co/Zz9hostile1",
                301,
                json.dumps(
                    [
                        {
                            "url": "https://t.co/Zz9hostile1",
                            "status": 301,
                            "location": location,
                            "via": "http",
                        }
                    ],
                    separators=(",", ":"),
                ),
            )
        ]
        assert conn.execute("SELECT count(*) FROM embeds WHERE post_key IS NULL").fetchone() == (1,)
    assert [r["url"] for r in replay_server.stats()["recent"]] == ["https://t.co/Zz9hostile1"]


def test_retries_then_success_and_malformed_answers_recorded_not_fatal(tmp_path, replay_config):
    with ReplayServer(RECORDINGS) as server:
        server.inject(
            {
                "match": f"https://cdn.syndication.twimg.com/tweet-result?id={vindman_id()}&",
                "sequence": [429, 503, "ok"],
                "retry_after": 0,
            }
        )
        # one post's oEmbed answers with broken JSON: recorded as a snapshot, not a crash
        server.add(
            {
                "request": {
                    "method": "GET",
                    "url": "https://publish.twitter.com/oembed?url=https%3A%2F%2Ftwitter.com%2FYVindman"
                    f"%2Fstatus%2F{vindman_id()}&omit_script=1&dnt=1",
                },
                "response": {
                    "status": 200,
                    "headers": [["content-type", "application/json"]],
                    "body": '{"html": ',
                },
            }
        )
        config = dataclasses.replace(replay_config(), reroute=server.url)
        db_path = tmp_path / "archive.db"
        with open_archive(db_path) as archive:
            summary = archive_job.archive(
                archive,
                archive_job.ArchiveRequest(inputs=(str(SAMPLE_ARTICLE),)),
                command_line=["archive"],
                config=config,
            )
    assert summary.ok, summary.failures
    assert summary.counts["posts_fetched"] == 5
    with sqlite3.connect(db_path) as conn:
        assert conn.execute(
            "SELECT status, attempts FROM snapshots WHERE source = 'syndication' AND post_key = ?",
            [f"twitter:{vindman_id()}"],
        ).fetchall() == [(200, 3)]
        broken = conn.execute(
            "SELECT s.status, s.error, c.outcome FROM snapshots s JOIN checks c ON c.snapshot_id = s.id"
            " WHERE s.source = 'oembed' AND s.post_key = ?",
            [f"twitter:{vindman_id()}"],
        ).fetchone()
    assert broken[0] == 200 and broken[2] == "unknown"


def vindman_id():
    recording = json.loads((RECORDINGS / "yvindman.json").read_text(encoding="utf-8"))
    for exchange in recording["exchanges"]:
        url = exchange["request"]["url"]
        if "tweet-result?id=" in url:
            return url.split("id=")[1].split("&")[0]
    raise AssertionError("no syndication recording for YVindman")


def test_an_oversized_answer_is_cut_at_the_cap_and_recorded(tmp_path, replay_config):
    with ReplayServer(RECORDINGS) as server:
        server.add(
            {
                "request": {
                    "method": "GET",
                    "url": next(
                        e["request"]["url"]
                        for e in json.loads((RECORDINGS / "yvindman.json").read_text())["exchanges"]
                        if "tweet-result" in e["request"]["url"]
                    ),
                },
                "response": {
                    "status": 200,
                    "headers": [["content-type", "application/json"]],
                    "body": '{"__typename": "Tweet", "text": "' + "x" * 300_000 + '"}',
                },
            }
        )
        config = dataclasses.replace(replay_config(), reroute=server.url, max_body_bytes=100_000)
        db_path = tmp_path / "archive.db"
        with open_archive(db_path) as archive:
            archive_job.archive(
                archive,
                archive_job.ArchiveRequest(inputs=(str(SAMPLE_ARTICLE),)),
                command_line=["archive"],
                config=config,
            )
    with sqlite3.connect(db_path) as conn:
        [(status, truncated, size, error, outcome)] = conn.execute(
            "SELECT s.status, s.truncated, s.bytes, s.error, c.outcome FROM snapshots s"
            " JOIN checks c ON c.snapshot_id = s.id"
            " WHERE s.source = 'syndication' AND s.post_key = ?",
            [f"twitter:{vindman_id()}"],
        ).fetchall()
    # what was read is kept, up to the cap, and says it was cut; the witness could not tell
    assert (status, truncated, size, outcome) == (200, 1, 100_000, "unknown")
    assert error == "the body passed the cap of 100,000 bytes"
