"""The URLs asked of syndication, oEmbed and the Wayback CDX."""

from urllib.parse import parse_qs, urlsplit

import pytest

from archiver.fetch.twitter.endpoints import (
    oembed_url,
    syndication_url,
    wayback_status_search_url,
)


def test_syndication_url_sends_only_id_and_token():
    assert (
        syndication_url("1703436713362870723")
        == "https://cdn.syndication.twimg.com/tweet-result?id=1703436713362870723&token=44ni5iyte19"
    )


def test_oembed_url_names_the_post_by_its_twitter_com_url_percent_encoded():
    url = oembed_url("1641086480675225601", "SamuelSusla")
    assert url == (
        "https://publish.twitter.com/oembed"
        "?url=https%3A%2F%2Ftwitter.com%2FSamuelSusla%2Fstatus%2F1641086480675225601"
        "&omit_script=1&dnt=1"
    )
    assert parse_qs(urlsplit(url).query) == {
        "url": ["https://twitter.com/SamuelSusla/status/1641086480675225601"],
        "omit_script": ["1"],
        "dnt": ["1"],
    }


@pytest.mark.parametrize("handle", ["", "a/b", "x&url=evil", "../etc", "a" * 51, None])
def test_oembed_url_refuses_what_is_not_a_handle(handle):
    with pytest.raises(ValueError):
        oembed_url("1641086480675225601", handle)


@pytest.mark.parametrize("post_id", ["", "12&x=1", "../1"])
def test_builders_refuse_what_is_not_an_id(post_id):
    with pytest.raises(ValueError):
        syndication_url(post_id)
    with pytest.raises(ValueError):
        oembed_url(post_id, "SamuelSusla")


def test_wayback_query_asks_twitter_com_for_one_account_and_one_id_prefix():
    url = wayback_status_search_url("BNONews", id_prefix="1497", since="20220225", limit=5000)
    assert url == (
        "https://web.archive.org/cdx/search/cdx?url=twitter.com/BNONews/status/1497*"
        "&output=json&fl=original&collapse=urlkey&from=20220225&limit=5000"
    )


@pytest.mark.parametrize(
    "handle, prefix, since",
    [("BNO News", "1497", "20220225"), ("BNONews", "14x", "20220225"), ("BNONews", "1", "2022")],
)
def test_wayback_query_refuses_bad_parts(handle, prefix, since):
    with pytest.raises(ValueError):
        wayback_status_search_url(handle, id_prefix=prefix, since=since, limit=10)
