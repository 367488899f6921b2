"""Bounded concurrency over long lists and streams: a few workers, not a task per item."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Generic, TypeVar

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


class Stage(Generic[T]):
    """One stage of a streaming run: a bounded queue and the few workers that take from it.

    ``put`` waits while the queue is full, so a fast stage upstream holds at most ``size`` items
    in memory ahead of a slow one. Workers are tasks of the run's ``TaskGroup``: an unexpected
    error in one cancels the run (see ``streaming``), never leaving ``put`` waiting forever.
    """

    def __init__(
        self,
        group: asyncio.TaskGroup,
        work: Callable[[T], Awaitable[None]],
        *,
        workers: int,
        size: int | None = None,
    ) -> None:
        workers = max(1, workers)
        self._work = work
        # None marks the end: one per worker, after every item (items are never None).
        self._queue: asyncio.Queue[T | None] = asyncio.Queue(size or workers)
        self._tasks = [group.create_task(self._worker()) for _ in range(workers)]

    async def put(self, item: T) -> None:
        """Queue ``item``, waiting for room."""
        await self._queue.put(item)

    async def close(self) -> None:
        """Take no more items; return once every queued item is done."""
        for _ in self._tasks:
            await self._queue.put(None)
        await asyncio.gather(*self._tasks)

    async def _worker(self) -> None:
        while (item := await self._queue.get()) is not None:
            await self._work(item)


async def streaming(body: Callable[[asyncio.TaskGroup], Awaitable[None]]) -> None:
    """Run ``body`` with a TaskGroup for its stages; an unexpected error reaches the caller as
    itself, as from ``for_each``, rather than inside an ExceptionGroup."""
    try:
        async with asyncio.TaskGroup() as group:
            await body(group)
    except ExceptionGroup as errors:
        raise errors.exceptions[0] from None
