"""Recorded HTTP exchanges as rows: every snapshot, resolution hop and media download keeps them."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from archiver import __version__
from archiver.errors import StoreError
from archiver.models import Exchange, Hop
from archiver.store.blobs import get_blob, put_blob
from archiver.store.records import from_json, inserted_id, to_json


def chain_json(exchange: Exchange) -> str:
    return to_json(
        [
            {"url": h.url, "status": h.status, "location": h.location, "via": h.via}
            for h in exchange.chain
        ]
    )


def exchange_columns(
    db: Database, exchange: Exchange, *, now: str, stored_body: tuple[str, int] | None = None
) -> dict[str, Any]:
    """The columns that snapshots and media share, with the body stored as a blob.

    A request that got no answer at all has no body to keep (``body_sha256`` is NULL);
    an empty answer is kept, because its emptiness is evidence. ``stored_body`` is the
    ``(sha256, size)`` of a body streamed to a blob already (media downloads).
    """
    sha256: str | None
    size: int | None
    has_body = stored_body is not None or exchange.status is not None or bool(exchange.body)
    if stored_body is not None:
        sha256, size = stored_body
    elif has_body:
        sha256 = put_blob(db, exchange.body, content_type=exchange.content_type, now=now)
        size = len(exchange.body)
    else:
        sha256 = size = None
    return {
        "fetched_at": exchange.fetched_at or now,
        "final_url": exchange.final_url or None,
        "redirect_chain": chain_json(exchange),
        "status": exchange.status,
        "sha256": sha256,
        "bytes": size,
        "content_type": exchange.content_type,
        "truncated": int(exchange.truncated),
        "error": exchange.error,
        "replay": int(exchange.replay),
    }


def _parsed_json(parsed: Any, body: bytes) -> str | None:
    """What the parser read, unless it is just the body's own JSON: that is kept once, as the body."""
    if parsed is None:
        return None
    try:
        if json.loads(body) == parsed:
            return None
    except (ValueError, RecursionError):
        pass
    return to_json(parsed)


_SNAPSHOT_COLUMNS = (
    "post_key", "embed_id", "run_id", "source", "url", "headers", "body_sha256", "parsed",
    "elapsed_ms", "attempts", "tool_version", "fetched_at", "final_url", "redirect_chain", "status",
    "bytes", "content_type", "truncated", "error", "replay",
)  # fmt: skip
# Raw SQL, not db["snapshots"].insert: sqlite-utils reads the schema and opens a savepoint on
# every insert (about 9 times a raw INSERT of one row), which cost save_witnesses 40% of its rate
# (docs/benchmarks.md).
_INSERT_SNAPSHOT = (
    f"INSERT INTO snapshots ({', '.join(_SNAPSHOT_COLUMNS)})"
    f" VALUES ({', '.join(':' + name for name in _SNAPSHOT_COLUMNS)})"
)


def insert_snapshot(
    db: Database,
    exchange: Exchange,
    *,
    source: str,
    post_key: str | None,
    embed_id: int | None,
    run_id: int | None,
    parsed: Any,
    now: str,
) -> int:
    """Append one snapshot row for ``exchange`` and return its id."""
    columns = exchange_columns(db, exchange, now=now)
    body_sha256 = columns.pop("sha256")
    row = {
        "post_key": post_key,
        "embed_id": embed_id,
        "run_id": run_id,
        "source": source,
        "url": exchange.url,
        "headers": to_json([list(pair) for pair in exchange.headers]),
        "body_sha256": body_sha256,
        "parsed": _parsed_json(parsed, exchange.body),
        "elapsed_ms": exchange.elapsed_ms,
        "attempts": exchange.attempts,
        "tool_version": __version__,
        **columns,
    }
    return inserted_id(db.execute(_INSERT_SNAPSHOT, row).lastrowid)


def snapshot_exchange(db: Database, snapshot_id: int) -> tuple[str, Exchange]:
    """``(source, exchange)`` of a snapshot, rebuilt from its row and body, for parsing again."""
    row = next(
        db.query(
            "SELECT source, url, final_url, status, headers, redirect_chain, body_sha256,"
            " fetched_at, elapsed_ms, replay, truncated, attempts, error FROM snapshots"
            " WHERE id = ?",
            [snapshot_id],
        ),
        None,
    )
    if row is None:
        raise StoreError(f"no snapshot {snapshot_id}")
    exchange = Exchange(
        url=row["url"],
        final_url=row["final_url"] or row["url"],
        status=row["status"],
        headers=[(name, value) for name, value in from_json(row["headers"])],
        body=get_blob(db, row["body_sha256"]) if row["body_sha256"] else b"",
        chain=[Hop(**hop) for hop in from_json(row["redirect_chain"])],
        fetched_at=row["fetched_at"],
        elapsed_ms=row["elapsed_ms"] or 0.0,
        replay=bool(row["replay"]),
        truncated=bool(row["truncated"]),
        attempts=row["attempts"],
        error=row["error"],
    )
    return row["source"], exchange
