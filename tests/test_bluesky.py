"""Reading Bluesky AppView answers (app.bsky.feed.getPostThread) into witnesses."""

import asyncio
import copy
import json

import pytest
from fake_internet import FakeInternet
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.fetch.bluesky import fetch_bluesky_witnesses, thread_url
from archiver.models import Exchange, MediaItem, Post, PostState
from archiver.witnesses.bluesky import parse_bluesky_thread

DID = "did:plc:ex4mpledesk7uvwxyz234567"
PARENT_DID = "did:plc:ex4mplewire7uvwxyz234567"
QUOTED_DID = "did:plc:ex4mplesrc7uvwxyz2345678"
RKEY = "3lbqx4w2kd22c"
CDN = "https://cdn.bsky.app/img"


def author(did, handle, name):
    return {
        "did": did,
        "handle": handle,
        "displayName": name,
        "avatar": f"{CDN}/avatar/plain/{did}/bafkreiavatar@jpeg",
        "labels": [],
        "createdAt": "2023-05-01T09:00:00.000Z",
    }


# Written for this test in the shapes of the lexicons (feed/defs.json threadViewPost and
# postView, feed/post.json, embed/recordWithMedia.json, embed/record.json viewRecord,
# embed/images.json view), for made-up accounts.
THREAD = {
    "thread": {
        "$type": "app.bsky.feed.defs#threadViewPost",
        "post": {
            "uri": f"at://{DID}/app.bsky.feed.post/{RKEY}",
            "cid": "bafyreibpostcid",
            "author": author(DID, "desk.example.com", "Example Desk"),
            "record": {
                "$type": "app.bsky.feed.post",
                "text": "Kyiv this morning.\nThe mayor says the city holds.",
                "createdAt": "2024-11-26T08:14:03.512Z",
                "langs": ["en"],
                "reply": {
                    "root": {
                        "uri": f"at://{PARENT_DID}/app.bsky.feed.post/3lbqwroot22c",
                        "cid": "bafyroot",
                    },
                    "parent": {
                        "uri": f"at://{PARENT_DID}/app.bsky.feed.post/3lbqwparent2c",
                        "cid": "bafyparent",
                    },
                },
            },
            "embed": {
                "$type": "app.bsky.embed.recordWithMedia#view",
                "record": {
                    "record": {
                        "$type": "app.bsky.embed.record#viewRecord",
                        "uri": f"at://{QUOTED_DID}/app.bsky.feed.post/3lbqvquoted2c",
                        "cid": "bafyquoted",
                        "author": author(QUOTED_DID, "source.example.org", "Example Source"),
                        "value": {
                            "$type": "app.bsky.feed.post",
                            "text": "Ми тут.",
                            "createdAt": "2024-11-26T07:00:00.000Z",
                            "langs": ["uk"],
                        },
                        "indexedAt": "2024-11-26T07:00:01.000Z",
                    }
                },
                "media": {
                    "$type": "app.bsky.embed.images#view",
                    "images": [
                        {
                            "thumb": f"{CDN}/feed_thumbnail/plain/{DID}/bafkreiphoto@jpeg",
                            "fullsize": f"{CDN}/feed_fullsize/plain/{DID}/bafkreiphoto@jpeg",
                            "alt": "Khreshchatyk at dawn",
                            "aspectRatio": {"width": 2000, "height": 1333},
                        }
                    ],
                },
            },
            "replyCount": 3,
            "repostCount": 12,
            "likeCount": 57,
            "quoteCount": 1,
            "indexedAt": "2024-11-26T08:14:04.100Z",
            "labels": [],
        },
        "parent": {
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": {
                "uri": f"at://{PARENT_DID}/app.bsky.feed.post/3lbqwparent2c",
                "cid": "bafyparent",
                "author": author(PARENT_DID, "wire.example.net", "Example Wire"),
                "record": {
                    "$type": "app.bsky.feed.post",
                    "text": "What is the news from Kyiv?",
                    "createdAt": "2024-11-26T08:00:00.000Z",
                },
                "replyCount": 1,
                "repostCount": 0,
                "likeCount": 2,
                "indexedAt": "2024-11-26T08:00:01.000Z",
            },
        },
    }
}


def answer(body, *, status=200, post_id=f"{DID}/{RKEY}"):
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    url = thread_url(post_id)
    return Exchange(url=url, final_url=url, status=status, headers=[], body=body)


def test_thread_url():
    assert thread_url("desk.example.com/3lbqx4w2kd22c") == (
        "https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread"
        "?uri=at%3A%2F%2Fdesk.example.com%2Fapp.bsky.feed.post%2F3lbqx4w2kd22c&depth=0&parentHeight=1"
    )
    for bad in ["", "desk.example.com", "a b/3lb", "desk.example.com/3l b", "../x/y?z=1"]:
        with pytest.raises(ValueError):
            thread_url(bad)


def test_a_thread_becomes_a_live_witness_with_parent_and_quote():
    witness = parse_bluesky_thread(answer(THREAD))
    assert (witness.source, witness.state, witness.reason, witness.parsed) == (
        "bluesky_appview",
        PostState.LIVE,
        None,
        THREAD,
    )
    assert witness.post == Post(
        platform="bluesky",
        id=f"{DID}/{RKEY}",
        url=f"https://bsky.app/profile/desk.example.com/post/{RKEY}",
        handle="desk.example.com",
        author_name="Example Desk",
        author_id=DID,
        text="Kyiv this morning.\nThe mayor says the city holds.",
        lang="en",
        created_at="2024-11-26T08:14:03.512Z",
        reply_to=f"bluesky:{PARENT_DID}/3lbqwparent2c",
        quote_of=f"bluesky:{QUOTED_DID}/3lbqvquoted2c",
        counts={"likes": 57, "replies": 3, "reposts": 12, "quotes": 1},
        media=[
            MediaItem(
                "photo",
                f"{CDN}/feed_fullsize/plain/{DID}/bafkreiphoto@jpeg",
                alt="Khreshchatyk at dawn",
                width=2000,
                height=1333,
            ),
            MediaItem("profile_image", f"{CDN}/avatar/plain/{DID}/bafkreiavatar@jpeg"),
        ],
    )
    assert witness.related == [
        Post(
            platform="bluesky",
            id=f"{PARENT_DID}/3lbqwparent2c",
            url="https://bsky.app/profile/wire.example.net/post/3lbqwparent2c",
            handle="wire.example.net",
            author_name="Example Wire",
            author_id=PARENT_DID,
            text="What is the news from Kyiv?",
            created_at="2024-11-26T08:00:00.000Z",
            counts={"likes": 2, "replies": 1, "reposts": 0},
            media=[
                MediaItem("profile_image", f"{CDN}/avatar/plain/{PARENT_DID}/bafkreiavatar@jpeg")
            ],
        ),
        Post(
            platform="bluesky",
            id=f"{QUOTED_DID}/3lbqvquoted2c",
            url="https://bsky.app/profile/source.example.org/post/3lbqvquoted2c",
            handle="source.example.org",
            author_name="Example Source",
            author_id=QUOTED_DID,
            text="Ми тут.",
            lang="uk",
            created_at="2024-11-26T07:00:00.000Z",
            media=[
                MediaItem("profile_image", f"{CDN}/avatar/plain/{QUOTED_DID}/bafkreiavatar@jpeg")
            ],
        ),
    ]


def test_a_video_and_a_link_card():
    thread = copy.deepcopy(THREAD)
    post = thread["thread"]["post"]
    post["embed"] = {
        "$type": "app.bsky.embed.video#view",
        "cid": "bafkreivideo",
        "playlist": f"https://video.bsky.app/watch/{DID}/bafkreivideo/playlist.m3u8",
        "thumbnail": f"https://video.bsky.app/watch/{DID}/bafkreivideo/thumbnail.jpg",
        "alt": "The mayor speaking",
        "aspectRatio": {"width": 1280, "height": 720},
    }
    playlist = post["embed"]["playlist"]
    assert parse_bluesky_thread(answer(thread)).post.media[0] == MediaItem(
        "video", playlist, stream_url=playlist, alt="The mayor speaking", width=1280, height=720
    )
    post["embed"] = {
        "$type": "app.bsky.embed.external#view",
        "external": {
            "uri": "https://example.org/kyiv",
            "title": "Kyiv holds",
            "description": "Live updates",
            "thumb": f"{CDN}/feed_thumbnail/plain/{DID}/bafkreithumb@jpeg",
        },
    }
    witness = parse_bluesky_thread(answer(thread))
    assert witness.post.card == {
        "name": "external",
        "url": "https://example.org/kyiv",
        "binding_values": {
            "title": "Kyiv holds",
            "description": "Live updates",
            "thumb": f"{CDN}/feed_thumbnail/plain/{DID}/bafkreithumb@jpeg",
        },
    }
    assert witness.post.quote_of is None


def test_not_found_and_blocked():
    not_found = {
        "thread": {
            "$type": "app.bsky.feed.defs#notFoundPost",
            "uri": f"at://{DID}/app.bsky.feed.post/{RKEY}",
            "notFound": True,
        }
    }
    witness = parse_bluesky_thread(answer(not_found))
    assert (witness.state, witness.reason, witness.post) == (
        PostState.NOT_FOUND,
        "notFoundPost",
        None,
    )
    error = {
        "error": "NotFound",
        "message": f"Post not found: at://{DID}/app.bsky.feed.post/{RKEY}",
    }
    witness = parse_bluesky_thread(answer(error, status=400))
    assert (witness.state, witness.reason) == (PostState.NOT_FOUND, error["message"])
    blocked = {
        "thread": {
            "$type": "app.bsky.feed.defs#blockedPost",
            "uri": "at://x",
            "blocked": True,
            "author": {"did": DID},
        }
    }
    assert parse_bluesky_thread(answer(blocked)).state is PostState.UNAVAILABLE


@pytest.mark.parametrize(
    "status, body, reason",
    [
        (400, {"error": "InvalidRequest", "message": "bad uri"}, "HTTP 400"),
        (429, {"error": "RateLimitExceeded"}, "HTTP 429"),
        (200, b"<html>", "body is not JSON (Expecting value at line 1 column 1)"),
        (200, {"thread": []}, "thread is array, not object"),
        (200, {}, "thread is missing"),
    ],
)
def test_other_answers_are_unknown(status, body, reason):
    witness = parse_bluesky_thread(answer(body, status=status))
    assert (witness.state, witness.post, witness.reason) == (PostState.UNKNOWN, None, reason)


@pytest.mark.parametrize(
    "path, value, reason",
    [
        (("post", "uri"), "https://bsky.app/x", "thread.post.uri is not the AT URI of a post"),
        (
            ("post", "author", "did"),
            "../../etc",
            "thread.post.author has a did or handle that is not one",
        ),
        (("post", "record", "text"), 5, "thread.post.record.text is integer, not string"),
        (("post", "author"), [], "thread.post.author is array, not object"),
    ],
)
def test_fields_relied_on_that_are_wrong_make_it_unknown(path, value, reason):
    thread = copy.deepcopy(THREAD)
    target = thread["thread"]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    witness = parse_bluesky_thread(answer(thread))
    assert (witness.state, witness.reason) == (PostState.UNKNOWN, reason)


def test_media_off_bluesky_hosts_is_skipped_and_named():
    thread = copy.deepcopy(THREAD)
    thread["thread"]["post"]["embed"]["media"]["images"][0]["fullsize"] = "http://127.0.0.1/x.jpg"
    thread["thread"]["post"]["author"]["avatar"] = "https://evil.example/a.jpg"
    witness = parse_bluesky_thread(answer(thread))
    assert witness.state is PostState.LIVE
    assert witness.post.media == []
    assert witness.reason == (
        "ignored: thread.post.embed.media.images[0] skipped: no fullsize on Bluesky's hosts"
    )


def test_media_urls_with_a_line_break_are_skipped():
    thread = copy.deepcopy(THREAD)
    images = thread["thread"]["post"]["embed"]["media"]["images"]
    images[0]["fullsize"] = images[0]["fullsize"] + "\r\nX-Injected: 1"
    witness = parse_bluesky_thread(answer(thread))
    assert witness.state is PostState.LIVE
    assert all("\r" not in item.url and "\n" not in item.url for item in witness.post.media)
    assert "images[0] skipped" in witness.reason


def test_fetching_asks_the_appview_then_the_authors_did_document():
    internet = FakeInternet()
    internet.add(thread_url(f"{DID}/{RKEY}"), THREAD)
    witness, document = asyncio.run(fetch_bluesky_witnesses(internet, f"{DID}/{RKEY}"))
    assert witness.state is PostState.LIVE
    # No DID document here: its 404 is kept (tests/test_atproto_fetch.py has the whole proof).
    assert (document.source, document.state, document.reason) == (
        "atproto_did",
        PostState.UNKNOWN,
        "HTTP 404",
    )
    assert internet.urls == [thread_url(f"{DID}/{RKEY}"), f"https://plc.directory/{DID}"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(
    key=st.sampled_from(["uri", "author", "record", "embed", "likeCount", "replyCount"]), value=JSON
)
def test_any_value_gives_a_witness_never_an_exception(key, value):
    thread = copy.deepcopy(THREAD)
    thread["thread"]["post"][key] = value
    witness = parse_bluesky_thread(answer(thread))
    assert (witness.post is None) == (witness.state is not PostState.LIVE)
