"""`archiver verify`: what the archive can prove about each embed of an article, and why not."""

import datetime as dt
import hashlib
import json
import sqlite3

from cron_samples import (
    SAMPLE_ARTICLE,
    T0,
    TOMBSTONE,
    archive_into,
    fast_config,
    flip_to_tombstone,
    recorded,
    sample_post_id,
)
from typer.testing import CliRunner

from archiver import scan
from archiver.cli import app
from archiver.fetch.twitter import syndication_url
from archiver.fetch.twitter.endpoints import oembed_url
from archiver.fetch.twitter.find_by_text import wayback_queries
from archiver.jobs import archive as archive_job
from archiver.jobs.verify import verify_article
from archiver.store import open_archive
from archiver.textmatch import similarity

VINDMAN_ID = sample_post_id("YVindman")
VINDMAN = f"twitter:{VINDMAN_ID}"
SAMPLE_HANDLES = ["ChristopherJM", "SaoSasha", "BNONews", "YVindman", "France24_en"]
VINDMAN_LINE = next(
    line for line in SAMPLE_ARTICLE.read_text("utf-8").splitlines() if "@YVindman" in line
)
NOT_RESOLVED = "not resolved to a post: no link to the post, and no archived post of the account"


def verify(db_path, article, *options):
    return CliRunner().invoke(app, ["verify", "--db", str(db_path), *options, str(article)])


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def embed_of(article_path, handle=None):
    embeds = scan.scan_bytes(article_path.read_bytes()).embeds
    return next(e for e in embeds if handle is None or e.handle == handle)


def test_the_archived_sample_is_verifiable_embed_by_embed(db_path):
    result = verify(db_path, SAMPLE_ARTICLE)

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["article"] == {
        "id": 1,
        "url": str(SAMPLE_ARTICLE.resolve()),
        "final_url": None,
        "title": None,
        "last_scanned": T0,
        "sha256": sha256(SAMPLE_ARTICLE.read_bytes()),
        "hash_ok": True,
    }
    assert report["verifiable"] is True
    assert [
        (
            e["handle"],
            e["post"]["state"],
            [(s["source"], s["outcome"], s["hash_ok"]) for s in e["snapshots"]],
            e["similarity"],
            e["edited"],
            e["verifiable"],
            e["reason"],
        )
        for e in report["embeds"]
    ] == [
        (
            handle,
            "live",
            [("syndication", "live", True), ("oembed", "live", True)],
            1.0,
            False,
            True,
            None,
        )
        for handle in SAMPLE_HANDLES
    ]


def test_the_table_is_for_people(db_path):
    result = CliRunner().invoke(
        app,
        ["verify", "--db", str(db_path), "--format", "table", str(SAMPLE_ARTICLE)],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    for handle in SAMPLE_HANDLES:
        assert f"@{handle}" in result.stdout
    assert "2 (2 live)" in result.stdout
    assert result.stdout.rstrip().endswith("verifiable: all 5 embeds")


def corrupt(db_path, sha):
    with sqlite3.connect(db_path) as conn:
        [content] = conn.execute("SELECT content FROM blobs WHERE sha256 = ?", [sha]).fetchone()
        damaged = bytearray(content)
        damaged[len(damaged) // 2] ^= 0x01
        conn.execute("UPDATE blobs SET content = ? WHERE sha256 = ?", [bytes(damaged), sha])


def test_a_corrupted_byte_fails_its_hash_and_the_last_live_witness_fails_the_embed(db_path):
    syndication = sha256(recorded(syndication_url(VINDMAN_ID)))
    oembed = sha256(recorded(oembed_url(VINDMAN_ID, "YVindman")))
    corrupt(db_path, syndication)

    result = verify(db_path, SAMPLE_ARTICLE)

    assert result.exit_code == 0  # the oEmbed snapshot still proves the post
    embed = json.loads(result.stdout)["embeds"][3]
    assert [(s["sha256"], s["hash_ok"]) for s in embed["snapshots"]] == [
        (syndication, False),
        (oembed, True),
    ]
    assert (embed["verifiable"], embed["reason"]) == (True, None)

    corrupt(db_path, oembed)
    result = verify(db_path, SAMPLE_ARTICLE)

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["verifiable"] is False
    assert [e["verifiable"] for e in report["embeds"]] == [True, True, True, False, True]
    embed = report["embeds"][3]
    assert [(s["sha256"], s["hash_ok"]) for s in embed["snapshots"]] == [
        (syndication, False),
        (oembed, False),
    ]
    assert embed["reason"] == (
        "the bytes of every snapshot of the post live no longer match their sha256: "
        "the archive is damaged (see archiver db check)"
    )
    table = CliRunner().invoke(
        app,
        ["verify", "--db", str(db_path), "--format", "table", str(SAMPLE_ARTICLE)],
        env={"COLUMNS": "200"},
    )
    assert table.exit_code == 1
    assert "not verifiable: 1 of 5 embeds" in table.stdout
    assert "2 (2 live), 2 damaged" in table.stdout


def test_an_attribution_that_nothing_matched_is_unverifiable_with_its_reason(tmp_path, replay):
    article = tmp_path / "storm.txt"
    article.write_text(
        "A lead-in sentence about the storm.\n\n"
        "The bridge on the north road is closed until further notice, please take the ring road"
        " instead — Town Hall (@townhallnews) March 3, 2022\n\nMore to come.\n",
        encoding="utf-8",
    )
    # the Wayback Machine has captured nothing of the account around that date
    for url in wayback_queries("townhallnews", dt.date(2022, 3, 3)):
        replay.add(
            {
                "request": {"method": "GET", "url": url},
                "response": {
                    "status": 200,
                    "headers": [["content-type", "application/json"]],
                    "body": '[["original"]]',
                },
            }
        )
    db_path = tmp_path / "archive.db"
    assert [f.stage for f in archive_into(db_path, replay.url, article).failures] == ["resolve"]

    result = verify(db_path, article)

    assert result.exit_code == 1
    embed = embed_of(article)
    assert json.loads(result.stdout)["embeds"] == [
        {
            "ordinal": 0,
            "platform": "twitter",
            "handle": "townhallnews",
            "text": embed.text,
            "start": embed.start,
            "end": embed.end,
            "post": None,
            "snapshots": [],
            "similarity": None,
            "edited": None,
            "verifiable": False,
            "reason": NOT_RESOLVED + " matched its text",
            "proof": None,
            "time_proven": False,
            "only_third_party": False,
        }
    ]


def test_an_instagram_embed_is_unverifiable_and_says_why(tmp_path, replay):
    article = tmp_path / "minister.html"
    article.write_text(
        "<html><head><title>The minister's photo</title></head><body>\n"
        "<p>The minister posted a photo of the meeting.</p>\n"
        '<blockquote class="instagram-media"'
        ' data-instgrm-permalink="https://www.instagram.com/p/C3xYz12AbCd/"'
        ' data-instgrm-version="14"><div><a href="https://www.instagram.com/p/C3xYz12AbCd/">'
        "A post shared by Minister (@minister)</a></div></blockquote>\n"
        '<script async src="//www.instagram.com/embed.js"></script>\n</body></html>\n',
        encoding="utf-8",
    )
    db_path = tmp_path / "archive.db"
    summary = archive_into(db_path, replay.url, article)
    assert summary.ok and summary.counts["posts_not_fetchable"] == 1
    assert replay.stats()["requests"] == 0

    result = verify(db_path, article)

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["article"]["title"] == "The minister's photo"
    embed = embed_of(article)
    assert report["embeds"] == [
        {
            "ordinal": 0,
            "platform": "instagram",
            "handle": "minister",
            "text": "",
            "start": embed.start,
            "end": embed.end,
            "post": {
                "key": "instagram:C3xYz12AbCd",
                "url": "https://www.instagram.com/p/C3xYz12AbCd/",
                "state": "unknown",
                "state_since": None,
                "last_seen_live": None,
                "first_seen_gone": None,
            },
            "snapshots": [],
            "similarity": None,
            "edited": None,
            "verifiable": False,
            "reason": "instagram posts cannot be archived: no keyless endpoint gives their "
            "content, so the archive holds only what the article shows",
            "proof": None,
            "time_proven": False,
            "only_third_party": False,
        }
    ]


def test_a_quote_the_article_changed_is_flagged_as_edited(tmp_path, replay):
    article = tmp_path / "vindman.txt"
    article.write_text(
        "Gaining enormous respect worldwide.\n\n"
        + VINDMAN_LINE.replace("of this man", "of this woman")
        + "\n",
        encoding="utf-8",
    )
    db_path = tmp_path / "archive.db"
    assert archive_into(db_path, replay.url, article).ok

    result = verify(db_path, article)

    assert result.exit_code == 0  # the post is proven; the article misquotes it
    [embed] = json.loads(result.stdout)["embeds"]
    with open_archive(db_path, readonly=True) as archive:
        archived_text = archive.post_detail(VINDMAN)["text"]
    assert "of this man" in archived_text
    assert embed["similarity"] == similarity(embed_of(article).text, archived_text)
    assert 0.95 < embed["similarity"] < 1.0
    assert (embed["edited"], embed["verifiable"], embed["reason"]) == (True, True, None)


def test_a_post_never_seen_live_cannot_be_proven(tmp_path, replay):
    flip_to_tombstone(replay, VINDMAN_ID, "YVindman")
    db_path = tmp_path / "archive.db"
    archive_into(db_path, replay.url)

    result = verify(db_path, SAMPLE_ARTICLE)

    assert result.exit_code == 1
    embed = json.loads(result.stdout)["embeds"][3]
    assert embed["post"]["state"] == "deleted"
    assert embed["post"]["last_seen_live"] is None
    own = [s for s in embed["snapshots"] if not s["third_party"]]
    assert [(s["source"], s["outcome"], s["sha256"]) for s in own] == [
        ("syndication", "deleted", sha256(TOMBSTONE)),
        ("oembed", "not_found", sha256(b"")),
    ]
    # The Wayback Machine was asked and knows nothing of it (the replay answers 404).
    copies = [s for s in embed["snapshots"] if s["third_party"]]
    assert copies and {(s["source"], s["outcome"], s["status"]) for s in copies} == {
        ("wayback_cdx", "unknown", 404)
    }
    assert (embed["similarity"], embed["edited"]) == (None, None)  # no text was ever archived
    assert embed["reason"] == "no witness ever saw the post live (they said: deleted, not_found)"


def test_an_article_fetched_by_url_is_verified_by_its_url(tmp_path, replay):
    url = "https://news.example.org/2022/02/zelensky-stays"
    replay.add(
        {
            "request": {"method": "GET", "url": url},
            "response": {
                "status": 200,
                "headers": [["content-type", "text/plain; charset=utf-8"]],
                "body": SAMPLE_ARTICLE.read_text("utf-8"),
            },
        },
        dns={"news.example.org": ["93.184.216.34"]},
    )
    db_path = tmp_path / "archive.db"
    with open_archive(db_path) as archive:
        assert archive_job.archive(
            archive,
            archive_job.ArchiveRequest(inputs=(url,)),
            command_line=["archive", url],
            config=fast_config(replay.url),
        ).ok

    result = verify(db_path, url)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["article"]["url"] == url


def test_an_article_not_in_the_archive_exits_2(db_path, tmp_path):
    result = verify(db_path, "https://news.example.org/never-archived")
    assert result.exit_code == 2
    assert (
        result.stderr == "archiver: no archived article 'https://news.example.org/never-archived'\n"
    )
    assert verify(tmp_path / "missing.db", SAMPLE_ARTICLE).exit_code == 2
    assert not (tmp_path / "missing.db").exists()


def test_the_library_names_the_article_by_id_url_or_path(db_path):
    with open_archive(db_path, readonly=True) as archive:
        by_path = verify_article(archive, str(SAMPLE_ARTICLE))
        by_id = verify_article(archive, 1)
    assert by_path == by_id
    assert by_path.verifiable
    assert by_path.to_dict()["embeds"][0]["post"]["key"].startswith("twitter:")
