"""Bounded concurrency over long inputs: a few workers per stage, not a task per item.

A run over 30,000 embeds holds a few worker coroutines, not 30,000 tasks waiting on a semaphore
(their frames were most of a first run's memory).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from archiver.fetch import HttpClient
    from archiver.jobs.record import Progress, RunRecord

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class StageContext:
    """What the stages of one streaming run share: the HTTP client, the run's record, the
    progress they report to, the task group their workers run in, and each stage's workers."""

    client: HttpClient
    record: RunRecord
    group: asyncio.TaskGroup
    workers: int
    progress: Progress


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
    itself rather than inside an ExceptionGroup."""
    try:
        async with asyncio.TaskGroup() as group:
            await body(group)
    except ExceptionGroup as errors:
        raise errors.exceptions[0] from None
