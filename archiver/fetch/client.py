"""The one HTTP client: limits, retries, hop-by-hop redirects under a policy, caps, and reroute.

Every request follows these steps, per hop:

1. check the URL: http(s), a public literal host, allowed by the redirect policy from the
   previous hop's host, and every address the host resolves to public (the address guard);
2. wait for the host's concurrency slot and rate, then send (on a shard, see transport.py),
   to the original host or, with ``reroute``, to the replay server in the reroute layout;
3. read the body under its cap, retrying timeouts, resets, 408, 429 and 5xx with backoff;
4. record the hop as its original URL, and follow its Location (or meta refresh) if any.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import random
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import BinaryIO, Self
from urllib.parse import urljoin, urlsplit

import httpx

from archiver.errors import (
    BlockedRequest,
    FetchError,
    HTTPStatusError,
    PayloadError,
    ResponseTooLarge,
    TooManyRedirects,
    TransportError,
)
from archiver.fetch.answer import (
    Answer,
    Sink,
    TooLarge,
    accepts,
    check_download,
    is_html,
    partial,
    read_into,
    record,
    stream_into,
)
from archiver.fetch.config import ClientConfig
from archiver.fetch.guard import AddressGuard, Resolver, system_resolver
from archiver.fetch.html_redirect import SCAN_BYTES, html_redirect
from archiver.fetch.limits import HostLimits
from archiver.fetch.policy import NO_REDIRECTS, PUBLIC, RedirectPolicy, check_url
from archiver.fetch.reroute import ReplayDns, rerouted
from archiver.fetch.retry import RETRY_STATUSES, backoff_delay, retry_after_seconds
from archiver.fetch.transport import ShardedTransports
from archiver.logs import logger
from archiver.models import Exchange, Hop

log = logger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_SMALL_BODY = 64 * 1024  # what is kept of a redirect's or a refused media answer's body


@dataclass(slots=True)
class Download:
    """A body streamed into a sink: the exchange (its body left empty), hash, size and type."""

    exchange: Exchange
    sha256: str
    size: int
    content_type: str | None


@dataclass(frozen=True, slots=True)
class _Request:
    """What a caller asked for, the same for every hop and attempt of one ``_fetch``."""

    headers: dict[str, str] | None
    policy: RedirectPolicy
    cap: int  # bytes of body read at the most
    html_redirects: bool = False  # follow meta refresh and location.replace in 200 pages
    sink: Sink | None = None  # stream a 2xx body there instead of keeping it
    content_types: tuple[str, ...] | None = None  # what the sink accepts; None: anything
    content: bytes | None = None  # a POST's body; None: a GET


class HttpClient:
    """The HTTP client every fetcher uses; an async context manager.

    >>> async with HttpClient(ClientConfig.from_env()) as client:  # doctest: +SKIP
    ...     exchange = await client.get("https://t.co/abc", redirects=TWITTER)

    ``resolver``, ``sleep``, ``clock`` and ``jitter`` are injectable so tests can see the
    waits without waiting; ``utc_clock`` dates each exchange (``fetched_at``), so a run can
    date its requests by the same clock as the rows it writes.

    ``transport`` replaces the sockets, as ``httpx.AsyncClient(transport=...)`` does, so unit
    tests answer with ``httpx.MockTransport(handler)`` and no server. It replaces nothing else:
    URL checks, the redirect policy, caps and retries apply, and the address guard still asks
    ``resolver`` (the system's DNS unless given; tests give one) before each request. What the
    transport then connects to is its own business: connections are pinned to the checked
    addresses only on the client's own sockets. The client closes it on exit, as httpx does.
    """

    def __init__(
        self,
        config: ClientConfig | None = None,
        *,
        resolver: Resolver | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
        utc_clock: Callable[[], str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.config = config or ClientConfig()
        self._transport = transport
        self._utc_clock = utc_clock or _utc_now
        self._sleep = sleep
        self._jitter = jitter
        self._reroute = self.config.reroute
        if resolver is None:
            resolver = (
                ReplayDns(self._reroute, self._replay_get) if self._reroute else system_resolver
            )
        self._guard = AddressGuard(resolver, ttl=self.config.dns_ttl)
        self._limits = HostLimits(
            concurrency=self.config.per_host_concurrency,
            rate=self.config.per_host_rate,
            host_rates=self.config.host_rates,
            clock=clock,
            sleep=sleep,
        )
        self._shards: ShardedTransports | None = None

    async def __aenter__(self) -> Self:
        config = self.config
        per_shard = max(1, min(config.shard_connections, config.max_connections))
        self._shards = ShardedTransports(
            shards=max(1, config.max_connections // per_shard),
            connections=per_shard,
            timeout=httpx.Timeout(
                connect=config.connect_timeout,
                read=config.read_timeout,
                write=config.write_timeout,
                pool=config.pool_timeout,
            ),
            headers={"User-Agent": config.user_agent},
            # Rerouted connections all go to the replay server; the guard checks the original
            # host (through the replay's DNS table) before each request instead.
            lookup=None if self._reroute else self._guard.addresses,
            transport=self._transport,
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._shards is not None:
            await self._shards.aclose()
            self._shards = None

    async def get(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        redirects: RedirectPolicy | None = None,
        max_bytes: int | None = None,
        follow_html_redirects: bool = False,
    ) -> Exchange:
        """GET ``url`` and return the exchange for any HTTP status, after retries.

        URLs in the exchange are the originals; ``chain`` holds every hop requested and
        ``attempts`` counts the tries of the last one. The body is capped at ``max_bytes``,
        never above ``config.max_body_bytes``. Raises BlockedRequest, TooManyRedirects,
        ResponseTooLarge (what was read is in ``exc.exchange.body``), TransportError and, for
        an undecodable body, PayloadError, each carrying ``.url`` and ``.exchange``.
        """
        request = _Request(
            headers,
            redirects or PUBLIC,
            # the configured cap is the ceiling: a caller may ask for less, never for more
            min(max_bytes or self.config.max_body_bytes, self.config.max_body_bytes),
            html_redirects=follow_html_redirects,
        )
        return (await self._fetch(url, request))[0]

    async def post(
        self,
        url: str,
        content: bytes,
        *,
        content_type: str,
        headers: dict[str, str] | None = None,
        max_bytes: int | None = None,
    ) -> Exchange:
        """POST ``content`` as ``content_type`` to ``url``; the exchange for any HTTP status.

        The same checks, limits, retries, caps and reroute as ``get`` (rerouted, the body and
        its type go along unchanged); no redirect is followed: a 3xx is the answer. Raises
        what ``get`` raises.
        """
        request = _Request(
            {**(headers or {}), "Content-Type": content_type},
            NO_REDIRECTS,
            min(max_bytes or self.config.max_body_bytes, self.config.max_body_bytes),
            content=content,
        )
        return (await self._fetch(url, request))[0]

    async def stream_to(
        self,
        url: str,
        sink: BinaryIO,
        *,
        max_bytes: int | None = None,
        headers: dict[str, str] | None = None,
        redirects: RedirectPolicy | None = None,
        content_types: Collection[str] | None = None,
    ) -> Download:
        """Stream a 2xx body into ``sink`` (a writable, seekable binary file) and hash it.

        The body is never held in memory here; a retry rewinds and truncates the sink.
        ``content_types`` lists accepted types or prefixes (``"image/"``). Raises, besides
        what ``get`` raises: HTTPStatusError for a final non-2xx answer, PayloadError for a
        refused content type, ResponseTooLarge when the declared or streamed size passes
        ``max_bytes`` (default ``max_media_bytes``).
        """
        target = Sink(sink)
        request = _Request(
            headers,
            redirects or PUBLIC,
            max_bytes or self.config.max_media_bytes,
            sink=target,
            content_types=tuple(content_types) if content_types is not None else None,
        )
        exchange, content_type = await self._fetch(url, request)
        return Download(exchange, target.hash.hexdigest(), target.size, content_type)

    async def _fetch(self, url: str, request: _Request) -> tuple[Exchange, str | None]:
        if self._shards is None:
            raise RuntimeError("use HttpClient as `async with HttpClient(config) as client:`")
        started = time.perf_counter()
        exchange = Exchange(
            url=url,
            final_url=url,
            status=None,
            fetched_at=self._utc_clock(),
            replay=bool(self._reroute),
        )
        policy = request.policy
        current, previous_host = url, None
        visited: set[str] = set()
        try:
            while True:
                host = self._check_hop(current, previous_host, policy)
                visited.add(current)
                exchange.final_url = current
                answer, exchange.attempts = await self._hop(current, host, request)
                record(exchange, answer)
                location, via = self._next_location(current, answer, request)
                exchange.chain.append(Hop(current, answer.status, location, via))
                if location is None:
                    break
                next_url = policy.unwrap(location) if policy.unwrap else location
                if policy.stop_at and policy.stop_at(next_url):
                    break
                if next_url in visited:
                    raise TooManyRedirects(f"redirect loop: {next_url} again")
                if len(exchange.chain) > self.config.max_redirects:
                    raise TooManyRedirects(f"more than {self.config.max_redirects} redirects")
                current, previous_host = next_url, host
            if request.sink is not None:
                check_download(exchange, request.content_types)
        except FetchError as exc:
            if isinstance(exc.exchange, Exchange):  # the failed hop's partial answer
                record(exchange, exc.exchange)
                exchange.attempts = exc.exchange.attempts
                exchange.chain.append(Hop(current, exc.exchange.status))
            exchange.error = str(exc)
            exchange.elapsed_ms = (time.perf_counter() - started) * 1000
            raise type(exc)(str(exc), url=url, exchange=exchange, **_extra(exc)) from exc
        exchange.elapsed_ms = (time.perf_counter() - started) * 1000
        return exchange, exchange.content_type

    def _check_hop(self, url: str, previous_host: str | None, policy: RedirectPolicy) -> str:
        host = check_url(url)
        if previous_host is not None and not policy.allows(previous_host, host):
            raise BlockedRequest(
                f"a redirect from {previous_host} may not lead to {host} ({policy.name} policy)"
            )
        return host

    async def _check_addresses(self, url: str, host: str) -> None:
        parts = urlsplit(url)
        await self._guard.addresses(host, parts.port or (443 if parts.scheme == "https" else 80))

    async def _hop(self, url: str, host: str, request: _Request) -> tuple[Answer, int]:
        """One URL, with retries; returns the last answer and how many attempts it took."""
        config = self.config
        attempt = 0
        while True:
            attempt += 1
            answer = Answer()
            try:
                await self._check_addresses(url, host)
                await self._attempt(url, host, request, answer)
            except (httpx.TransportError, TimeoutError, TransportError) as exc:
                reason = _describe(exc)
                if attempt > config.retries:
                    raise TransportError(
                        f"{reason} (after {attempt} attempts)",
                        exchange=partial(answer, attempt),
                    ) from exc
                delay = self._backoff(attempt)
                log.info("%s: %s; retry %d in %.1fs", url, reason, attempt, delay)
                await self._sleep(delay)
                continue
            except TooLarge as exc:
                raise ResponseTooLarge(str(exc), exchange=partial(answer, attempt)) from exc
            except httpx.InvalidURL as exc:
                raise BlockedRequest(f"httpx cannot send {url!r}: {exc}") from exc
            except httpx.HTTPError as exc:  # a body that cannot be decoded (bad gzip, ...)
                raise PayloadError(_describe(exc), exchange=partial(answer, attempt)) from exc
            status = answer.status
            if status not in RETRY_STATUSES or attempt > config.retries:
                return answer, attempt
            wait = retry_after_seconds(answer.header("retry-after"))
            if wait is not None and wait > config.retry_after_cap:
                log.warning("%s: %s asks to wait %.0fs; not waiting", url, status, wait)
                return answer, attempt
            if wait is not None or status == 429:
                # The whole host asked for a pause: hold every request to it, this one included.
                wait = self._backoff(attempt) if wait is None else wait
                log.info("%s: %s; host %s paused %.1fs", url, status, host, wait)
                self._limits.pause(host, wait)
            else:
                wait = self._backoff(attempt)
                log.info("%s: %s; retry %d in %.1fs", url, status, attempt, wait)
                await self._sleep(wait)

    async def _attempt(self, url: str, host: str, request: _Request, answer: Answer) -> None:
        assert self._shards is not None
        sink, cap = request.sink, request.cap
        target = rerouted(url, self._reroute) if self._reroute else url
        deadline = None if sink else self.config.deadline
        async with (
            self._limits.slot(host),
            self._shards.stream(
                target, request.headers, deadline=deadline, content=request.content
            ) as response,
        ):
            answer.status = response.status_code
            answer.headers = [(k.lower(), v) for k, v in response.headers.multi_items()]
            is_redirect = (
                request.policy.follow
                and answer.status in REDIRECT_STATUSES
                and answer.header("location") is not None
            )
            if is_redirect:
                await read_into(response, answer, min(cap, _SMALL_BODY), raise_over=False)
            elif sink is None:
                await read_into(response, answer, cap, raise_over=True)
            elif 200 <= answer.status < 300 and accepts(answer, request.content_types):
                await stream_into(response, sink, cap, answer)
            else:  # an error page or a refused type: kept as evidence, not written to the sink
                await read_into(response, answer, min(cap, _SMALL_BODY), raise_over=False)

    def _next_location(self, url: str, answer: Answer, request: _Request) -> tuple[str | None, str]:
        if not request.policy.follow or answer.status is None:
            return None, "http"
        location = answer.header("location")
        if answer.status in REDIRECT_STATUSES and location is not None:
            return _join(url, location), "http"
        if request.html_redirects and answer.status == 200 and is_html(answer):
            found = html_redirect(bytes(answer.body[:SCAN_BYTES]))
            if found:
                return _join(url, found[0]), found[1]
        return None, "http"

    def _replay_get(self, url: str) -> contextlib.AbstractAsyncContextManager[httpx.Response]:
        """A plain GET on the client's connections, for the replay server's DNS table."""
        assert self._shards is not None
        return self._shards.stream(url, None)

    def _backoff(self, attempt: int) -> float:
        return backoff_delay(
            attempt, base=self.config.backoff_base, cap=self.config.backoff_cap, jitter=self._jitter
        )


def _extra(exc: FetchError) -> dict[str, object]:
    return {"status": exc.status} if isinstance(exc, HTTPStatusError) else {}


def _join(url: str, location: str) -> str:
    """A Location resolved against the original URL; a malformed one is kept for check_url."""
    try:
        return urljoin(url, location.strip())
    except ValueError:
        return location


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
