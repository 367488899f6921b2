"""Posts in the archive: resolutions, witnesses, state over time, media, runs and failures."""

import dataclasses
import hashlib
import json

import pytest
from store_samples import (
    FETCHED_AT,
    PAYLOADS,
    SAMPLE_IDS,
    TickingClock,
    exchange,
    sample_article,
    scan_of,
    syndication_url,
    tco_hop,
    tombstone_witness,
)

from archiver.errors import StoreError
from archiver.models import Exchange, MediaItem, Post, PostState, Resolution, Witness
from archiver.store import open_archive

T0 = "2024-05-01T09:00:00.000Z"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

SUSLA_ID = "1641086480675225601"
SUSLA_KEY = f"twitter:{SUSLA_ID}"
SUSLA_BODY = (PAYLOADS / "syndication_photo_tweet.json").read_bytes()
SUSLA_TEXT = (
    "If you are interested about View Flattening in React Native, I wrote a short post about it: "
    "https://github.com/reactwg/react-native-new-architecture/discussions/110\n\n"
    "Let me know what you think!"
)
# What the syndication parser makes of the real payload (text cut at display_text_range,
# t.co links expanded, the id-derived time beside the reported one).
SUSLA = Post(
    platform="twitter",
    id=SUSLA_ID,
    url=f"https://twitter.com/SamuelSusla/status/{SUSLA_ID}",
    handle="SamuelSusla",
    author_name="sammy",
    author_id="469266133",
    text=SUSLA_TEXT,
    lang="en",
    created_at="2023-03-29T14:34:41.000Z",
    created_at_from_id="2023-03-29T14:34:41.562Z",
    counts={"likes": 226, "replies": 1},
    edit_ids=[SUSLA_ID],
    media=[
        MediaItem(
            kind="photo",
            url="https://pbs.twimg.com/media/FsZNOgcWAAEQtrd?format=jpg&name=orig",
            width=1995,
            height=896,
        )
    ],
)


def susla_witness(*, fetched_at=FETCHED_AT):
    return Witness(
        source="syndication",
        exchange=exchange(syndication_url(SUSLA_ID), SUSLA_BODY, fetched_at=fetched_at),
        state=PostState.LIVE,
        post=SUSLA,
        parsed=json.loads(SUSLA_BODY),
    )


def oembed_exchange(post_id, handle, body, *, status, fetched_at):
    url = (
        "https://publish.twitter.com/oembed?url=https%3A%2F%2Ftwitter.com%2F"
        f"{handle}%2Fstatus%2F{post_id}&omit_script=1&dnt=1"
    )
    return exchange(url, body, status=status, fetched_at=fetched_at)


@pytest.fixture
def archive(tmp_path):
    with open_archive(tmp_path / "archive.db", clock=TickingClock()) as archive:
        yield archive


def rows(archive, table, **where):
    return list(
        archive.db[table].rows_where(
            " and ".join(f"{k} = ?" for k in where) or None, list(where.values())
        )
    )


def test_a_resolution_links_the_embed_and_keeps_every_hop(archive):
    article = sample_article()
    archive.save_article(article, scan_of(article))
    post_id = SAMPLE_IDS["ChristopherJM"]
    status_url = f"https://twitter.com/ChristopherJM/status/{post_id}/video/1"
    hop = tco_hop("bgHyrsbVFs", status_url)

    archive.save_resolution(1, Resolution("twitter", post_id, status_url, "shortlink", [hop]))

    assert rows(archive, "posts") == [
        {
            "key": f"twitter:{post_id}",
            "platform": "twitter",
            "id": post_id,
            "url": status_url,
            "handle": "ChristopherJM",
            "author_name": None,
            "author_id": None,
            "text": None,
            "lang": None,
            "created_at": None,
            "created_at_from_id": None,
            "parent_post_key": None,
            "quoted_post_key": None,
            "counts": None,
            "card": None,
            "edit_ids": None,
            "state": "unknown",
            "state_reason": None,
            "state_since": None,
            "last_seen_live": None,
            "first_seen_gone": None,
            "first_seen": "2024-05-01T09:00:01.000Z",
            "first_archived": None,
            "last_checked": None,
            "title": f"@ChristopherJM: twitter:{post_id}",
            "media_snapshot_id": None,
            "last_answered": None,
            "next_check_at": None,
        }
    ]
    assert rows(archive, "snapshots") == [
        {
            "id": 1,
            "post_key": None,
            "embed_id": 1,
            "run_id": None,
            "source": "resolution",
            "fetched_at": FETCHED_AT,
            "url": "https://t.co/bgHyrsbVFs",
            "final_url": status_url,
            "redirect_chain": json.dumps(
                [
                    {
                        "url": "https://t.co/bgHyrsbVFs",
                        "status": 301,
                        "location": status_url,
                        "via": "http",
                    }
                ],
                separators=(",", ":"),
            ),
            "status": 301,
            "headers": json.dumps(
                [["location", status_url], ["cache-control", "private,max-age=300"]],
                separators=(",", ":"),
            ),
            "body_sha256": EMPTY_SHA256,
            "bytes": 0,
            "content_type": None,
            "truncated": 0,
            "error": None,
            "parsed": None,
            "elapsed_ms": 0.0,
            "attempts": 1,
            "replay": 0,
            "tool_version": "0.1.0",
            "title": f"resolution at {FETCHED_AT}",
        }
    ]
    embed = rows(archive, "embeds", id=1)[0]
    assert {k: embed[k] for k in ("post_key", "resolved_how", "resolved_url", "resolved_at")} == {
        "post_key": f"twitter:{post_id}",
        "resolved_how": "shortlink",
        "resolved_url": status_url,
        "resolved_at": "2024-05-01T09:00:01.000Z",
    }
    assert json.loads(embed["resolved_chain"]) == [
        {
            "snapshot_id": 1,
            "url": "https://t.co/bgHyrsbVFs",
            "status": 301,
            "final_url": status_url,
            "hops": [
                {
                    "url": "https://t.co/bgHyrsbVFs",
                    "status": 301,
                    "location": status_url,
                    "via": "http",
                }
            ],
        }
    ]
    assert [e.id for e in archive.embeds_to_resolve()] == [2, 3, 4, 5]
    assert not archive.post_has_snapshot(f"twitter:{post_id}")


def test_resolving_an_embed_that_does_not_exist_is_an_error(archive):
    with pytest.raises(StoreError, match="no embed 7"):
        archive.save_resolution(
            7, Resolution("twitter", "1", "https://x.com/i/status/1", "status_url")
        )
    assert archive.db["posts"].count == 0


def test_a_live_post_is_stored_from_its_witness_as_whole_rows(archive):
    [snapshot_id] = archive.save_witnesses(SUSLA_KEY, [susla_witness()], run_id=None)

    assert rows(archive, "posts") == [
        {
            "key": SUSLA_KEY,
            "platform": "twitter",
            "id": SUSLA_ID,
            "url": f"https://twitter.com/SamuelSusla/status/{SUSLA_ID}",
            "handle": "SamuelSusla",
            "author_name": "sammy",
            "author_id": "469266133",
            "text": SUSLA_TEXT,
            "lang": "en",
            "created_at": "2023-03-29T14:34:41.000Z",
            "created_at_from_id": "2023-03-29T14:34:41.562Z",
            "parent_post_key": None,
            "quoted_post_key": None,
            "counts": '{"likes":226,"replies":1}',
            "card": None,
            "edit_ids": f'["{SUSLA_ID}"]',
            "state": "live",
            "state_reason": None,
            "state_since": FETCHED_AT,
            "last_seen_live": FETCHED_AT,
            "first_seen_gone": None,
            "first_seen": T0,
            "first_archived": FETCHED_AT,
            "last_checked": FETCHED_AT,
            "title": "@SamuelSusla: " + SUSLA_TEXT[:80],
            "media_snapshot_id": snapshot_id,  # its photo and avatar are still to download
            "last_answered": FETCHED_AT,
            # a quarter of its age at the check (399 days) is more than the 30 days allowed
            "next_check_at": "2024-05-31T10:00:00.000Z",
        }
    ]
    snapshot = rows(archive, "snapshots")[0]
    assert snapshot == {
        "id": snapshot_id,
        "post_key": SUSLA_KEY,
        "embed_id": None,
        "run_id": None,
        "source": "syndication",
        "fetched_at": FETCHED_AT,
        "url": syndication_url(SUSLA_ID),
        "final_url": syndication_url(SUSLA_ID),
        "redirect_chain": "[]",
        "status": 200,
        "headers": '[["content-type","application/json; charset=utf-8"]]',
        "body_sha256": hashlib.sha256(SUSLA_BODY).hexdigest(),
        "bytes": len(SUSLA_BODY),
        "content_type": "application/json",
        "truncated": 0,
        "error": None,
        "parsed": None,  # the body is its own JSON: kept once, as the body
        "elapsed_ms": 0.0,
        "attempts": 1,
        "replay": 0,
        "tool_version": "0.1.0",
        "title": f"syndication at {FETCHED_AT}",
    }
    assert archive.get_blob(snapshot["body_sha256"]) == SUSLA_BODY
    assert rows(archive, "checks") == [
        {
            "id": 1,
            "post_key": SUSLA_KEY,
            "snapshot_id": snapshot_id,
            "run_id": None,
            "checked_at": FETCHED_AT,
            "source": "syndication",
            "status": 200,
            "outcome": "live",
            "reason": None,
        }
    ]
    # The post's own media link, from entities.media / mediaDetails of the payload.
    assert rows(archive, "pic_links") == [
        {
            "id": 1,
            "code": "rQd6FIwZ0U",
            "embed_id": None,
            "post_key": SUSLA_KEY,
            "link": "pic.twitter.com/rQd6FIwZ0U",
        }
    ]
    assert archive.post_has_snapshot(SUSLA_KEY)


def test_a_parsed_reading_that_is_more_than_the_body_is_kept(archive):
    page = b'<blockquote class="twitter-tweet"><p lang="en">Hello</p></blockquote>'
    witness = Witness(
        source="oembed",
        exchange=exchange("https://publish.twitter.com/oembed?url=x", page, headers=[]),
        state=PostState.UNKNOWN,
        reason="HTML where JSON was expected",
        parsed={"html": page.decode()},
    )

    [snapshot_id] = archive.save_witnesses(SUSLA_KEY, [witness])

    parsed = rows(archive, "snapshots", id=snapshot_id)[0]["parsed"]
    assert json.loads(parsed) == {"html": page.decode()}


def test_an_oembed_witness_gives_the_text_and_its_pic_link(archive):
    body = (PAYLOADS / "oembed_twitter_tweet.json").read_bytes()
    post = Post(
        platform="twitter",
        id="705219971425574912",
        url="https://twitter.com/sengineland/status/705219971425574912",
        handle="sengineland",
        author_name="Search Engine Land",
        text="On our way to the #GoogleDance! #SMX 💃🏻 pic.twitter.com/N8kZ9M3eN4",
        lang="en",
    )
    witness = Witness(
        source="oembed",
        exchange=oembed_exchange(post.id, "sengineland", body, status=200, fetched_at=FETCHED_AT),
        state=PostState.LIVE,
        post=post,
        parsed=json.loads(body),
    )

    archive.save_witnesses(post.key, [witness])

    row = rows(archive, "posts")[0]
    assert (row["text"], row["author_name"], row["state"]) == (
        post.text,
        "Search Engine Land",
        "live",
    )
    assert [(r["code"], r["post_key"]) for r in rows(archive, "pic_links")] == [
        ("N8kZ9M3eN4", post.key)
    ]


def test_a_later_tombstone_changes_the_state_and_keeps_text_and_earlier_snapshots(archive):
    archive.save_witnesses(SUSLA_KEY, [susla_witness()])
    gone_at = "2024-06-01T08:00:00.000Z"

    archive.save_witnesses(SUSLA_KEY, [tombstone_witness(SUSLA_ID, fetched_at=gone_at)])

    post = rows(archive, "posts")[0]
    assert {k: post[k] for k in post if k in ("text", "handle", "author_name", "counts")} == {
        "handle": "SamuelSusla",
        "author_name": "sammy",
        "text": SUSLA_TEXT,
        "counts": '{"likes":226,"replies":1}',
    }
    assert {k: post[k] for k in ("state", "state_since", "state_reason")} == {
        "state": "deleted",
        "state_since": gone_at,
        "state_reason": "This Post was deleted by the Post author. Learn more",
    }
    # The vanish window: last seen live, first seen gone.
    assert (post["last_seen_live"], post["first_seen_gone"]) == (FETCHED_AT, gone_at)
    assert (post["first_archived"], post["last_checked"]) == (FETCHED_AT, gone_at)
    assert [(s["source"], s["fetched_at"]) for s in archive.snapshot_history(SUSLA_KEY)] == [
        ("syndication", FETCHED_AT),
        ("syndication", gone_at),
    ]
    assert [(s["outcome"], s["sha256"]) for s in archive.snapshot_history(SUSLA_KEY)] == [
        ("live", hashlib.sha256(SUSLA_BODY).hexdigest()),
        (
            "deleted",
            hashlib.sha256(
                (PAYLOADS / "syndication_tombstone_deleted.json").read_bytes()
            ).hexdigest(),
        ),
    ]


def test_a_failed_witness_never_overrides_a_known_state(archive):
    archive.save_witnesses(SUSLA_KEY, [susla_witness()])
    failed_at = "2024-06-01T08:00:00.000Z"
    failed = Witness(
        source="syndication",
        exchange=Exchange(
            url=syndication_url(SUSLA_ID),
            final_url=syndication_url(SUSLA_ID),
            status=None,
            fetched_at=failed_at,
            attempts=4,
            error="ReadTimeout: timed out after 20 s",
        ),
        state=PostState.UNKNOWN,
        reason="ReadTimeout: timed out after 20 s",
    )

    [snapshot_id] = archive.save_witnesses(SUSLA_KEY, [failed])

    post = rows(archive, "posts")[0]
    assert (post["state"], post["state_since"], post["last_checked"]) == (
        "live",
        FETCHED_AT,
        failed_at,
    )
    snapshot = rows(archive, "snapshots", id=snapshot_id)[0]
    assert (
        snapshot["status"],
        snapshot["body_sha256"],
        snapshot["bytes"],
        snapshot["attempts"],
    ) == (
        None,
        None,
        None,
        4,
    )
    assert snapshot["error"] == "ReadTimeout: timed out after 20 s"
    assert rows(archive, "checks", snapshot_id=snapshot_id)[0]["outcome"] == "unknown"


def test_failed_attempts_alone_do_not_count_as_a_snapshot(archive):
    failed = Witness(
        source="syndication",
        exchange=exchange(syndication_url(SUSLA_ID), b"<html>upstream error</html>", status=503),
        state=PostState.UNKNOWN,
        reason="HTTP 503",
    )

    archive.save_witnesses(SUSLA_KEY, [failed])

    assert not archive.post_has_snapshot(SUSLA_KEY)
    post = rows(archive, "posts")[0]
    assert (post["state"], post["first_archived"], post["last_checked"]) == (
        "unknown",
        None,
        FETCHED_AT,
    )


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ((PostState.LIVE, PostState.NOT_FOUND), "live"),
        ((PostState.UNAVAILABLE, PostState.PROTECTED), "protected"),
        ((PostState.NOT_FOUND, PostState.DELETED), "deleted"),
        ((PostState.UNKNOWN, PostState.NOT_FOUND), "not_found"),
    ],
)
def test_the_most_informative_witness_decides_the_state(archive, states, expected):
    syndication, oembed = states
    witnesses = [
        Witness(
            source="syndication",
            exchange=exchange(syndication_url(SUSLA_ID), b"{}", fetched_at=FETCHED_AT),
            state=syndication,
        ),
        Witness(
            source="oembed",
            exchange=oembed_exchange(
                SUSLA_ID, "SamuelSusla", b"{}", status=403, fetched_at=FETCHED_AT
            ),
            state=oembed,
        ),
    ]

    archive.save_witnesses(SUSLA_KEY, witnesses)

    assert rows(archive, "posts")[0]["state"] == expected
    assert [c["outcome"] for c in rows(archive, "checks")] == [syndication.value, oembed.value]


def test_a_post_seen_live_again_closes_its_vanish_window(archive):
    archive.save_witnesses(SUSLA_KEY, [susla_witness()])
    archive.save_witnesses(
        SUSLA_KEY, [tombstone_witness(SUSLA_ID, fetched_at="2024-06-01T08:00:00.000Z")]
    )

    archive.save_witnesses(SUSLA_KEY, [susla_witness(fetched_at="2024-07-01T08:00:00.000Z")])

    post = rows(archive, "posts")[0]
    assert {k: post[k] for k in ("state", "state_since", "last_seen_live", "first_seen_gone")} == {
        "state": "live",
        "state_since": "2024-07-01T08:00:00.000Z",
        "last_seen_live": "2024-07-01T08:00:00.000Z",
        "first_seen_gone": None,
    }


def test_parent_and_quoted_posts_are_stored_and_linked(archive):
    parent = Post(
        platform="twitter",
        id="1641000000000000000",
        url="https://twitter.com/reactwg/status/1641000000000000000",
        handle="reactwg",
        text="The new architecture discussion is open.",
    )
    quoted = Post(
        platform="twitter",
        id="1640000000000000000",
        url="https://twitter.com/reactnative/status/1640000000000000000",
        handle="reactnative",
        text="View flattening, explained. pic.twitter.com/AbCdE12345",
    )
    post = Post(
        **{
            **{f: getattr(SUSLA, f) for f in SUSLA.__dataclass_fields__},
            "reply_to": parent.key,
            "quote_of": quoted.key,
        }
    )
    witness = susla_witness()
    witness.post = post
    witness.related = [parent, quoted]

    archive.save_witnesses(SUSLA_KEY, [witness])

    by_key = {row["key"]: row for row in rows(archive, "posts")}
    assert (by_key[SUSLA_KEY]["parent_post_key"], by_key[SUSLA_KEY]["quoted_post_key"]) == (
        parent.key,
        quoted.key,
    )
    assert {k: by_key[quoted.key][k] for k in ("handle", "text", "state", "first_archived")} == {
        "handle": "reactnative",
        "text": "View flattening, explained. pic.twitter.com/AbCdE12345",
        "state": "unknown",
        "first_archived": None,
    }
    assert by_key[parent.key]["text"] == "The new architecture discussion is open."
    assert [(r["code"], r["post_key"]) for r in rows(archive, "pic_links")] == [
        ("AbCdE12345", quoted.key),
        ("rQd6FIwZ0U", SUSLA_KEY),
    ]
    assert archive.check() == []


def test_media_bytes_are_stored_once_and_failed_downloads_are_kept(archive):
    [snapshot_id] = archive.save_witnesses(SUSLA_KEY, [susla_witness()])
    item = SUSLA.media[0]
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) + b"\xff\xd9"
    download = exchange(item.url, jpeg, headers=[("content-type", "image/jpeg")])

    media_id = archive.save_media(SUSLA_KEY, item, download, snapshot_id=snapshot_id)
    again = archive.save_media(SUSLA_KEY, item, download, snapshot_id=snapshot_id)
    failed = archive.save_media(
        SUSLA_KEY,
        item,
        Exchange(
            url=item.url,
            final_url=item.url,
            status=None,
            fetched_at=FETCHED_AT,
            error="ConnectError",
        ),
    )

    assert again == media_id
    assert rows(archive, "media") == [
        {
            "id": media_id,
            "post_key": SUSLA_KEY,
            "snapshot_id": snapshot_id,
            "kind": "photo",
            "url": item.url,
            "stream_url": None,
            "alt": None,
            "width": 1995,
            "height": 896,
            "bitrate": None,
            "fetched_at": FETCHED_AT,
            "final_url": item.url,
            "redirect_chain": "[]",
            "status": 200,
            "sha256": hashlib.sha256(jpeg).hexdigest(),
            "bytes": len(jpeg),
            "content_type": "image/jpeg",
            "truncated": 0,
            "error": None,
            "replay": 0,
            "reused_from_media_id": None,
        },
        {
            "id": failed,
            "post_key": SUSLA_KEY,
            "snapshot_id": None,
            "kind": "photo",
            "url": item.url,
            "stream_url": None,
            "alt": None,
            "width": 1995,
            "height": 896,
            "bitrate": None,
            "fetched_at": FETCHED_AT,
            "final_url": item.url,
            "redirect_chain": "[]",
            "status": None,
            "sha256": None,
            "bytes": None,
            "content_type": None,
            "truncated": 0,
            "error": "ConnectError",
            "replay": 0,
            "reused_from_media_id": None,
        },
    ]
    assert archive.get_blob(hashlib.sha256(jpeg).hexdigest()) == jpeg
    assert (
        rows(archive, "blobs", sha256=hashlib.sha256(jpeg).hexdigest())[0]["content_type"]
        == "image/jpeg"
    )


def test_runs_and_failures_are_recorded(archive):
    run_id = archive.start_run(
        "archive", ["--no-fetch", "examples/zelensky-stays-in-kyiv.txt"], replay=True
    )
    failure = archive.record_failure(
        run_id=run_id,
        stage="fetch",
        reason="HTTP 429 after 4 attempts",
        post_key=SUSLA_KEY,
        url=syndication_url(SUSLA_ID),
    )
    archive.finish_run(run_id, counts={"articles": 1, "embeds": 5}, error_count=1)

    assert rows(archive, "runs") == [
        {
            "id": run_id,
            "command": "archive",
            "arguments": '["--no-fetch","examples/zelensky-stays-in-kyiv.txt"]',
            "replay": 1,
            "version": "0.1.0",
            "started_at": T0,
            "finished_at": "2024-05-01T09:00:02.000Z",
            "duration_s": 2.0,
            "counts": '{"articles":1,"embeds":5}',
            "error_count": 1,
            "title": f"archive at {T0}",
        }
    ]
    assert rows(archive, "failures") == [
        {
            "id": failure,
            "run_id": run_id,
            "failed_at": "2024-05-01T09:00:01.000Z",
            "stage": "fetch",
            "reason": "HTTP 429 after 4 attempts",
            "article_id": None,
            "embed_id": None,
            "post_key": SUSLA_KEY,
            "url": syndication_url(SUSLA_ID),
            "snapshot_id": None,
        }
    ]
    assert rows(archive, "posts")[0]["state"] == "unknown"


def test_a_failure_naming_an_article_that_does_not_exist_is_refused(archive):
    with pytest.raises(StoreError, match="FOREIGN KEY"):
        archive.record_failure(run_id=None, stage="scan", reason="binary file", article_id=42)
    assert archive.db["failures"].count == 0


def test_blobs_are_stored_once(archive):
    first = archive.put_blob(b"same bytes")
    second = archive.put_blob(b"same bytes", content_type="text/plain")

    assert first == second == hashlib.sha256(b"same bytes").hexdigest()
    assert rows(archive, "blobs") == [
        {
            "sha256": first,
            "content": b"same bytes",
            "bytes": 10,
            "content_type": "text/plain",
            "first_seen": T0,
        }
    ]
    with pytest.raises(StoreError, match="no blob"):
        archive.get_blob("0" * 64)


def test_a_malformed_post_key_is_refused(archive):
    with pytest.raises(StoreError, match="not a post key"):
        archive.save_witnesses("1641086480675225601", [susla_witness()])
    assert archive.db["snapshots"].count == 0


def test_posts_to_fetch_are_the_embedded_posts_no_witness_answered_for(archive):
    article = sample_article()
    archive.save_article(article, scan_of(article))
    keys = {}
    for embed_id, handle, code in [
        (1, "ChristopherJM", "bgHyrsbVFs"),
        (2, "SaoSasha", "JDLXtYAq5q"),
    ]:
        post_id = SAMPLE_IDS[handle]
        status_url = f"https://twitter.com/{handle}/status/{post_id}/photo/1"
        archive.save_resolution(
            embed_id,
            Resolution("twitter", post_id, status_url, "shortlink", [tco_hop(code, status_url)]),
        )
        keys[handle] = f"twitter:{post_id}"
    archive.save_witnesses(SUSLA_KEY, [susla_witness()])  # archived, but no article embeds it
    assert archive.posts_to_fetch() == [
        (keys["ChristopherJM"], "ChristopherJM"),
        (keys["SaoSasha"], "SaoSasha"),
    ]

    archive.save_witnesses(
        keys["ChristopherJM"],
        [tombstone_witness(SAMPLE_IDS["ChristopherJM"], fetched_at=FETCHED_AT)],
    )

    assert archive.posts_to_fetch() == [(keys["SaoSasha"], "SaoSasha")]
    assert archive.posts_to_fetch(force=True) == [
        (keys["ChristopherJM"], "ChristopherJM"),
        (keys["SaoSasha"], "SaoSasha"),
    ]


def test_an_article_is_known_by_its_url_or_where_it_redirected(archive):
    url = "https://example.org/2022/02/26/zelensky-stays"
    final_url = "https://www.example.org/2022/02/26/zelensky-stays/"
    article = dataclasses.replace(sample_article(), source=url, final_url=final_url)
    assert not archive.has_article(url)

    archive.save_article(article, scan_of(article))

    assert archive.has_article(url)
    assert archive.has_article(final_url)
    assert not archive.has_article("https://example.org/other")
