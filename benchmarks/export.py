"""Exporting an archive of 100,000 posts as WARC, against warcio writing the same records alone.

Figures, each beside a baseline measured in the same run:
- ``archiver export --format warc`` over the archive: records/s and payload MB/s, against a
  process that writes the same records (the same bodies, made by the same generator, the same
  metadata sizes) with warcio straight from memory, no database behind it;
- the peak RSS of both processes (each its own ``VmHWM``), to show that the export streams.

The archive: 10,000 articles quoting 100,000 posts (ten each); every post has a syndication and
an oEmbed answer (distinct JSON bodies, about 1.5 kB and 0.6 kB), a photo (6 kB, made up) and its
account's avatar (shared by the account's 50 posts, so exported once and then as revisits).
Built once with plain SQL and cached under benchmarks/.cache/export/.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.archive_process import own_peak_rss_kib
from benchmarks.report import CACHE, Report

SECTION = "export"
POSTS, QUICK_POSTS = 100_000, 1_000
EMBEDS_PER_ARTICLE = 10
POSTS_PER_ACCOUNT = 50
GENERATOR_VERSION = 1
T0 = "2024-05-01T10:00:00.000Z"
# The quick run (1,000 posts) peaks at about 60 MiB, the imports' share; the full run adds the
# 64 MiB page cache the archive's connection allows (store/connection.py) and no more: it must
# not grow with the archive's 700 MB of payloads.
PEAK_RSS_TARGET_MIB = 150


def bodies(number: int) -> tuple[bytes, bytes, bytes]:
    """The syndication JSON, oEmbed JSON and photo of made-up post ``number``."""
    seed = hashlib.sha256(str(number).encode()).hexdigest()
    text = f"Made-up post {number}: " + " ".join(seed[i : i + 7] for i in range(0, 64, 7)) * 3
    syndication = json.dumps(
        {
            "__typename": "Tweet",
            "id_str": str(10**18 + number),
            "text": text,
            "user": {"screen_name": f"account{number // POSTS_PER_ACCOUNT}", "name": "Made Up"},
            "entities": {"hashtags": [], "urls": [], "user_mentions": []},
            "created_at": T0,
            "favorite_count": number % 977,
            "padding": seed * 12,
        }
    ).encode()
    oembed = json.dumps({"html": f"<blockquote>{text}</blockquote>", "padding": seed * 4}).encode()
    photo = bytes.fromhex(seed) * 192  # 6 kB
    return syndication, oembed, photo


def avatar(account: int) -> bytes:
    return hashlib.sha256(f"avatar{account}".encode()).digest() * 64


def build(path: Path, posts: int) -> None:
    """The archive the export reads, with the schema of the version under test."""
    from archiver.store import open_archive

    with open_archive(path):
        pass
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO runs (id, command, arguments, replay, version, started_at)"
            " VALUES (1, 'archive', '[]', 0, 'bench', ?)",
            [T0],
        )
        for start in range(0, posts, 1000):
            _add_posts(conn, range(start, min(start + 1000, posts)))
    conn.close()


def _add_posts(conn: sqlite3.Connection, numbers: range) -> None:
    blob = "INSERT OR IGNORE INTO blobs (sha256, content, bytes, content_type, first_seen) VALUES (?, ?, ?, ?, ?)"
    for number in numbers:
        key = f"twitter:{10**18 + number}"
        account = number // POSTS_PER_ACCOUNT
        article = number // EMBEDS_PER_ARTICLE
        if number % EMBEDS_PER_ARTICLE == 0:
            page = f"<html><body>Article {article}</body></html>".encode() * 40
            digest = hashlib.sha256(page).hexdigest()
            conn.execute(blob, [digest, page, len(page), "text/html", T0])
            url = f"https://news.example/{article}"
            conn.execute(
                "INSERT INTO articles (id, url, kind, sha256, embed_count, first_seen,"
                " last_changed, last_scanned) VALUES (?, ?, 'html', ?, ?, ?, ?, ?)",
                [article + 1, url, digest, EMBEDS_PER_ARTICLE, T0, T0, T0],
            )
            conn.execute(
                "INSERT INTO article_versions (id, article_id, sha256, bytes, content_type, kind,"
                " encoding, provenance, fetched_at, status, headers, redirect_chain, replay,"
                " embed_count, run_id, first_seen, last_seen) VALUES (?, ?, ?, ?, 'text/html',"
                " 'html', 'utf-8', '{}', ?, 200, '[]', '[]', 0, ?, 1, ?, ?)",
                [article + 1, article + 1, digest, len(page), T0, EMBEDS_PER_ARTICLE, T0, T0],
            )
            conn.execute(
                "UPDATE articles SET current_version_id = ? WHERE id = ?", [article + 1] * 2
            )
        conn.execute(
            "INSERT INTO posts (key, platform, id, handle, text, state, first_seen, first_archived)"
            " VALUES (?, 'twitter', ?, ?, ?, 'live', ?, ?)",
            [key, str(10**18 + number), f"account{account}", f"post {number}", T0, T0],
        )
        conn.execute(
            "INSERT INTO embeds (article_id, article_version_id, ordinal, platform, form, handle,"
            ' pic_links, links, text, "start", "end", post_key) VALUES (?, ?, ?, \'twitter\','
            " 'html_blockquote', ?, '[]', '[]', ?, 0, 10, ?)",
            [article + 1, article + 1, number % EMBEDS_PER_ARTICLE, f"account{account}", "q", key],
        )
        syndication, oembed, photo = bodies(number)
        for source, body in (("syndication", syndication), ("oembed", oembed)):
            digest = hashlib.sha256(body).hexdigest()
            conn.execute(blob, [digest, body, len(body), "application/json", T0])
            snapshot = conn.execute(
                "INSERT INTO snapshots (post_key, run_id, source, fetched_at, url, redirect_chain,"
                " status, headers, body_sha256, bytes, content_type, truncated, attempts, replay,"
                " tool_version) VALUES (?, 1, ?, ?, ?, '[]', 200, ?, ?, ?, 'application/json', 0,"
                " 1, 0, 'bench')",
                [
                    key,
                    source,
                    T0,
                    f"https://{source}.example/{number}",
                    '[["content-type","application/json"]]',
                    digest,
                    len(body),
                ],
            ).lastrowid
            conn.execute(
                "INSERT INTO checks (post_key, snapshot_id, run_id, checked_at, source, status,"
                " outcome) VALUES (?, ?, 1, ?, ?, 200, 'live')",
                [key, snapshot, T0, source],
            )
        for kind, body, url in (
            ("photo", photo, f"https://pbs.example/media/{number}.jpg"),
            ("profile_image", avatar(account), f"https://pbs.example/avatar/{account}.jpg"),
        ):
            digest = hashlib.sha256(body).hexdigest()
            conn.execute(blob, [digest, body, len(body), "image/jpeg", T0])
            conn.execute(
                "INSERT INTO media (post_key, snapshot_id, kind, url, fetched_at, redirect_chain,"
                " status, sha256, bytes, content_type, truncated, replay) VALUES (?, ?, ?, ?, ?,"
                " '[]', 200, ?, ?, 'image/jpeg', 0, 0)",
                [key, snapshot, kind, url, T0, digest, len(body)],
            )


def baseline_records(posts: int) -> Iterator[tuple[str, str, bytes, str]]:
    """The records the export writes for the made-up archive: (type, URI, payload, content type)."""
    seen_avatars: set[int] = set()
    for number in range(posts):
        article = number // EMBEDS_PER_ARTICLE
        if number % EMBEDS_PER_ARTICLE == 0:
            page = f"<html><body>Article {article}</body></html>".encode() * 40
            yield "response", f"https://news.example/{article}", page, "text/html"
            yield "metadata", f"urn:provenance:{article}", b"m" * 1400, "application/json"
    for number in range(posts):
        syndication, oembed, photo = bodies(number)
        for source, body in (("syndication", syndication), ("oembed", oembed)):
            yield "response", f"https://{source}.example/{number}", body, "application/json"
            yield "metadata", f"urn:provenance:{source}{number}", b"m" * 700, "application/json"
        yield "response", f"https://pbs.example/media/{number}.jpg", photo, "image/jpeg"
        yield "metadata", f"urn:provenance:photo{number}", b"m" * 350, "application/json"
        account = number // POSTS_PER_ACCOUNT
        kind = "revisit" if account in seen_avatars else "response"
        seen_avatars.add(account)
        yield kind, f"https://pbs.example/avatar/{account}.jpg", avatar(account), "image/jpeg"
        yield "metadata", f"urn:provenance:avatar{number}", b"m" * 350, "application/json"


def child_warcio(posts: int, out: Path) -> dict[str, float]:
    """Write the same records with warcio alone (its own SHA-1 digests, as it does by default)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    started = time.perf_counter()
    count = payload = 0
    with out.open("wb") as file:
        writer = WARCWriter(file, gzip=True, warc_version="WARC/1.1")
        for kind, uri, body, content_type in baseline_records(posts):
            http = None
            if kind in ("response", "revisit"):
                http = StatusAndHeaders(
                    "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
                )
            record = writer.create_warc_record(
                uri,
                kind,
                payload=io.BytesIO(b"" if kind == "revisit" else body),
                length=0 if kind == "revisit" else len(body),
                http_headers=http,
                warc_content_type="" if http else content_type,
            )
            writer.write_record(record)
            count += 1
            payload += 0 if kind == "revisit" else len(body)
    return {
        "seconds": time.perf_counter() - started,
        "records": count,
        "payload_bytes": payload,
        "peak_rss_kib": own_peak_rss_kib(),
    }


def child_export(db: Path, out: Path) -> dict[str, float]:
    """`archiver export --format warc` through the library, as the CLI calls it."""
    from archiver.jobs.export import ExportFormat, export
    from archiver.store import open_archive

    started = time.perf_counter()
    with open_archive(db, readonly=True) as archive:
        summary = export(archive, out=out, format=ExportFormat.WARC, command_line=["export"])
    assert summary.ok, summary.problems
    return {
        "seconds": time.perf_counter() - started,
        "records": sum(summary.records.values()),
        "payload_bytes": summary.payload_bytes,
        "peak_rss_kib": own_peak_rss_kib(),
    }


def _in_child(*args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.export", *args], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.splitlines()[-1])


def run(report: Report) -> None:
    posts = QUICK_POSTS if report.quick else POSTS
    cache = CACHE / "export"
    cache.mkdir(parents=True, exist_ok=True)
    db = cache / f"archive-{posts}-v{GENERATOR_VERSION}.db"
    if not db.exists():
        started = time.perf_counter()
        build(db, posts)
        print(f"  built {posts:,} posts in {time.perf_counter() - started:.1f} s", flush=True)
    ours = _in_child("export", str(db), str(cache / "export.warc.gz"))
    alone = _in_child("warcio", str(posts), str(cache / "warcio.warc.gz"))
    size = f"{posts // 1000}k posts" if posts >= 1000 else f"{posts} posts"
    report.add(
        SECTION,
        f"archiver export --format warc, {size} ({ours['records']:,} records)",
        ours["records"] / ours["seconds"],
        "records/s",
        baseline=(
            "warcio writing the same records from memory",
            alone["records"] / alone["seconds"],
        ),
    )
    report.add(
        SECTION,
        f"archiver export --format warc, {size}: payload",
        ours["payload_bytes"] / ours["seconds"] / 1e6,
        "MB/s",
        baseline=("warcio from memory", alone["payload_bytes"] / alone["seconds"] / 1e6),
    )
    report.add(
        SECTION,
        f"archiver export --format warc, {size}: peak RSS",
        ours["peak_rss_kib"] / 1024,
        "MiB",
        baseline=("warcio from memory", alone["peak_rss_kib"] / 1024),
        target=f"< {PEAK_RSS_TARGET_MIB} MiB at any size (streamed)",
        met=ours["peak_rss_kib"] < PEAK_RSS_TARGET_MIB * 1024,
    )


def main(argv: list[str]) -> int:
    if argv[0] == "export":
        said = child_export(Path(argv[1]), Path(argv[2]))
    else:
        said = child_warcio(int(argv[1]), Path(argv[2]))
    print(json.dumps(said))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
