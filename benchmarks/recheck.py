"""Choosing the posts to check again, in an archive of 200,000 archived posts.

Figures, each beside a baseline measured in the same run:
- ``Archive.posts_to_recheck(now, due=True, limit=500)`` (what an hourly ``archiver recheck
  --due --limit 500`` asks) through the ``posts_next_check_at`` index, against the same query
  made to scan the table (``NOT INDEXED``), p50 of 50 runs (of 5 for the scan);
- the checks per day the schedule asks for in a steady state (one per post per interval),
  against checking every post daily.

Posts are made uniformly over the three years before "now", and each was last checked at a
random point of its interval (a sixth of them overdue by up to a fifth of it). The archive is
built once and cached under benchmarks/.cache/recheck/.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import statistics
import time

from archiver.store import open_archive
from benchmarks.report import CACHE, Report

SECTION = "recheck"
POSTS, QUICK_POSTS = 200_000, 2_000
LIMIT = 500
RUNS = 50
SCAN_RUNS = 5  # the table scan takes over a second each
GENERATOR_VERSION = 1  # bump when the generated data or the schema changes
NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
_DUE_SQL = (
    "SELECT key, handle FROM posts {hint} WHERE next_check_at IS NOT NULL"
    " AND next_check_at <= strftime('%Y-%m-%dT%H:%M:%fZ', ?) ORDER BY next_check_at, key LIMIT ?"
)


def _iso(when: dt.datetime) -> str:
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def build(path, posts: int) -> None:
    """An archive of ``posts`` archived posts with their schedule columns, nothing else."""
    rng = random.Random(20250101)
    with open_archive(path):
        pass  # the schema, migrated
    rows = []
    for number in range(posts):
        age_days = rng.uniform(0.5, 3 * 365)
        created = NOW - dt.timedelta(days=age_days)
        interval = min(max(age_days / 4, 1), 30)
        last = NOW - dt.timedelta(days=rng.uniform(0, 1.2 * interval))
        rows.append(
            (
                f"twitter:{10**18 + number}",
                "twitter",
                str(10**18 + number),
                f"user{number % 5000}",
                "live",
                _iso(created),
                _iso(created),
                _iso(last),
                _iso(last),
                _iso(last),
            )
        )
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO posts (key, platform, id, handle, state, created_at, first_seen,"
            " first_archived, last_checked, last_answered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute("ANALYZE")


def timed_ms(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def run(report: Report) -> None:
    posts = QUICK_POSTS if report.quick else POSTS
    runs, scan_runs = (3, 1) if report.quick else (RUNS, SCAN_RUNS)
    cache = CACHE / "recheck"
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"archive-{posts}-v{GENERATOR_VERSION}.db"
    if not path.exists():
        started = time.perf_counter()
        build(path, posts)
        print(f"  built {posts:,} posts in {time.perf_counter() - started:.1f} s", flush=True)
    now = _iso(NOW)
    with open_archive(path, readonly=True) as archive:
        due = archive.db.execute(
            "SELECT count(*) FROM posts WHERE next_check_at <= ?", [now]
        ).fetchone()[0]
        plan = archive.db.execute(
            "EXPLAIN QUERY PLAN " + _DUE_SQL.format(hint=""), [now, LIMIT]
        ).fetchall()
        print(f"  {due:,} of {posts:,} posts due; plan: {[row[-1] for row in plan]}", flush=True)
        indexed = statistics.median(
            timed_ms(lambda: archive.posts_to_recheck(now, due=True, limit=LIMIT))
            for _ in range(runs)
        )
        scanned = statistics.median(
            timed_ms(
                lambda: archive.db.execute(
                    _DUE_SQL.format(hint="NOT INDEXED"), [now, LIMIT]
                ).fetchall()
            )
            for _ in range(scan_runs)
        )
        per_day = archive.db.execute(
            "SELECT sum(1.0 / min(max((julianday(last_answered) - julianday(created_at)) / 4.0,"
            " 1.0), 30.0)) FROM posts"
        ).fetchone()[0]
    report.add(
        SECTION,
        f"recheck --due --limit {LIMIT}: selecting from {posts // 1000}k posts ({due:,} due), p50",
        indexed,
        "ms",
        baseline=("same query scanning the table", scanned),
        target="< 20 ms",
        met=indexed < 20,
    )
    report.add(
        SECTION,
        f"checks per day the schedule asks for, {posts // 1000}k posts made over 3 years",
        per_day,
        "checks/day",
        baseline=("every post checked daily", posts),
        target="< 1/10 of daily checks",
        met=per_day < posts / 10,
    )
