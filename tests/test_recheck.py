"""`archiver recheck`: posts checked again on a schedule; a vanished post gets its window."""

import datetime as dt
import hashlib
import json
import sqlite3

import pytest
from cron_samples import (
    RECORDINGS,
    SAMPLE_ARTICLE,
    T0,
    TOMBSTONE,
    TOMBSTONE_TEXT,
    Clock,
    archive_into,
    fast_config,
    flip_to_tombstone,
    recheck_at,
    recorded,
    sample_post_id,
)
from sqlite_utils import Database
from store_samples import exchange, tombstone_witness
from typer.testing import CliRunner

from archiver import scan
from archiver.cli import app
from archiver.errors import InputError
from archiver.fetch.twitter import syndication_url
from archiver.fetch.twitter.endpoints import oembed_url
from archiver.jobs.lock import run_lock
from archiver.jobs.recheck import parse_duration, recheck
from archiver.jobs.record import StateChange
from archiver.models import Exchange, Post, PostState, Witness
from archiver.replay import ReplayServer
from archiver.store import open_archive
from archiver.store.schema import MIGRATIONS

T1 = "2024-03-02T12:00:00.000Z"  # the recheck, a day after the sample was archived
VINDMAN_ID = sample_post_id("YVindman")
VINDMAN = f"twitter:{VINDMAN_ID}"
WINDOW_COLUMNS = (
    "state",
    "state_reason",
    "state_since",
    "last_seen_live",
    "first_seen_gone",
    "first_archived",
    "last_checked",
    "last_answered",
    "next_check_at",
)


def run_cli(*args, reroute):
    return CliRunner().invoke(app, list(args), env={"ARCHIVER_REROUTE": reroute})


def table(db_path, sql, params=()):
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(sql, params)]


def window(db_path, post_key):
    columns = ", ".join(WINDOW_COLUMNS)
    return table(db_path, f"SELECT {columns} FROM posts WHERE key = ?", [post_key])[0]


def test_a_post_flipped_to_a_tombstone_is_caught_with_its_vanish_window(db_path, replay):
    snapshots_before = table(db_path, "SELECT * FROM snapshots ORDER BY id")
    text_before = table(db_path, "SELECT text FROM posts WHERE key = ?", [VINDMAN])[0]["text"]
    flip_to_tombstone(replay, VINDMAN_ID, "YVindman")

    with open_archive(db_path, clock=Clock(T1)) as archive:
        summary = recheck(
            archive,
            due=False,
            older_than=None,
            limit=None,
            command_line=["recheck"],
            config=fast_config(replay.url),
        )

    assert summary.failures == []
    assert summary.changes == [StateChange(VINDMAN, "live", "deleted")]
    assert dict(summary.counts) == {
        "posts_selected": 5,
        "posts_fetched": 5,
        "snapshots": 10,
        "posts_gone": 1,
    }
    assert window(db_path, VINDMAN) == {
        "state": "deleted",
        "state_reason": TOMBSTONE_TEXT,
        "state_since": T1,
        "last_seen_live": T0,  # the first run's check, the last that saw it live
        "first_seen_gone": T1,  # the recheck, the first that saw it gone
        "first_archived": T0,
        "last_checked": T1,
        "last_answered": T1,
        # the post is two years old: its next check is the longest interval away, 30 days
        "next_check_at": "2024-04-01T12:00:00.000Z",
    }
    # the tombstone erased nothing the archive knew of the post
    assert table(db_path, "SELECT text FROM posts WHERE key = ?", [VINDMAN])[0]["text"] == (
        text_before
    )
    others = table(
        db_path,
        "SELECT state, last_seen_live, first_seen_gone FROM posts"
        " WHERE key != ? AND last_answered IS NOT NULL",
        [VINDMAN],
    )
    assert others == [{"state": "live", "last_seen_live": T1, "first_seen_gone": None}] * 4
    # earlier snapshots untouched; the recheck's are appended, with their checks
    snapshots_after = table(db_path, "SELECT * FROM snapshots ORDER BY id")
    assert snapshots_after[: len(snapshots_before)] == snapshots_before
    assert len(snapshots_after) == len(snapshots_before) + 10
    assert table(
        db_path,
        "SELECT c.checked_at, c.source, c.status, c.outcome, c.reason, c.run_id, s.body_sha256"
        " FROM checks c JOIN snapshots s ON s.id = c.snapshot_id WHERE c.post_key = ?"
        " ORDER BY c.id",
        [VINDMAN],
    ) == [
        {
            "checked_at": T0,
            "source": "syndication",
            "status": 200,
            "outcome": "live",
            "reason": None,
            "run_id": 1,
            "body_sha256": sha256(recorded(syndication_url(VINDMAN_ID))),
        },
        {
            "checked_at": T0,
            "source": "oembed",
            "status": 200,
            "outcome": "live",
            "reason": None,
            "run_id": 1,
            "body_sha256": sha256(recorded(oembed_url(VINDMAN_ID, "YVindman"))),
        },
        {
            "checked_at": T1,
            "source": "syndication",
            "status": 200,
            "outcome": "deleted",
            "reason": TOMBSTONE_TEXT,
            "run_id": 2,
            "body_sha256": sha256(TOMBSTONE),
        },
        {
            "checked_at": T1,
            "source": "oembed",
            "status": 404,
            "outcome": "not_found",
            "reason": "HTTP 404",
            "run_id": 2,
            "body_sha256": sha256(b""),
        },
    ]
    [run] = table(db_path, "SELECT * FROM runs WHERE id = 2")
    assert {**run, "counts": json.loads(run["counts"])} == {
        "id": 2,
        "command": "recheck",
        "arguments": '["recheck"]',
        "replay": 1,
        "version": "0.1.0",
        "started_at": T1,
        "finished_at": T1,
        "duration_s": 0.0,
        "counts": dict(summary.counts),
        "error_count": 0,
        "title": f"recheck at {T1}",
    }
    # two witnesses per post and nothing else: media already held are not downloaded again
    assert replay.stats()["requests"] == 10

    result = CliRunner().invoke(app, ["verify", "--db", str(db_path), str(SAMPLE_ARTICLE)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["verifiable"] is True
    vindman_embed = next(
        e for e in scan.scan_bytes(SAMPLE_ARTICLE.read_bytes()).embeds if e.handle == "YVindman"
    )
    assert report["embeds"][3] == {
        "ordinal": 3,
        "platform": "twitter",
        "handle": "YVindman",
        "text": vindman_embed.text,
        "start": vindman_embed.start,
        "end": vindman_embed.end,
        "post": {
            "key": VINDMAN,
            "url": f"https://twitter.com/YVindman/status/{VINDMAN_ID}",
            "state": "deleted",
            "state_since": T1,
            "last_seen_live": T0,
            "first_seen_gone": T1,
        },
        "snapshots": [
            {
                "source": "syndication",
                "fetched_at": T0,
                "sha256": sha256(recorded(syndication_url(VINDMAN_ID))),
                "hash_ok": True,
                "status": 200,
                "outcome": "live",
                "replay": True,
                "timestamps": [],  # no TSA was given
                "third_party": False,
                "captured_at": None,
            },
            {
                "source": "oembed",
                "fetched_at": T0,
                "sha256": sha256(recorded(oembed_url(VINDMAN_ID, "YVindman"))),
                "hash_ok": True,
                "status": 200,
                "outcome": "live",
                "replay": True,
                "timestamps": [],  # no TSA was given
                "third_party": False,
                "captured_at": None,
            },
            {
                "source": "syndication",
                "fetched_at": T1,
                "sha256": sha256(TOMBSTONE),
                "hash_ok": True,
                "status": 200,
                "outcome": "deleted",
                "replay": True,
                "timestamps": [],  # no TSA was given
                "third_party": False,
                "captured_at": None,
            },
            {
                "source": "oembed",
                "fetched_at": T1,
                "sha256": sha256(b""),
                "hash_ok": True,
                "status": 404,
                "outcome": "not_found",
                "replay": True,
                "timestamps": [],  # no TSA was given
                "third_party": False,
                "captured_at": None,
            },
        ],
        "similarity": 1.0,
        "edited": False,
        "verifiable": True,
        "reason": None,
        "proof": None,  # a Bluesky post's alone
        "time_proven": False,
        "only_third_party": False,
    }


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def test_the_command_reports_the_vanished_post_for_cron(db_path, replay):
    flip_to_tombstone(replay, VINDMAN_ID, "YVindman")

    result = run_cli("recheck", "--db", str(db_path), reroute=replay.url)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"archiver: {VINDMAN} was live, now deleted",
        "run 2: 5 posts checked, 5 answered, 1 gone, 0 back, 10 snapshots, 0 media; 0 failed",
    ]
    assert result.stderr == ""

    # the next run finds nothing due (every post was checked a moment ago) and says so in JSON
    result = run_cli(
        "recheck", "--db", str(db_path), "--due", "--format", "json", reroute=replay.url
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "run_id": 3,
        "ok": True,
        "counts": {"posts_selected": 0},
        "failures": [],
        "changes": [],
    }
    # quiet prints nothing when all is well and nothing changed
    result = run_cli("recheck", "-q", "--db", str(db_path), reroute=replay.url)
    assert (result.exit_code, result.output) == (0, "")
    # but a post that vanished is news even for a quiet cron job
    christopher = sample_post_id("ChristopherJM")
    flip_to_tombstone(replay, christopher, "ChristopherJM")
    result = run_cli("recheck", "-q", "--db", str(db_path), reroute=replay.url)
    assert (result.exit_code, result.output) == (
        0,
        f"archiver: twitter:{christopher} was live, now deleted\n",
    )


def test_a_503_everywhere_records_failures_and_keeps_the_known_state(db_path, replay):
    for host in ("cdn.syndication.twimg.com", "publish.twitter.com"):
        replay.inject({"match": host, "sequence": [503], "times": 1000, "retry_after": 0})
    states_before = table(
        db_path,
        "SELECT key, state, state_since, last_seen_live,"
        " first_seen_gone, last_answered FROM posts ORDER BY key",
    )

    result = run_cli("recheck", "--db", str(db_path), reroute=replay.url)

    assert result.exit_code == 1
    keys = [row["key"] for row in states_before if row["last_answered"]]
    assert sorted(result.stderr.splitlines()) == [
        f"archiver: fetch failed for {key}: HTTP 503; HTTP 503" for key in keys
    ]
    assert result.stdout.splitlines() == [
        "run 2: 5 posts checked, 0 answered, 0 gone, 0 back, 10 snapshots, 0 media; 5 failed"
    ]
    assert table(
        db_path, "SELECT run_id, stage, post_key, reason FROM failures ORDER BY post_key"
    ) == [
        {
            "run_id": 2,
            "stage": "fetch",
            "post_key": key,
            "reason": "HTTP 503; HTTP 503",
        }
        for key in keys
    ]
    assert (
        table(
            db_path,
            "SELECT key, state, state_since, last_seen_live,"
            " first_seen_gone, last_answered FROM posts ORDER BY key",
        )
        == states_before
    )
    # each witness was asked four times (three retries), and its last answer kept
    assert table(
        db_path,
        "SELECT DISTINCT c.outcome, s.status, s.attempts FROM checks c"
        " JOIN snapshots s ON s.id = c.snapshot_id WHERE c.run_id = 2",
    ) == [{"outcome": "unknown", "status": 503, "attempts": 4}]


def test_a_run_holding_the_lock_makes_recheck_exit_0_with_one_line(db_path, replay):
    with run_lock(db_path):
        result = run_cli("recheck", "--db", str(db_path), reroute=replay.url)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"archiver: another archiver run holds the lock on {db_path}")
    assert result.stdout.endswith("; not running this time\n")
    assert replay.stats()["requests"] == 0


@pytest.mark.parametrize(
    "args",
    [
        ["--older-than", "7"],
        ["--older-than", "0d"],
        ["--older-than", "3y"],
        ["--limit", "0"],
    ],
)
def test_usage_errors_exit_2(db_path, args):
    assert run_cli("recheck", "--db", str(db_path), *args, reroute="").exit_code == 2


def test_a_missing_archive_exits_2_and_leaves_nothing_behind(tmp_path):
    result = run_cli("recheck", "--db", str(tmp_path / "none.db"), reroute="")
    assert result.exit_code == 2
    assert "no archive database" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_media_missing_from_the_first_run_are_fetched_by_the_recheck_once(tmp_path, replay):
    article = tmp_path / "vindman.txt"
    line = next(
        line for line in SAMPLE_ARTICLE.read_text("utf-8").splitlines() if "@YVindman" in line
    )
    article.write_text(f"Gaining enormous respect worldwide.\n\n{line}\n", encoding="utf-8")
    db_path = tmp_path / "archive.db"
    replay.inject({"match": "pbs.twimg.com", "sequence": [404], "times": 1000})
    first = archive_into(db_path, replay.url, article)
    assert [f.stage for f in first.failures] == ["media", "media"]
    replay.clear_faults()

    second = recheck_at(db_path, T1, replay.url)
    assert second.ok and second.counts["media"] == 2
    assert table(
        db_path, "SELECT kind, status, snapshot_id > 2 AS from_recheck FROM media ORDER BY id"
    ) == [
        {"kind": "photo", "status": 200, "from_recheck": 1},
        {"kind": "profile_image", "status": 200, "from_recheck": 1},
    ]
    third = recheck_at(db_path, "2024-03-03T12:00:00.000Z", replay.url)
    assert third.ok and third.counts["media"] == 0


# -- the schedule -------------------------------------------------------------------------------

CHECKED = "2024-05-02T00:00:00.000Z"
# Posts made one day, forty days and two years before they were checked at CHECKED.
AGES = {
    "twitter:1": "2024-05-01T00:00:00.000Z",
    "twitter:2": "2024-03-23T00:00:00.000Z",
    "twitter:3": "2022-05-02T00:00:00.000Z",
}


def live(key, created_at, *, at):
    platform, post_id = key.split(":")
    post = Post(
        platform=platform,
        id=post_id,
        url=f"https://twitter.com/a/status/{post_id}",
        handle="a",
        text="hello",
        created_at=created_at,
    )
    url = syndication_url(post_id)
    return Witness(
        "syndication",
        exchange(url, b'{"__typename":"Tweet"}', fetched_at=at),
        PostState.LIVE,
        post=post,
    )


def failed(key, *, at):
    url = syndication_url(key.split(":")[1])
    return Witness(
        "syndication",
        Exchange(url=url, final_url=url, status=None, fetched_at=at, error="ReadTimeout"),
        PostState.UNKNOWN,
        reason="ReadTimeout",
    )


@pytest.fixture
def scheduled(tmp_path):
    with open_archive(tmp_path / "archive.db", clock=Clock(CHECKED)) as archive:
        for key, created_at in AGES.items():
            archive.save_witnesses(key, [live(key, created_at, at=CHECKED)])
        archive.save_witnesses("twitter:4", [failed("twitter:4", at=CHECKED)])  # never answered
        yield archive


def next_checks(archive):
    return dict(archive.db.execute("SELECT key, next_check_at FROM posts ORDER BY key").fetchall())


def test_checks_are_spaced_out_as_a_post_ages(scheduled):
    assert next_checks(scheduled) == {
        "twitter:1": "2024-05-03T00:00:00.000Z",  # a quarter of 1 day: at least a day
        "twitter:2": "2024-05-12T00:00:00.000Z",  # a quarter of 40 days
        "twitter:3": "2024-06-01T00:00:00.000Z",  # a quarter of 2 years: at most 30 days
        "twitter:4": None,  # never archived: not rechecked (archive fetches it again)
    }


@pytest.mark.parametrize(
    "now, due",
    [
        ("2024-05-02T23:59:59.999Z", []),
        ("2024-05-03T00:00:00.000Z", ["twitter:1"]),
        ("2024-05-20T08:00:00.000Z", ["twitter:1", "twitter:2"]),
        ("2024-07-01T00:00:00.000Z", ["twitter:1", "twitter:2", "twitter:3"]),
    ],
)
def test_due_posts_at_given_times(scheduled, now, due):
    assert [key for key, _ in scheduled.posts_to_recheck(now, due=True)] == due


def test_without_a_filter_every_archived_post_most_overdue_first_up_to_the_limit(scheduled):
    now = "2024-05-02T00:00:00.000Z"
    assert scheduled.posts_to_recheck(now) == [
        ("twitter:1", "a"),
        ("twitter:2", "a"),
        ("twitter:3", "a"),
    ]
    assert scheduled.posts_to_recheck(now, limit=2) == [("twitter:1", "a"), ("twitter:2", "a")]


def test_older_than_selects_posts_not_answered_for_that_long(scheduled):
    later = "2024-05-10T00:00:00.000Z"
    scheduled.save_witnesses("twitter:2", [live("twitter:2", AGES["twitter:2"], at=later)])
    cutoff = "2024-05-05T00:00:00.000Z"
    assert [k for k, _ in scheduled.posts_to_recheck(later, not_checked_since=cutoff)] == [
        "twitter:1",
        "twitter:3",
    ]
    assert [k for k, _ in scheduled.posts_to_recheck(later, not_checked_since=CHECKED)] == [
        "twitter:1",
        "twitter:3",
    ]
    assert scheduled.posts_to_recheck(later, not_checked_since="2024-05-01T23:59:59.999Z") == []


def test_a_failed_check_is_retried_a_day_later_not_a_month(scheduled):
    scheduled.save_witnesses("twitter:3", [failed("twitter:3", at="2024-06-01T00:00:00.000Z")])
    assert next_checks(scheduled)["twitter:3"] == "2024-06-02T00:00:00.000Z"
    row = scheduled.db.execute(
        "SELECT state, last_answered, last_checked FROM posts WHERE key = 'twitter:3'"
    ).fetchone()
    assert row == ("live", CHECKED, "2024-06-01T00:00:00.000Z")


def test_recheck_due_through_the_library_uses_the_archive_clock(tmp_path, replay):
    db_path = tmp_path / "archive.db"
    archive_into(db_path, replay.url)  # at T0; the posts are two years old: due 30 days later

    assert recheck_at(
        db_path, "2024-03-31T11:59:59.999Z", replay.url, due=True, limit=2
    ).counts == {"posts_selected": 0}
    summary = recheck_at(db_path, "2024-03-31T12:00:00.000Z", replay.url, due=True, limit=2)
    assert (summary.counts["posts_selected"], summary.counts["posts_fetched"]) == (2, 2)
    with open_archive(db_path, clock=Clock("2024-04-10T00:00:00.000Z")) as archive:
        assert len(archive.posts_to_recheck(archive.now(), due=True)) == 3  # the other three


def test_the_window_follows_the_latest_live_and_the_earliest_gone_witness(tmp_path):
    key = "twitter:1641086480675225601"
    post_id = key.split(":")[1]
    oembed = oembed_url(post_id, "a")
    with open_archive(tmp_path / "archive.db", clock=Clock(CHECKED)) as archive:
        archive.save_witnesses(
            key,
            [
                live(key, AGES["twitter:1"], at="2024-05-02T00:00:00.000Z"),
                Witness(
                    "oembed",
                    exchange(oembed, b"{}", fetched_at="2024-05-02T00:00:01.000Z"),
                    PostState.LIVE,
                ),
            ],
        )
        archive.save_witnesses(
            key,
            [
                tombstone_witness(post_id, fetched_at="2024-06-01T00:00:00.000Z"),
                Witness(
                    "oembed",
                    exchange(oembed, b"", status=404, fetched_at="2024-06-01T00:00:01.000Z"),
                    PostState.NOT_FOUND,
                    reason="HTTP 404",
                ),
            ],
        )
        gone = archive.db.execute(
            "SELECT state, state_since, last_seen_live, first_seen_gone FROM posts"
        ).fetchone()
        archive.save_witnesses(key, [failed(key, at="2024-06-10T00:00:00.000Z")])
        still_gone = archive.db.execute(
            "SELECT state, state_since, last_seen_live, first_seen_gone FROM posts"
        ).fetchone()
        archive.save_witnesses(key, [live(key, AGES["twitter:1"], at="2024-07-01T00:00:00.000Z")])
        back = archive.db.execute(
            "SELECT state, state_since, last_seen_live, first_seen_gone FROM posts"
        ).fetchone()
    assert gone == (
        "deleted",
        "2024-06-01T00:00:00.000Z",
        "2024-05-02T00:00:01.000Z",
        "2024-06-01T00:00:00.000Z",
    )
    assert still_gone == gone
    assert back == ("live", "2024-07-01T00:00:00.000Z", "2024-07-01T00:00:00.000Z", None)


def test_an_archive_from_before_the_schedule_is_given_one(tmp_path):
    path = tmp_path / "archive.db"
    db = Database(path)
    MIGRATIONS.apply(db, stop_before="0006_recheck_schedule")
    db.execute(
        "INSERT INTO posts (key, platform, id, state, created_at, first_seen, first_archived,"
        " last_checked) VALUES ('twitter:5', 'twitter', '5', 'live', ?, ?, ?, ?)",
        ["2024-03-23T00:00:00.000Z", CHECKED, CHECKED, "2024-05-03T00:00:00.000Z"],
    )
    db.execute(
        "INSERT INTO snapshots (post_key, source, fetched_at, url, redirect_chain, headers,"
        " truncated, attempts, replay, tool_version) VALUES"
        " ('twitter:5', 'syndication', ?, 'https://x', '[]', '[]', 0, 1, 0, '0.1.0')",
        [CHECKED],
    )
    db.execute(
        "INSERT INTO checks (post_key, snapshot_id, checked_at, source, status, outcome) VALUES"
        " ('twitter:5', 1, ?, 'syndication', 200, 'live'),"
        " ('twitter:5', 1, '2024-05-03T00:00:00.000Z', 'syndication', NULL, 'unknown')",
        [CHECKED],
    )
    db.conn.commit()
    db.close()

    with open_archive(path) as archive:
        row = archive.db.execute(
            "SELECT last_answered, next_check_at FROM posts WHERE key = 'twitter:5'"
        ).fetchone()
    assert row == (CHECKED, "2024-05-12T00:00:00.000Z")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("90m", dt.timedelta(minutes=90)),
        ("12h", dt.timedelta(hours=12)),
        ("7d", dt.timedelta(days=7)),
        ("2W", dt.timedelta(weeks=2)),
        (" 3d ", dt.timedelta(days=3)),
    ],
)
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "7", "d", "0h", "-1d", "1.5d", "3y", "1d2h", "9999999d"])
def test_bad_durations_are_refused(text):
    with pytest.raises(InputError, match="not a duration"):
        parse_duration(text)


def test_an_age_beyond_the_calendar_selects_nothing(db_path, replay):
    result = run_cli(
        "recheck",
        "--db",
        str(db_path),
        "--older-than",
        "999999w",
        "--format",
        "json",
        reroute=replay.url,
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"] == {"posts_selected": 0}


def test_a_post_that_comes_back_closes_its_window(db_path):
    with ReplayServer(RECORDINGS) as server:
        flip_to_tombstone(server, VINDMAN_ID, "YVindman")
        recheck_at(db_path, T1, server.url)
    with ReplayServer(RECORDINGS) as server:
        summary = recheck_at(db_path, "2024-03-03T12:00:00.000Z", server.url)

    assert summary.changes == [StateChange(VINDMAN, "deleted", "live")]
    assert (summary.counts["posts_back"], summary.counts["posts_gone"]) == (1, 0)
    assert window(db_path, VINDMAN) == {
        "state": "live",
        "state_reason": None,
        "state_since": "2024-03-03T12:00:00.000Z",
        "last_seen_live": "2024-03-03T12:00:00.000Z",
        "first_seen_gone": None,
        "first_archived": T0,
        "last_checked": "2024-03-03T12:00:00.000Z",
        "last_answered": "2024-03-03T12:00:00.000Z",
        "next_check_at": "2024-04-02T12:00:00.000Z",
    }
