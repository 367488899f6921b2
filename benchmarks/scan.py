"""Scan throughput on generated articles and pages, beside a whole-page BeautifulSoup(lxml) parse.

1. Throughput: ``scan_bytes`` over 64 MB of generated plain-text articles and 64 MB of generated
   HTML pages, one document at a time, as the archiver reads them. Baseline, same run: a
   whole-document ``BeautifulSoup(doc, "lxml")`` parse (on the first 8 MB, it is slow).
   Also the decode-only floor and the dense sample article.
2. Linear growth: one document of 1, 4, 16 and 64 MB (concatenated articles or pages); MB/s at each
   size and the ratio of the 64 MB time to 64 times the 1 MB time (1.0 is perfectly linear).

Times are CPU seconds of this process (``time.process_time``), so that other work on a shared
machine does not count against the scanner, and the best of three runs.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

from archiver.scan import scan_bytes
from benchmarks.report import CACHE, Report
from benchmarks.scan_corpus import VERSION, corpus

SECTION = "scan"
MB = 1_000_000
CORPUS_BYTES = 64 * MB
BASELINE_BYTES = 8 * MB
GROWTH_SIZES = (1, 4, 16, 64)
REPEAT = 3  # the best of three: other sessions share this machine's two cores
SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zelensky-stays-in-kyiv.txt"
TARGETS = {"text": 200.0, "html": 100.0}
SUFFIX = {"text": "article.txt", "html": "article.html"}


def run(report: Report) -> None:
    """Measure both kinds; add every figure to ``report``."""
    for kind in ("text", "html"):
        documents = _cached_corpus(kind)
        _throughput(report, kind, documents)
        _growth(report, kind, documents)
    _dense_sample(report)


def _cached_corpus(kind: str) -> list[bytes]:
    path = CACHE / f"scan-{kind}-{CORPUS_BYTES}-v{VERSION}.bin"
    if path.exists():
        return _unpack(path.read_bytes())
    documents = corpus(kind, CORPUS_BYTES)
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(b"".join(struct.pack("<I", len(d)) + d for d in documents))
    return documents


def _unpack(blob: bytes) -> list[bytes]:
    documents, pos = [], 0
    while pos < len(blob):
        (length,) = struct.unpack_from("<I", blob, pos)
        documents.append(blob[pos + 4 : pos + 4 + length])
        pos += 4 + length
    return documents


def _cpu_seconds(work: Callable[[], object], *, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return max(best, 1e-9)


def _throughput(report: Report, kind: str, documents: list[bytes]) -> None:
    size = sum(map(len, documents))
    filename = SUFFIX[kind]
    found = [0]

    def scan_all() -> None:
        found[0] = sum(len(scan_bytes(d, filename=filename).embeds) for d in documents)

    seconds = _cpu_seconds(scan_all, repeat=REPEAT)
    sample, sample_size = _prefix(documents, BASELINE_BYTES)
    soup_seconds = _cpu_seconds(lambda: _each(sample, lambda d: BeautifulSoup(d, "lxml")))
    decode_seconds = _cpu_seconds(lambda: _each(documents, lambda d: d.decode("utf-8", "replace")))
    rate = size / MB / seconds
    report.add(
        SECTION,
        f"{kind}: scan_bytes over {size / MB:.0f} MB ({len(documents)} documents)",
        rate,
        "MB/s",
        baseline=("BeautifulSoup(lxml), whole documents", sample_size / MB / soup_seconds),
        target=f">= {TARGETS[kind]:.0f} MB/s",
        met=rate >= TARGETS[kind],
    )
    report.add(SECTION, f"{kind}: embeds found", found[0] / (size / MB), "per MB")
    report.add(
        SECTION, f"{kind}: UTF-8 decode alone (the floor)", size / MB / decode_seconds, "MB/s"
    )


def _each(documents: list[bytes], work: Callable[[bytes], object]) -> None:
    for document in documents:
        work(document)  # the result is dropped at once, as a reader of many articles would


def _prefix(documents: list[bytes], size: int) -> tuple[list[bytes], int]:
    taken, total = [], 0
    for document in documents:
        if total >= size:
            break
        taken.append(document)
        total += len(document)
    return taken, total


def _growth(report: Report, kind: str, documents: list[bytes]) -> None:
    blob = b"".join(documents)
    filename = SUFFIX[kind]
    seconds = {}
    for size in GROWTH_SIZES:
        data = blob[: size * MB]
        seconds[size] = _cpu_seconds(
            lambda data=data: scan_bytes(data, filename=filename), repeat=3
        )
        report.add(SECTION, f"{kind}: one {size} MB document", size / seconds[size], "MB/s")
    ratio = seconds[64] / (64 * seconds[1])
    report.add(
        SECTION,
        f"{kind}: time(64 MB) / (64 × time(1 MB))",
        ratio,
        "×",
        target="linear: <= 1.5",
        met=ratio <= 1.5,
    )


def _dense_sample(report: Report) -> None:
    """The founding sample: five posts in 4 kB, far denser than a news site's articles."""
    article = SAMPLE.read_bytes()
    copies = (16 * MB) // len(article)
    seconds = _cpu_seconds(
        lambda: _each([article] * copies, lambda d: scan_bytes(d, filename="a.txt"))
    )
    report.add(
        SECTION,
        f"text: the sample article ({len(article) / 1000:.1f} kB, 5 posts) × {copies}",
        copies * len(article) / MB / seconds,
        "MB/s",
    )
