"""The address guard: a host is contacted only if every address it resolves to is public."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable

from archiver.errors import BlockedRequest, TransportError
from archiver.fetch.policy import address_problem, host_problem, literal_address
from archiver.logs import logger

log = logger(__name__)

# host, port -> the addresses the host resolves to (strings, as getaddrinfo gives them)
Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve with ``socket.getaddrinfo`` in a worker thread."""
    infos = await asyncio.to_thread(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class AddressGuard:
    """Resolves hosts, refuses those with any non-public address, and remembers the answer.

    The remembered answer is what connections use (see ``transport.PinnedBackend``), so the
    addresses connected to are the addresses checked. An empty answer (a replay DNS table
    without the host, or a reroute server with no table at all) counts as public: there is
    nothing to refuse.
    """

    def __init__(self, resolver: Resolver, *, ttl: float = 60.0) -> None:
        self._resolver = resolver
        self._ttl = ttl
        self._answers: dict[tuple[str, int], tuple[float, list[str]]] = {}
        self._pending: dict[tuple[str, int], asyncio.Future[list[str]]] = {}

    async def addresses(self, host: str, port: int) -> list[str]:
        """The checked addresses of a host; BlockedRequest if any is not public."""
        host = host.strip("[]").lower()
        if reason := host_problem(host):
            raise BlockedRequest(f"{host} is {reason}")
        if (literal := literal_address(host)) is not None:
            return [str(literal)]
        key = (host, port)
        while True:
            cached = self._answers.get(key)
            if cached and cached[0] > time.monotonic():
                return cached[1]
            pending = self._pending.get(key)
            if pending is None:
                break
            try:  # one lookup per host, however many requests wait for it
                return await asyncio.shield(pending)
            except asyncio.CancelledError:
                if not pending.cancelled():
                    raise  # this request was cancelled, not the lookup it waited for
        future = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            answer = await self._resolve_and_check(host, port)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: without waiters, asyncio would log it as lost
            raise
        finally:
            del self._pending[key]
        self._answers[key] = (time.monotonic() + self._ttl, answer)
        future.set_result(answer)
        return answer

    async def _resolve_and_check(self, host: str, port: int) -> list[str]:
        try:
            answer = await self._resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise TransportError(f"cannot resolve {host}: {exc}") from exc
        for text in answer:
            address = literal_address(text)
            if address is None:
                raise BlockedRequest(f"{host} resolved to {text!r}, which is not an address")
            if reason := address_problem(address):
                raise BlockedRequest(f"{host} resolves to {text}, {reason}")
        log.debug("%s resolves to %s", host, answer)
        return answer
