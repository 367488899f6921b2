"""Crashes: an archive run killed with SIGKILL at seeded random moments of each stage.

After each kill, `archiver db check` finds the archive clean and the next run completes it:
every embed archived, every post answered, every media file stored. ``make test`` kills one
moment of each stage; ``make crash`` (and ``make soak``) twenty, and prints what each found.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from soak_samples import client_config, complete, db_check, is_complete

from archiver.replay import ReplayServer
from benchmarks.archive_process import run_archive, start_archive
from benchmarks.corpus import Corpus, corpus
from benchmarks.report import CACHE

ARTICLES, EMBEDS, POSTS = 120, 360, 100
LATENCY_MS = 15  # so each stage lasts long enough to be interrupted
STAGES = ("storing articles", "resolving", "fetching", "media")
# The hosts whose requests mark each networked stage.
STAGE_HOSTS = {
    "resolving": {"t.co"},
    "fetching": {"cdn.syndication.twimg.com", "publish.twitter.com"},
    "media": {"pbs.twimg.com", "video.twimg.com"},
}


@dataclass(frozen=True)
class Moment:
    """Kill when ``stage`` has done ``fraction`` of its work (articles stored, or requests)."""

    stage: str
    fraction: float

    def __str__(self) -> str:
        return f"{self.stage.replace(' ', '-')}-{self.fraction:.2f}"


def moments(count: int, *, seed: int) -> list[Moment]:
    """``count`` moments, as many in each stage, at seeded random points of it."""
    rng = random.Random(seed)
    return [
        Moment(STAGES[n % len(STAGES)], round(rng.uniform(0.02, 0.98), 2)) for n in range(count)
    ]


MOMENTS = moments(20, seed=20)
QUICK = MOMENTS[: len(STAGES)]  # one of each stage, inside `make test`


@pytest.fixture(scope="module")
def crash_corpus() -> Corpus:
    return corpus(articles=ARTICLES, embeds=EMBEDS, posts=POSTS)


@pytest.fixture(scope="module")
def stage_sizes(crash_corpus, tmp_path_factory) -> dict[str, int]:
    """How much work each stage does in a whole run: articles stored, requests per stage."""
    db_path = tmp_path_factory.mktemp("whole") / "archive.db"
    with ReplayServer.in_subprocess(crash_corpus.recordings_dir) as replay:
        result = run_archive(db_path, [crash_corpus.articles_dir], client_config(replay.url))
        assert result.returncode == 0, result.stderr[-3000:]
        requests = requests_by_stage(replay.stats()["urls"])
    return {"storing articles": ARTICLES, **requests}


@pytest.mark.parametrize(
    "moment",
    [pytest.param(m, marks=() if m in QUICK else pytest.mark.slow) for m in MOMENTS],
    ids=str,
)
def test_a_run_killed_at_any_moment_leaves_a_clean_archive_the_next_run_completes(
    tmp_path, crash_corpus, stage_sizes, moment
):
    db_path = tmp_path / "archive.db"
    threshold = max(1, int(stage_sizes[moment.stage] * moment.fraction))
    with ReplayServer.in_subprocess(crash_corpus.recordings_dir, latency_ms=LATENCY_MS) as replay:
        config = client_config(replay.url)
        started = time.perf_counter()
        run = start_archive(db_path, [crash_corpus.articles_dir], config)
        try:
            while done(moment.stage, db_path, replay) < threshold:
                assert run.poll() is None, f"the run ended before {moment}"
                time.sleep(0.005)
            run.send_signal(signal.SIGKILL)
            run.wait(timeout=60)
        finally:
            if run.poll() is None:
                run.kill()
                run.wait()
        assert run.returncode == -signal.SIGKILL
        killed_after = time.perf_counter() - started
        at_kill = is_complete(db_path, crash_corpus)

        check = db_check(db_path)
        assert (check.returncode, check.stdout.strip()) == (0, f"{db_path}: no problems found")
        rerun = run_archive(db_path, [crash_corpus.articles_dir], config)
        assert (rerun.returncode, rerun.summary["failures"]) == (0, {}), rerun.stderr[-3000:]
    assert is_complete(db_path, crash_corpus) == complete(crash_corpus)
    assert db_check(db_path).returncode == 0
    report(moment, threshold, killed_after, at_kill, rerun.seconds)


def done(stage: str, db_path: Path, replay) -> int:
    """How far the killed run has got in ``stage``."""
    if stage == "storing articles":
        try:
            with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
                return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.Error:  # not created, or not migrated yet
            return 0
    return requests_by_stage(replay.stats()["urls"])[stage]


def requests_by_stage(urls: dict[str, int]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for url, n in urls.items():
        host = url.split("/")[2]
        for stage, hosts in STAGE_HOSTS.items():
            if host in hosts:
                counts[stage] += n
    return counts


def report(
    moment: Moment, threshold: int, killed_after: float, at_kill: dict[str, int], rerun_s: float
) -> None:
    """One line per kill: printed (``make crash`` shows them) and kept in benchmarks/.cache/."""
    line = (
        f"| {moment.stage} | {moment.fraction:.0%} ({threshold}) | {killed_after:.1f} s "
        f"| {at_kill['articles']} | {at_kill['embeds'] - at_kill['unresolved embeds']} "
        f"| {at_kill['live posts'] + at_kill['posts gone']} "
        f"| {at_kill['posts awaiting media']} | {rerun_s:.1f} s |"
    )
    CACHE.mkdir(exist_ok=True)
    with (CACHE / "crash.md").open("a", encoding="utf-8") as log:
        log.write(line + "\n")
    print("\n| stage | at | killed after | articles | embeds resolved | posts answered "
          "| posts awaiting media | rerun |\n" + line)  # fmt: skip
