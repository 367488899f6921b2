"""The streaming run: 2,000 posts archived through the replay server at 50 requests/s per host.

The corpus (benchmarks/corpus.py): 700 articles quoting 2,000 made-up posts of 500 accounts, with
pictures, videos and avatars; archiving it asks t.co, cdn.syndication.twimg.com,
publish.twitter.com, pbs.twimg.com and video.twimg.com. The replay server runs in its own
process and adds 20 ms to every answer; the run is ``archive`` in a child process
(benchmarks/archive_process.py) with every host limited to 50 requests a second (the client's
other settings are its defaults), timed from outside, its requests counted at the replay.

A host can be asked no faster than its rate, so no run can take less than the busiest host's
requests divided by its rate: that is each row's ideal, measured in the same run from the
replay's counts. A run that asks each host while the others are asked comes close to it; a run
in stages (every resolution, then every post, then every picture) takes about the sum of the
stages instead.

1. Without faults (target: at least 80% of the ideal, a ratio of at most 1.25).
2. With 10% of the requests to every host answered 503 (the replay's fault injection), each
   retried by the client after its backoff.
"""

from __future__ import annotations

import shutil
from collections import Counter
from typing import Any

from archiver.replay import ReplayServer
from benchmarks.archive_process import run_archive
from benchmarks.corpus import corpus
from benchmarks.report import CACHE, Report

SECTION = "stream"
SIZES = {False: (700, 2_100, 2_000), True: (30, 90, 60)}  # by report.quick
RATE = 50.0  # requests per second, every host
LATENCY_MS = 20
FAULTS = 0.1
HOSTS = (
    "t.co",
    "cdn.syndication.twimg.com",
    "publish.twitter.com",
    "pbs.twimg.com",
    "video.twimg.com",
)
TARGET = 0.8  # of the ideal


def run(report: Report) -> None:
    articles, embeds, posts = SIZES[report.quick]
    made = corpus(articles=articles, embeds=embeds, posts=posts)
    config = {"per_host_rate": RATE, "host_rates": {}}
    for faults in (0.0, FAULTS):
        folder = CACHE / "stream"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        with ReplayServer.in_subprocess(made.recordings_dir, latency_ms=LATENCY_MS) as replay:
            if faults:
                for seed, host in enumerate(HOSTS):
                    replay.inject({"match": host, "sequence": [503], "rate": faults, "seed": seed})
            result = run_archive(
                folder / "archive.db", [made.articles_dir], {**config, "reroute": replay.url}
            )
            if result.returncode not in (0, 1) or (not faults and result.returncode):
                raise RuntimeError(f"the archive run failed: {result.stderr[-2000:]}")
            by_host = requests_by_host(replay.stats()["urls"])
        host, requests = by_host.most_common(1)[0]
        ideal = requests / RATE
        label = f"{faults:.0%} of requests faulted" if faults else "no faults"
        report.add(
            SECTION,
            f"{posts:,} posts, {sum(by_host.values()):,} requests at {RATE:g}/s a host, "
            f"{LATENCY_MS} ms answers, {label}: wall time",
            result.seconds,
            "s",
            baseline=(f"ideal, {host}'s {requests:,} requests / {RATE:g}/s", ideal),
            target=None if faults else f"≥ {TARGET:.0%} of the ideal (ratio ≤ {1 / TARGET:.2f}×)",
            met=None if faults else ideal / result.seconds >= TARGET,
        )


def requests_by_host(urls: dict[str, Any]) -> Counter[str]:
    """The replay's counts per original URL, summed per host."""
    counts: Counter[str] = Counter()
    for url, n in urls.items():
        counts[url.split("/")[2]] += n
    return counts
