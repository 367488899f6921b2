"""for_each: every item worked on, at most `workers` at once, a few tasks however long the list."""

import asyncio

import pytest

from archiver.concurrency import for_each


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

    asyncio.run(for_each(range(10_000), work, workers=8))
    assert sorted(done) == list(range(10_000))
    assert most_in_flight == 8
    assert most_tasks <= 8 + 1  # the workers and the main task, not a task per item


def test_an_exception_from_the_work_reaches_the_caller():
    # The pipeline's work records its own failures; anything else is a bug and must not vanish.
    async def work(item: int) -> None:
        await asyncio.sleep(0)
        if item == 3:
            raise ValueError("item 3")

    with pytest.raises(ValueError, match="item 3"):
        asyncio.run(for_each(range(10), work, workers=2))
