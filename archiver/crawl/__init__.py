"""Scanning web crawls: WARC files (and articles) in, one row per embed with its record's provenance.

``scan_crawl`` runs in this process, or on Dask (``workers`` for a local cluster, ``scheduler``
for a running one); ``archiver.crawl.cluster`` and ``archiver.crawl.parquet`` are the only
modules that import Dask and pyarrow, and only a cluster run or Parquet output loads them.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path

from archiver.crawl.rows import COLUMNS, read_rows
from archiver.crawl.tasks import SPLIT_BYTES, Failure, Task, TaskResult, plan, scan_task

__all__ = ["COLUMNS", "Failure", "Task", "TaskResult", "read_rows", "scan_crawl"]


def scan_crawl(
    paths: Sequence[str],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    parquet_dir: Path | None = None,
    split_bytes: int = SPLIT_BYTES,
    on_dashboard: Callable[[str], None] | None = None,
) -> Iterator[TaskResult]:
    """Scan every file ``paths`` name (``@manifest`` expanded), one result per task, in order.

    With ``parquet_dir``, each task's rows go to a part file in that folder (written by the worker
    that ran it, so a cluster's workers must see the folder) and the results carry counts only.
    """
    planned = plan(paths, split_bytes=split_bytes)
    tasks = [item for item in planned if isinstance(item, Task)]
    out = str(parquet_dir.resolve()) if parquet_dir is not None else None
    if workers or scheduler:
        from archiver.crawl.cluster import run_on_dask  # Dask only for a cluster run

        results: Generator[TaskResult] = run_on_dask(
            tasks, workers=workers, scheduler=scheduler, parquet_dir=out, on_dashboard=on_dashboard
        )
    else:
        results = (scan_task(task, out, number) for number, task in enumerate(tasks))
    try:
        for item in planned:
            if isinstance(item, Failure):
                yield TaskResult(Task(item.source), failures=[item])
            else:
                yield next(results)
    finally:
        results.close()  # a cluster closes with its generator
