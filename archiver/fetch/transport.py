"""The sockets under httpx: connections pinned to checked addresses, and clients sharded for speed.

Two problems are solved here, below the request logic of ``client.py``:

- DNS rebinding: the address a connection goes to must be the one the address guard approved.
  The network backend asks the guard for the host's checked addresses and connects to those,
  so a second lookup cannot swap in 127.0.0.1 between the check and the connect.
- httpcore's pool bookkeeping grows with the pool: every request and every response close runs
  ``_assign_requests_to_connections``, which calls ``has_expired`` on every connection (through
  anyio's ``extra_attributes``, rebuilt on each call) and counts idle connections once per
  connection. One client at 64 connections spends milliseconds per request there. So requests
  are spread over several small pools (shards), and never more are in flight on a shard than
  it has connections, so httpcore never queues; the streams are plain asyncio, not anyio.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any

import httpcore
import httpx

# (host, port) -> the addresses a connection to that host may use, already checked.
AddressLookup = Callable[[str, int], Awaitable[list[str]]]

_READ_HIGH_WATER = 256 * 1024


class _Protocol(asyncio.Protocol):
    """A byte buffer fed by the event loop, with back-pressure both ways."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.eof = False
        self.error: BaseException | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._drained: asyncio.Future[None] | None = None
        self._reading_paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > _READ_HIGH_WATER and self.transport and not self._reading_paused:
            self.transport.pause_reading()
            self._reading_paused = True
        self._wake()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof = True
        self.error = exc
        self._wake()
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    def pause_writing(self) -> None:
        self._drained = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)
        self._drained = None

    async def read(self, max_bytes: int) -> bytes:
        while not self.buffer and not self.eof:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        if not self.buffer and self.error is not None:
            raise self.error
        data = bytes(self.buffer[:max_bytes])
        del self.buffer[:max_bytes]
        if self._reading_paused and len(self.buffer) < _READ_HIGH_WATER // 4 and self.transport:
            self.transport.resume_reading()
            self._reading_paused = False
        return data

    async def drain(self) -> None:
        if self._drained is not None:
            await self._drained

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


class _Stream(httpcore.AsyncNetworkStream):
    def __init__(self, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self._transport = transport
        self._protocol = protocol

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._protocol.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc) or "read timed out") from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        if self._transport.is_closing():
            raise httpcore.WriteError("connection closed")
        try:
            self._transport.write(buffer)
            async with asyncio.timeout(timeout):
                await self._protocol.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout("write timed out") from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc)) from exc

    async def aclose(self) -> None:
        self._transport.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(
                    self._transport, self._protocol, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError as exc:
            self._transport.abort()
            raise httpcore.ConnectTimeout("TLS handshake timed out") from exc
        except (OSError, ssl.SSLError) as exc:
            self._transport.abort()
            raise httpcore.ConnectError(str(exc)) from exc
        assert isinstance(transport, asyncio.Transport)
        self._protocol.transport = transport  # back-pressure now goes through the TLS layer
        return _Stream(transport, self._protocol)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            # An idle keep-alive connection with bytes or EOF waiting was closed by the server.
            return bool(self._protocol.buffer) or self._protocol.eof
        name = {"client_addr": "sockname", "server_addr": "peername"}.get(info, info)
        return self._transport.get_extra_info(name)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses the lookup returns (the guard's checked answer).

    With ``lookup=None`` (reroute mode) it connects where asked: every connection then goes to
    the replay server, and the guard has already checked the original host.
    """

    def __init__(self, lookup: AddressLookup | None) -> None:
        self._lookup = lookup

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._lookup(host, port) if self._lookup else [host]
        loop = asyncio.get_running_loop()
        failure: Exception | None = None
        for address in addresses:
            try:
                async with asyncio.timeout(timeout):
                    transport, protocol = await loop.create_connection(
                        _Protocol,
                        address,
                        port,
                        local_addr=(local_address, 0) if local_address else None,
                    )
            except TimeoutError as exc:
                failure = httpcore.ConnectTimeout(f"connecting to {host} ({address}) timed out")
                failure.__cause__ = exc
                continue
            except OSError as exc:
                failure = httpcore.ConnectError(f"cannot connect to {host} ({address}): {exc}")
                continue
            sock = transport.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                for option in socket_options or ():
                    sock.setsockopt(*option)
            assert isinstance(transport, asyncio.Transport) and isinstance(protocol, _Protocol)
            return _Stream(transport, protocol)
        raise failure or httpcore.ConnectError(f"no address to connect to for {host}")

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class _PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool built on the pinned backend."""

    def __init__(
        self, *, connections: int, backend: PinnedBackend, ssl_context: ssl.SSLContext
    ) -> None:
        super().__init__(verify=ssl_context, limits=httpx.Limits(max_connections=connections))
        # httpx builds its pool without a way to pass a network backend; replace the pool with
        # the same settings plus the backend (httpx is pinned < 0.29 in pyproject.toml).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=connections,
            max_keepalive_connections=connections,
            keepalive_expiry=5.0,
            network_backend=backend,
        )


class ShardedTransports:
    """Several small httpx transports (each its own connection pool) used as one.

    Requests go to the transports directly, not through ``httpx.AsyncClient``: the client
    parses every redirect's Location for its own bookkeeping even when it follows none, and a
    hostile Location (``javascript:...``) then raises before the response can be recorded.
    Cookies, auth and hooks, the client's other duties, are not wanted here either.
    """

    def __init__(
        self,
        *,
        shards: int,
        connections: int,
        timeout: httpx.Timeout,
        headers: dict[str, str],
        lookup: AddressLookup | None,
        ssl_context: ssl.SSLContext | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.transports: list[httpx.AsyncBaseTransport]
        if transport is not None:
            # A caller's transport (httpx.MockTransport in tests) is one shard standing for all.
            self.transports = [transport]
            connections, shards = connections * shards, 1
        else:
            backend = PinnedBackend(lookup)
            ssl_context = ssl_context or httpx.create_ssl_context()
            self.transports = [
                _PinnedTransport(connections=connections, backend=backend, ssl_context=ssl_context)
                for _ in range(shards)
            ]
        self._headers = httpx.Headers(
            {"Accept": "*/*", "Accept-Encoding": "gzip, deflate", **headers}
        )
        self._timeout = timeout.as_dict()
        self._size = connections
        self._load = [0] * shards
        self._slots = asyncio.Semaphore(shards * connections)

    @contextlib.asynccontextmanager
    async def stream(
        self,
        url: str,
        headers: dict[str, str] | None,
        *,
        deadline: float | None = None,
        content: bytes | None = None,
    ) -> AsyncIterator[httpx.Response]:
        """Send a GET (a POST of ``content`` when given) and yield the response, body unread.

        ``deadline`` bounds the request and the reading of its body, not the wait for a slot.
        A request goes to the shard its host hashes to when that shard has a free connection,
        else to the next one that has: a host's requests stay on few shards, whose idle
        connections they reuse.
        """
        merged = self._headers
        if headers:
            merged = merged.copy()
            merged.update(headers)
        request = httpx.Request(
            "GET" if content is None else "POST",
            url,
            headers=merged,
            content=content,
            extensions={"timeout": self._timeout},
        )
        async with self._slots:
            count = len(self._load)
            first = hash(request.url.host) % count
            index = next(
                (
                    i % count
                    for i in range(first, first + count)
                    if self._load[i % count] < self._size
                ),
                first,
            )
            self._load[index] += 1
            try:
                async with asyncio.timeout(deadline):
                    response = await self.transports[index].handle_async_request(request)
                    response.request = request
                    try:
                        yield response
                    finally:
                        await response.aclose()
            finally:
                self._load[index] -= 1

    async def aclose(self) -> None:
        """Close every shard's connections."""
        await asyncio.gather(*(transport.aclose() for transport in self.transports))
