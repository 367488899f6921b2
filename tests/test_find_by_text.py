"""Finding the post behind an attribution line with no link: Wayback candidates, matched by text."""

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest
from fake_internet import FakeInternet

from archiver.errors import HTTPStatusError, PayloadError, TransportError
from archiver.fetch.twitter import find_by_text, syndication_url
from archiver.fetch.twitter.find_by_text import (
    MATCH_THRESHOLD,
    normalise_text,
    text_similarity,
    wayback_queries,
)
from archiver.models import Resolution
from archiver.scan import scan_bytes
from archiver.witnesses.twitter.snowflake import TWITTER_EPOCH_MS

HANDLE = "ExampleWire"
DATE = "2022-02-26"
ARTICLE_TEXT = (
    "Ukrainian President Zelenskiy turns down U.S. request to evacuate Kyiv, saying: "
    "“I need ammunition, not a ride” - AP"
)
QUERIES = wayback_queries(HANDLE, dt.date(2022, 2, 26))


def minted(when, low=7):
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC)
    return str(((int(moment.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22) | low)


def tweet(post_id, text, *, handle=HANDLE):
    created = dt.datetime(1970, 1, 1) + dt.timedelta(
        milliseconds=(int(post_id) >> 22) + TWITTER_EPOCH_MS
    )
    return {
        "__typename": "Tweet",
        "lang": "en",
        "favorite_count": 10,
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "display_text_range": [0, len(text)],
        "entities": {"hashtags": [], "urls": [], "user_mentions": [], "symbols": []},
        "id_str": post_id,
        "text": text,
        "user": {"id_str": "42", "name": "Example Wire", "screen_name": handle},
        "conversation_count": 1,
    }


MATCH = minted("2022-02-26T02:31:44")
CLOSE_DECOY = minted("2022-02-26T12:10:00")  # nearest to the date's noon: asked first
OTHER_ACCOUNT = minted("2022-02-26T13:00:00")
OLDER = minted("2022-02-25T08:00:00")
NEWER = minted("2022-02-27T21:00:00")
OUTSIDE = [minted("2022-02-24T23:59:59"), minted("2022-02-28T00:00:00")]


def cdx(*ids, handle=HANDLE):
    rows = [["original"]] + [[f"https://twitter.com/{handle}/status/{i}"] for i in ids]
    return json.dumps(rows)


def internet_with(candidates, *, listed=None):
    """CDX answers listing ``listed`` (default: the candidates and the ids outside the window)."""
    internet = FakeInternet()
    listed = list(candidates) + OUTSIDE if listed is None else listed
    for query in QUERIES:
        prefix = query.split("/status/")[1].split("*")[0]
        internet.add(query, cdx(*[i for i in listed if i.startswith(prefix)]))
    for post_id, body in candidates.items():
        internet.add(syndication_url(post_id), body)
    return internet


def find(internet, **options):
    options = {"handle": HANDLE, "date": DATE, "text": ARTICLE_TEXT} | options
    return asyncio.run(find_by_text(internet, **options))


def test_the_post_whose_text_matches_is_found_and_decoys_are_rejected():
    internet = internet_with(
        {
            CLOSE_DECOY: tweet(
                CLOSE_DECOY,
                "Ukrainian President Zelenskiy turns down U.S. offer to evacuate Kyiv - AP",
            ),
            OTHER_ACCOUNT: tweet(OTHER_ACCOUNT, ARTICLE_TEXT, handle="SomeoneElse"),
            MATCH: tweet(MATCH, ARTICLE_TEXT.replace("“", '"').replace("”", '"')),
            OLDER: tweet(OLDER, "Air raid sirens sound across Kyiv, according to local media"),
            NEWER: {
                "__typename": "TweetTombstone",
                "tombstone": {"text": {"text": "This Post was deleted"}},
            },
        }
    )
    resolution = find(internet)
    assert resolution == Resolution(
        platform="twitter",
        post_id=MATCH,
        status_url=f"https://twitter.com/{HANDLE}/status/{MATCH}",
        how="wayback_cdx+text_match",
        exchanges=resolution.exchanges,
    )
    # every CDX answer, then the candidates nearest the date's noon first, up to the exact match
    asked = [syndication_url(i) for i in (CLOSE_DECOY, OTHER_ACCOUNT, MATCH)]
    assert internet.urls == [*QUERIES, *asked]
    assert [e.url for e in resolution.exchanges] == internet.urls
    assert all(r.max_bytes for r in internet.requests)


def test_ids_outside_the_window_are_never_fetched():
    internet = internet_with({}, listed=OUTSIDE)
    assert find(internet) is None
    assert internet.urls == QUERIES


def test_the_best_of_several_close_texts_wins():
    near = minted("2022-02-26T12:00:00")
    internet = internet_with(
        {
            near: tweet(near, ARTICLE_TEXT.removesuffix(" - AP")),  # 0.97: asked first
            MATCH: tweet(MATCH, ARTICLE_TEXT + " https://t.co/AbCdEfGhIj"),  # 1.0 once links go
        }
    )
    assert find(internet).post_id == MATCH


def test_a_text_that_is_only_similar_is_not_accepted():
    internet = internet_with(
        {
            MATCH: tweet(
                MATCH, "Ukrainian President Zelenskiy turns down U.S. offer to evacuate Kyiv - AP"
            )
        }
    )
    assert find(internet) is None


def test_candidates_are_bounded():
    ids = [minted(f"2022-02-26T12:{m:02d}:00") for m in range(10)]
    internet = internet_with(
        {i: tweet(i, f"Update number {i}") for i in ids} | {MATCH: tweet(MATCH, ARTICLE_TEXT)}
    )
    assert find(internet, max_candidates=5) is None
    assert len(internet.urls) == len(QUERIES) + 5
    assert find(internet, max_candidates=11).post_id == MATCH


def test_a_candidate_that_fails_is_skipped_and_kept_on_record():
    internet = internet_with({CLOSE_DECOY: {}, MATCH: tweet(MATCH, ARTICLE_TEXT)})
    internet.fail(
        syndication_url(CLOSE_DECOY), TransportError("reset", url=syndication_url(CLOSE_DECOY))
    )
    resolution = find(internet)
    assert resolution.post_id == MATCH
    failed = resolution.exchanges[len(QUERIES)]
    assert (failed.url, failed.status, failed.error) == (
        syndication_url(CLOSE_DECOY),
        None,
        "TransportError: reset",
    )


def test_nothing_captured_means_nothing_found():
    internet = FakeInternet()
    for query in QUERIES:
        internet.add(query, "[]")
    assert find(internet) is None
    assert internet.urls == QUERIES


def test_rows_that_are_not_status_urls_are_ignored():
    internet = internet_with({MATCH: tweet(MATCH, ARTICLE_TEXT)})
    bucket = next(q for q in QUERIES if f"/status/{MATCH[:4]}*" in q)
    rows = [
        ["original"],
        ["https://twitter.com/ExampleWire"],
        [5],
        ["../../etc/passwd"],
        [f"https://twitter.com/{HANDLE}/status/{MATCH}/photo/1"],
        [f"https://twitter.com/{HANDLE.lower()}/status/{MATCH}?s=20"],
    ]
    internet.add(bucket, json.dumps(rows))
    assert find(internet).post_id == MATCH
    assert internet.urls.count(syndication_url(MATCH)) == 1


@pytest.mark.parametrize(
    "status, body, error, message",
    [
        (503, "busy", HTTPStatusError, "the Wayback CDX answered HTTP 503"),
        (200, "<html>", PayloadError, "body is not JSON (Expecting value at line 1 column 1)"),
        (200, '{"rows": []}', PayloadError, "the CDX answer is not a list of rows"),
        (200, "[[], []]", PayloadError, "the CDX answer is not a list of rows"),
    ],
)
def test_an_unusable_cdx_answer_raises_with_its_exchange(status, body, error, message):
    internet = FakeInternet()
    internet.add(QUERIES[0], body, status=status)
    with pytest.raises(error) as caught:
        find(internet)
    assert str(caught.value) == message
    assert caught.value.exchange.url == QUERIES[0]
    assert caught.value.exchange.body == body.encode()


def test_a_cdx_transport_failure_propagates():
    internet = FakeInternet()
    internet.fail(QUERIES[0], TransportError("timed out", url=QUERIES[0]))
    with pytest.raises(TransportError):
        find(internet)


@pytest.mark.parametrize(
    "options",
    [
        {"handle": "Example Wire"},
        {"handle": "../x"},
        {"handle": "../x", "text": ""},
        {"date": "26 February 2022"},
    ],
)
def test_bad_arguments_are_refused(options):
    with pytest.raises(ValueError):
        find(FakeInternet(), **options)


@pytest.mark.parametrize(
    "a, b",
    [
        ("“We are here.” pic.twitter.com/bgHyrsbVFs", '"we are HERE." https://t.co/bgHyrsbVFs'),
        ("I’m  in awe\nof this man", "I'm in awe of this man"),
        ("see t.co/AbC and https://x.com/a/status/1", "see and"),
        ("ﬁne", "fine"),  # NFKC folds the ligature
    ],
)
def test_normalised_texts_that_copying_changed_are_equal(a, b):
    assert normalise_text(a) == normalise_text(b)


def test_similarity_threshold_sits_between_a_copy_and_a_related_post():
    original = normalise_text(ARTICLE_TEXT)
    reworded = normalise_text(
        "Ukrainian President Zelensky turns down U.S. request to evacuate Kyiv, saying: "
        "“I need ammunition, not a ride”"
    )
    related = normalise_text(
        "Ukrainian President Zelenskiy turns down U.S. offer to evacuate Kyiv - AP"
    )
    assert text_similarity(original, original) == 1.0
    assert text_similarity(original, reworded) >= MATCH_THRESHOLD
    assert text_similarity(original, related) < MATCH_THRESHOLD


@pytest.mark.parametrize("text", ["", "pic.twitter.com/bgHyrsbVFs", "🔥🔥", "Wow."])
def test_a_text_too_short_to_match_on_asks_nothing(text):
    internet = internet_with({MATCH: tweet(MATCH, text)})
    assert find(internet, text=text) is None
    assert internet.urls == []


# Written for these tests: a post of several paragraphs, of which an article quotes a part.
LONG_POST = (
    "Schools in the region will stay closed until March 14.\n\n"
    "“Every child will be taught online from Monday.”\n\n"
    "Details follow tomorrow."
)


@pytest.mark.parametrize(
    "quoted",
    [
        "Schools in the region will stay closed until March 14.",
        "“Every child will be taught online from Monday.” Details follow tomorrow.",
        "Schools in the region will stay closed […] taught online from Monday.",
        "…will stay closed until March 14. “Every child…",
    ],
)
def test_an_article_that_quotes_part_of_a_post_finds_it(quoted):
    internet = internet_with(
        {
            CLOSE_DECOY: tweet(CLOSE_DECOY, "Schools in the capital reopen on Monday."),
            MATCH: tweet(MATCH, LONG_POST),
        }
    )
    resolution = find(internet, text=quoted)
    assert (resolution.post_id, resolution.how) == (MATCH, "wayback_cdx+quote_match")


@pytest.mark.parametrize(
    "quoted",
    [
        "will stay closed until March 14.",  # 32 characters: a stock phrase could hold it
        "Schools in the region will stay closed until March 15.",  # not what the post says
        "Details follow tomorrow. Schools in the region will stay closed",  # out of order
    ],
)
def test_a_short_or_different_quote_finds_nothing(quoted):
    internet = internet_with({MATCH: tweet(MATCH, LONG_POST)})
    assert find(internet, text=quoted) is None


def test_a_quote_that_two_posts_hold_finds_neither():
    internet = internet_with(
        {
            CLOSE_DECOY: tweet(CLOSE_DECOY, LONG_POST.replace("Details", "More")),
            MATCH: tweet(MATCH, LONG_POST),
        }
    )
    assert find(internet, text="Schools in the region will stay closed until March 14.") is None


def test_a_whole_match_wins_over_a_post_that_holds_the_quote():
    quoted = "Schools in the region will stay closed until March 14."
    internet = internet_with(
        {CLOSE_DECOY: tweet(CLOSE_DECOY, LONG_POST), MATCH: tweet(MATCH, quoted)}
    )
    resolution = find(internet, text=quoted)
    assert (resolution.post_id, resolution.how) == (MATCH, "wayback_cdx+text_match")


def test_the_scanners_text_of_a_post_quoted_over_paragraphs_finds_the_post():
    # tests/fixtures/scan-accuracy: with a lead-in the scanner takes the whole post (a whole
    # match); without one it takes its last two paragraphs, which the post holds (a quote match).
    fixtures = Path(__file__).resolve().parent / "fixtures" / "scan-accuracy"
    internet = internet_with(
        {CLOSE_DECOY: tweet(CLOSE_DECOY, "Schools reopen."), MATCH: tweet(MATCH, LONG_POST)}
    )
    hows = []
    for name in ("ministry-multi-paragraph.txt", "ministry-no-lead-in.txt"):
        [embed] = [
            e for e in scan_bytes((fixtures / name).read_bytes()).embeds if e.handle == "health_min"
        ]
        assert (embed.handle, embed.date) == ("health_min", "2022-03-04")
        resolution = find(internet, text=embed.text)  # the fake Wayback's account and day
        hows.append((resolution.post_id, resolution.how))
    assert hows == [(MATCH, "wayback_cdx+text_match"), (MATCH, "wayback_cdx+quote_match")]
