"""Reading which post a URL names."""

import pytest

from archiver.urls import (
    PostRef,
    is_fetchable_https_url,
    normalise_pic_link,
    parse_post_url,
    shortlink_code,
    twitter_status_url,
)

ID = "1497276578845167617"


@pytest.mark.parametrize(
    "url, handle",
    [
        (f"https://twitter.com/ChristopherJM/status/{ID}", "ChristopherJM"),
        (f"https://x.com/ChristopherJM/status/{ID}?s=20", "ChristopherJM"),
        (f"https://mobile.twitter.com/ChristopherJM/status/{ID}", "ChristopherJM"),
        (f"http://www.twitter.com/ChristopherJM/statuses/{ID}", "ChristopherJM"),
        (f"https://twitter.com/i/web/status/{ID}", None),
        (f"https://x.com/i/status/{ID}", None),
        (f"https://twitter.com/statuses/{ID}", None),
        (f"https://twitter.com/ChristopherJM/status/{ID}/photo/1", "ChristopherJM"),
        (f"//twitter.com/ChristopherJM/status/{ID}?ref_src=twsrc%5Etfw", "ChristopherJM"),
    ],
)
def test_every_form_of_a_twitter_status_url_names_the_same_post(url, handle):
    assert parse_post_url(url) == PostRef("twitter", ID, handle)


@pytest.mark.parametrize(
    "url",
    [
        "https://twitter.com/ChristopherJM",
        "https://twitter.com/hashtag/Kyiv?src=hash",
        f"https://twitter.com/ChristopherJM/status/{ID}0000000000",  # too long for an id
        "https://example.com/ChristopherJM/status/123",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "not a url",
        # digits of other scripts are not an id, and letters that fold to ASCII are not a handle
        "https://twitter.com/ann/status/\u0663\u0664\u0665",
        "https://mastodon.social/@ann/\uff11\uff12\uff13",
        "https://www.tiktok.com/@ann/video/\u0967\u0968",
        f"https://twitter.com/\u212aate/status/{ID}",
        f"https://x.com/\u017fam/status/{ID}",
    ],
)
def test_urls_that_name_no_post(url):
    assert parse_post_url(url) is None


def test_other_platforms():
    assert parse_post_url(
        "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3kgbz5xjrxb2p"
    ) == PostRef("bluesky", "did:plc:z72i7hdynmk6r22z27h6tvur/3kgbz5xjrxb2p", None)
    assert parse_post_url(
        "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kgbz5xjrxb2p"
    ) == PostRef("bluesky", "did:plc:z72i7hdynmk6r22z27h6tvur/3kgbz5xjrxb2p", None)
    assert parse_post_url("https://mastodon.social/@Gargron/109315045538342539") == PostRef(
        "mastodon", "mastodon.social/109315045538342539", "Gargron"
    )
    assert parse_post_url(
        "https://www.instagram.com/p/CwXyZ12abcD/?utm_source=ig_embed"
    ) == PostRef("instagram", "CwXyZ12abcD")
    assert parse_post_url("https://www.tiktok.com/@scout2015/video/6718335390845095173") == (
        PostRef("tiktok", "6718335390845095173", "scout2015")
    )
    assert parse_post_url("https://www.threads.com/@zuck/post/C8bXyZaBcDe") == PostRef(
        "threads", "C8bXyZaBcDe", "zuck"
    )


def test_pic_links_normalise_to_pic_twitter_com():
    assert normalise_pic_link("pic.x.com/bgHyrsbVFs") == "pic.twitter.com/bgHyrsbVFs"
    assert normalise_pic_link("https://pic.twitter.com/bgHyrsbVFs") == "pic.twitter.com/bgHyrsbVFs"
    assert normalise_pic_link("pic.twitter.com/") is None
    assert shortlink_code("https://t.co/N8kZ9M3eN4") == "N8kZ9M3eN4"


def test_canonical_status_url():
    assert twitter_status_url(ID, "YVindman") == f"https://twitter.com/YVindman/status/{ID}"
    assert twitter_status_url(ID) == f"https://twitter.com/i/web/status/{ID}"


@pytest.mark.parametrize(
    ("url", "fetchable"),
    [
        ("https://files.example/a.jpg", True),
        ("https://files.example/a.jpg?x=1#y", True),
        ("http://files.example/a.jpg", False),
        ("https:///a.jpg", False),
        ("https://files.example/a.jpg\r\nX-Injected: 1", False),
        ("https://files.example/a b.jpg", False),
        ("https://files.example/\x00", False),
        ("https://[::1/", False),  # urlsplit refuses it
        ("https://files.example/" + "a" * 2048, False),
        (None, False),
    ],
)
def test_is_fetchable_https_url(url, fetchable):
    assert is_fetchable_https_url(url) is fetchable
