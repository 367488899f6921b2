"""Bounded concurrency over long lists: a few workers, not a task per item."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


async def for_each(
    items: Iterable[T], work: Callable[[T], Awaitable[None]], *, workers: int
) -> None:
    """Await ``work(item)`` for every item, at most ``workers`` at a time.

    Each worker takes the next item when it is free, so a run over 30,000 embeds holds
    ``workers`` coroutines, not 30,000 tasks waiting on a semaphore (their frames were most of
    a first run's memory).
    """
    queue = iter(items)

    async def worker() -> None:
        for item in queue:
            await work(item)

    await asyncio.gather(*(worker() for _ in range(max(1, workers))))
