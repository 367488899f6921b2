"""The demo recordings (examples/replay/) agree with themselves, archiver and the article."""

import asyncio
import filecmp
import json
import runpy
import struct
import zlib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fake_internet import FakeInternet, request_key

from archiver.evidence.atproto import verify_post_proof
from archiver.fetch.bluesky import fetch_bluesky_witnesses
from archiver.fetch.twitter import fetch_twitter_witnesses, find_by_text, syndication_token
from archiver.models import Exchange, PostState
from archiver.urls import parse_post_url
from archiver.witnesses.twitter.oembed import parse_oembed
from archiver.witnesses.twitter.snowflake import snowflake_time
from archiver.witnesses.twitter.syndication import parse_syndication

ROOT = Path(__file__).resolve().parent.parent
REPLAY = ROOT / "examples" / "replay"
ARTICLE = (ROOT / "examples" / "zelensky-stays-in-kyiv.txt").read_text(encoding="utf-8")
EXPECTED = json.loads(
    (Path(__file__).parent / "fixtures" / "zelensky-stays-in-kyiv.expected.json").read_text()
)
MONTHS = {"2022-02-25": "February 25, 2022", "2022-02-26": "February 26, 2022"}


def recorded():
    for path in sorted(REPLAY.glob("*.json")):
        for exchange in json.loads(path.read_text(encoding="utf-8"))["exchanges"]:
            yield path.name, exchange


def as_exchange(recording):
    response = recording["response"]
    if "body_file" in response:
        body = (REPLAY / response["body_file"]).read_bytes()
    else:
        body = response["body"].encode("utf-8")
    url = recording["request"]["url"]
    return Exchange(url=url, final_url=url, status=response["status"],
                    headers=[tuple(h) for h in response["headers"]], body=body)  # fmt: skip


def by_host(host):
    return [as_exchange(r) for _, r in recorded() if urlsplit(r["request"]["url"]).hostname == host]


def post_of(expected):
    """The syndication witness of one of the article's posts, found by handle and text."""
    for exchange in by_host("cdn.syndication.twimg.com"):
        witness = parse_syndication(exchange)
        post = witness.post
        if (
            post
            and post.handle == expected["handle"]
            and post.text.startswith(expected["text_starts"])
        ):
            return witness
    raise AssertionError(f"no syndication answer for @{expected['handle']}")


def test_the_recordings_are_well_formed_and_say_they_are_made_up():
    readme = (REPLAY / "README.md").read_text(encoding="utf-8")
    assert "MADE UP" in readme and "tests/fixtures/payloads/" in readme
    keys = []
    for name, exchange in recorded():
        assert set(exchange) == {"request", "response", "note"}, name
        assert exchange["request"]["method"] == "GET"
        assert exchange["request"]["url"].startswith("https://")
        response = exchange["response"]
        bodies = {"body", "body_base64", "body_file"} & set(response)
        assert len(bodies) == 1, exchange["note"]
        if "body_file" in response:
            path = (REPLAY / response["body_file"]).resolve()
            assert path.parent == REPLAY / "media" and path.is_file()
        keys.append(request_key(exchange["request"]["url"]))
    assert len(keys) == len(set(keys)), "a request is recorded twice"
    for path in REPLAY.glob("*.json"):
        assert set(json.loads(path.read_text(encoding="utf-8"))) == {"exchanges"}


def test_every_syndication_request_carries_the_right_token_and_ids_agree_with_created_at():
    answers = by_host("cdn.syndication.twimg.com")
    assert len(answers) == 9  # five article posts and four BNO News decoys
    for exchange in answers:
        query = parse_qs(urlsplit(exchange.url).query)
        post_id = query["id"][0]
        assert query == {"id": [post_id], "token": [syndication_token(post_id)]}
        witness = parse_syndication(exchange)
        if witness.state is PostState.DELETED:
            continue
        assert witness.state is PostState.LIVE and witness.reason is None
        post = witness.post
        assert post.id == post_id
        assert post.created_at == snowflake_time(post_id)[:19] + ".000Z"


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e["handle"])
def test_each_article_post_parses_into_the_article_s_text_from_both_witnesses(expected):
    witness = post_of(expected)
    post = witness.post
    date_text = MONTHS[expected["date"]]
    attribution = f" — {expected['display_name']} (@{expected['handle']}) {date_text}"
    pic = "".join(f" {link}" for link in expected["pic_links"])
    assert f"{post.text}{pic}{attribution}" in ARTICLE
    assert post.created_at_from_id[:10] == expected["date"]
    assert (post.handle, post.author_name) == (expected["handle"], expected["display_name"])

    oembed = parse_oembed(next(e for e in by_host("publish.twitter.com") if post.id in e.url))
    assert oembed.state is PostState.LIVE
    assert f"{oembed.post.text}{attribution}" in ARTICLE
    assert oembed.post.text == post.text + pic
    assert (oembed.post.id, oembed.post.handle, oembed.post.author_name) == (
        post.id,
        post.handle,
        post.author_name,
    )
    assert date_text in oembed.parsed["html"]


@pytest.mark.parametrize(
    "expected", [e for e in EXPECTED if e["pic_links"]], ids=lambda e: e["handle"]
)
def test_each_pic_link_resolves_through_t_co_to_its_post(expected):
    code = expected["pic_links"][0].rsplit("/", 1)[1]
    hop = next(e for e in by_host("t.co") if e.url == f"https://t.co/{code}")
    assert hop.status == 301
    assert dict(hop.headers)["cache-control"] == "private,max-age=300"
    ref = parse_post_url(hop.header("location"))
    post = post_of(expected).post
    assert (ref.post_id, ref.handle) == (post.id, post.handle)
    kinds = {m.kind for m in post.media} - {"profile_image"}
    assert hop.header("location").endswith(f"/{kinds.pop()}/1")


def png_size(body):
    """The size of a PNG whose chunks all check out and whose pixels all decompress."""
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", body[16:24])
    at, pixels = 8, b""
    while at < len(body):
        (length,) = struct.unpack(">I", body[at : at + 4])
        kind, data = body[at + 4 : at + 8], body[at + 8 : at + 8 + length]
        assert struct.unpack(">I", body[at + 8 + length : at + 12 + length])[0] == zlib.crc32(
            kind + data
        )
        pixels += data if kind == b"IDAT" else b""
        at += 12 + length
    assert len(zlib.decompress(pixels)) == height * (1 + 3 * width)  # RGB rows, filter byte each
    return width, height


def test_every_media_file_a_post_names_is_recorded_with_the_right_type_and_size():
    internet = FakeInternet.from_recordings(REPLAY)
    media = [m for e in EXPECTED for m in post_of(e).post.media]
    assert sorted(m.kind for m in media) == ["photo"] + ["profile_image"] * 5 + ["video"] * 3
    for item in media:
        exchange = asyncio.run(internet.get(item.url))
        assert exchange.status == 200, item.url
        if item.kind == "video":
            assert exchange.content_type == "video/mp4"
            assert exchange.body[4:8] == b"ftyp" and b"MADE UP" in exchange.body
            assert item.stream_url.endswith("&container=fmp4") and item.bitrate == 2176000
        else:
            assert exchange.content_type == "image/png"
            size = (item.width, item.height) if item.kind == "photo" else (400, 400)
            assert png_size(exchange.body) == size


def test_bno_news_is_found_by_its_text_and_the_decoys_are_not():
    internet = FakeInternet.from_recordings(REPLAY)
    bno = next(e for e in EXPECTED if e["handle"] == "BNONews")
    text = ARTICLE[ARTICLE.index(bno["text_starts"]) : ARTICLE.index(" — BNO News (@BNONews)")]
    resolution = asyncio.run(find_by_text(internet, handle="BNONews", date=bno["date"], text=text))
    post = post_of(bno).post
    assert (resolution.post_id, resolution.status_url, resolution.how) == (
        post.id,
        f"https://twitter.com/BNONews/status/{post.id}",
        "wayback_cdx+text_match",
    )
    cdx = [e for e in resolution.exchanges if e.url.startswith("https://web.archive.org/")]
    syndication = [parse_syndication(e) for e in resolution.exchanges if e not in cdx]
    assert len(cdx) == 3 and all(e.status == 200 for e in cdx)
    # the decoy closest to the date's noon is fetched first and rejected, then the deleted one
    assert [(w.state, w.post.text if w.post else w.reason) for w in syndication] == [
        (
            PostState.LIVE,
            'Ukrainian President Zelenskiy says he is staying in Kyiv: "We are all here" - video',
        ),
        (PostState.DELETED, "This Post was deleted by the Post author. Learn more"),
        (PostState.LIVE, text),
    ]
    assert all(exchange.status == 200 for exchange in resolution.exchanges)


def test_the_demo_archive_needs_nothing_that_is_not_recorded():
    internet = FakeInternet.from_recordings(REPLAY)
    for expected in EXPECTED:
        post_id = post_of(expected).post.id
        result = asyncio.run(fetch_twitter_witnesses(internet, post_id, handle=expected["handle"]))
        assert [w.state for w in result] == [PostState.LIVE, PostState.LIVE]
    asked = internet.urls
    assert len(asked) == 10
    assert all(request_key(url) in internet.answers for url in asked)


def test_the_committed_recordings_are_what_the_script_writes(tmp_path):
    script = runpy.run_path(str(REPLAY / "make_recordings.py"))
    script["write_recordings"](tmp_path)
    committed = sorted(
        p.relative_to(REPLAY) for p in REPLAY.rglob("*") if p.suffix in (".json", ".png", ".mp4")
    )
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written == committed
    for relative in written:
        assert filecmp.cmp(tmp_path / relative, REPLAY / relative, shallow=False), relative


def test_the_demo_bluesky_post_is_signed_with_the_labelled_demo_key():
    script = runpy.run_path(str(REPLAY / "make_recordings.py"))
    did, rkey, text = script["DEMO_DID"], script["DEMO_RKEY"], script["DEMO_TEXT"]
    assert "demokeynotsecret" in did
    internet = FakeInternet.from_recordings(REPLAY)
    appview, document, record = asyncio.run(fetch_bluesky_witnesses(internet, f"{did}/{rkey}"))
    assert [w.state for w in (appview, record)] == [PostState.LIVE, PostState.LIVE]
    assert appview.post.text == record.post.text == text
    assert text in (ROOT / "examples" / "kyiv-desk-bluesky.html").read_text(encoding="utf-8")
    proof = verify_post_proof(
        record.exchange.body, document.exchange.body, did=did, rkey=rkey, text=text
    )
    assert proof.verified, proof.reason
    notes = [e["note"] for name, e in recorded() if name == "bluesky.json"]
    assert any("DEMO key" in note for note in notes)
    assert "DEMO" in (REPLAY / "README.md").read_text(encoding="utf-8")
