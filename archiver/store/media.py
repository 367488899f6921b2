"""Media rows: a post's pictures, videos and avatars as downloaded, or reused from an earlier
download of the same URL; each row keeps its exchange and its bytes as a blob.

The queue of posts still awaiting their media (``posts.media_snapshot_id``) is the posts table's,
in posts.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO

from sqlite_utils import Database

from archiver.errors import StoreError
from archiver.models import Exchange, MediaItem
from archiver.store.blobs import put_blob_file
from archiver.store.exchanges import exchange_columns
from archiver.store.posts import ensure_post
from archiver.store.records import inserted_id


@dataclass(frozen=True, slots=True)
class StreamedBody:
    """A body already written to a file and hashed on the way (a streamed media download)."""

    file: BinaryIO
    sha256: str
    size: int
    content_type: str | None


def reusable_media(db: Database, url: str, *, fetched_since: str | None) -> int | None:
    """The newest download of ``url`` that stored its bytes (since ``fetched_since``, if given)."""
    row = db.execute(
        "SELECT id FROM media WHERE url = ? AND sha256 IS NOT NULL AND reused_from_media_id IS NULL"
        " AND error IS NULL AND status = 200 AND (? IS NULL OR fetched_at >= ?)"
        " ORDER BY fetched_at DESC, id DESC LIMIT 1",
        (url, fetched_since, fetched_since),
    ).fetchone()
    return row[0] if row else None


def link_media(
    db: Database,
    post_key: str,
    item: MediaItem,
    *,
    reused_from: int,
    snapshot_id: int | None,
    now: str,
) -> int:
    """Give a post a media row holding the blob of an earlier download (media row ``reused_from``).

    The row keeps that download's exchange (when, from where, the bytes' hash) and names it in
    ``reused_from_media_id``: nothing was fetched for this post.
    """
    ensure_post(db, post_key, now=now)
    source = next(db.query("SELECT * FROM media WHERE id = ?", [reused_from]), None)
    if source is None or source["sha256"] is None:
        raise StoreError(f"no stored download in media row {reused_from}")
    existing = _same_download(db, post_key, item.url, source["sha256"])
    if existing is not None:
        return existing
    kept = ("fetched_at", "final_url", "redirect_chain", "status", "sha256", "bytes",
            "content_type", "truncated", "error", "replay")  # fmt: skip
    return _insert_media(
        db,
        {
            **_media_item_columns(post_key, snapshot_id, item),
            **{name: source[name] for name in kept},
            "reused_from_media_id": reused_from,
        },
    )


def save_media(
    db: Database,
    post_key: str,
    item: MediaItem,
    exchange: Exchange,
    *,
    snapshot_id: int | None,
    now: str,
    body: StreamedBody | None = None,
) -> int:
    """Store a post's media download (or its failure); the same bytes from one URL once.

    ``body`` is a download streamed to a file: its bytes go to the blob in chunks.
    """
    ensure_post(db, post_key, now=now)
    stored = None
    if body is not None:
        put_blob_file(
            db,
            body.file,
            sha256=body.sha256,
            size=body.size,
            content_type=body.content_type,
            now=now,
        )
        stored = (body.sha256, body.size)
    columns = exchange_columns(db, exchange, now=now, stored_body=stored)
    if columns["sha256"] is not None:
        existing = _same_download(db, post_key, item.url, columns["sha256"])
        if existing is not None:
            return existing
    return _insert_media(db, {**_media_item_columns(post_key, snapshot_id, item), **columns})


def _same_download(db: Database, post_key: str, url: str, sha256: str) -> int | None:
    """The post's media row that already holds these bytes from this URL, if any."""
    row = db.execute(
        "SELECT id FROM media WHERE post_key = ? AND url = ? AND sha256 = ?",
        [post_key, url, sha256],
    ).fetchone()
    return None if row is None else int(row[0])


_MEDIA_COLUMNS = (
    "post_key", "snapshot_id", "kind", "url", "stream_url", "alt", "width", "height", "bitrate",
    "fetched_at", "final_url", "redirect_chain", "status", "sha256", "bytes", "content_type",
    "truncated", "error", "replay", "reused_from_media_id",
)  # fmt: skip
# Raw SQL, not db["media"].insert: its schema reads and savepoint on every insert cost the store's
# "witnesses + avatar + photo" row 17% (docs/benchmarks.md).
_INSERT_MEDIA = (
    f"INSERT INTO media ({', '.join(_MEDIA_COLUMNS)})"
    f" VALUES ({', '.join(':' + name for name in _MEDIA_COLUMNS)})"
)


def _insert_media(db: Database, row: dict[str, Any]) -> int:
    return inserted_id(db.execute(_INSERT_MEDIA, {"reused_from_media_id": None, **row}).lastrowid)


def _media_item_columns(post_key: str, snapshot_id: int | None, item: MediaItem) -> dict[str, Any]:
    """The columns of a media row that say which post's item it is, as its witness described it."""
    return {
        "post_key": post_key,
        "snapshot_id": snapshot_id,
        "kind": item.kind,
        "url": item.url,
        "stream_url": item.stream_url,
        "alt": item.alt,
        "width": item.width,
        "height": item.height,
        "bitrate": item.bitrate,
    }


def stored_media_urls(db: Database, post_key: str) -> set[str]:
    """The media URLs of a post whose bytes are stored."""
    cursor = db.execute(
        "SELECT url FROM media WHERE post_key = ? AND sha256 IS NOT NULL AND error IS NULL",
        (post_key,),
    )
    return {url for (url,) in cursor}
