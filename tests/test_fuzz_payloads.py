"""Fuzzing the payload parsers with the real answers' shapes, mutated in their values and types.

Each example takes a real (or lexicon-shaped) answer, picks paths in it and replaces what is
there with another JSON value of any type, a hostile string (path-like, ``file:``,
``javascript:``, private addresses, huge), or removes it. Invariants: the parser never raises,
its state is a PostState, a live witness is about the post asked for, and every media URL it
lists is one archiver may fetch (https; X's on ``*.twimg.com`` only).
"""

from __future__ import annotations

import base64
import copy
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from atproto_repo import Signer, did_document
from hypothesis import given
from hypothesis import strategies as st
from test_bluesky import THREAD
from test_mastodon import STATUS

from archiver.fetch.atproto import did_document_url, record_url
from archiver.fetch.bluesky import thread_url
from archiver.fetch.getter import JSON_CAP
from archiver.fetch.mastodon import status_url
from archiver.fetch.twitter import oembed_url, syndication_url
from archiver.models import Exchange, Platform, Post, PostState, Witness
from archiver.witnesses.atproto import parse_did_document, parse_record
from archiver.witnesses.bluesky import parse_bluesky_thread
from archiver.witnesses.mastodon import parse_mastodon_status
from archiver.witnesses.twitter.handles import is_handle
from archiver.witnesses.twitter.media import is_twitter_media_url
from archiver.witnesses.twitter.oembed import parse_oembed
from archiver.witnesses.twitter.syndication import parse_syndication

PAYLOADS = Path(__file__).parent / "fixtures" / "payloads"
SYNDICATION = json.loads((PAYLOADS / "syndication_photo_tweet.json").read_text(encoding="utf-8"))
TOMBSTONE = json.loads(
    (PAYLOADS / "syndication_tombstone_deleted.json").read_text(encoding="utf-8")
)
OEMBED = json.loads((PAYLOADS / "oembed_twitter_tweet.json").read_text(encoding="utf-8"))
TWEET_ID, OEMBED_ID, OEMBED_HANDLE = "1641086480675225601", "705219971425574912", "sengineland"
BLUESKY_ID = "did:plc:ex4mpledesk7uvwxyz234567/3lbqx4w2kd22c"
MASTODON_ID = "social.example.org/113546210398477312"
ATPROTO_DID, _, ATPROTO_RKEY = BLUESKY_ID.partition("/")
PDS = "https://pds.example.com"
DID_DOCUMENT = json.loads(did_document(ATPROTO_DID, Signer.new(), PDS))

HOSTILE = [
    "../../etc/passwd", "/etc/passwd", "..\\..\\windows\\win.ini", "file:///etc/passwd",
    "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "<script>alert(1)</script>",
    "https://pbs.twimg.com/../../etc/passwd", "https://pbs.twimg.com@evil.example/x.jpg",
    "https://evil.example/#.twimg.com", "https://pbs.twimg.com.evil.example/x.jpg",
    "https://pbs.twimg.com:8443/x.jpg", "http://pbs.twimg.com/media/x.jpg", "https://127.0.0.1/x.jpg",
    "https://[::ffff:10.0.0.1]/x.jpg", "https://pbs.twimg.com/media/x.jpg\r\nX-Injected: 1",
    "https://pbs.twimg.com/media/ x.jpg", "$(rm -rf /)", "`id`", "x; rm -rf /", "\x00", "\u202e",
    "𝐉", "", " ", "NaN", "-1", "1e400", "9" * 400,
    "https://twitter.com/i/status/1", "at://did:plc:x/app.bsky.feed.post/y", "did:plc:../../x",
]  # fmt: skip
# A mutated answer stays within the getter's cap on a JSON answer: no parser is ever handed
# more. Unbounded, repeats of repeats of 1 MB strings reached 22 GB and the OOM killer (make fuzz);
# later a list repeated as one object many times, one of them stretched afterwards, 1.67 GB.
STRETCH_BUDGET = JSON_CAP
STRETCH_SLACK = 64 * 1024  # what the other mutations and a list's commas may add to the budget
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(HOSTILE)
    | st.integers(1, 3).map(lambda n: "A" * 10 ** (n + 3)),  # up to 1 MB of text
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value, the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths(inner, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, original: Any) -> Any:
    """``original`` with one to six of its paths replaced, removed or stretched."""
    document = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 6))):
        path = draw(st.sampled_from(paths(document)))
        if not path:
            drawn = draw(JSON) if draw(st.integers(0, 9)) == 0 else document
            document = drawn if len(json.dumps(drawn)) <= STRETCH_BUDGET else document
            continue
        *parent_path, key = path
        parent = document
        for step in parent_path:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "replace", "remove", "repeat", "nest"]))
        if action == "replace":  # within the budget too: five 1 MB strings drawn are 5 MB
            kept, parent[key] = parent[key], draw(JSON)
            if len(json.dumps(document)) > STRETCH_BUDGET:
                parent[key] = kept
        elif action == "remove":
            del parent[key]
        elif action == "repeat":  # a string or a list stretched, the whole within the budget
            inner = parent[key]
            wanted = 300 if not isinstance(inner, dict | list) else 20
            room = STRETCH_BUDGET - len(json.dumps(document))
            times = min(wanted, 1 + room // max(1, len(json.dumps(inner))))
            if isinstance(inner, str) and len(inner) < 1000:
                parent[key] = inner * times
            elif times > 1:  # copies, not one object many times: stretching one later is one
                parent[key] = [copy.deepcopy(inner) for _ in range(times)]
        else:
            parent[key] = {"__typename": parent[key]} if draw(st.booleans()) else [parent[key]]
    return document


@given(mutated(THREAD))
def test_a_mutated_answer_stays_within_the_cap(document):
    assert len(json.dumps(document)) <= STRETCH_BUDGET + STRETCH_SLACK


def test_the_answer_libfuzzer_grew_to_gigabytes_stays_within_the_cap():
    """The input atheris's ``bluesky`` target ran out of memory on (make fuzz, 2026-12-06)."""
    found = base64.b64decode("MzMzMTMzMzMzMzMzMzMzMzMzMzMzMzMAAAAAgAAAAA==")
    test_a_mutated_answer_stays_within_the_cap.hypothesis.fuzz_one_input(found)


def exchange(url: str, document: Any, *, status: int = 200) -> Exchange:
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    return Exchange(url, url, status, [("content-type", "application/json")], body)


def check(witness: Witness, answer: Exchange, *, source: str, platform: str, key: str) -> None:
    """What every parser promises, whatever it was given."""
    assert isinstance(witness, Witness)
    assert (witness.source, witness.exchange) == (source, answer)
    assert witness.state in set(PostState)
    assert witness.reason is None or isinstance(witness.reason, str)
    if witness.state is not PostState.LIVE:
        assert witness.post is None
        return
    post = witness.post
    assert isinstance(post, Post) and post.platform == platform
    if platform != Platform.BLUESKY:  # the AppView names a post by DID, the request by handle
        assert post.key == key
    for each in [post, *witness.related]:
        check_post(each)


def check_post(post: Post) -> None:
    assert isinstance(post.text, str | None) and isinstance(post.handle, str | None)
    assert all(isinstance(n, int) and n >= 0 for n in post.counts.values())
    for item in post.media:
        parts = urlsplit(item.url)
        assert parts.scheme == "https" and parts.hostname, item.url
        assert not re.search(r"[\x00-\x20\x7f]", item.url), item.url
    if post.platform == Platform.TWITTER:
        assert post.handle is None or is_handle(post.handle)
        assert re.fullmatch(r"[0-9]{1,20}", post.id)
        assert all(is_twitter_media_url(item.url) for item in post.media)


@given(mutated(SYNDICATION) | mutated(TOMBSTONE))
def test_mutated_syndication_answers(document):
    answer = exchange(syndication_url(TWEET_ID), document)
    check(parse_syndication(answer), answer, source="syndication", platform="twitter",
          key=f"twitter:{TWEET_ID}")  # fmt: skip


@given(mutated(OEMBED))
def test_mutated_oembed_answers(document):
    answer = exchange(oembed_url(OEMBED_ID, OEMBED_HANDLE), document)
    check(parse_oembed(answer), answer, source="oembed", platform="twitter",
          key=f"twitter:{OEMBED_ID}")  # fmt: skip


@given(mutated(THREAD))
def test_mutated_bluesky_threads(document):
    answer = exchange(thread_url(BLUESKY_ID), document)
    check(parse_bluesky_thread(answer), answer, source="bluesky_appview", platform="bluesky",
          key=f"bluesky:{BLUESKY_ID}")  # fmt: skip


@given(mutated(DID_DOCUMENT))
def test_mutated_did_documents(document):
    answer = exchange(did_document_url(ATPROTO_DID), document)
    witness = parse_did_document(answer)
    check(witness, answer, source="atproto_did", platform="bluesky", key="")
    assert witness.state is PostState.UNKNOWN


@given(mutated(STATUS))
def test_mutated_mastodon_statuses(document):
    answer = exchange(status_url(MASTODON_ID), document)
    check(parse_mastodon_status(answer), answer, source="mastodon_api", platform="mastodon",
          key=f"mastodon:{MASTODON_ID}")  # fmt: skip


PARSERS = [
    (parse_syndication, syndication_url(TWEET_ID), "syndication", "twitter", f"twitter:{TWEET_ID}"),
    (parse_oembed, oembed_url(OEMBED_ID, OEMBED_HANDLE), "oembed", "twitter", f"twitter:{OEMBED_ID}"),
    (parse_bluesky_thread, thread_url(BLUESKY_ID), "bluesky_appview", "bluesky", ""),
    (parse_mastodon_status, status_url(MASTODON_ID), "mastodon_api", "mastodon",
     f"mastodon:{MASTODON_ID}"),
    (parse_did_document, did_document_url(ATPROTO_DID), "atproto_did", "bluesky", ""),
    (parse_record, record_url(PDS, ATPROTO_DID, ATPROTO_RKEY), "atproto_record", "bluesky", ""),
]  # fmt: skip


@given(
    parser=st.sampled_from(PARSERS),
    status=st.sampled_from([None, 200, 200, 204, 301, 400, 403, 404, 410, 429, 500, 599]),
    body=st.binary(max_size=300) | JSON.map(lambda v: json.dumps(v).encode()),
    truncated=st.booleans(),
)
def test_any_status_and_body(parser, status, body, truncated):
    parse, url, source, platform, key = parser
    answer = exchange(url, body, status=status)
    answer.truncated = truncated
    check(parse(answer), answer, source=source, platform=platform, key=key)
