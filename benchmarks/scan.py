"""Scan throughput on generated articles and pages, beside a whole-page BeautifulSoup(lxml) parse.

1. Throughput: ``scan_bytes`` over 64 MB of generated plain-text articles and 64 MB of generated
   HTML pages, one document at a time, as the archiver reads them, at two densities (see
   scan_corpus.py): ``dense`` measures the cost of each embed, ``realistic`` what reading a news
   site costs. Baseline, same run: a whole-document ``BeautifulSoup(doc, "lxml")`` parse (on the
   first 8 MB, it is slow). Also the decode-only floor and the dense sample article.
2. Linear growth: one document of 1, 4, 16 and 64 MB (concatenated dense articles or pages), in a
   child process of its own; MB/s at each size beside the 1 MB figure, and the ratio of the 64 MB
   time to 64 times the 1 MB time (1.0 is perfectly linear).
3. As dense as the sample article (a post per kB, scan_corpus.py's ``sample`` density; issue 17):
   ``scan_bytes`` over 64 MB of each kind, and ``archiver scan`` in a child process over one file
   of 32 MB of text or 16 MB of HTML (the concatenated documents, its JSON Lines thrown away).
   Baseline, same run: decoding the same bytes and one regular-expression pass finding the
   anchors (``(@`` and ``<blockquote``), in this process and in a child process reading the file.
   The child rows count the child's start (imports), which is its own row; each is followed by
   the child's rate beyond its start (its CPU less that of a child scanning an empty file). The
   same documents are also given to one ``archiver scan`` as an article file each (rows with
   their file, as a crawl prints them), beside ``scan_bytes`` over them in this process. The
   package is byte-compiled first, as an install leaves it: with PYTHONDONTWRITEBYTECODE set,
   every child would otherwise compile each module from its source again.

Times are CPU seconds (``time.process_time``; a child's from ``getrusage``), so that other work
on a shared machine does not count against the scanner, and the best of five runs (of up to 16
for the small documents of the growth series, and five for the child processes too).
"""

from __future__ import annotations

import compileall
import json
import re
import resource
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

import archiver
from archiver.scan import scan_bytes
from benchmarks.report import CACHE, Report
from benchmarks.scan_corpus import VERSION, corpus

SECTION = "scan"
MB = 1_000_000
PACKAGE = Path(archiver.__file__).parent
SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zelensky-stays-in-kyiv.txt"
TARGETS = {"text": 200.0, "html": 100.0}
SAMPLE_TARGETS = {"text": 100.0, "html": 60.0}  # issue 17, a post per kB
# The baseline pass: where a flattened attribution or an embed snippet may be.
ANCHORS = re.compile(r"\(@|<[bB][lL][oO][cC][kK][qQ][uU][oO][tT][eE]\b")
# The same pass in a child process, over one file: decode, then every anchor.
CHILD_ANCHORS = (
    "import re, sys; text = open(sys.argv[1], 'rb').read().decode('utf-8', 'replace'); "
    f"print(sum(1 for _ in re.finditer({ANCHORS.pattern!r}, text)))"
)
SUFFIX = {"text": "article.txt", "html": "article.html"}
GROWTH_CHILD = (
    "import json, sys; from benchmarks.scan import _growth_seconds; "
    "print(json.dumps(_growth_seconds(*json.loads(sys.argv[1]))))"
)


class Sizes:
    """The full run's sizes, or --quick's."""

    def __init__(self, quick: bool) -> None:
        self.corpus = 2 * MB if quick else 64 * MB
        self.baseline = MB // 2 if quick else 8 * MB
        self.growth = (MB // 4, MB) if quick else (MB, 4 * MB, 16 * MB, 64 * MB)
        self.sample = MB // 2 if quick else 16 * MB
        self.repeat = 1 if quick else 5  # the best of five: other sessions share the machine
        self.child = {"text": MB, "html": MB} if quick else {"text": 32 * MB, "html": 16 * MB}
        self.child_repeat = 1 if quick else 5


def run(report: Report) -> None:
    """Measure both kinds at both densities; add every figure to ``report``."""
    sizes = Sizes(report.quick)
    dense_text_rate = 0.0
    for kind in ("text", "html"):
        for density in ("dense", "realistic"):
            documents = _cached_corpus(kind, density, sizes.corpus)
            rate = _throughput(report, kind, density, documents, sizes)
            if (kind, density) == ("text", "dense"):
                dense_text_rate = rate
        _growth(report, kind, sizes)
    _dense_sample(report, sizes, dense_text_rate)
    compileall.compile_dir(PACKAGE, quiet=1)  # as an install leaves it (see the module's doc)
    start = _child_seconds(
        [sys.executable, "-m", "archiver", "scan", str(_empty_file())], repeat=sizes.child_repeat
    )
    for kind in ("text", "html"):
        _sample_density(report, kind, sizes, start)
    _child_start(report, sizes, start)


def _cached_corpus(kind: str, density: str, size: int) -> list[bytes]:
    path = CACHE / f"scan-{kind}-{density}-{size}-v{VERSION}.bin"
    if path.exists():
        return _unpack(path.read_bytes())
    documents = corpus(kind, size, density=density)
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


def _throughput(
    report: Report, kind: str, density: str, documents: list[bytes], sizes: Sizes
) -> float:
    size = sum(map(len, documents))
    filename = SUFFIX[kind]
    found = sum(len(scan_bytes(d, filename=filename).embeds) for d in documents)
    seconds = _cpu_seconds(
        lambda: _each(documents, lambda d: scan_bytes(d, filename=filename)), repeat=sizes.repeat
    )
    sample, sample_size = _prefix(documents, sizes.baseline)
    soup_seconds = _cpu_seconds(lambda: _each(sample, lambda d: BeautifulSoup(d, "lxml")))
    rate = size / MB / seconds
    report.add(
        SECTION,
        f"{kind}, {density}: scan_bytes over {size / MB:.0f} MB "
        f"({len(documents)} documents, {found / (size / MB):.0f} embeds/MB)",
        rate,
        "MB/s",
        baseline=("BeautifulSoup(lxml), whole documents", sample_size / MB / soup_seconds),
        target=f">= {TARGETS[kind]:.0f} MB/s",
        met=rate >= TARGETS[kind],
    )
    if density == "dense":
        decode_seconds = _cpu_seconds(
            lambda: _each(documents, lambda d: d.decode("utf-8", "replace")), repeat=sizes.repeat
        )
        report.add(
            SECTION,
            f"{kind}: UTF-8 decode alone (the floor)",
            size / MB / decode_seconds,
            "MB/s",
            baseline=(f"scan_bytes, {density}", rate),
        )
    return rate


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


def _growth(report: Report, kind: str, sizes: Sizes) -> None:
    """One document of each size, scanned in a child process of its own (``_growth_seconds``).

    In this process, after the other sections, the smallest document ran 1.4x faster than in a
    fresh one while the larger ones did not (docs/benchmarks.md): the memory they had used
    favoured it. A fresh process for the series measures every size from the same start.
    """
    first, last = sizes.growth[0], sizes.growth[-1]
    arguments = json.dumps([kind, sizes.corpus, list(sizes.growth), sizes.repeat])
    child = subprocess.run(
        [sys.executable, "-c", GROWTH_CHILD, arguments],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = {int(size): spent for size, spent in json.loads(child.stdout).items()}
    for size in sizes.growth[1:]:
        report.add(
            SECTION,
            f"{kind}: one {size / MB:g} MB document",
            size / MB / seconds[size],
            "MB/s",
            baseline=(f"one {first / MB:g} MB document", first / MB / seconds[first]),
        )
    ratio = seconds[last] / (last / first * seconds[first])
    report.add(
        SECTION,
        f"{kind}: time({last / MB:g} MB) / ({last // first} × time({first / MB:g} MB))",
        ratio,
        "×",
        baseline=("perfectly linear", 1.0),
        target="linear: <= 1.5",
        met=ratio <= 1.5,
    )


def _growth_seconds(kind: str, corpus_size: int, sizes: list[int], repeat: int) -> dict[int, float]:
    """CPU seconds to scan one document of each size (the dense corpus's documents joined)."""
    blob = b"".join(_cached_corpus(kind, "dense", corpus_size))
    filename, last = SUFFIX[kind], sizes[-1]
    # Small documents are scanned more often, so that each size is measured for as long.
    return {
        size: _cpu_seconds(
            lambda data=blob[:size]: scan_bytes(data, filename=filename),
            repeat=max(repeat, min(16, last // size)),
        )
        for size in sizes
    }


def _dense_sample(report: Report, sizes: Sizes, dense_text_rate: float) -> None:
    """The founding sample: five posts in 2.6 kB, far denser than a news site's articles."""
    article = SAMPLE.read_bytes()
    copies = sizes.sample // len(article)
    seconds = _cpu_seconds(
        lambda: _each([article] * copies, lambda d: scan_bytes(d, filename="a.txt"))
    )
    report.add(
        SECTION,
        f"text: the sample article ({len(article) / 1000:.1f} kB, 5 posts) × {copies}",
        copies * len(article) / MB / seconds,
        "MB/s",
        baseline=("generated text, dense", dense_text_rate),
    )


def _sample_density(report: Report, kind: str, sizes: Sizes, start: float) -> None:
    """A post per kB, through the library and through ``archiver scan`` in a child process
    (whose ``start`` is the CPU seconds of a child scanning an empty file)."""
    documents = _cached_corpus(kind, "sample", sizes.corpus)
    size = sum(map(len, documents))
    filename = SUFFIX[kind]
    found = sum(len(scan_bytes(d, filename=filename).embeds) for d in documents)
    seconds = _cpu_seconds(
        lambda: _each(documents, lambda d: scan_bytes(d, filename=filename)), repeat=sizes.repeat
    )
    anchor_seconds = _cpu_seconds(lambda: _each(documents, _anchor_pass), repeat=sizes.repeat)
    rate, target = size / MB / seconds, SAMPLE_TARGETS[kind]
    report.add(
        SECTION,
        f"{kind}, a post per kB (the sample's density): scan_bytes over {size / MB:.0f} MB "
        f"({len(documents)} documents, {found / (size / MB):.0f} embeds/MB)",
        rate,
        "MB/s",
        baseline=("decode and one regex pass finding the anchors", size / MB / anchor_seconds),
        target=f">= {target:.0f} MB/s",
        met=rate >= target,
    )
    path = CACHE / f"scan-{kind}-sample-{sizes.child[kind]}-v{VERSION}.{filename.split('.')[1]}"
    if not path.exists():
        path.write_bytes(b"".join(_prefix(documents, sizes.child[kind])[0]))
    size = path.stat().st_size
    command = [sys.executable, "-m", "archiver", "scan", str(path)]
    seconds = _child_seconds(command, repeat=sizes.child_repeat)
    anchor_seconds = _child_seconds(
        [sys.executable, "-c", CHILD_ANCHORS, str(path)], repeat=sizes.child_repeat
    )
    rate = size / MB / seconds
    report.add(
        SECTION,
        f"{kind}, a post per kB: archiver scan in a child process, one {size / MB:.0f} MB file "
        "(its start included)",
        rate,
        "MB/s",
        baseline=("a child decoding the file, one regex pass", size / MB / anchor_seconds),
        target=f">= {target:.0f} MB/s",
        met=rate >= target,
    )
    _beyond_start(report, kind, f"one {size / MB:.0f} MB file", size, seconds, start)
    _article_files(report, kind, _prefix(documents, sizes.child[kind])[0], sizes, start)


def _article_files(
    report: Report, kind: str, documents: list[bytes], sizes: Sizes, start: float
) -> None:
    """The same documents as one article file each, all given to one ``archiver scan``: a
    reader's corpus through the command (a row per embed, with its file), beside the library."""
    folder = CACHE / f"scan-{kind}-sample-{sizes.child[kind]}-v{VERSION}-files"
    suffix = SUFFIX[kind].split(".")[1]
    paths = [str(folder / f"{number:05d}.{suffix}") for number in range(len(documents))]
    if not folder.exists():
        folder.mkdir(parents=True)
        for path, document in zip(paths, documents, strict=True):
            Path(path).write_bytes(document)
    size = sum(map(len, documents))
    seconds = _child_seconds(
        [sys.executable, "-m", "archiver", "scan", *paths], repeat=sizes.child_repeat
    )
    library_seconds = _cpu_seconds(
        lambda: _each(documents, lambda d: scan_bytes(d, filename=SUFFIX[kind])),
        repeat=sizes.repeat,
    )
    rate, target = size / MB / seconds, SAMPLE_TARGETS[kind]
    report.add(
        SECTION,
        f"{kind}, a post per kB: archiver scan in a child process, the same bytes as "
        f"{len(documents):,} article files (its start included)",
        rate,
        "MB/s",
        baseline=(
            "scan_bytes over the same documents, in this process",
            size / MB / library_seconds,
        ),
        target=f">= {target:.0f} MB/s",
        met=rate >= target,
    )
    where = f"{len(documents):,} article files"
    _beyond_start(report, kind, where, size, seconds, start)


def _beyond_start(
    report: Report, kind: str, where: str, size: int, seconds: float, start: float
) -> None:
    """The child's rate over what it does beyond its start: reading, scanning, printing. None
    when that is within a tenth of the start (--quick's small files), too close to its noise."""
    if seconds - start < 0.1 * start:
        return
    report.add(
        SECTION,
        f"{kind}, a post per kB: archiver scan beyond its start, {where} (the child's CPU less "
        "that of a child scanning an empty file)",
        size / MB / (seconds - start),
        "MB/s",
        baseline=("its start included", size / MB / seconds),
    )


def _anchor_pass(document: bytes) -> int:
    return sum(1 for _ in ANCHORS.finditer(document.decode("utf-8", "replace")))


def _empty_file() -> Path:
    empty = CACHE / "scan-empty.txt"
    empty.write_bytes(b"")
    return empty


def _child_start(report: Report, sizes: Sizes, seconds: float) -> None:
    """What a child's start costs (``seconds``): ``archiver scan`` of an empty file."""
    bare = _child_seconds([sys.executable, "-c", "pass"], repeat=sizes.child_repeat)
    report.add(
        SECTION,
        "archiver scan of an empty file in a child process (its start: imports)",
        seconds,
        "s",
        baseline=("python -c pass", bare),
    )


def _child_seconds(command: list[str], *, repeat: int) -> float:
    """The best CPU time (user and system) of ``command`` run to its end, its output dropped."""
    best = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=SAMPLE.parent.parent)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = min(best, used)
    return max(best, 1e-9)
