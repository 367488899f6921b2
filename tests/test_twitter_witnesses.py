"""Asking syndication, then oEmbed, about one post: two witnesses whatever happens."""

import asyncio
import json
from pathlib import Path

from fake_internet import FETCHED_AT, FakeInternet

from archiver.errors import TransportError
from archiver.fetch.twitter import fetch_twitter_witnesses
from archiver.fetch.twitter.endpoints import oembed_url, syndication_url
from archiver.models import Exchange, PostState, Witness
from archiver.witnesses.twitter.oembed import parse_oembed
from archiver.witnesses.twitter.syndication import parse_syndication

PAYLOADS = Path(__file__).parent / "fixtures" / "payloads"
PHOTO_ID = "1641086480675225601"
PHOTO = json.loads((PAYLOADS / "syndication_photo_tweet.json").read_bytes())
TOMBSTONE = (PAYLOADS / "syndication_tombstone_deleted.json").read_bytes()
OEMBED = json.loads((PAYLOADS / "oembed_twitter_tweet.json").read_bytes())
GONE_ID = "1641895049427550208"
JSON_HEADERS = {"Accept": "application/json"}


def witnesses(internet, post_id, **options):
    return asyncio.run(fetch_twitter_witnesses(internet, post_id, **options))


def sent(url, status, body):
    return Exchange(
        url=url,
        final_url=url,
        status=status,
        headers=[("content-type", "application/json")],
        body=body,
        fetched_at=FETCHED_AT,
    )


def oembed_for_photo():
    # the oEmbed sample is of another post; shaped here to name the photo post
    html = (
        '<blockquote class="twitter-tweet" data-dnt="true"><p lang="en" dir="ltr">If you are '
        "interested about View Flattening in React Native, I wrote a short post about it: "
        '<a href="https://t.co/4G6RAMfrHy">https://t.co/4G6RAMfrHy</a><br><br>Let me know what '
        'you think! <a href="https://t.co/rQd6FIwZ0U">pic.twitter.com/rQd6FIwZ0U</a></p>&mdash; '
        'sammy (@SamuelSusla) <a href="https://twitter.com/SamuelSusla/status/1641086480675225601'
        '?ref_src=twsrc%5Etfw">March 29, 2023</a></blockquote>\n'
    )
    return dict(
        OEMBED,
        url=f"https://twitter.com/SamuelSusla/status/{PHOTO_ID}",
        author_name="sammy",
        author_url="https://twitter.com/SamuelSusla",
        html=html,
    )


def test_a_live_post_gets_both_witnesses_and_oembed_uses_the_handle_syndication_gave():
    internet = FakeInternet()
    internet.add(syndication_url(PHOTO_ID), PHOTO)
    internet.add(oembed_url(PHOTO_ID, "SamuelSusla"), oembed_for_photo())
    result = witnesses(internet, PHOTO_ID, handle="someone_else")
    syndication_body = json.dumps(PHOTO).encode()
    oembed_body = json.dumps(oembed_for_photo()).encode()
    assert result == [
        parse_syndication(sent(syndication_url(PHOTO_ID), 200, syndication_body)),
        parse_oembed(sent(oembed_url(PHOTO_ID, "SamuelSusla"), 200, oembed_body)),
    ]
    assert [(w.source, w.state) for w in result] == [
        ("syndication", PostState.LIVE),
        ("oembed", PostState.LIVE),
    ]
    assert result[1].post.text == (
        "If you are interested about View Flattening in React Native, I wrote a short post about "
        "it: https://t.co/4G6RAMfrHy\n\nLet me know what you think! pic.twitter.com/rQd6FIwZ0U"
    )
    assert [(r.url, r.headers) for r in internet.requests] == [
        (syndication_url(PHOTO_ID), JSON_HEADERS),
        (oembed_url(PHOTO_ID, "SamuelSusla"), JSON_HEADERS),
    ]
    assert all(r.max_bytes for r in internet.requests)


def test_a_gone_post_still_gets_both_witnesses_asked_with_the_given_handle():
    internet = FakeInternet()
    internet.add(syndication_url(GONE_ID), TOMBSTONE)
    internet.add(oembed_url(GONE_ID, "ExampleGone"), b"", status=404)
    result = witnesses(internet, GONE_ID, handle="ExampleGone")
    assert [(w.source, w.state, w.reason) for w in result] == [
        ("syndication", PostState.DELETED, "This Post was deleted by the Post author. Learn more"),
        ("oembed", PostState.NOT_FOUND, "HTTP 404"),
    ]
    assert internet.urls == [syndication_url(GONE_ID), oembed_url(GONE_ID, "ExampleGone")]


def test_without_any_handle_oembed_is_asked_for_i():
    internet = FakeInternet()  # nothing recorded: both answer 404
    result = witnesses(internet, GONE_ID, handle="../../etc")
    assert [w.state for w in result] == [PostState.NOT_FOUND, PostState.NOT_FOUND]
    assert internet.urls == [syndication_url(GONE_ID), oembed_url(GONE_ID, "i")]


def test_a_request_that_raises_becomes_an_unknown_witness_holding_the_error():
    internet = FakeInternet()
    internet.fail(
        syndication_url(GONE_ID),
        TransportError("ConnectTimeout after 3 attempts", url=syndication_url(GONE_ID)),
    )
    internet.add(oembed_url(GONE_ID, "ExampleGone"), b"", status=404)
    syndication, oembed = witnesses(internet, GONE_ID, handle="ExampleGone")
    reason = "TransportError: ConnectTimeout after 3 attempts"
    assert syndication.source == "syndication"
    assert syndication.state is PostState.UNKNOWN
    assert syndication.reason == reason
    assert syndication.exchange.url == syndication_url(GONE_ID)
    assert syndication.exchange.status is None
    assert syndication.exchange.error == reason
    assert oembed.state is PostState.NOT_FOUND


def test_an_oversized_answer_keeps_its_partial_exchange():
    internet = FakeInternet()
    huge = {"__typename": "Tweet", "text": "x" * (5 * 1024 * 1024)}
    internet.add(syndication_url(PHOTO_ID), huge)
    internet.add(oembed_url(PHOTO_ID, "SamuelSusla"), oembed_for_photo())
    syndication, oembed = witnesses(internet, PHOTO_ID, handle="SamuelSusla")
    cap = internet.requests[0].max_bytes
    assert syndication == Witness(
        source="syndication",
        exchange=Exchange(
            url=syndication_url(PHOTO_ID),
            final_url=syndication_url(PHOTO_ID),
            status=200,
            headers=[("content-type", "application/json")],
            body=json.dumps(huge).encode()[:cap],
            fetched_at=FETCHED_AT,
            truncated=True,
            error=f"ResponseTooLarge: body passed {cap} bytes",
        ),
        state=PostState.UNKNOWN,
        reason=f"ResponseTooLarge: body passed {cap} bytes",
    )
    assert oembed.state is PostState.LIVE
