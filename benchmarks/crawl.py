"""Scanning generated WARC files: one process, a local Dask cluster of one and of two workers,
beside warcio alone reading the same records.

The crawl: gzipped WARC files as a news crawler writes them (a request and a response record per
page; the pages are the scan benchmark's realistic HTML, benchmarks/scan_corpus.py, about five
embeds per MB), made once and cached under benchmarks/.cache/. Figures, in MB of WARC file on disk
(gzipped, the unit Common Crawl's sizes are given in) and in records per second:

1. warcio alone: every record iterated and each response's payload read, nothing scanned;
2. ``scan_crawl`` on one process: the figure docs/crawl.md turns into cores x hours;
3. ``scan_crawl`` with ``workers=1`` and ``workers=2``: a local Dask cluster, timed from the moment
   its workers are ready to the last result (start-up, a few seconds, is its own row).

One process is timed in CPU seconds (``time.process_time``), as the scan section is, so that the
other work of a shared machine does not count against it: that is the per-core figure. A cluster's
work is in other processes, so the cluster rows compare wall-clock seconds with one process's wall
clock in the same run. The best of three runs (one in --quick).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver.crawl import scan_crawl
from benchmarks.report import CACHE, Report
from benchmarks.scan_corpus import VERSION, corpus

SECTION = "crawl"
MB = 1_000_000
GENERATOR_VERSION = 1


class Sizes:
    """The full run's sizes, or --quick's."""

    def __init__(self, quick: bool) -> None:
        self.files = 2 if quick else 4
        self.pages_per_file = MB if quick else 32 * MB  # bytes of HTML pages in each file
        self.repeat = 1 if quick else 3


def run(report: Report) -> None:
    """Measure warcio alone, one process and a local cluster of one and two workers."""
    sizes = Sizes(report.quick)
    files = [_cached_warc(number, sizes.pages_per_file) for number in range(sizes.files)]
    paths = [str(path) for path in files]
    size = sum(path.stat().st_size for path in files) / MB
    records, pages, payload = _count(files)
    what = (
        f"{len(files)} gzipped WARC files, {size:.3g} MB ({pages:,} pages of {payload / MB:.3g} MB"
        f" HTML, {records:,} records)"
    )

    warcio_s = _best(lambda: _read_with_warcio(files), sizes.repeat, time.process_time)
    one_s = _best(lambda: _scan(paths), sizes.repeat, time.process_time)
    report.add(
        SECTION,
        f"one process, CPU time: scan_crawl over {what}",
        size / one_s,
        "MB/s",
        baseline=("warcio alone reading every record", size / warcio_s),
    )
    report.add(
        SECTION,
        "one process: records read and scanned",
        records / one_s,
        "records/s",
        baseline=("warcio alone", records / warcio_s),
    )
    report.add(
        SECTION,
        "one process: HTML scanned (the pages' payloads, ungzipped)",
        payload / MB / one_s,
        "MB/s",
        baseline=("warcio alone", payload / MB / warcio_s),
    )
    one_wall_s = _best(lambda: _scan(paths), sizes.repeat, time.perf_counter)
    rates = {}
    for workers in (1, 2):
        startups, seconds = [], []
        for _ in range(sizes.repeat):
            startup, work = _scan_on_cluster(paths, workers)
            startups.append(startup)
            seconds.append(work)
        rates[workers] = size / min(seconds)
        report.add(
            SECTION,
            f"--workers {workers}, wall clock: scan_crawl on a local Dask cluster (start-up not "
            "counted)",
            rates[workers],
            "MB/s",
            baseline=(
                "one process, wall clock" if workers == 1 else "--workers 1",
                size / one_wall_s if workers == 1 else rates[1],
            ),
        )
    report.add(
        SECTION,
        "a local cluster of two workers: start-up, until the workers are ready",
        min(startups),
        "s",
        baseline=("one process scanning the whole crawl, wall clock", one_wall_s),
    )


def _cached_warc(number: int, pages_size: int) -> Path:
    path = CACHE / f"crawl-{number}-{pages_size}-v{VERSION}.{GENERATOR_VERSION}.warc.gz"
    if path.exists():
        return path
    CACHE.mkdir(exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for page, body in enumerate(corpus("html", pages_size, density="realistic", seed=number)):
            url = f"https://news{number}.example/{page}"
            date = f"2024-01-{1 + page % 28:02d}T{page % 24:02d}:00:00Z"
            request = StatusAndHeaders(f"GET /{page} HTTP/1.1", [("Host", f"news{number}.example")])
            writer.write_record(
                writer.create_warc_record(
                    url, "request", http_headers=request, warc_headers_dict={"WARC-Date": date}
                )
            )
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": date},
                )
            )
    partial.replace(path)
    return path


def _count(files: list[Path]) -> tuple[int, int, int]:
    """The records, the response records and the bytes of their payloads."""
    records = pages = payload = 0
    for path in files:
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                records += 1
                if record.rec_type == "response":
                    pages += 1
                    payload += len(record.content_stream().read())
    return records, pages, payload


def _read_with_warcio(files: list[Path]) -> None:
    for path in files:
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    record.content_stream().read()


def _scan(paths: list[str]) -> None:
    for result in scan_crawl(paths):
        assert not result.failures, result.failures


def _scan_on_cluster(paths: list[str], workers: int) -> tuple[float, float]:
    """Seconds to start the cluster, and from its workers being ready to the last result."""
    started = last = time.perf_counter()
    ready: list[float] = []
    for result in scan_crawl(paths, workers=workers, on_dashboard=lambda _: ready.append(_now())):
        assert not result.failures, result.failures
        last = _now()  # before the loop's end, which shuts the cluster down
    return ready[0] - started, last - ready[0]


def _now() -> float:
    return time.perf_counter()


def _best(work: Callable[[], object], repeat: int, clock: Callable[[], float]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        work()
        best = min(best, clock() - start)
    return max(best, 1e-9)
