"""Reading publish.twitter.com/oembed answers into witnesses."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.fetch.twitter.endpoints import oembed_url
from archiver.models import Exchange, Post, PostState, Witness
from archiver.witnesses.twitter.oembed import blockquote_text, parse_oembed

PAYLOADS = Path(__file__).parent / "fixtures" / "payloads"
SAMPLE_ID = "705219971425574912"
SAMPLE_BODY = (PAYLOADS / "oembed_twitter_tweet.json").read_bytes()
PROTECTED_BODY = (
    b'{"error":"Sorry, you are not authorized to see this status.",'
    b'"request":"\\/oembed?url=https:\\/\\/twitter.com\\/ExampleLocked\\/status\\/1497497466410598401"}'
)


def answer(body, *, post_id=SAMPLE_ID, handle="sengineland", status=200, truncated=False):
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    url = oembed_url(post_id, handle)
    return Exchange(
        url=url,
        final_url=url,
        status=status,
        headers=[("content-type", "application/json; charset=utf-8")],
        body=body,
        truncated=truncated,
    )


def sample_with(**changes):
    payload = json.loads(SAMPLE_BODY)
    payload.update(changes)
    return payload


def test_the_real_payload_becomes_a_whole_live_witness():
    exchange = answer(SAMPLE_BODY)
    assert parse_oembed(exchange) == Witness(
        source="oembed",
        exchange=exchange,
        state=PostState.LIVE,
        post=Post(
            platform="twitter",
            id=SAMPLE_ID,
            url="https://twitter.com/sengineland/status/705219971425574912",
            handle="sengineland",
            author_name="Search Engine Land",
            author_id=None,
            text="On our way to the #GoogleDance! #SMX 💃🏻 pic.twitter.com/N8kZ9M3eN4",
            lang="en",
            created_at=None,
            created_at_from_id="2016-03-03T02:35:18.198Z",
            reply_to=None,
            quote_of=None,
            counts={},
            card=None,
            edit_ids=[],
            media=[],
        ),
        related=[],
        reason=None,
        parsed=json.loads(SAMPLE_BODY),
    )
    assert parse_oembed(exchange).parsed["html"].startswith('<blockquote class="twitter-tweet"')


def test_asked_without_the_handle_the_answer_still_names_the_author():
    witness = parse_oembed(answer(SAMPLE_BODY, handle="i"))
    assert (witness.state, witness.post.handle) == (PostState.LIVE, "sengineland")


def test_403_is_protected_with_x_s_message():
    exchange = answer(
        PROTECTED_BODY, post_id="1497497466410598401", handle="ExampleLocked", status=403
    )
    assert parse_oembed(exchange) == Witness(
        source="oembed",
        exchange=exchange,
        state=PostState.PROTECTED,
        reason="Sorry, you are not authorized to see this status.",
        parsed=json.loads(PROTECTED_BODY),
    )


def test_403_without_a_json_body_is_still_protected():
    witness = parse_oembed(answer(b"<html>Forbidden</html>", status=403))
    assert (witness.state, witness.reason, witness.parsed) == (
        PostState.PROTECTED,
        "HTTP 403",
        None,
    )


def test_404_is_not_found():
    exchange = answer(b"", status=404)
    assert parse_oembed(exchange) == Witness(
        "oembed", exchange, PostState.NOT_FOUND, reason="HTTP 404", parsed=None
    )


@pytest.mark.parametrize("status", [429, 500, 502, 400, 302])
def test_other_statuses_are_unknown(status):
    witness = parse_oembed(answer(b'{"errors":[{"code":88}]}', status=status))
    assert (witness.state, witness.post, witness.reason) == (
        PostState.UNKNOWN,
        None,
        f"HTTP {status}",
    )


def test_no_response_is_unknown():
    url = oembed_url(SAMPLE_ID, "sengineland")
    exchange = Exchange(url=url, final_url=url, status=None, error="ConnectError: refused")
    witness = parse_oembed(exchange)
    assert (witness.state, witness.reason) == (
        PostState.UNKNOWN,
        "no response (ConnectError: refused)",
    )


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"<!DOCTYPE html><html>", "body is not JSON (Expecting value at line 1 column 1)"),
        (b"[]", "the answer is array, not an object"),
        (json.dumps(sample_with(html=5)).encode(), "html is integer, not string"),
        (
            json.dumps(sample_with(html="<div>no quote</div>")).encode(),
            "html has no <p> inside a <blockquote>",
        ),
        (json.dumps({"author_url": "https://twitter.com/sengineland"}).encode(), "html is missing"),
        (
            json.dumps(sample_with(author_url="https://evil.example/sengineland")).encode(),
            "author_url is not an X profile URL",
        ),
        (
            json.dumps(sample_with(author_url="https://twitter.com/../../etc/passwd")).encode(),
            "author_url is not an X profile URL",
        ),
        (
            json.dumps(
                sample_with(url="https://twitter.com/sengineland/status/705219971425574913")
            ).encode(),
            "the answer is about post 705219971425574913, "
            "not the post asked for (705219971425574912)",
        ),
        (
            json.dumps(
                sample_with(html="<blockquote><p>" + "x" * 100_001 + "</p></blockquote>")
            ).encode(),
            "html is 100033 characters long (more than 100000)",
        ),
    ],
)
def test_malformed_answers_are_unknown_with_a_reason(body, reason):
    exchange = answer(body)
    witness = parse_oembed(exchange)
    assert (witness.source, witness.state, witness.post, witness.reason) == (
        "oembed",
        PostState.UNKNOWN,
        None,
        reason,
    )


def test_a_truncated_body_is_unknown():
    witness = parse_oembed(answer(SAMPLE_BODY[:300], truncated=True))
    assert (witness.state, witness.reason) == (PostState.UNKNOWN, "body truncated at 300 bytes")


@pytest.mark.parametrize(
    "html, expected",
    [
        (
            '<blockquote class="twitter-tweet"><p lang="uk" dir="ltr">Ми тут.<br>Ми в Києві.<br/>'
            '<a href="https://t.co/AbC">pic.twitter.com/AbC</a></p>&mdash; X (@x) '
            '<a href="https://twitter.com/x/status/1">February 25, 2022</a></blockquote>',
            ("Ми тут.\nМи в Києві.\npic.twitter.com/AbC", "uk"),
        ),
        (
            '<blockquote class="twitter-tweet"><p lang="ar" dir="rtl">&quot;نحن هنا&quot; &amp; '
            "&lt;b&gt;</p></blockquote>",
            ('"نحن هنا" & <b>', "ar"),
        ),
        ("<p>outside</p><blockquote><p>inside</p><p>second</p></blockquote>", ("inside", None)),
        ("<blockquote><p lang=en>unclosed <script>alert(1)</script>", ("unclosed alert(1)", "en")),
        ("<blockquote><p>a<![foo[ b ]]></p></blockquote>", ("a", None)),
        ("<blockquote>no paragraph</blockquote>", (None, None)),
    ],
)
def test_blockquote_text(html, expected):
    assert blockquote_text(html) == expected


def test_a_lang_that_is_not_a_language_tag_is_dropped():
    html = '<blockquote class="twitter-tweet"><p lang="en&quot; onload=x">hi</p></blockquote>'
    witness = parse_oembed(answer(sample_with(html=html)))
    assert (witness.state, witness.post.text, witness.post.lang) == (PostState.LIVE, "hi", None)


@settings(max_examples=200, deadline=None)
@given(
    body=st.binary(max_size=200)
    | st.dictionaries(
        st.sampled_from(["html", "author_url", "url", "author_name", "error"]),
        st.none() | st.integers() | st.text(max_size=60),
    ).map(lambda d: json.dumps(d).encode()),
    status=st.sampled_from([200, 403, 404, 500]),
)
def test_any_answer_gives_a_witness_never_an_exception(body, status):
    witness = parse_oembed(answer(body, status=status))
    assert (witness.post is None) == (witness.state is not PostState.LIVE)


def test_a_lone_surrogate_in_the_html_is_replaced_not_raised_on():
    # JSON can escape half a surrogate pair ("\ud800"); the HTML parser takes UTF-8 only.
    html = '<blockquote class="twitter-tweet"><p lang="en">half \ud800 a pair</p></blockquote>'
    witness = parse_oembed(answer(sample_with(html=html)))
    assert (witness.state, witness.post.text) == (PostState.LIVE, "half \ufffd a pair")
