"""pic.twitter.com, pic.x.com and t.co links resolved hop by hop: end to end through the replay
server, and what follows from each answer through httpx.MockTransport."""

import asyncio

import httpx
import pytest

from archiver.errors import BlockedRequest, HTTPStatusError, InputError, PayloadError
from archiver.fetch import ClientConfig, HttpClient, ShortlinkResult, resolve_shortlink
from archiver.fetch.shortlinks import CURL_USER_AGENT
from archiver.models import Hop, Resolution
from archiver.urls import PostRef

CODE = "bgHyrsbVFs"
T_CO = f"https://t.co/{CODE}"
PHOTO = "https://twitter.com/ChristopherJM/status/1497213151406260225/photo/1"
REF = PostRef("twitter", "1497213151406260225", "ChristopherJM")
# t.co's answer to a browser User-Agent (docs/endpoints.md §1.2; softwareengineering.SE 343581)
BROWSER_PAGE = (
    '<head><meta name="referrer" content="always"><noscript><META http-equiv="refresh" '
    f'content="0;URL={PHOTO}"></noscript><title>{PHOTO}</title></head>'
    '<script>window.opener = null; location.replace("' + PHOTO.replace("/", "\\/") + '")</script>'
)


def moved(url, location, status=301):
    return {
        "request": {"url": url},
        "response": {
            "status": status,
            "headers": [
                ["location", location],
                ["cache-control", "private,max-age=300"],
                ["server", "tsa_a"],
            ],
        },
    }


def page(url, body, status=200):
    return {
        "request": {"url": url},
        "response": {
            "status": status,
            "headers": [["content-type", "text/html; charset=utf-8"]],
            "body": body,
        },
    }


def resolve(config, link):
    async def run():
        async with HttpClient(config) as client:
            return await resolve_shortlink(client, link)

    return asyncio.run(run())


async def public_dns(host, port):
    return ["104.244.42.1"]  # a public address, as t.co's are


def resolve_mocked(link, answers=None):
    """resolve_shortlink with ``answers`` (by URL) given by httpx.MockTransport, no server."""

    def handler(request):
        return (answers or {}).get(str(request.url)) or httpx.Response(404)

    async def run():
        transport = httpx.MockTransport(handler)
        async with HttpClient(ClientConfig(), transport=transport, resolver=public_dns) as client:
            return await resolve_shortlink(client, link)

    return asyncio.run(run())


def mock_moved(location):
    return httpx.Response(301, headers={"location": location})


def mock_page(body, status=200):
    return httpx.Response(status, headers={"content-type": "text/html; charset=utf-8"}, text=body)


@pytest.mark.parametrize(
    "link",
    [
        f"pic.twitter.com/{CODE}",
        f"https://pic.twitter.com/{CODE}",
        f"http://pic.x.com/{CODE}",
        f"pic.x.com/{CODE}",
        f"t.co/{CODE}",
        T_CO,
    ],
)
def test_every_form_of_the_link_is_asked_as_t_co_and_stops_at_the_status(
    replay_server, replay_config, link
):
    replay_server.add(moved(T_CO, PHOTO))
    result = resolve(replay_config(), link)
    exchange = result.exchange
    assert result == ShortlinkResult(link=link, status_url=PHOTO, ref=REF, exchange=exchange)
    assert (exchange.url, exchange.final_url, exchange.status, exchange.chain, exchange.error) == (
        T_CO,
        T_CO,
        301,
        [Hop(T_CO, 301, PHOTO)],
        None,
    )
    assert exchange.header("server") == "tsa_a"
    assert replay_server.stats()["recent"] == [
        {"method": "GET", "url": T_CO, "user_agent": CURL_USER_AGENT}
    ]  # the status page itself is never fetched


def test_a_200_page_with_a_meta_refresh_is_followed_and_kept():
    result = resolve_mocked(f"pic.twitter.com/{CODE}", {T_CO: mock_page(BROWSER_PAGE)})
    assert (result.status_url, result.ref) == (PHOTO, REF)
    assert result.exchange.chain == [Hop(T_CO, 200, PHOTO, "meta_refresh")]
    assert result.exchange.body == BROWSER_PAGE.encode()


def test_a_page_with_only_location_replace_is_followed():
    script_only = f'<script>location.replace("{PHOTO}")</script>'
    result = resolve_mocked(T_CO, {T_CO: mock_page(script_only)})
    assert result.exchange.chain == [Hop(T_CO, 200, PHOTO, "location_replace")]


def test_the_unsafe_link_interstitial_is_stripped():
    warning = (
        "https://twitter.com/safety/unsafe_link_warning?unsafe_link="
        "https%3A%2F%2Fx.com%2FSaoSasha%2Fstatus%2F1497300000000000000%2Fvideo%2F1"
    )
    result = resolve_mocked(T_CO, {T_CO: mock_moved(warning)})
    assert (result.status_url, result.ref) == (
        "https://x.com/SaoSasha/status/1497300000000000000/video/1",
        PostRef("twitter", "1497300000000000000", "SaoSasha"),
    )
    assert result.exchange.chain == [Hop(T_CO, 301, warning)]


def test_several_hops_are_followed_and_recorded(replay_server, replay_config):
    replay_server.add(
        moved(T_CO, "https://t.co/second"),
        page("https://t.co/second", BROWSER_PAGE),
    )
    result = resolve(replay_config(), T_CO)
    assert result.exchange.chain == [
        Hop(T_CO, 301, "https://t.co/second"),
        Hop("https://t.co/second", 200, PHOTO, "meta_refresh"),
    ]
    assert result.resolution() == Resolution(
        platform="twitter",
        post_id="1497213151406260225",
        status_url=PHOTO,
        how="shortlink",
        exchanges=[result.exchange],
    )


def test_a_link_to_somewhere_outside_twitter_is_refused():
    with pytest.raises(BlockedRequest, match=r"may\ not\ lead\ to\ phish\.example\.com") as caught:
        resolve_mocked(T_CO, {T_CO: mock_moved("https://phish.example.com/")})
    assert caught.value.exchange.chain == [Hop(T_CO, 301, "https://phish.example.com/")]


def test_a_link_to_a_private_address_is_refused_and_recorded(replay_server, replay_config):
    replay_server.add(moved(T_CO, "http://10.0.0.1/admin"))
    with pytest.raises(BlockedRequest, match="private address") as caught:
        resolve(replay_config(), f"pic.twitter.com/{CODE}")
    assert (caught.value.url, caught.value.exchange.chain) == (
        T_CO,
        [Hop(T_CO, 301, "http://10.0.0.1/admin")],
    )


def test_a_dead_shortlink_raises_its_status_with_the_evidence():
    with pytest.raises(HTTPStatusError, match="answered 404") as caught:
        resolve_mocked(T_CO, {T_CO: mock_page("<h1>Not Found</h1>", status=404)})
    assert caught.value.status == 404
    assert caught.value.exchange.chain == [Hop(T_CO, 404)]
    assert caught.value.exchange.body == b"<h1>Not Found</h1>"


def test_a_page_that_leads_nowhere_is_a_payload_error():
    answers = {
        T_CO: mock_moved("https://twitter.com/home"),
        "https://twitter.com/home": mock_page("<html>"),
    }
    with pytest.raises(PayloadError, match="does not lead to a status") as caught:
        resolve_mocked(T_CO, answers)
    assert caught.value.exchange.final_url == "https://twitter.com/home"


@pytest.mark.parametrize(
    "link", ["https://twitter.com/a/status/1", "bit.ly/abc", "pic.twitter.com/", "t.co/../etc"]
)
def test_something_that_is_not_a_shortlink_is_an_input_error(link):
    with pytest.raises(InputError, match=r"not\ a\ t\.co\ or\ pic\.twitter\.com\ link"):
        resolve_mocked(link)
