"""Politeness per host: how many requests at once, how many per second, and pauses after a 429."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass

# A burst may spend what the steady rate earns in this many seconds: for the Wayback Machine's
# 0.4/s (24 a minute) that is 4 at once, and no minute holds more than 28 of its allowed 30.
BURST_SECONDS = 10.0


@dataclass(slots=True)
class _Host:
    slots: asyncio.Semaphore
    interval: float  # seconds between requests at the steady rate (0: unlimited)
    tolerance: float  # how far ahead of the steady rate a burst may run
    tat: float = 0.0  # GCRA's theoretical arrival time of the next request


class HostLimits:
    """Per-host concurrency and rate limits, keyed by the original host.

    The rate is a token bucket written as GCRA: each request reserves the next start time, so
    waiting requests leave in order without a lock, and up to ``burst`` may start at once.
    ``pause(host, seconds)`` holds every request to the host back (a 429 concerns them all).
    """

    def __init__(
        self,
        *,
        concurrency: int,
        rate: float | None,
        host_rates: Mapping[str, float],
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[object]],
    ) -> None:
        self._concurrency = concurrency
        self._rate = rate
        self._host_rates = dict(host_rates)
        self._clock = clock
        self._sleep = sleep
        self._hosts: dict[str, _Host] = {}

    @contextlib.asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of the host's concurrent slots, started no earlier than its rate allows."""
        state = self._state(host)
        async with state.slots:
            now = self._clock()
            tat = max(state.tat, now)
            start = max(now, tat - state.tolerance)
            state.tat = tat + state.interval
            if start > now:
                await self._sleep(start - now)
            yield

    def pause(self, host: str, seconds: float) -> None:
        """Start no request to ``host`` for ``seconds`` (after a 429's Retry-After)."""
        state = self._state(host)
        state.tat = max(state.tat, self._clock() + seconds + state.tolerance)

    def _state(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            rate = self._host_rates.get(host, self._rate)
            interval = 1.0 / rate if rate else 0.0
            burst = max(1, min(self._concurrency, int(rate * BURST_SECONDS))) if rate else 1
            state = _Host(asyncio.Semaphore(self._concurrency), interval, interval * (burst - 1))
            self._hosts[host] = state
        return state
