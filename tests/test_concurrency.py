"""Streaming stages: every item worked on, a few tasks however long the input."""

import asyncio

import pytest

from archiver.jobs.concurrency import Stage, streaming


def test_every_item_is_worked_on_with_at_most_the_workers_in_flight():
    done: list[int] = []
    in_flight = 0
    most_in_flight = 0
    most_tasks = 0

    async def work(item: int) -> None:
        nonlocal in_flight, most_in_flight, most_tasks
        in_flight += 1
        most_in_flight = max(most_in_flight, in_flight)
        most_tasks = max(most_tasks, len(asyncio.all_tasks()))
        await asyncio.sleep(0)
        in_flight -= 1
        done.append(item)

    async def body(group: asyncio.TaskGroup) -> None:
        stage = Stage(group, work, workers=8)
        for item in range(10_000):
            await stage.put(item)
        await stage.close()

    asyncio.run(streaming(body))
    assert sorted(done) == list(range(10_000))
    assert most_in_flight == 8
    assert most_tasks <= 8 + 1  # the workers and the main task, not a task per item


def test_an_exception_from_the_work_reaches_the_caller():
    # The pipeline's work records its own failures; anything else is a bug and must not vanish.
    async def work(item: int) -> None:
        await asyncio.sleep(0)
        if item == 3:
            raise ValueError("item 3")

    async def body(group: asyncio.TaskGroup) -> None:
        stage = Stage(group, work, workers=2)
        for item in range(10):
            await stage.put(item)
        await stage.close()

    with pytest.raises(ValueError, match="item 3"):
        asyncio.run(streaming(body))


def test_a_stage_holds_its_producer_back_while_its_queue_is_full():
    most_ahead = 0
    produced = 0
    done: list[int] = []

    async def work(item: int) -> None:
        await asyncio.sleep(0.001)
        done.append(item)

    async def body(group: asyncio.TaskGroup) -> None:
        nonlocal produced, most_ahead
        stage = Stage(group, work, workers=2, size=3)
        for item in range(200):
            await stage.put(item)
            produced += 1
            most_ahead = max(most_ahead, produced - len(done))
        await stage.close()

    asyncio.run(streaming(body))
    assert sorted(done) == list(range(200))
    assert most_ahead <= 3 + 2 + 1  # the queue, the items in the workers' hands, the one put


def test_an_error_in_a_stage_stops_the_run_and_reaches_the_caller_as_itself():
    async def work(item: int) -> None:
        await asyncio.sleep(0)
        if item == 5:
            raise ValueError("item 5")

    async def body(group: asyncio.TaskGroup) -> None:
        stage = Stage(group, work, workers=1, size=1)
        for item in range(1_000_000):  # never all put: the failure cancels the producer
            await stage.put(item)
        await stage.close()

    with pytest.raises(ValueError, match="item 5"):
        asyncio.run(streaming(body))
