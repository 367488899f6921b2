"""Run scan tasks on Dask: a local cluster of worker processes, or a cluster already running.

Tasks are submitted all at once and their results handed back in the tasks' order, each as soon
as it and every task before it are done, so that the output is the same as one process's.
A task whose worker failed (killed, out of memory, an error no task expects) is a Failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Sequence
from contextlib import ExitStack

from dask.distributed import Client, Future, LocalCluster, as_completed

from archiver.crawl.tasks import Failure, Task, TaskResult, scan_task
from archiver.errors import InputError

CONNECT_SECONDS = 10


def run_on_dask(
    tasks: Sequence[Task],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    parquet_dir: str | None = None,
    on_dashboard: Callable[[str], None] | None = None,
) -> Generator[TaskResult]:
    """Run ``tasks`` on the scheduler at ``scheduler``, or else on a local cluster of ``workers``
    processes (one thread each: the scanner holds the GIL); yield their results in order."""
    with ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(Client(scheduler, timeout=CONNECT_SECONDS))
            except (OSError, TimeoutError) as exc:
                raise InputError(f"no Dask scheduler answers at {scheduler} ({exc})") from exc
        else:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers or 1,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address="127.0.0.1:0",
                    silence_logs=logging.ERROR,
                )
            )
            client = stack.enter_context(Client(cluster))
        if on_dashboard and client.dashboard_link:
            on_dashboard(client.dashboard_link)
        futures = client.map(
            scan_task, tasks, [parquet_dir] * len(tasks), range(len(tasks)), pure=False
        )
        index = {future.key: number for number, future in enumerate(futures)}
        finished: dict[int, TaskResult] = {}
        following = 0
        for future in as_completed(futures):
            number = index[future.key]
            finished[number] = _outcome(future, tasks[number])
            future.release()
            while following in finished:
                yield finished.pop(following)
                following += 1


def _outcome(future: Future, task: Task) -> TaskResult:
    if future.status == "finished":
        return future.result()
    reason = f"the worker failed: {future.exception()!r}"
    return TaskResult(task, failures=[Failure(task.source, reason)])
