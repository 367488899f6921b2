"""The pieces of the fetch policy that need no network: addresses, hosts a hop may lead to,
redirects written into pages, Retry-After, and the reroute layout."""

import datetime as dt
import ipaddress

import pytest

from archiver.errors import BlockedRequest
from archiver.fetch.html_redirect import html_redirect
from archiver.fetch.policy import PUBLIC, TWITTER, address_problem, check_url, literal_address
from archiver.fetch.reroute import rerouted
from archiver.fetch.retry import backoff_delay, retry_after_seconds


@pytest.mark.parametrize(
    "address, problem",
    [
        ("93.184.216.34", None),
        ("2606:2800:220:1:248:1893:25c8:1946", None),
        ("104.244.42.1", None),  # twitter.com
        ("127.0.0.1", "a loopback address"),
        ("127.255.0.9", "a loopback address"),
        ("10.0.0.1", "a private address"),
        ("172.16.5.4", "a private address"),
        ("192.168.1.1", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("100.64.0.1", "not a global address"),  # carrier-grade NAT
        ("192.0.2.10", "a private address"),  # TEST-NET-1: documentation only
        ("0.0.0.0", "an unspecified address"),
        ("224.0.0.251", "a multicast address"),
        ("240.0.0.1", "a private address"),  # reserved, which Python also files as private
        ("255.255.255.255", "a private address"),
        ("::1", "a loopback address"),
        ("::", "an unspecified address"),
        ("fe80::1", "a link-local address"),
        ("fd12:3456::1", "a private address"),
        ("ff02::1", "a multicast address"),
        ("::ffff:127.0.0.1", "an IPv4-mapped IPv6 address"),
        ("::ffff:93.184.216.34", "an IPv4-mapped IPv6 address"),
        ("::127.0.0.1", "an IPv4-compatible IPv6 address"),
        ("2002:a00:1::", "an IPv6 address embedding 10.0.0.1, a private address"),
        ("64:ff9b::a9fe:a9fe", "an IPv6 address embedding 169.254.169.254, a link-local address"),
    ],
)
def test_only_global_unicast_addresses_may_be_contacted(address, problem):
    assert address_problem(ipaddress.ip_address(address)) == problem


@pytest.mark.parametrize(
    "host, address",
    [
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("fe80::1%eth0", "fe80::1"),
        ("t.co", None),
        ("face.cafe", None),
        ("cdn.syndication.twimg.com", None),
    ],
)
def test_every_literal_form_of_an_address_is_read_as_that_address(host, address):
    found = literal_address(host)
    assert (str(found) if found else None) == address


@pytest.mark.parametrize(
    "url, message",
    [
        ("gopher://example.com/", "scheme 'gopher' is not allowed"),
        ("https:///path-only", "no host"),
        ("https://example.com:99999/", "malformed URL"),
        ("https://exa mple.com/", "not a host name"),
        ("https://LOCALHOST./", "a loopback name"),
        ("https://user@example.com/", "credentials"),
    ],
)
def test_urls_that_may_not_be_requested_are_refused_before_any_lookup(url, message):
    with pytest.raises(BlockedRequest, match=message) as caught:
        check_url(url)
    assert caught.value.url == url


def test_allowed_urls_give_their_lower_case_host():
    assert check_url("https://Pic.Twitter.com/bgHyrsbVFs") == "pic.twitter.com"
    assert check_url("http://bücher.example/") == "bücher.example"


@pytest.mark.parametrize(
    "source, target, allowed",
    [
        ("t.co", "twitter.com", True),
        ("t.co", "mobile.twitter.com", True),
        ("t.co", "x.com", True),
        ("t.co", "t.co", True),
        ("pic.twitter.com", "twitter.com", True),
        ("pic.x.com", "x.com", True),
        ("twitter.com", "x.com", True),
        ("x.com", "www.twitter.com", True),
        ("twitter.com", "t.co", False),
        ("t.co", "evil.example.com", False),
        ("t.co", "twitter.com.evil.example", False),
        ("cdn.syndication.twimg.com", "example.com", False),
    ],
)
def test_the_twitter_policy_keeps_each_hop_inside_the_namespace(source, target, allowed):
    assert TWITTER.allows(source, target) is allowed


def test_the_public_policy_lets_any_hop_lead_anywhere():
    assert PUBLIC.allows("bit.ly", "www.example-news.com")


T_CO_PAGE = (
    b'<head><meta name="referrer" content="always"><noscript><META http-equiv="refresh" '
    b'content="0;URL=https://twitter.com/ChristopherJM/status/1497213151406260225/photo/1">'
    b"</noscript><title>https://twitter.com/ChristopherJM/status/1497213151406260225/photo/1"
    b'</title></head><script>window.opener = null; location.replace("https:\\/\\/twitter.com\\/'
    b'ChristopherJM\\/status\\/1497213151406260225\\/photo\\/1")</script>'
)


@pytest.mark.parametrize(
    "page, found",
    [
        (
            T_CO_PAGE,
            (
                "https://twitter.com/ChristopherJM/status/1497213151406260225/photo/1",
                "meta_refresh",
            ),
        ),
        (
            b'<noscript></noscript><script>location.replace("https:\\/\\/x.com\\/a\\/status\\/1")'
            b"</script>",
            ("https://x.com/a/status/1", "location_replace"),
        ),
        (
            b"<meta content='5; url=\"/next?a=1&amp;b=2\"' http-equiv='Refresh'>",
            ("/next?a=1&b=2", "meta_refresh"),
        ),
        (
            b"<meta http-equiv=refresh content=0;url=https://t.co/x>",
            ("https://t.co/x", "meta_refresh"),
        ),
        (
            b"<script>location.replace('https://x.com/\\u0061/status/2')</script>",
            ("https://x.com/a/status/2", "location_replace"),
        ),
        (b'<meta http-equiv="refresh" content="30">', None),  # a reload, not a redirect
        (b'<meta name="refresh" content="0;URL=https://evil.example/">', None),
        (b"<p>location.replace is described here</p>", None),
        (b"\xff\xfe\x00garbage\x00<meta", None),
        (b"", None),
    ],
)
def test_a_page_redirect_is_found_in_its_meta_refresh_or_location_replace(page, found):
    assert html_redirect(page) == found


def test_a_page_redirect_past_the_first_64_kib_is_not_a_redirect_page():
    assert html_redirect(b" " * 70_000 + b'<meta http-equiv="refresh" content="0;URL=/x">') is None


NOW = dt.datetime(2024, 5, 17, 12, 0, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "value, seconds",
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("Fri, 17 May 2024 12:01:30 GMT", 90.0),
        ("Fri, 17 May 2024 11:00:00 GMT", 0.0),  # in the past: no wait
        ("soon", None),
        ("-5", None),
        ("1.5", None),
        (None, None),
        ("\u00b2", None),  # isdigit() is true for superscripts, which float() refuses
        ("\u0661\u0662", None),  # and for other scripts' digits: not delta-seconds either
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(value, seconds):
    assert retry_after_seconds(value, now=NOW) == seconds


def test_backoff_doubles_up_to_its_cap_and_scales_by_the_jitter_draw():
    delays = [backoff_delay(n, base=0.5, cap=3, jitter=lambda: 1.0) for n in range(1, 6)]
    assert delays == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert backoff_delay(3, base=0.5, cap=3, jitter=lambda: 0.25) == 0.5


@pytest.mark.parametrize(
    "url, target",
    [
        (
            "https://cdn.syndication.twimg.com/tweet-result?id=20&token=6dq1a2xwd93",
            "http://127.0.0.1:9/cdn.syndication.twimg.com/tweet-result?id=20&token=6dq1a2xwd93",
        ),
        ("http://t.co/bgHyrsbVFs", "http://127.0.0.1:9/t.co/bgHyrsbVFs"),
        ("https://Example.COM", "http://127.0.0.1:9/example.com/"),
        ("https://example.com:8443/a#frag", "http://127.0.0.1:9/example.com:8443/a"),
        ("https://example.com:443/a", "http://127.0.0.1:9/example.com/a"),
        ("https://[2606:2800::1]/a", "http://127.0.0.1:9/[2606:2800::1]/a"),
        # dot segments end at the root of the original host, as a real request's do; they used
        # to climb over the host in the layout, to another host's recordings (found by
        # tests/test_security.py)
        (
            "https://pbs.twimg.com/../../t.co/x/./y/../z.png?a=../b",
            "http://127.0.0.1:9/pbs.twimg.com/t.co/x/z.png?a=../b",
        ),
        ("https://pbs.twimg.com/%2e%2e/x", "http://127.0.0.1:9/pbs.twimg.com/%2e%2e/x"),
    ],
)
def test_the_reroute_layout_puts_the_original_host_first_in_the_path(url, target):
    assert rerouted(url, "http://127.0.0.1:9") == target
