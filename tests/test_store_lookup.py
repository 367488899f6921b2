"""Reading the archive back: every lookup form, a post's details, an article's embeds."""

import hashlib
import json

import pytest
from store_samples import (
    FETCHED_AT,
    PAYLOADS,
    ROOT,
    SAMPLE_IDS,
    SAMPLE_PATH,
    TickingClock,
    exchange,
    live_witness,
    sample_article,
    sample_post,
    scan_of,
    syndication_url,
    tco_hop,
)

from archiver.errors import InputError
from archiver.models import ArticleInput, MediaItem, Post, PostState, Resolution, Witness
from archiver.store import open_archive

CHRISTOPHER_ID = SAMPLE_IDS["ChristopherJM"]
CHRISTOPHER_KEY = f"twitter:{CHRISTOPHER_ID}"
RESOLVED = {
    1: ("ChristopherJM", "bgHyrsbVFs"),
    2: ("SaoSasha", "JDLXtYAq5q"),
    5: ("France24_en", "V8zWIJ0IAS"),
}
ARTICLE_URL = "https://example.org/2022/02/26/zelensky-stays"
ARTICLE_FINAL_URL = "https://www.example.org/2022/02/26/zelensky-stays/"


@pytest.fixture
def archive(tmp_path):
    """The sample article: three embeds resolved and fetched live, two left unresolved."""
    with open_archive(tmp_path / "archive.db", clock=TickingClock()) as archive:
        article = sample_article()
        archive.save_article(article, scan_of(article))
        for embed_id, (handle, code) in RESOLVED.items():
            post = sample_post(handle)
            status_url = f"https://twitter.com/{handle}/status/{post.id}/video/1"
            archive.save_resolution(
                embed_id,
                Resolution(
                    "twitter", post.id, status_url, "shortlink", [tco_hop(code, status_url)]
                ),
            )
            archive.save_witnesses(post.key, [live_witness(post)])
        yield archive


def found(results):
    """What a result list names: post keys, and ("embed", handle) for unresolved embeds."""
    return [r["key"] if "key" in r else ("embed", r["embed"]["handle"]) for r in results]


@pytest.mark.parametrize(
    "query",
    [
        f"https://twitter.com/ChristopherJM/status/{CHRISTOPHER_ID}",
        f"https://x.com/ChristopherJM/status/{CHRISTOPHER_ID}?s=20",
        f"https://mobile.twitter.com/i/web/status/{CHRISTOPHER_ID}",
        f"https://twitter.com/ChristopherJM/status/{CHRISTOPHER_ID}/video/1",
        f"https://twitter.com/i/status/{CHRISTOPHER_ID}",
        f"http://www.twitter.com/statuses/{CHRISTOPHER_ID}",
        CHRISTOPHER_ID,
        CHRISTOPHER_KEY,
        "pic.twitter.com/bgHyrsbVFs",
        "https://pic.x.com/bgHyrsbVFs",
        "https://t.co/bgHyrsbVFs",
        "@ChristopherJM",
        "@christopherjm",
        "defending Ukraine",
        "presidential administration Kyiv",
    ],
)
def test_every_lookup_form_finds_the_post(archive, query):
    assert found(archive.lookup(query)) == [CHRISTOPHER_KEY]


@pytest.mark.parametrize(
    "query",
    ["@BNONews", "@bnonews", "ammunition", '"I need ammunition, not a ride"', "BNO News"],
)
def test_an_embed_not_yet_resolved_is_found_with_its_article(archive, query):
    [result] = archive.lookup(query)

    assert result["article"] == {"id": 1, "url": str(SAMPLE_PATH), "final_url": None, "title": None}
    assert result["embed"] == {
        "id": 3,
        "platform": "twitter",
        "form": "text_attribution",
        "handle": "BNONews",
        "display_name": "BNO News",
        "date": "2022-02-26",
        "date_text": "February 26, 2022",
        "pic_links": [],
        "links": [],
        "status_id": None,
        "status_url": None,
        "lang": None,
        "text": (
            "Ukrainian President Zelenskiy turns down U.S. request to evacuate Kyiv, saying: "
            '"I need ammunition, not a ride" - AP'
        ),
        "start": 1718,
        "end": 1874,
    }


def test_an_unresolved_embed_is_found_by_its_pic_link(archive):
    assert found(archive.lookup("pic.x.com/ok6JOXl4KA")) == [("embed", "YVindman")]


def test_a_post_is_found_by_the_pic_link_of_its_own_media(archive):
    body = (PAYLOADS / "syndication_photo_tweet.json").read_bytes()
    post = Post(
        platform="twitter",
        id="1641086480675225601",
        url="https://twitter.com/SamuelSusla/status/1641086480675225601",
        handle="SamuelSusla",
        text="If you are interested about View Flattening in React Native",
    )
    archive.save_witnesses(
        post.key,
        [
            Witness(
                source="syndication",
                exchange=exchange(syndication_url(post.id), body),
                state=PostState.LIVE,
                post=post,
                parsed=json.loads(body),
            )
        ],
    )

    assert found(archive.lookup("pic.twitter.com/rQd6FIwZ0U")) == [post.key]


def test_a_posts_pic_links_keep_the_order_it_shows_them_in(archive):
    codes = ["zz99Zz99Zz", "AA11Aa11Aa", "mm55Mm55Mm"]
    post = Post(
        platform="twitter",
        id="1641086480675225602",
        url="https://twitter.com/SamuelSusla/status/1641086480675225602",
        handle="SamuelSusla",
        text="Three photos " + " ".join(f"pic.twitter.com/{code}" for code in codes),
    )
    body = json.dumps({"__typename": "Tweet", "id_str": post.id}).encode()
    archive.save_witnesses(
        post.key,
        [
            Witness(
                source="syndication",
                exchange=exchange(syndication_url(post.id), body),
                state=PostState.LIVE,
                post=post,
                parsed=json.loads(body),
            )
        ],
    )

    links = [f"pic.twitter.com/{code}" for code in codes]
    assert archive.post_detail(post.key)["pic_links"] == links
    assert [r["pic_links"] for r in archive.lookup("@SamuelSusla")] == [links]


def test_the_article_by_path_finds_its_posts_and_unresolved_embeds(archive, monkeypatch):
    expected = [
        f"twitter:{SAMPLE_IDS['ChristopherJM']}",
        f"twitter:{SAMPLE_IDS['SaoSasha']}",
        f"twitter:{SAMPLE_IDS['France24_en']}",
        ("embed", "BNONews"),
        ("embed", "YVindman"),
    ]
    assert found(archive.lookup(str(SAMPLE_PATH))) == expected
    monkeypatch.chdir(ROOT)
    assert found(archive.lookup("examples/zelensky-stays-in-kyiv.txt")) == expected


def test_an_article_is_found_by_its_url_and_by_where_it_redirected(archive):
    body = sample_article().content.replace(b"He's refused.", b"He has refused.")
    article = ArticleInput(source=ARTICLE_URL, content=body, final_url=ARTICLE_FINAL_URL)
    archive.save_article(article, scan_of(article))

    for query in (ARTICLE_URL, ARTICLE_FINAL_URL):
        assert [r["article"]["url"] for r in archive.lookup(query)] == [ARTICLE_URL] * 5


def test_nothing_found_is_an_empty_list(archive):
    assert archive.lookup("no such words anywhere") == []
    assert archive.lookup("https://example.com/never-archived") == []
    assert archive.lookup("https://twitter.com/someone/status/20") == []
    assert archive.lookup("@nobody") == []
    assert archive.lookup("   ") == []


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "NEAR(", "col:text", "*", "—", "x" * 5000])
def test_full_text_syntax_in_a_query_is_taken_literally(archive, query):
    assert archive.lookup(query) == []


def test_a_post_detail_has_its_evidence_and_where_it_was_quoted(archive):
    post = sample_post("ChristopherJM")
    status_url = f"https://twitter.com/ChristopherJM/status/{CHRISTOPHER_ID}/video/1"
    video = MediaItem(
        kind="video", url="https://video.twimg.com/amplify_video/1/vid/avc1/720x1280/a.mp4"
    )
    mp4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
    [snapshot] = archive.lookup(CHRISTOPHER_KEY)[0]["snapshots"]
    archive.save_media(
        CHRISTOPHER_KEY,
        video,
        exchange(video.url, mp4, headers=[("content-type", "video/mp4")]),
        snapshot_id=snapshot["id"],
    )

    detail = archive.post_detail(CHRISTOPHER_KEY)

    assert detail == {
        "platform": "twitter",
        "id": CHRISTOPHER_ID,
        "key": CHRISTOPHER_KEY,
        "url": f"https://twitter.com/ChristopherJM/status/{CHRISTOPHER_ID}",
        "handle": "ChristopherJM",
        "author_name": "Christopher Miller",
        "author_id": None,
        "text": post.text,
        "lang": "en",
        "created_at": "2022-02-25T12:00:00.000Z",
        "created_at_from_id": "2022-02-25T12:00:00.000Z",
        "parent_post_key": None,
        "quoted_post_key": None,
        "counts": None,
        "card": None,
        "edit_ids": None,
        "state": "live",
        "state_reason": None,
        "state_since": FETCHED_AT,
        "last_seen_live": FETCHED_AT,
        "first_seen_gone": None,
        "first_seen": "2024-05-01T09:00:01.000Z",
        "first_archived": FETCHED_AT,
        "last_checked": FETCHED_AT,
        "pic_links": [],
        "snapshots": [
            {
                "id": 2,
                "fetched_at": FETCHED_AT,
                "source": "syndication",
                "sha256": hashlib.sha256(live_witness(post).exchange.body).hexdigest(),
                "bytes": len(live_witness(post).exchange.body),
                "replay": False,
                "status": 200,
                "url": syndication_url(CHRISTOPHER_ID),
                "final_url": syndication_url(CHRISTOPHER_ID),
                "truncated": False,
                "error": None,
            }
        ],
        "media": [
            {
                "id": 1,
                "kind": "video",
                "url": video.url,
                "sha256": hashlib.sha256(mp4).hexdigest(),
                "bytes": len(mp4),
                "content_type": "video/mp4",
                "width": None,
                "height": None,
                "fetched_at": FETCHED_AT,
                "truncated": False,
                "error": None,
            }
        ],
        "articles": [
            {"id": 1, "url": str(SAMPLE_PATH), "final_url": None, "title": None, "current": True}
        ],
        "embeds": [
            {
                "article": str(SAMPLE_PATH),
                "article_id": 1,
                "id": 1,
                "platform": "twitter",
                "form": "text_attribution",
                "handle": "ChristopherJM",
                "display_name": "Christopher Miller",
                "date": "2022-02-25",
                "date_text": "February 25, 2022",
                "pic_links": ["pic.twitter.com/bgHyrsbVFs"],
                "links": [],
                "status_id": None,
                "status_url": None,
                "lang": None,
                "text": post.text + " pic.twitter.com/bgHyrsbVFs",
                "start": 1042,
                "end": 1359,
                "resolved_how": "shortlink",
                "current": True,
            }
        ],
    }
    assert archive.find_post(status_url) == detail
    assert archive.find_post(CHRISTOPHER_ID) == detail
    assert archive.find_post("twitter:1") is None
    assert archive.post_detail("twitter:1") is None


def test_an_articles_embeds_come_with_their_posts(archive):
    embeds = archive.article_embeds(str(SAMPLE_PATH))

    assert [(e["ordinal"], e["handle"], e["post"] and e["post"]["key"]) for e in embeds] == [
        (0, "ChristopherJM", CHRISTOPHER_KEY),
        (1, "SaoSasha", f"twitter:{SAMPLE_IDS['SaoSasha']}"),
        (2, "BNONews", None),
        (3, "YVindman", None),
        (4, "France24_en", f"twitter:{SAMPLE_IDS['France24_en']}"),
    ]
    assert embeds[0]["post"] == {
        "key": CHRISTOPHER_KEY,
        "platform": "twitter",
        "id": CHRISTOPHER_ID,
        "url": f"https://twitter.com/ChristopherJM/status/{CHRISTOPHER_ID}",
        "handle": "ChristopherJM",
        "author_name": "Christopher Miller",
        "author_id": None,  # the fixture's post, written by hand, names no account id
        "text": sample_post("ChristopherJM").text,
        "created_at": "2022-02-25T12:00:00.000Z",
        "edit_ids": None,
        "state": "live",
        "state_since": FETCHED_AT,
        "last_seen_live": FETCHED_AT,
        "first_seen_gone": None,
    }
    assert (embeds[0]["article"], embeds[0]["resolved_how"], embeds[0]["start"]) == (
        str(SAMPLE_PATH),
        "shortlink",
        1042,
    )
    assert archive.article_embeds(1) == embeds
    with pytest.raises(InputError, match="no archived article"):
        archive.article_embeds("https://example.com/never-archived")


def test_lookups_stop_at_their_limit_newest_posts_first(archive):
    for n in range(3):
        post = Post(
            platform="twitter",
            id=str(1700000000000000000 + n),
            url=f"https://twitter.com/BNONews/status/{1700000000000000000 + n}",
            handle="BNONews",
            text=f"Breaking: update number {n}",
            created_at_from_id=f"2023-09-0{n + 1}T00:00:00.000Z",
        )
        archive.save_witnesses(post.key, [live_witness(post)])

    assert found(archive.lookup("@BNONews", limit=2)) == [
        "twitter:1700000000000000002",
        "twitter:1700000000000000001",
    ]
    assert found(archive.lookup("@BNONews", limit=4)) == [
        "twitter:1700000000000000002",
        "twitter:1700000000000000001",
        "twitter:1700000000000000000",
        ("embed", "BNONews"),
    ]
    assert len(archive.lookup("Breaking update", limit=1)) == 1
