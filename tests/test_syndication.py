"""Reading syndication answers (cdn.syndication.twimg.com/tweet-result) into witnesses."""

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.fetch.twitter.endpoints import syndication_url
from archiver.models import Exchange, MediaItem, Post, PostState, Witness
from archiver.witnesses.twitter.syndication import parse_syndication

PAYLOADS = Path(__file__).parent / "fixtures" / "payloads"
PHOTO_ID = "1641086480675225601"
PHOTO_BODY = (PAYLOADS / "syndication_photo_tweet.json").read_bytes()
TOMBSTONE_BODY = (PAYLOADS / "syndication_tombstone_deleted.json").read_bytes()


def answer(body, *, post_id=PHOTO_ID, status=200, truncated=False, error=None):
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    url = syndication_url(post_id)
    return Exchange(
        url=url,
        final_url=url,
        status=status,
        headers=[("content-type", "application/json;charset=utf-8")],
        body=body,
        truncated=truncated,
        error=error,
    )


def test_the_real_photo_payload_becomes_a_whole_live_witness():
    exchange = answer(PHOTO_BODY)
    assert parse_syndication(exchange) == Witness(
        source="syndication",
        exchange=exchange,
        state=PostState.LIVE,
        post=Post(
            platform="twitter",
            id=PHOTO_ID,
            url="https://twitter.com/SamuelSusla/status/1641086480675225601",
            handle="SamuelSusla",
            author_name="sammy",
            author_id="469266133",
            text=(
                "If you are interested about View Flattening in React Native, I wrote a short "
                "post about it: https://github.com/reactwg/react-native-new-architecture/"
                "discussions/110\n\nLet me know what you think!"
            ),
            lang="en",
            created_at="2023-03-29T14:34:41.000Z",
            created_at_from_id="2023-03-29T14:34:41.562Z",
            reply_to=None,
            quote_of=None,
            counts={"likes": 226, "replies": 1},
            card=None,
            edit_ids=["1641086480675225601"],
            media=[
                MediaItem(
                    kind="photo",
                    url="https://pbs.twimg.com/media/FsZNOgcWAAEQtrd?format=jpg&name=orig",
                    width=1995,
                    height=896,
                ),
                MediaItem(
                    kind="profile_image",
                    url="https://pbs.twimg.com/profile_images/1042172116911697920/JkIt3onc_400x400.jpg",
                ),
            ],
        ),
        related=[],
        reason=None,
        parsed=json.loads(PHOTO_BODY),
    )


def test_the_real_tombstone_is_deleted_and_keeps_its_text():
    exchange = answer(TOMBSTONE_BODY, post_id="1641895049427550208")
    assert parse_syndication(exchange) == Witness(
        source="syndication",
        exchange=exchange,
        state=PostState.DELETED,
        post=None,
        related=[],
        reason="This Post was deleted by the Post author. Learn more",
        parsed=json.loads(TOMBSTONE_BODY),
    )


@pytest.mark.parametrize(
    "text, state",
    [
        ("This Tweet was deleted by the Tweet author. Learn more", PostState.DELETED),
        ("This Post is from a suspended account. Learn more", PostState.SUSPENDED),
        ("This Post is from an account that no longer exists. Learn more", PostState.DELETED),
        (
            "You’re unable to view this Post because this account owner limits who can view "
            "their Posts. Learn more",
            PostState.PROTECTED,
        ),
        (
            "This Post has been withheld in Germany in response to a legal demand.",
            PostState.RESTRICTED,
        ),
        (
            "Age-restricted adult content. This content might not be appropriate for people "
            "under 18 years old.",
            PostState.RESTRICTED,
        ),
        ("This Post is unavailable. Learn more", PostState.UNAVAILABLE),
        ("Ce post n’est pas disponible.", PostState.UNAVAILABLE),
    ],
)
def test_tombstone_texts_give_states_and_stay_the_reason(text, state):
    body = {
        "__typename": "TweetTombstone",
        "tombstone": {"text": {"text": text, "entities": [], "rtl": False}},
    }
    witness = parse_syndication(answer(body))
    assert (witness.state, witness.reason, witness.post) == (state, text, None)


@pytest.mark.parametrize(
    "tombstone", [{}, None, {"text": {}}, {"text": {"text": "   "}}, {"text": 5}]
)
def test_a_tombstone_without_text_is_unavailable(tombstone):
    body = {"__typename": "TweetTombstone", "tombstone": tombstone}
    witness = parse_syndication(answer(body))
    assert (witness.state, witness.reason) == (PostState.UNAVAILABLE, "TweetTombstone without text")


@pytest.mark.parametrize(
    "reason, state",
    [
        ("Protected", PostState.PROTECTED),
        ("NsfwLoggedOut", PostState.RESTRICTED),
        ("Suspended", PostState.SUSPENDED),
        ("SomethingNew", PostState.UNAVAILABLE),
        (None, PostState.UNAVAILABLE),
    ],
)
def test_tweet_unavailable_is_tolerated(reason, state):
    witness = parse_syndication(answer({"__typename": "TweetUnavailable", "reason": reason}))
    assert (witness.state, witness.reason) == (state, f"TweetUnavailable: {reason or 'no reason'}")


def test_visibility_results_wrap_the_tweet():
    body = {"__typename": "TweetWithVisibilityResults", "tweet": json.loads(PHOTO_BODY)}
    witness = parse_syndication(answer(body))
    assert witness.state is PostState.LIVE
    assert witness.post == parse_syndication(answer(PHOTO_BODY)).post


def test_404_is_not_found_whatever_the_body():
    exchange = answer(b"<html><body>Not Found</body></html>", status=404)
    assert parse_syndication(exchange) == Witness(
        "syndication", exchange, PostState.NOT_FOUND, reason="HTTP 404", parsed=None
    )


def test_an_empty_object_is_not_found():
    exchange = answer(b"{}")
    assert parse_syndication(exchange) == Witness(
        "syndication", exchange, PostState.NOT_FOUND, reason="empty object", parsed={}
    )


@pytest.mark.parametrize("status", [429, 500, 503, 403, 301, 204])
def test_other_statuses_are_unknown(status):
    exchange = answer(b'{"error": "Rate limit exceeded"}', status=status)
    assert parse_syndication(exchange) == Witness(
        "syndication",
        exchange,
        PostState.UNKNOWN,
        reason=f"HTTP {status}",
        parsed={"error": "Rate limit exceeded"},
    )


def test_no_response_at_all_is_unknown_with_the_error():
    exchange = answer(b"", status=None, error="ReadTimeout")
    witness = parse_syndication(exchange)
    assert (witness.state, witness.reason) == (PostState.UNKNOWN, "no response (ReadTimeout)")


def test_a_truncated_body_is_unknown_even_if_what_arrived_parses():
    exchange = answer(PHOTO_BODY, truncated=True)
    witness = parse_syndication(exchange)
    assert (witness.state, witness.post, witness.reason) == (
        PostState.UNKNOWN,
        None,
        f"body truncated at {len(PHOTO_BODY)} bytes",
    )


@pytest.mark.parametrize(
    "body, reason",
    [
        (
            b'{"__typename": "Tweet", ',
            "body is not JSON "
            "(Expecting property name enclosed in double quotes at line 1 column 25)",
        ),
        (b"\xff\xfe{}", "body is not UTF-8 (invalid start byte at byte 0)"),
        (b"", "body is not JSON (Expecting value at line 1 column 1)"),
        (b"[" * 100_000 + b"]" * 100_000, "body is not usable JSON (nested too deeply)"),
        (b"[]", "the answer is array, not an object"),
        (b'"Tweet"', "the answer is string, not an object"),
        (b'{"id_str": "1641086480675225601"}', "unexpected __typename 'null'"),
        (b'{"__typename": "Tweet"}', "id_str is missing"),
        (b'{"error": "Invalid token"}', "the answer is an error: Invalid token"),
        (
            b'{"errors": [{"code": 144, "message": "No status found with that ID."}]}',
            "the answer is an error: No status found with that ID.",
        ),
        (b'{"__typename": "' + b"A" * 500 + b'"}', "unexpected __typename '" + "A" * 80 + "'"),
    ],
)
def test_malformed_bodies_are_unknown_with_a_reason(body, reason):
    exchange = answer(body)
    witness = parse_syndication(exchange)
    assert (witness.source, witness.exchange, witness.state, witness.post, witness.reason) == (
        "syndication",
        exchange,
        PostState.UNKNOWN,
        None,
        reason,
    )


def photo_with(**changes):
    payload = json.loads(PHOTO_BODY)
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = payload
        for key in parents:
            target = target[key]
        target[last] = value
    return payload


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"text": 5}, "text is integer, not string"),
        ({"user": []}, "user is array, not object"),
        ({"user__screen_name": None}, "user.screen_name is null, not string"),
        ({"user__screen_name": "../../etc/passwd"}, "user.screen_name is not an X handle"),
        ({"id_str": "../../etc/passwd"}, "the answer has an id_str that is not a number"),
        ({"id_str": "1" * 400}, "the answer has an id_str that is not a number"),
        ({"id_str": 1641086480675225601}, "id_str is integer, not string"),
        ({"text": "x" * 200_000}, "text is 200000 characters long (more than 100000)"),
        (
            {"id_str": "1641895049427550208"},
            "the answer is about post 1641895049427550208, not the post asked for "
            "(1641086480675225601)",
        ),
    ],
)
def test_fields_relied_on_with_wrong_types_or_values_make_the_witness_unknown(changes, reason):
    witness = parse_syndication(answer(photo_with(**changes)))
    assert (witness.state, witness.post, witness.reason) == (PostState.UNKNOWN, None, reason)


def test_optional_fields_that_are_wrong_are_skipped_and_named():
    payload = photo_with(
        favorite_count="226",
        lang=["en"],
        created_at="yesterday",
        display_text_range=[0, 9999],
        user__id_str="../469266133",
        user__profile_image_url_https="https://evil.example/a.jpg",
        mediaDetails=[{"type": "photo", "media_url_https": "http://127.0.0.1/x.jpg"}, "junk"],
        entities={"urls": {"url": "nope"}},
    )
    witness = parse_syndication(answer(payload))
    assert witness.state is PostState.LIVE
    assert witness.reason == (
        "ignored: user.id_str is not in the expected form; "
        "display_text_range does not fit the text; kept whole; "
        "entities.urls is object, not an array; "
        "lang is array, not string; created_at is not in the expected form; "
        "favorite_count is string, not integer; "
        "mediaDetails[0] skipped: not a photo, video or GIF on X's media hosts; "
        "mediaDetails[1] skipped: not a photo, video or GIF on X's media hosts; "
        "user.profile_image_url_https is not on X's media hosts"
    )
    assert witness.post == Post(
        platform="twitter",
        id=PHOTO_ID,
        url="https://twitter.com/SamuelSusla/status/1641086480675225601",
        handle="SamuelSusla",
        author_name="sammy",
        author_id=None,
        text=json.loads(PHOTO_BODY)["text"],
        lang=None,
        created_at=None,
        created_at_from_id="2023-03-29T14:34:41.562Z",
        counts={"replies": 1},
        edit_ids=["1641086480675225601"],
        media=[],
    )


def test_a_long_post_says_its_text_is_cut_short():
    payload = photo_with(note_tweet={"id": "Tm90ZVR3ZWV0UmVzdWx0czoxNjQxMDg2NDgwNjc1MjI1NjAx"})
    witness = parse_syndication(answer(payload))
    assert (witness.state, witness.reason) == (
        PostState.LIVE,
        "text cut short: the full text is a note_tweet this answer does not carry",
    )
    payload["lang"] = 5
    assert parse_syndication(answer(payload)).reason == (
        "text cut short: the full text is a note_tweet this answer does not carry; "
        "ignored: lang is integer, not string"
    )


def test_text_is_cut_in_code_points_and_unescaped_after_the_cut():
    # Indices count code points of the escaped text: "&amp;" is five, each emoji one.
    text = "Fish &amp; chips 🐟🍟 &lt;3 https://t.co/AbCdEfGhIj"
    payload = photo_with(
        text=text,
        display_text_range=[0, 25],
        entities={"hashtags": {}, "urls": {}, "user_mentions": [], "symbols": {}, "media": []},
    )
    witness = parse_syndication(answer(payload))
    assert witness.post.text == "Fish & chips 🐟🍟 <3"
    assert witness.reason is None


# A reply that quotes another post, with a video and a link card: written for this test in the
# shapes of docs/endpoints.md §2.3 (react-tweet types) around made-up accounts.
REPLY_ID = "1497497466410598401"
PARENT_ID = "1497485413259546625"
QUOTED_ID = "1497272591419342850"
MEDIA_ID = "1497497390292467713"
REPLY_TEXT = (
    "@ExampleWire Full address &amp; translation: https://t.co/Lk4Ab9Xc2Q "
    "via @ExampleDesk https://t.co/Vd8kQ2pLmN"
)


def avatar(name):
    return f"https://pbs.twimg.com/profile_images/1455/{name}_normal.jpg"


def reply_payload():
    link_start = REPLY_TEXT.index("https://t.co/Lk4")
    media_start = REPLY_TEXT.index("https://t.co/Vd8")
    return {
        "__typename": "Tweet",
        "lang": "en",
        "favorite_count": 41,
        "possibly_sensitive": False,
        "created_at": "2022-02-26T09:03:12.000Z",
        "display_text_range": [13, media_start - 1],
        "entities": {
            "hashtags": [],
            "urls": [
                {
                    "display_url": "example.org/zelensky-addr…",
                    "expanded_url": "https://example.org/zelensky-address?lang=en&src=tw",
                    "indices": [link_start, link_start + 23],
                    "url": "https://t.co/Lk4Ab9Xc2Q",
                }
            ],
            "user_mentions": [
                {
                    "id_str": "7",
                    "indices": [0, 12],
                    "name": "Example Wire",
                    "screen_name": "ExampleWire",
                }
            ],
            "symbols": [],
            "media": [
                {
                    "display_url": "pic.twitter.com/Vd8kQ2pLmN",
                    "expanded_url": f"https://twitter.com/ExampleDesk/status/{REPLY_ID}/video/1",
                    "indices": [media_start, media_start + 23],
                    "url": "https://t.co/Vd8kQ2pLmN",
                }
            ],
        },
        "id_str": REPLY_ID,
        "text": REPLY_TEXT,
        "user": {
            "id_str": "1234567",
            "name": "Example Desk",
            "profile_image_url_https": avatar("desk"),
            "screen_name": "ExampleDesk",
            "verified": False,
            "is_blue_verified": False,
        },
        "edit_control": {
            "edit_tweet_ids": ["1497497466410598401"],
            "editable_until_msecs": "1645868592000",
            "is_edit_eligible": True,
            "edits_remaining": "5",
        },
        "mediaDetails": [
            {
                "display_url": "pic.twitter.com/Vd8kQ2pLmN",
                "expanded_url": f"https://twitter.com/ExampleDesk/status/{REPLY_ID}/video/1",
                "ext_media_availability": {"status": "Available"},
                "indices": [media_start, media_start + 23],
                "media_url_https": f"https://pbs.twimg.com/ext_tw_video_thumb/{MEDIA_ID}/pu/img/Qm2.jpg",
                "original_info": {"height": 720, "width": 1280, "focus_rects": []},
                "type": "video",
                "url": "https://t.co/Vd8kQ2pLmN",
                "video_info": {
                    "aspect_ratio": [16, 9],
                    "duration_millis": 48000,
                    "variants": [
                        {
                            "content_type": "application/x-mpegURL",
                            "url": f"https://video.twimg.com/ext_tw_video/{MEDIA_ID}/pu/pl/Zt1.m3u8?tag=12",
                        },
                        {
                            "bitrate": 832000,
                            "content_type": "video/mp4",
                            "url": f"https://video.twimg.com/ext_tw_video/{MEDIA_ID}/pu/vid/640x360/a.mp4?tag=12",
                        },
                        {
                            "bitrate": 2176000,
                            "content_type": "video/mp4",
                            "url": f"https://video.twimg.com/ext_tw_video/{MEDIA_ID}/pu/vid/1280x720/b.mp4?tag=12",
                        },
                        {
                            "bitrate": 256000,
                            "content_type": "video/mp4",
                            "url": f"https://video.twimg.com/ext_tw_video/{MEDIA_ID}/pu/vid/480x270/c.mp4?tag=12",
                        },
                    ],
                },
            }
        ],
        "conversation_count": 3,
        "news_action_type": "conversation",
        "in_reply_to_screen_name": "ExampleWire",
        "in_reply_to_status_id_str": PARENT_ID,
        "in_reply_to_user_id_str": "7",
        "parent": {
            "lang": "en",
            "reply_count": 12,
            "retweet_count": 30,
            "favorite_count": 95,
            "created_at": "2022-02-26T08:15:19.000Z",
            "display_text_range": [0, 34],
            "entities": {"hashtags": [], "urls": [], "user_mentions": [], "symbols": []},
            "id_str": PARENT_ID,
            "text": "Zelensky posts a new video address",
            "user": {
                "id_str": "7",
                "name": "Example Wire",
                "profile_image_url_https": avatar("wire"),
                "screen_name": "ExampleWire",
            },
            "edit_control": {
                "edit_tweet_ids": [PARENT_ID],
                "editable_until_msecs": "1645865719000",
            },
            "isEdited": False,
            "isStaleEdit": False,
        },
        "quoted_tweet": {
            "lang": "uk",
            "reply_count": 1500,
            "retweet_count": 21000,
            "favorite_count": 150000,
            "created_at": "2022-02-25T18:09:38.000Z",
            "display_text_range": [0, 19],
            "entities": {"hashtags": [], "urls": [], "user_mentions": [], "symbols": []},
            "id_str": QUOTED_ID,
            "text": "Ми тут. Ми в Києві.",
            "user": {"id_str": "99", "name": "Example Source", "screen_name": "ExampleSource"},
            "self_thread": {"id_str": QUOTED_ID},
        },
        "card": {
            "card_platform": {"platform": {"audience": {"name": "production"}}},
            "name": "summary_large_image",
            "url": "https://t.co/Lk4Ab9Xc2Q",
            "binding_values": {
                "title": {"string_value": "Zelensky's address, in full", "type": "STRING"},
                "domain": {"string_value": "example.org", "type": "STRING"},
                "thumbnail_image": {
                    "image_value": {
                        "height": 144,
                        "width": 144,
                        "url": "https://pbs.twimg.com/card_img/1497/Ab?format=jpg&name=144x144_2",
                    },
                    "type": "IMAGE",
                },
                "photo_image_full_size_original": {
                    "image_value": {
                        "height": 1200,
                        "width": 2400,
                        "url": "https://pbs.twimg.com/card_img/1497/Ab?format=jpg&name=orig",
                        "alt": "Zelensky outside the presidential office",
                    },
                    "type": "IMAGE",
                },
                "site": {
                    "scribe_key": "publisher_id",
                    "type": "USER",
                    "user_value": {"id_str": "99", "path": []},
                },
            },
        },
        "isEdited": False,
        "isStaleEdit": False,
    }


def test_a_reply_that_quotes_keeps_parent_and_quote_as_their_own_posts():
    payload = reply_payload()
    witness = parse_syndication(answer(payload, post_id=REPLY_ID))
    assert witness.state is PostState.LIVE
    assert witness.reason is None
    assert witness.post == Post(
        platform="twitter",
        id=REPLY_ID,
        url=f"https://twitter.com/ExampleDesk/status/{REPLY_ID}",
        handle="ExampleDesk",
        author_name="Example Desk",
        author_id="1234567",
        text=(
            "Full address & translation: https://example.org/zelensky-address?lang=en&src=tw "
            "via @ExampleDesk"
        ),
        lang="en",
        created_at="2022-02-26T09:03:12.000Z",
        created_at_from_id="2022-02-26T09:03:12.806Z",
        reply_to=f"twitter:{PARENT_ID}",
        quote_of=f"twitter:{QUOTED_ID}",
        counts={"likes": 41, "replies": 3},
        card={
            "name": "summary_large_image",
            "url": "https://t.co/Lk4Ab9Xc2Q",
            "binding_values": payload["card"]["binding_values"],
        },
        edit_ids=[REPLY_ID],
        media=[
            MediaItem(
                kind="video",
                url=f"https://video.twimg.com/ext_tw_video/{MEDIA_ID}/pu/vid/1280x720/b.mp4?tag=12",
                stream_url=f"https://video.twimg.com/ext_tw_video/{MEDIA_ID}/pu/pl/Zt1.m3u8?tag=12",
                width=1280,
                height=720,
                bitrate=2176000,
            ),
            MediaItem(
                kind="profile_image",
                url="https://pbs.twimg.com/profile_images/1455/desk_400x400.jpg",
            ),
            MediaItem(
                kind="card_image",
                url="https://pbs.twimg.com/card_img/1497/Ab?format=jpg&name=orig",
                alt="Zelensky outside the presidential office",
                width=2400,
                height=1200,
            ),
        ],
    )
    assert witness.related == [
        Post(
            platform="twitter",
            id=PARENT_ID,
            url=f"https://twitter.com/ExampleWire/status/{PARENT_ID}",
            handle="ExampleWire",
            author_name="Example Wire",
            author_id="7",
            text="Zelensky posts a new video address",
            lang="en",
            created_at="2022-02-26T08:15:19.000Z",
            created_at_from_id="2022-02-26T08:15:19.111Z",
            counts={"likes": 95, "replies": 12, "reposts": 30},
            edit_ids=[PARENT_ID],
            media=[
                MediaItem(
                    kind="profile_image",
                    url="https://pbs.twimg.com/profile_images/1455/wire_400x400.jpg",
                )
            ],
        ),
        Post(
            platform="twitter",
            id=QUOTED_ID,
            url=f"https://twitter.com/ExampleSource/status/{QUOTED_ID}",
            handle="ExampleSource",
            author_name="Example Source",
            author_id="99",
            text="Ми тут. Ми в Києві.",
            lang="uk",
            created_at="2022-02-25T18:09:38.000Z",
            created_at_from_id="2022-02-25T18:09:38.430Z",
            counts={"likes": 150000, "replies": 1500, "reposts": 21000},
        ),
    ]


def test_a_reply_without_its_parent_still_names_it():
    payload = reply_payload()
    del payload["parent"]
    witness = parse_syndication(answer(payload, post_id=REPLY_ID))
    assert witness.post.reply_to == f"twitter:{PARENT_ID}"
    assert [p.id for p in witness.related] == [QUOTED_ID]


def test_a_broken_quoted_post_is_skipped_and_named_not_fatal():
    payload = reply_payload()
    payload["quoted_tweet"]["user"] = "ExampleSource"
    witness = parse_syndication(answer(payload, post_id=REPLY_ID))
    assert witness.state is PostState.LIVE
    assert witness.post.quote_of is None
    assert [p.id for p in witness.related] == [PARENT_ID]
    assert (
        witness.reason == "ignored: quoted_tweet skipped: quoted_tweet.user is string, not object"
    )


def test_an_animated_gif_keeps_its_only_mp4_and_a_video_with_only_a_playlist_keeps_that():
    payload = reply_payload()
    gif = copy.deepcopy(payload["mediaDetails"][0])
    gif["type"] = "animated_gif"
    gif["video_info"]["variants"] = [
        {
            "bitrate": 0,
            "content_type": "video/mp4",
            "url": "https://video.twimg.com/tweet_video/Fz.mp4",
        }
    ]
    hls_only = copy.deepcopy(payload["mediaDetails"][0])
    hls_only["video_info"]["variants"] = hls_only["video_info"]["variants"][:1]
    payload["mediaDetails"] = [gif, hls_only]
    media = parse_syndication(answer(payload, post_id=REPLY_ID)).post.media
    playlist = f"https://video.twimg.com/ext_tw_video/{MEDIA_ID}/pu/pl/Zt1.m3u8?tag=12"
    assert media[:2] == [
        MediaItem(
            kind="animated_gif",
            url="https://video.twimg.com/tweet_video/Fz.mp4",
            width=1280,
            height=720,
        ),
        MediaItem(kind="video", url=playlist, stream_url=playlist, width=1280, height=720),
    ]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = [
    "text", "user", "id_str", "display_text_range", "entities", "mediaDetails", "card",
    "parent", "quoted_tweet", "edit_control", "favorite_count", "created_at", "lang", "__typename",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(FIELDS), value=JSON_VALUES)
def test_any_value_in_any_field_gives_a_witness_never_an_exception(field, value):
    payload = json.loads(PHOTO_BODY)
    payload[field] = value
    witness = parse_syndication(answer(payload))
    assert witness.state in (PostState.LIVE, PostState.UNKNOWN, PostState.UNAVAILABLE,
                             PostState.NOT_FOUND, PostState.RESTRICTED)  # fmt: skip
    assert (witness.post is None) == (witness.state is not PostState.LIVE)


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=200) | JSON_VALUES.map(lambda v: json.dumps(v).encode()))
def test_any_body_gives_a_witness_never_an_exception(body):
    assert parse_syndication(answer(body)).source == "syndication"
