"""The HTTP client: its logic (redirects, the policy, retries) against httpx.MockTransport, and
end to end against the real replay server (reroute, the address guard, sockets, caps, limits).
Waits are seen through an injected clock and sleep, never measured."""

import asyncio
import contextlib
import datetime as dt
import email.utils
import re
import ssl
from pathlib import Path

import httpx
import pytest

from archiver.errors import (
    BlockedRequest,
    InputError,
    ResponseTooLarge,
    TooManyRedirects,
    TransportError,
)
from archiver.fetch import PUBLIC, TWITTER, ClientConfig, HttpClient
from archiver.fetch.transport import ShardedTransports
from archiver.models import Exchange, Hop

SYNDICATION = (
    "https://cdn.syndication.twimg.com/tweet-result?id=1641086480675225601&token=3z7miaszni8"
)
TWEET_JSON = '{"__typename":"Tweet","id_str":"1641086480675225601","lang":"en"}'
STATUS = "https://twitter.com/SamuelSusla/status/1641086480675225601"
TLS = Path(__file__).resolve().parent / "fixtures" / "tls"


class FakeTime:
    """A clock that moves only when the client sleeps; every sleep is recorded."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def clock(self):
        return self.now

    async def sleep(self, seconds):
        self.sleeps.append(round(seconds, 6))
        self.now += seconds
        await asyncio.sleep(0)


def answer(url, status=200, body="", headers=(), content_type="application/json"):
    response_headers = [["content-type", content_type], *map(list, headers)]
    return {
        "request": {"url": url},
        "response": {"status": status, "headers": response_headers, "body": body},
    }


def redirect(url, location, status=301):
    return {
        "request": {"url": url},
        "response": {"status": status, "headers": [["location", location]]},
    }


def get(config, url, *, time=None, jitter=1.0, transport=None, resolver=None, **options):
    """Run one client.get to completion."""
    time = time or FakeTime()

    async def run():
        async with HttpClient(
            config,
            sleep=time.sleep,
            clock=time.clock,
            jitter=lambda: jitter,
            transport=transport,
            resolver=resolver,
        ) as client:
            return await client.get(url, **options)

    return asyncio.run(run())


async def public_dns(host, port):
    """Every name resolves to one public address (example.com's)."""
    return ["93.184.216.34"]


class Web:
    """httpx.MockTransport over answers by URL: a response, or a list of them played in order
    (the last one repeats). Every URL requested is kept in ``requested``."""

    def __init__(self, answers):
        self.answers = {url: list(a) if isinstance(a, list) else [a] for url, a in answers.items()}
        self.requested = []
        self.transport = httpx.MockTransport(self.handle)

    def handle(self, request):
        url = str(request.url)
        self.requested.append(url)
        queue = self.answers.get(url)
        if not queue:
            return httpx.Response(404, json={"error": "not mocked", "url": url})
        return queue.pop(0) if len(queue) > 1 else queue[0]


def mocked(url, *, config=None, **answers_and_options):
    """One client.get through a Web of ``answers`` (a dict); the exchange and the Web."""
    answers = answers_and_options.pop("answers")
    web = Web(answers)
    settings = {"backoff_base": 0.001, "backoff_cap": 0.01, "per_host_rate": None}
    config = config or ClientConfig(**settings)
    options = {"resolver": public_dns, **answers_and_options}
    return get(config, url, transport=web.transport, **options), web


def moved(location, status=301):
    return httpx.Response(status, headers={"location": location})


def ok(body, content_type="application/json", status=200, headers=()):
    return httpx.Response(status, headers=[("content-type", content_type), *headers], text=body)


def without_timing(exchange):
    """The exchange with its clock readings checked for shape and then blanked."""
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", exchange.fetched_at)
    assert exchange.elapsed_ms > 0
    exchange.fetched_at, exchange.elapsed_ms = "", 0.0
    return exchange


def headers_of(body, content_type="application/json"):
    return [
        ("content-type", content_type),
        ("content-length", str(len(body))),
        ("connection", "keep-alive"),
    ]


def test_a_rerouted_request_is_recorded_under_its_original_url(replay_server, replay_config):
    replay_server.add(answer(SYNDICATION, body=TWEET_JSON))
    exchange = get(replay_config(), SYNDICATION)
    assert without_timing(exchange) == Exchange(
        url=SYNDICATION,
        final_url=SYNDICATION,
        status=200,
        headers=headers_of(TWEET_JSON),
        body=TWEET_JSON.encode(),
        chain=[Hop(SYNDICATION, 200)],
        replay=True,
        attempts=1,
    )
    assert replay_server.stats()["urls"] == {SYNDICATION: 1}


def test_redirects_are_followed_by_their_original_urls_and_each_hop_recorded(
    replay_server, replay_config
):
    replay_server.add(
        redirect("https://t.co/rQd6FIwZ0U", f"{STATUS}/photo/1"),
        redirect(f"{STATUS}/photo/1", "/SamuelSusla/status/1641086480675225601", 302),
        redirect(STATUS, STATUS.replace("twitter.com", "x.com"), 302),
        answer(STATUS.replace("twitter.com", "x.com"), body="<html>", content_type="text/html"),
    )
    exchange = get(replay_config(), "https://t.co/rQd6FIwZ0U", redirects=TWITTER)
    assert without_timing(exchange) == Exchange(
        url="https://t.co/rQd6FIwZ0U",
        final_url="https://x.com/SamuelSusla/status/1641086480675225601",
        status=200,
        headers=headers_of("<html>", "text/html"),
        body=b"<html>",
        chain=[
            Hop("https://t.co/rQd6FIwZ0U", 301, f"{STATUS}/photo/1"),
            Hop(f"{STATUS}/photo/1", 302, STATUS),
            Hop(STATUS, 302, "https://x.com/SamuelSusla/status/1641086480675225601"),
            Hop("https://x.com/SamuelSusla/status/1641086480675225601", 200),
        ],
        replay=True,
        attempts=1,
    )


def test_a_policy_without_redirects_returns_the_3xx_itself():
    from archiver.fetch import NO_REDIRECTS

    exchange, web = mocked(
        "https://t.co/rQd6FIwZ0U",
        answers={"https://t.co/rQd6FIwZ0U": moved(STATUS)},
        redirects=NO_REDIRECTS,
    )
    assert (exchange.status, exchange.chain) == (301, [Hop("https://t.co/rQd6FIwZ0U", 301)])
    assert exchange.header("location") == STATUS
    assert (exchange.replay, web.requested) == (False, ["https://t.co/rQd6FIwZ0U"])


@pytest.mark.parametrize(
    "location, reason",
    [
        ("http://127.0.0.1/", "loopback address"),
        ("http://10.0.0.1/", "private address"),
        ("http://[::ffff:127.0.0.1]/", "IPv4-mapped"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:8080/", "loopback address"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://2130706433/", "loopback address"),  # 127.0.0.1 as one decimal number
        ("http://0x7f.1/", "loopback address"),
        ("http://localhost:8080/admin", "loopback name"),
        ("http://metadata.localhost/", "loopback name"),
        ("http://[fd00::1]/", "private address"),
        ("http://[2002:7f00:1::]/", "embedding 127.0.0.1"),
        ("http://224.0.0.1/", "multicast"),
        ("ftp://files.example.com/x", "scheme 'ftp'"),
        ("file:///etc/passwd", "scheme 'file'"),
        ("javascript:alert(1)", "scheme 'javascript'"),
        ("http://user:secret@example.com/", "credentials"),
    ],
)
def test_a_redirect_to_a_private_address_or_scheme_is_refused_with_the_chain_as_evidence(
    location, reason
):
    web = Web({"https://t.co/AbCdE12345": moved(location)})
    with pytest.raises(BlockedRequest, match=re.escape(reason)) as caught:
        get(ClientConfig(), "https://t.co/AbCdE12345", transport=web.transport, resolver=public_dns)
    evidence = caught.value.exchange
    assert caught.value.url == "https://t.co/AbCdE12345"
    assert (evidence.status, evidence.chain, evidence.error) == (
        301,
        [Hop("https://t.co/AbCdE12345", 301, location)],
        str(caught.value),
    )
    assert web.requested == ["https://t.co/AbCdE12345"]  # nothing was sent to the refused target


def test_a_host_whose_dns_answers_a_private_address_is_refused(replay_server, replay_config):
    replay_server.add(
        redirect("https://t.co/AbCdE12345", "https://rebind.example.net/x"),
        answer("https://rebind.example.net/x", body="internal"),
        answer("https://mixed.example.net/", body="internal"),
        dns={
            "rebind.example.net": ["127.0.0.1"],
            "mixed.example.net": ["93.184.216.34", "10.1.2.3"],
        },
    )
    with pytest.raises(
        BlockedRequest, match=r"rebind\.example\.net\ resolves\ to\ 127\.0\.0\.1"
    ) as caught:
        get(replay_config(), "https://t.co/AbCdE12345")
    assert caught.value.exchange.chain == [
        Hop("https://t.co/AbCdE12345", 301, "https://rebind.example.net/x")
    ]
    with pytest.raises(BlockedRequest, match=r"resolves\ to\ 10\.1\.2\.3,\ a\ private\ address"):
        get(replay_config(), "https://mixed.example.net/")
    assert replay_server.stats()["urls"] == {"https://t.co/AbCdE12345": 1}


def test_a_host_with_only_public_addresses_in_the_dns_table_is_fetched(
    replay_server, replay_config
):
    replay_server.add(
        answer("https://news.example.org/story", body="<p>story</p>", content_type="text/html"),
        dns={"news.example.org": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]},
    )
    assert get(replay_config(), "https://news.example.org/story").body == b"<p>story</p>"


def test_without_reroute_the_injected_resolver_is_asked_and_its_private_answer_refused():
    asked = []

    async def resolver(host, port):
        asked.append((host, port))
        return ["192.168.1.20"]

    async def run():
        async with HttpClient(ClientConfig(), resolver=resolver) as client:
            return await client.get("https://printer.example.com/status")

    with pytest.raises(
        BlockedRequest, match=r"printer\.example\.com\ resolves\ to\ 192\.168\.1\.20"
    ) as caught:
        asyncio.run(run())
    assert asked == [("printer.example.com", 443)]
    evidence = caught.value.exchange  # no request was sent, so no hop
    assert (evidence.final_url, evidence.status, evidence.chain) == (
        "https://printer.example.com/status",
        None,
        [],
    )


def test_connections_go_to_the_checked_address_not_to_a_second_lookup(replay_server):
    """The pinned backend connects to what the lookup returned, whatever the name resolves to."""
    replay_server.add(answer("https://t.co/AAA", body="pinned"))
    port = int(replay_server.url.rsplit(":", 1)[1])
    looked_up = []

    async def lookup(host, port):
        looked_up.append(host)
        return ["127.0.0.1"]

    async def run():
        shards = ShardedTransports(
            shards=1, connections=2, timeout=httpx.Timeout(5), headers={}, lookup=lookup
        )
        try:
            async with shards.stream(
                f"http://never-resolved.invalid:{port}/t.co/AAA", None
            ) as response:
                return await response.aread()
        finally:
            await shards.aclose()

    assert asyncio.run(run()) == b"pinned"
    assert looked_up == ["never-resolved.invalid"]


def test_a_redirect_to_a_host_the_hop_may_not_lead_to_is_refused():
    web = Web({"https://t.co/AbCdE12345": moved("https://phish.example.com/login")})
    with pytest.raises(
        BlockedRequest, match=r"from\ t\.co\ may\ not\ lead\ to\ phish\.example\.com"
    ) as caught:
        get(
            ClientConfig(),
            "https://t.co/AbCdE12345",
            redirects=TWITTER,
            transport=web.transport,
            resolver=public_dns,
        )
    assert caught.value.exchange.chain == [
        Hop("https://t.co/AbCdE12345", 301, "https://phish.example.com/login")
    ]
    assert web.requested == ["https://t.co/AbCdE12345"]


def test_the_public_policy_follows_articles_to_any_public_host():
    article = "https://www.example-news.com/2022/02/26/kyiv"
    exchange, _ = mocked(
        "https://bit.ly/3xyz",
        answers={
            "https://bit.ly/3xyz": moved(article),
            article: ok("<h1>Kyiv</h1>", "text/html"),
        },
        redirects=PUBLIC,
    )
    assert (exchange.final_url, exchange.body) == (article, b"<h1>Kyiv</h1>")


def test_a_redirect_loop_is_detected():
    x_status = STATUS.replace("twitter.com", "x.com")
    web = Web({STATUS: moved(x_status, 302), x_status: moved(STATUS, 302)})
    with pytest.raises(TooManyRedirects, match="redirect loop") as caught:
        get(ClientConfig(), STATUS, redirects=TWITTER, transport=web.transport, resolver=public_dns)
    assert [hop.url for hop in caught.value.exchange.chain] == [STATUS, x_status]


def test_a_chain_longer_than_the_limit_is_cut():
    web = Web({f"https://hop.example.com/{n}": moved(f"/{n + 1}") for n in range(10)})
    with pytest.raises(TooManyRedirects, match="more than 3 redirects") as caught:
        get(
            ClientConfig(max_redirects=3),
            "https://hop.example.com/0",
            transport=web.transport,
            resolver=public_dns,
        )
    assert len(caught.value.exchange.chain) == 4
    assert len(web.requested) == 4


def test_429_with_retry_after_is_waited_for_then_retried():
    time = FakeTime()
    limited = httpx.Response(429, headers={"retry-after": "7"})
    exchange, web = mocked(SYNDICATION, answers={SYNDICATION: [limited, ok(TWEET_JSON)]}, time=time)
    assert (exchange.status, exchange.body, exchange.attempts) == (200, TWEET_JSON.encode(), 2)
    assert time.sleeps == [7.0]
    assert web.requested == [SYNDICATION, SYNDICATION]


def test_429_with_an_http_date_retry_after_is_honoured(replay_server, replay_config):
    replay_server.add(answer(SYNDICATION, body=TWEET_JSON))
    later = email.utils.format_datetime(
        dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30), usegmt=True
    )
    replay_server.inject(
        {"match": "cdn.syndication.twimg.com", "sequence": [429, "ok"], "retry_after": later}
    )
    time = FakeTime()
    assert get(replay_config(), SYNDICATION, time=time).status == 200
    assert len(time.sleeps) == 1 and 27 <= time.sleeps[0] <= 30


def test_503_is_retried_with_exponential_backoff_then_succeeds():
    time = FakeTime()
    exchange, web = mocked(
        SYNDICATION,
        answers={SYNDICATION: [httpx.Response(503), httpx.Response(502), ok(TWEET_JSON)]},
        config=ClientConfig(backoff_base=0.5, backoff_cap=30, per_host_rate=None),
        time=time,
        jitter=1.0,
    )
    assert (exchange.status, exchange.attempts, exchange.chain) == (200, 3, [Hop(SYNDICATION, 200)])
    assert time.sleeps == [0.5, 1.0]  # base * 2**(attempt-1), times the jitter draw (1.0 here)
    assert len(web.requested) == 3


def test_the_jitter_scales_each_backoff():
    time = FakeTime()
    mocked(
        SYNDICATION,
        answers={SYNDICATION: [httpx.Response(500)] * 3 + [ok(TWEET_JSON)]},
        config=ClientConfig(backoff_base=1, backoff_cap=3, per_host_rate=None),
        time=time,
        jitter=0.5,
    )
    assert time.sleeps == [0.5, 1.0, 1.5]  # capped at 3 before the jitter


def test_the_last_503_after_all_retries_is_returned_not_raised():
    time = FakeTime()
    exchange, _ = mocked(
        SYNDICATION,
        answers={SYNDICATION: ok('{"error": "busy"}', status=503)},
        config=ClientConfig(retries=2, per_host_rate=None),
        time=time,
    )
    assert (exchange.status, exchange.attempts, exchange.error) == (503, 3, None)
    assert exchange.body == b'{"error": "busy"}'
    assert len(time.sleeps) == 2


def test_a_retry_after_longer_than_the_cap_is_not_waited_for():
    time = FakeTime()
    exchange, _ = mocked(
        SYNDICATION,
        answers={SYNDICATION: httpx.Response(429, headers={"retry-after": "3600"})},
        config=ClientConfig(retry_after_cap=120, per_host_rate=None),
        time=time,
    )
    assert (exchange.status, exchange.attempts, time.sleeps) == (429, 1, [])
    assert exchange.header("retry-after") == "3600"


@pytest.mark.parametrize("status, attempts", [(400, 1), (403, 1), (404, 1), (410, 1), (408, 2)])
def test_only_408_and_429_among_the_4xx_are_retried(status, attempts):
    exchange, _ = mocked(SYNDICATION, answers={SYNDICATION: [httpx.Response(status), ok("{}")]})
    assert (exchange.status, exchange.attempts) == ((status, 1) if attempts == 1 else (200, 2))


def test_a_429_pauses_the_whole_host_not_only_the_request_that_got_it(replay_server, replay_config):
    replay_server.add(
        answer(SYNDICATION, body=TWEET_JSON),
        answer("https://cdn.syndication.twimg.com/other", body="{}"),
    )
    replay_server.inject({"match": SYNDICATION, "sequence": [429, "ok"], "retry_after": 5})
    time = FakeTime()

    async def run():
        async with HttpClient(replay_config(), sleep=time.sleep, clock=time.clock) as client:
            first = await client.get(SYNDICATION)
            second = await client.get("https://cdn.syndication.twimg.com/other")
            return first, second

    first, second = asyncio.run(run())
    assert (first.status, second.status) == (200, 200)
    assert time.sleeps == [5.0]  # the second request started after the pause, without a new wait


def test_an_oversized_body_is_cut_at_the_cap_and_raised_with_the_part_kept(
    replay_server, replay_config
):
    body = '{"text": "' + "x" * 5000 + '"}'
    replay_server.add(answer(SYNDICATION, body=body))
    with pytest.raises(ResponseTooLarge, match="cap of 1,000 bytes") as caught:
        get(replay_config(), SYNDICATION, max_bytes=1000)
    evidence = caught.value.exchange
    assert (evidence.status, evidence.body, evidence.truncated, evidence.attempts) == (
        200,
        body.encode()[:1000],
        True,
        1,
    )
    assert evidence.chain == [Hop(SYNDICATION, 200)]
    assert replay_server.stats()["urls"] == {SYNDICATION: 1}  # never retried


def test_a_truncated_body_is_retried_then_raised_as_a_transport_error(replay_server, replay_config):
    replay_server.add(answer(SYNDICATION, body=TWEET_JSON))
    replay_server.inject({"match": "cdn.syndication.twimg.com", "truncate": 12})
    with pytest.raises(TransportError, match="after 3 attempts") as caught:
        get(replay_config(retries=2), SYNDICATION)
    evidence = caught.value.exchange
    assert (evidence.status, evidence.body, evidence.truncated, evidence.attempts) == (
        200,
        TWEET_JSON.encode()[:12],
        True,
        3,
    )
    assert replay_server.stats()["urls"] == {SYNDICATION: 3}


def test_a_connection_reset_is_retried_and_the_request_then_succeeds(replay_server, replay_config):
    replay_server.add(answer(SYNDICATION, body=TWEET_JSON))
    replay_server.inject({"match": "cdn.syndication.twimg.com", "reset": True, "times": 2})
    time = FakeTime()
    exchange = get(replay_config(), SYNDICATION, time=time)
    assert (exchange.status, exchange.body, exchange.attempts, len(time.sleeps)) == (
        200,
        TWEET_JSON.encode(),
        3,
        2,
    )


def test_resets_every_time_end_in_a_transport_error_without_a_status(replay_server, replay_config):
    replay_server.inject({"match": "cdn.syndication.twimg.com", "reset": True})
    with pytest.raises(TransportError) as caught:
        get(replay_config(retries=1), SYNDICATION)
    evidence = caught.value.exchange
    assert (evidence.status, evidence.body, evidence.attempts, evidence.chain) == (
        None,
        b"",
        2,
        [Hop(SYNDICATION, None)],
    )
    assert evidence.error == str(caught.value)


def test_a_server_slower_than_the_read_timeout_is_a_transport_error(replay_server, replay_config):
    replay_server.add(answer(SYNDICATION, body=TWEET_JSON))
    replay_server.inject({"match": "cdn.syndication.twimg.com", "delay_ms": 500})
    with pytest.raises(TransportError, match="timed out"):
        get(replay_config(read_timeout=0.05, retries=1), SYNDICATION)
    assert replay_server.stats()["urls"] == {SYNDICATION: 2}


def test_the_deadline_bounds_a_whole_attempt_even_when_bytes_keep_coming(
    replay_server, replay_config
):
    replay_server.add(answer(SYNDICATION, body=TWEET_JSON))
    replay_server.inject({"match": "cdn.syndication.twimg.com", "delay_ms": 400})
    with pytest.raises(TransportError, match="timed out") as caught:
        get(replay_config(deadline=0.1, read_timeout=30, retries=0), SYNDICATION)
    assert caught.value.exchange.attempts == 1


def test_a_malformed_location_is_refused_not_crashed_on(replay_server, replay_config):
    replay_server.add(redirect("https://t.co/AbCdE12345", "http://[::1"))
    with pytest.raises(BlockedRequest, match="malformed URL"):
        get(replay_config(), "https://t.co/AbCdE12345")


def test_a_slow_host_does_not_stall_requests_to_other_hosts(replay_server, replay_config):
    replay_server.add(
        *(answer(f"https://slow.example.com/{n}", body="slow") for n in range(4)),
        *(answer(f"https://fast.example.com/{n}", body="fast") for n in range(20)),
    )
    replay_server.inject({"match": "slow.example.com", "delay_ms": 1000})
    finished = []

    async def run():
        async with HttpClient(replay_config(per_host_concurrency=2, max_connections=4)) as client:

            async def one(url):
                await client.get(url)
                finished.append(url.split("/")[2])

            slow = [asyncio.create_task(one(f"https://slow.example.com/{n}")) for n in range(4)]
            await asyncio.sleep(0.05)  # the slow requests hold their connections first
            await asyncio.gather(*slow, *(one(f"https://fast.example.com/{n}") for n in range(20)))

    asyncio.run(run())
    assert finished == ["fast.example.com"] * 20 + ["slow.example.com"] * 4


def test_the_per_host_rate_spaces_requests_after_a_burst(replay_server, replay_config):
    replay_server.add(*(answer(f"https://web.archive.org/cdx/{n}", body="[]") for n in range(6)))
    replay_server.add(*(answer(f"https://publish.twitter.com/{n}", body="{}") for n in range(10)))
    time = FakeTime()

    async def run():
        async with HttpClient(
            replay_config(per_host_rate=2.0), sleep=time.sleep, clock=time.clock
        ) as client:
            for n in range(10):
                await client.get(f"https://publish.twitter.com/{n}")
            publish_sleeps = list(time.sleeps)
            for n in range(6):
                await client.get(f"https://web.archive.org/cdx/{n}")
            return publish_sleeps

    publish_sleeps = asyncio.run(run())
    # a burst of what 10 s earn (capped by the 8 requests a host may have in flight), then 2/s
    assert publish_sleeps == [0.5, 0.5]
    # the Wayback CDX default, 0.4/s: a burst of 4, then one every 2.5 s
    assert time.sleeps[2:] == [2.5, 2.5]


def test_the_client_must_be_entered_before_use():
    async def run():
        await HttpClient(ClientConfig()).get(SYNDICATION)

    with pytest.raises(RuntimeError, match="async with"):
        asyncio.run(run())


def test_the_reroute_comes_from_the_environment_and_must_be_loopback():
    assert ClientConfig.from_env({"ARCHIVER_REROUTE": "http://127.0.0.1:8080/"}).reroute == (
        "http://127.0.0.1:8080"
    )
    assert ClientConfig.from_env({}).reroute is None
    assert ClientConfig.from_env({}, retries=0).retries == 0
    for bad in (
        "http://replay.example.com:8080",
        "https://127.0.0.1:8080",
        "127.0.0.1:8080",
        "http://127.0.0.1",
    ):
        with pytest.raises(InputError, match="ARCHIVER_REROUTE"):
            ClientConfig.from_env({"ARCHIVER_REROUTE": bad})


@pytest.mark.parametrize(
    "change, message",
    [
        ({"max_connections": 0}, "max_connections must be at least 1"),
        ({"per_host_concurrency": 0}, "per_host_concurrency must be at least 1"),
        ({"retries": -1}, "retries must not be negative"),
        ({"per_host_rate": 0}, "per_host_rate must be positive"),
        ({"max_media_bytes": 0}, "max_media_bytes must be at least 1"),
    ],
)
def test_a_config_that_cannot_work_is_refused(change, message):
    with pytest.raises(InputError, match=message):
        ClientConfig(**change)


def test_requests_carry_the_descriptive_user_agent_unless_a_header_replaces_it(
    replay_server, replay_config
):
    replay_server.add(answer(SYNDICATION, body=TWEET_JSON))
    config = replay_config()
    assert re.fullmatch(
        r"archiver/\d+\.\d+\.\d+\S* \(social-post archiver(; \+https?://\S+)?\)",
        config.user_agent,
    )
    get(config, SYNDICATION)
    get(config, SYNDICATION, headers={"User-Agent": "Googlebot"})
    assert [r["user_agent"] for r in replay_server.stats()["recent"]] == [
        config.user_agent,
        "Googlebot",
    ]


def test_tls_goes_to_the_checked_address_and_is_verified_against_the_original_name():
    """The connection is pinned to the looked-up address; SNI and the certificate check use the
    host name, so a pinned connection is still verified for the host it claims to reach."""
    body = b"x" * 300_000  # past the stream's read buffer: back-pressure through TLS
    looked_up = []

    async def serve(reader, writer):
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            while await reader.readuntil(b"\r\n\r\n"):
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
                await writer.drain()
        writer.close()

    async def lookup(host, port):
        looked_up.append(host)
        return ["127.0.0.1"]

    async def fetch_twice(host):
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_context.load_cert_chain(TLS / "tls.test.pem", TLS / "tls.test.key")
        server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=server_context)
        port = server.sockets[0].getsockname()[1]
        shards = ShardedTransports(
            shards=1,
            connections=1,
            timeout=httpx.Timeout(5),
            headers={},
            lookup=lookup,
            ssl_context=ssl.create_default_context(cafile=TLS / "tls.test.pem"),
        )
        try:
            sizes = []
            for _ in range(2):
                async with shards.stream(f"https://{host}:{port}/", None) as response:
                    sizes.append(len(await response.aread()))
            return sizes
        finally:
            await shards.aclose()
            server.close()

    assert asyncio.run(fetch_twice("tls.test")) == [300_000, 300_000]
    assert looked_up == ["tls.test"]  # one connection, kept alive
    with pytest.raises(httpx.ConnectError, match=r"CERTIFICATE_VERIFY_FAILED|Hostname mismatch"):
        asyncio.run(fetch_twice("other.test"))


def post(config, url, content, **options):
    """Run one client.post to completion."""
    time = FakeTime()

    async def run():
        async with HttpClient(config, sleep=time.sleep, clock=time.clock) as client:
            return await client.post(url, content, **options)

    return asyncio.run(run())


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_rerouted_post_keeps_its_body_and_content_type(replay_server, replay_config, scheme):
    seen = []

    def respond(method, path, headers, body):
        seen.append((method, path, headers.get("content-type"), body))
        return 200, [("content-type", "application/timestamp-reply")], b"reply:" + body

    replay_server.respond("tsa.example.net", respond)
    body = bytes(range(256))

    exchange = post(
        replay_config(), f"{scheme}://tsa.example.net/tsr", body,
        content_type="application/timestamp-query",
    )  # fmt: skip

    assert seen == [("POST", "/tsr", "application/timestamp-query", body)]
    assert (exchange.url, exchange.status, exchange.body) == (
        f"{scheme}://tsa.example.net/tsr", 200, b"reply:" + body,
    )  # fmt: skip


def test_a_post_follows_no_redirect_and_keeps_the_caps_and_the_guard(replay_server, replay_config):
    replay_server.respond(
        "tsa.example.net", lambda *_: (302, [("location", "https://elsewhere.example/")], b"")
    )
    exchange = post(replay_config(), "https://tsa.example.net/", b"q", content_type="application/x")
    assert exchange.status == 302 and len(exchange.chain) == 1
    replay_server.respond("big.example.net", lambda *_: (200, [], b"x" * 5000))
    with pytest.raises(ResponseTooLarge):
        post(replay_config(), "https://big.example.net/", b"q", content_type="a/b", max_bytes=1000)
    with pytest.raises(BlockedRequest):
        post(replay_config(), "http://127.0.0.1/tsr", b"q", content_type="a/b")


def test_a_mock_transport_replaces_the_sockets_but_not_the_address_guard():
    asked = []

    async def private_dns(host, port):
        asked.append(host)
        return ["10.0.0.7"] if host == "intranet.example.com" else ["93.184.216.34"]

    web = Web({"https://bit.ly/3xyz": moved("https://intranet.example.com/wiki")})
    with pytest.raises(BlockedRequest, match=r"intranet\.example\.com resolves to 10\.0\.0\.7"):
        get(ClientConfig(), "https://bit.ly/3xyz", transport=web.transport, resolver=private_dns)
    assert asked == ["bit.ly", "intranet.example.com"]
    assert web.requested == ["https://bit.ly/3xyz"]


def test_a_mock_transport_receives_the_headers_and_the_post_body():
    seen = []

    def handler(request):
        seen.append((request.method, request.headers["user-agent"], request.read()))
        return httpx.Response(201, text="stamped")

    async def run():
        config = ClientConfig(user_agent="archiver-test")
        async with HttpClient(
            config, transport=httpx.MockTransport(handler), resolver=public_dns
        ) as client:
            return await client.post(
                "https://tsa.example.org/", b"query", content_type="application/timestamp-query"
            )

    exchange = asyncio.run(run())
    assert (exchange.status, exchange.body) == (201, b"stamped")
    assert seen == [("POST", "archiver-test", b"query")]
