"""Datasette on a large archive: canned queries and pages, through the in-process client.

The archive: 20,000 articles showing 200,000 embeds of 100,000 posts (one in ten gone, one embed
in twenty unresolved), two snapshots and checks per post. Figures, each beside a baseline from the
same run:
- each canned query (median of 5, as JSON) against a plain table page of 100 posts, with the
  target of finishing well inside Datasette's default SQL time limit (1 s);
- the posts page with `archiver serve`'s settings against Datasette's defaults (which suggest
  facets by trying every column);
- the HTML pages the plugin renders (posts with linked text, snapshots with short hashes, media
  with images) against the same pages with the plugin unregistered.

The archive is built once and cached under benchmarks/.cache/datasette/.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette.app import Datasette
from datasette.plugins import pm

from archiver.datasette import load_metadata, make_datasette
from archiver.datasette import plugin as archiver_plugin
from archiver.store import open_archive
from benchmarks.report import CACHE, Report

SECTION = "datasette"
EMBEDS_PER_ARTICLE = 10
GENERATOR_VERSION = 3  # bump when the generated data or the schema changes
QUERY_TARGET_MS = 500  # half of Datasette's default sql_time_limit_ms
PLUGIN_TARGET = 2.0  # a page with the plugin at most twice as slow as without
EPOCH = 1_700_000_000  # 2023-11-14, seconds
PNG = b"\x89PNG\r\n\x1a\n" + bytes(1000)
WORDS = ("kyiv", "video", "post", "said", "president", "night", "city", "news", "the", "of")


@dataclass(frozen=True)
class Scale:
    """The archive's size and the runs each median takes: the full run's, or --quick's."""

    posts: int
    articles: int
    runs: int


FULL, QUICK = Scale(100_000, 20_000, 5), Scale(1_000, 200, 1)


def run(report: Report) -> None:
    scale = QUICK if report.quick else FULL
    runs = scale.runs
    path = _archive(scale)
    datasette = make_datasette(path)
    baseline = _median_ms(datasette, "/archive/posts.json?_size=100", runs=runs)
    suggesting = _median_ms(
        Datasette([str(path)], metadata=load_metadata()), "/archive/posts", runs=runs
    )
    posts_page = _median_ms(datasette, "/archive/posts", runs=runs)
    report.add(
        SECTION,
        "HTML posts page, 100 rows, archiver serve's settings",
        posts_page,
        "ms",
        baseline=("Datasette's default settings (facets suggested)", suggesting),
        target="< 500 ms",
        met=posts_page < 500,
    )
    queries = {
        "vanished_posts": "/archive/vanished_posts.json",
        "unverifiable_embeds": "/archive/unverifiable_embeds.json",
        "most_embedded_accounts": "/archive/most_embedded_accounts.json",
        "article_embeds": "/archive/article_embeds.json?article=12345",
        "post_snapshots (by id)": "/archive/post_snapshots.json?post=1700000000000050000",
    }
    for name, url in queries.items():
        value = _median_ms(datasette, url, runs=runs)
        report.add(
            SECTION,
            f"canned query {name}, {scale.posts:,} posts",
            value,
            "ms",
            baseline=("posts table page, 100 rows", baseline),
            target=f"< {QUERY_TARGET_MS} ms",
            met=value < QUERY_TARGET_MS,
        )
    pages = {
        "posts page (linked text)": "/archive/posts?_size=100",
        "snapshots page (short hashes)": "/archive/snapshots?_size=100",
        "media page (images)": "/archive/media?_size=100",
    }
    first_view = _median_ms(
        datasette,
        "/archive/media?_size=100",
        runs=runs,
        before_each=archiver_plugin._signatures.clear,
    )
    remembered = _median_ms(datasette, "/archive/media?_size=100", runs=runs)
    report.add(
        SECTION,
        "HTML media page (images), 100 rows, first view",
        first_view,
        "ms",
        baseline=("after the blobs' signatures are remembered", remembered),
        target=f"≤ {PLUGIN_TARGET:g}× remembered",
        met=first_view <= PLUGIN_TARGET * remembered,
    )
    for name, url in pages.items():
        with_plugin = _median_ms(datasette, url, runs=runs)
        pm.unregister(archiver_plugin)
        try:
            without = _median_ms(datasette, url, runs=runs)
        finally:
            pm.register(archiver_plugin, name="archiver")
        report.add(
            SECTION,
            f"HTML {name}, 100 rows",
            with_plugin,
            "ms",
            baseline=("same page without the plugin", without),
            target=f"≤ {PLUGIN_TARGET:g}× without",
            met=with_plugin <= PLUGIN_TARGET * without,
        )


def _median_ms(
    datasette: Any, url: str, *, runs: int, before_each: Callable[[], object] = dict
) -> float:
    async def timed() -> list[float]:
        response = await datasette.client.get(url)  # warm: schema, caches
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}: {response.text[:200]}")
        samples = []
        for _ in range(runs):
            before_each()
            started = time.perf_counter()
            response = await datasette.client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
        return samples

    return statistics.median(asyncio.run(timed()))


def _archive(scale: Scale) -> Path:
    folder = CACHE / "datasette" / f"posts-{scale.posts}-v{GENERATOR_VERSION}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "archive.db"  # Datasette names the database after the file: /archive
    if not path.exists():
        print(f"  building {path} (once; cached)", flush=True)
        partial = folder / "partial.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        _build(partial, scale)
        partial.rename(path)
    return path


def _build(path: Path, scale: Scale) -> None:
    open_archive(path).close()
    rng = random.Random(20240501)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO blobs (sha256, content, bytes, content_type, first_seen)"
        " VALUES (?, ?, ?, 'image/png', ?)",
        ("0" * 64, PNG, len(PNG), _iso(EPOCH)),
    )
    conn.executemany(
        "INSERT INTO posts (key, platform, id, url, handle, author_name, text, lang, created_at,"
        " state, state_since, last_seen_live, first_seen_gone, first_seen, first_archived,"
        " last_checked) VALUES (?, 'twitter', ?, ?, ?, ?, ?, 'en', ?, ?, ?, ?, ?, ?, ?, ?)",
        _posts(rng, scale.posts),
    )
    conn.executemany(
        "INSERT INTO snapshots (post_key, source, fetched_at, url, redirect_chain, status,"
        " headers, body_sha256, bytes, truncated, attempts, replay, tool_version)"
        " VALUES (?, ?, ?, ?, '[]', 200, '[]', ?, 100, 0, 1, 0, 'bench')",
        (
            (_key(n), source, _iso(EPOCH + n), f"https://example.org/{source}/{n}", "0" * 64)
            for n in range(scale.posts)
            for source in ("syndication", "oembed")
        ),
    )
    conn.execute(
        "INSERT INTO checks (post_key, snapshot_id, checked_at, source, status, outcome)"
        " SELECT s.post_key, s.id, s.fetched_at, s.source, 200,"
        " CASE WHEN p.state = 'live' OR s.source = 'syndication' THEN 'live' ELSE p.state END"
        " FROM snapshots s JOIN posts p ON p.key = s.post_key"
    )
    conn.executemany(
        "INSERT INTO media (post_key, kind, url, fetched_at, redirect_chain, status, sha256,"
        " bytes, content_type, truncated, replay)"
        " VALUES (?, 'photo', ?, ?, '[]', 200, ?, ?, 'image/png', 0, 0)",
        (
            (_key(n), f"https://pbs.example/{n}", _iso(EPOCH), "0" * 64, len(PNG))
            for n in range(0, scale.posts, 10)
        ),
    )
    for article in range(scale.articles):
        conn.execute(
            "INSERT INTO articles (id, url, sha256, embed_count, first_seen, last_changed,"
            " last_scanned) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (article, f"https://news.example/{article}", "0" * 64, EMBEDS_PER_ARTICLE,
             *[_iso(EPOCH)] * 3),
        )  # fmt: skip
        conn.execute(
            "INSERT INTO article_versions (id, article_id, sha256, bytes, kind, encoding,"
            " provenance, replay, embed_count, first_seen, last_seen)"
            " VALUES (?, ?, ?, 1, 'html', 'utf-8', '{}', 0, ?, ?, ?)",
            (article, article, "0" * 64, EMBEDS_PER_ARTICLE, _iso(EPOCH), _iso(EPOCH)),
        )
        conn.execute("UPDATE articles SET current_version_id = ? WHERE id = ?", (article, article))
        conn.executemany(
            "INSERT INTO embeds (article_id, article_version_id, ordinal, platform, form, handle,"
            " pic_links, links, text, start, end, post_key)"
            " VALUES (?, ?, ?, 'twitter', 'html_blockquote', ?, '[]', '[]', ?, 0, 1, ?)",
            _embeds(rng, article, scale.posts),
        )
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _key(n: int) -> str:
    return f"twitter:{1_700_000_000_000_000_000 + n}"


def _handle(n: int) -> str:
    return f"account{n % 5_000}"


def _text(rng: random.Random, n: int) -> str:
    words = " ".join(rng.choices(WORDS, k=30))
    return f"{words} https://example.org/{n}"


def _iso(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(seconds))


def _posts(rng: random.Random, posts: int) -> Iterator[tuple[object, ...]]:
    for n in range(posts):
        gone = n % 10 == 0
        seen = _iso(EPOCH + n)
        yield (
            _key(n),
            str(1_700_000_000_000_000_000 + n),
            f"https://twitter.com/{_handle(n)}/status/{n}",
            _handle(n),
            f"Account {n % 5_000}",
            _text(rng, n),
            seen,
            "deleted" if gone else "live",
            seen,
            seen,
            _iso(EPOCH + n + 86_400) if gone else None,
            seen,
            seen,
            seen,
        )


def _embeds(rng: random.Random, article: int, posts: int) -> Iterator[tuple[object, ...]]:
    for ordinal in range(EMBEDS_PER_ARTICLE):
        n = rng.randrange(posts)
        resolved = rng.random() >= 0.05
        yield (
            article,
            article,
            ordinal,
            _handle(n),
            _text(rng, n),
            _key(n) if resolved else None,
        )
