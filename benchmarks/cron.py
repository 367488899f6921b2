"""The cron run: 10,000 generated articles archived through the replay server, then again.

The corpus (benchmarks/corpus.py): 10,000 articles, half text and half HTML, with 30,000 embeds
of 6,000 posts; the replay server runs in its own process and adds 50 ms to every answer, as
benchmarks/fetch.py does. Each run is ``archive`` in a child process (benchmarks/
archive_process.py) with the replay's address and no per-host pacing (the politeness limits
are for real hosts; the replay is one process on this machine), timed from outside, its
requests counted at the replay.

1. The first run over the corpus: articles per second, the whole pipeline included.
2. The unchanged re-run: every article skipped before parsing, no request at all
   (targets: under 5 s, 0 requests). Its baseline is the first run.
3. The ``--force`` re-run: every article read, scanned and compared again; no post is
   fetched again. The same-run baseline of what skipping unchanged bytes saves.
"""

from __future__ import annotations

import shutil

from archiver.replay import ReplayServer
from benchmarks.archive_process import ArchiveProcessResult, run_archive
from benchmarks.corpus import corpus
from benchmarks.report import CACHE, Report

SECTION = "cron"
SIZES = {False: (10_000, 30_000, 6_000), True: (200, 600, 120)}  # by report.quick
LATENCY_MS = 50
TARGET_SECONDS = 5.0


def run(report: Report) -> None:
    articles, embeds, posts = SIZES[report.quick]
    made = corpus(articles=articles, embeds=embeds, posts=posts)
    folder = CACHE / "cron"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db_path = folder / "archive.db"
    with ReplayServer.in_subprocess(made.recordings_dir, latency_ms=LATENCY_MS) as replay:
        config = {"reroute": replay.url, "per_host_rate": None, "host_rates": {}}

        def archive_once(*, force: bool = False) -> tuple[ArchiveProcessResult, int]:
            replay.reset()
            result = run_archive(db_path, [made.articles_dir], config, force=force)
            if result.returncode != 0:
                raise RuntimeError(f"the archive run failed: {result.stderr[-2000:]}")
            return result, replay.stats()["requests"]

        first, first_requests = archive_once()
        unchanged, unchanged_requests = archive_once()
        forced, forced_requests = archive_once(force=True)

    report.add(
        SECTION,
        f"first run, {articles:,} articles ({embeds:,} embeds, {first_requests:,} requests) "
        f"through the replay at {LATENCY_MS} ms",
        articles / first.seconds,
        "articles/s",
        baseline=("--force re-run, no post fetched", articles / forced.seconds),
    )
    report.add(
        SECTION,
        f"unchanged re-run, {articles:,} articles",
        unchanged.seconds,
        "s",
        baseline=("first run", first.seconds),
        target=f"< {TARGET_SECONDS:g} s",
        met=unchanged.seconds < TARGET_SECONDS,
    )
    report.add(
        SECTION,
        "requests made by the unchanged re-run",
        unchanged_requests,
        "requests",
        baseline=("first run", first_requests),
        target="0",
        met=unchanged_requests == 0,
    )
    report.add(
        SECTION,
        f"--force re-run, {articles:,} articles ({forced_requests:,} requests)",
        forced.seconds,
        "s",
        baseline=("unchanged re-run", unchanged.seconds),
    )
    report.add(
        SECTION,
        "peak RSS of the first run",
        first.peak_rss_kib / 1024,
        "MiB",
        baseline=("unchanged re-run", unchanged.peak_rss_kib / 1024),
    )
