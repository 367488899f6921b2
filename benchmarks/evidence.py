"""Run manifests at scale: a run that added 100,000 snapshot rows.

Figures, each beside a baseline measured in the same run:
- building the manifest (each row serialised canonically and hashed, the Merkle root, the
  manifest's own bytes and hash; archiver/evidence/manifest.py) against sha256 over the same
  rows' canonical bytes alone, made beforehand: what the manifest costs beyond hashing;
- ``Archive.seal_run`` over those rows in an archive (read, build, store the manifest) against
  reading the same rows alone.

The rows are made up: the columns a witness's snapshot has, with headers and a parsed post of
typical sizes.
"""

from __future__ import annotations

import hashlib
import json
import random
import time

from archiver.evidence.manifest import COLUMNS, build_manifest, canonical_json
from archiver.store import open_archive
from benchmarks.report import CACHE, Report

SECTION = "evidence"
ROWS, QUICK_ROWS = 100_000, 2_000
T0 = "2025-01-01T00:00:00.000Z"


def _rows(count: int) -> list[dict[str, object]]:
    rng = random.Random(12)
    headers = json.dumps([["content-type", "application/json"], ["server", "tsa"]] * 12)
    rows = []
    for number in range(1, count + 1):
        text = "".join(rng.choices("abcdefghij klmnop", k=rng.randint(40, 280)))
        rows.append(
            {
                "id": number,
                "post_key": f"twitter:{10**18 + number}",
                "embed_id": None,
                "run_id": 1,
                "source": "syndication",
                "fetched_at": T0,
                "url": f"https://cdn.syndication.twimg.com/tweet-result?id={10**18 + number}",
                "final_url": None,
                "redirect_chain": "[]",
                "status": 200,
                "headers": headers,
                "body": text.encode(),
                "body_sha256": hashlib.sha256(text.encode()).hexdigest(),
                "bytes": len(text),
                "content_type": "application/json",
                "truncated": 0,
                "error": None,
                "parsed": json.dumps({"text": text, "handle": f"user{number % 5000}"}),
                "elapsed_ms": 12.5,
                "attempts": 1,
                "replay": 0,
                "tool_version": "0.1.0",
            }
        )
    return rows


def run(report: Report) -> None:
    count = QUICK_ROWS if report.quick else ROWS
    rows = _rows(count)
    run_row = {"id": 1, "command": "archive", "started_at": T0, "finished_at": T0}

    serialised = [
        canonical_json({"table": "snapshots", "row": {c: r[c] for c in COLUMNS["snapshots"]}})
        for r in rows
    ]
    started = time.perf_counter()
    for data in serialised:
        hashlib.sha256(data).digest()
    hashing = time.perf_counter() - started
    started = time.perf_counter()
    manifest = build_manifest(run_row, previous=None, rows={"snapshots": rows}, after={})
    building = time.perf_counter() - started
    report.add(
        SECTION,
        f"manifest + Merkle root of {count:,} rows ({len(manifest.data) / 1e6:.1f} MB)",
        building,
        "s",
        baseline=("sha256 of the same rows' bytes alone", hashing),
    )

    path = CACHE / "evidence.db"
    for stale in CACHE.glob("evidence.db*"):
        stale.unlink()
    with open_archive(path, clock=lambda: T0) as archive:
        run_id = archive.start_run("archive", [], replay=False)
        columns = COLUMNS["snapshots"]
        with archive.transaction():
            archive.db.conn.execute("INSERT INTO posts (key, platform, id, state, first_seen)"
                                    " SELECT 'p', 'twitter', '1', 'live', ?", (T0,))  # fmt: skip
            archive.db.conn.executemany(
                "INSERT OR IGNORE INTO blobs (sha256, content, bytes, first_seen)"
                " VALUES (?, ?, ?, ?)",
                [(r["body_sha256"], r["body"], r["bytes"], T0) for r in rows],
            )
            archive.db.conn.executemany(
                f"INSERT INTO snapshots ({', '.join(columns)}) VALUES"
                f" ({', '.join('?' for _ in columns)})",
                [tuple({**r, "post_key": "p", "run_id": run_id}[c] for c in columns) for r in rows],
            )
        archive.finish_run(run_id, counts={}, error_count=0)
        started = time.perf_counter()
        archive.db.conn.execute(f"SELECT {', '.join(columns)} FROM snapshots").fetchall()
        reading = time.perf_counter() - started
        started = time.perf_counter()
        archive.seal_run(run_id)
        sealing = time.perf_counter() - started
    report.add(
        SECTION,
        f"Archive.seal_run over {count:,} snapshot rows",
        sealing,
        "s",
        baseline=("reading the same rows alone", reading),
    )
    for stale in CACHE.glob("evidence.db*"):
        stale.unlink()
