"""What an export reads: the archive's exchanges, articles and embeds, streamed in a stable order.

Rows come from cursors, one at a time, and stored bytes as SQLite blob handles read in chunks,
so exporting an archive of any size holds one record in memory at a time. Every query orders
by row id, so the same database always yields the same records in the same order.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from archiver.errors import StoreError
from archiver.store.records import from_json

_SNAPSHOT_COLUMNS = (
    "s.id, s.post_key, s.embed_id, s.run_id, s.source, s.fetched_at, s.url, s.final_url,"
    " s.redirect_chain, s.status, s.headers, s.body_sha256, s.bytes, s.content_type,"
    " s.truncated, s.error, s.parsed, s.replay, s.tool_version, c.outcome, c.reason"
)
_MEDIA_COLUMNS = (
    "m.id, m.post_key, m.snapshot_id, m.kind, m.url, m.stream_url, m.alt, m.width, m.height,"
    " m.fetched_at, m.final_url, m.redirect_chain, m.status, m.sha256, m.bytes,"
    " m.content_type, m.truncated, m.error, m.replay"
)
_VERSION_COLUMNS = (
    "v.id, v.article_id, a.url, v.final_url, v.title, v.kind, v.encoding, v.sha256, v.bytes,"
    " v.content_type, v.provenance, v.fetched_at, v.status, v.headers, v.redirect_chain,"
    " v.replay, v.embed_count, v.run_id, v.first_seen, v.last_seen"
)


def archive_identity(db: Database) -> str:
    """A stable name for this archive: a hash of when its schema was first created.

    The same file (or a copy of it) always has the same identity; two archives never share one.
    """
    row = db.execute(
        "SELECT migration_set, name, applied_at FROM _sqlite_migrations ORDER BY id LIMIT 1"
    ).fetchone()
    if row is None:
        raise StoreError("not an archiver database (it has no migrations)")
    return hashlib.sha256("\x00".join(map(str, row)).encode()).hexdigest()[:32]


class ExportRows:
    """The rows an export writes: all of them, or those of some articles, optionally since a time.

    ``article_ids`` limits the export to those articles, their embeds, the posts the embeds
    point at and the exchanges that resolved them; ``since`` (UTC ISO 8601) to what was
    fetched or first seen at or after it.
    """

    def __init__(self, db: Database, *, article_ids: list[int] | None, since: str | None) -> None:
        self.db = db
        self.since = since or ""
        self._articles = None if article_ids is None else sorted(set(article_ids))
        # Which payloads this export has written, one row per distinct blob: in a private
        # temporary database on disk (SQLite's "" file name), not in memory, and apart from the
        # archive, which may be read-only.
        self._payloads = sqlite3.connect("", isolation_level=None)
        self._payloads.execute(
            "CREATE TABLE payloads (sha256 TEXT PRIMARY KEY, record_id TEXT, uri TEXT, date TEXT)"
        )

    def article_versions(self) -> Iterator[dict[str, Any]]:
        """Each stored version of each article, oldest first, with its provenance decoded."""
        where, params = self._article_filter("v.article_id")
        sql = (
            f"SELECT {_VERSION_COLUMNS} FROM article_versions v JOIN articles a ON a.id ="
            f" v.article_id WHERE v.first_seen >= ? AND {where} ORDER BY v.id"
        )
        for row in self.db.query(sql, [self.since, *params]):
            for name in ("provenance", "headers", "redirect_chain"):
                row[name] = from_json(row[name])
            yield row

    def embeds_of_version(self, version_id: int) -> list[dict[str, Any]]:
        """The embeds a version of an article shows, in document order."""
        sql = (
            "SELECT id, ordinal, platform, form, handle, display_name, date, date_text, pic_links,"
            ' links, status_id, status_url, lang, text, "start", "end", post_key, resolved_how,'
            " resolved_url, resolved_at FROM embeds WHERE article_version_id = ? ORDER BY ordinal"
        )
        rows = list(self.db.query(sql, [version_id]))
        for row in rows:
            row["pic_links"] = from_json(row["pic_links"])
            row["links"] = from_json(row["links"])
        return rows

    def snapshots(self) -> Iterator[dict[str, Any]]:
        """Every witness answer and resolution hop, in the order it was stored."""
        where, params = self._exchange_filter("s.post_key", "s.embed_id", "s.id")
        sql = (
            f"SELECT {_SNAPSHOT_COLUMNS} FROM snapshots s"
            " LEFT JOIN checks c ON c.id = (SELECT min(id) FROM checks WHERE snapshot_id = s.id)"
            f" WHERE s.fetched_at >= ? AND {where} ORDER BY s.id"
        )
        for row in self.db.query(sql, [self.since, *params]):
            row["headers"] = [tuple(pair) for pair in from_json(row["headers"])]
            row["redirect_chain"] = from_json(row["redirect_chain"])
            row["parsed"] = from_json(row["parsed"])
            yield row

    def media(self) -> Iterator[dict[str, Any]]:
        """Every picture, video and avatar downloaded, in the order it was stored."""
        where, params = self._exchange_filter("m.post_key", None, None)
        sql = f"SELECT {_MEDIA_COLUMNS} FROM media m WHERE m.fetched_at >= ? AND {where} ORDER BY m.id"
        for row in self.db.query(sql, [self.since, *params]):
            row["redirect_chain"] = from_json(row["redirect_chain"])
            yield row

    def posts(self) -> Iterator[dict[str, Any]]:
        """The posts in the export, each with its first live witness answer (or None)."""
        where, params = self._exchange_filter("p.key", None, None)
        sql = (
            "SELECT p.key, p.platform, p.url, p.handle, p.author_name, p.text, p.state,"
            " p.created_at, s.id AS snapshot_id, s.url AS snapshot_url,"
            " s.fetched_at AS snapshot_fetched_at FROM posts p"
            " LEFT JOIN snapshots s ON s.id = (SELECT min(s2.id) FROM snapshots s2"
            "  JOIN checks c ON c.snapshot_id = s2.id"
            "  WHERE s2.post_key = p.key AND c.outcome = 'live' AND s2.fetched_at >= ?)"
            f" WHERE {where} ORDER BY p.key"
        )
        yield from self.db.query(sql, [self.since, *params])

    def embeds_of_post(self, post_key: str) -> list[dict[str, Any]]:
        """Which articles quote a post, and where: article URL, embed id and ordinal."""
        sql = (
            "SELECT e.id AS embed_id, e.article_id, a.url AS article_url, e.ordinal"
            " FROM embeds e JOIN articles a ON a.id = e.article_id"
            " WHERE e.post_key = ? AND e.article_version_id = a.current_version_id ORDER BY e.id"
        )
        return list(self.db.query(sql, [post_key]))

    def payload_written(self, sha256: str) -> tuple[str, str, str] | None:
        """The record that first carried these bytes in this export: ``(id, target URI, date)``."""
        row = self._payloads.execute(
            "SELECT record_id, uri, date FROM payloads WHERE sha256 = ?", [sha256]
        ).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def remember_payload(self, sha256: str, record: tuple[str, str, str]) -> None:
        """Note the record that carries these bytes, for the revisits that follow."""
        self._payloads.execute(
            "INSERT OR IGNORE INTO payloads VALUES (?, ?, ?, ?)", [sha256, *record]
        )

    def close(self) -> None:
        """Drop the export's own bookkeeping (the archive stays open)."""
        self._payloads.close()

    def open_blob(self, sha256: str) -> sqlite3.Blob:
        """A read-only handle on stored bytes (``read``, ``seek``, ``tell``), never all in memory."""
        row = self.db.execute("SELECT rowid FROM blobs WHERE sha256 = ?", [sha256]).fetchone()
        if row is None:
            raise StoreError(f"no blob {sha256}")
        return self.db.conn.blobopen("blobs", "content", row[0], readonly=True)

    def _article_filter(self, column: str) -> tuple[str, list[Any]]:
        if self._articles is None:
            return "1", []
        return f"{column} IN ({', '.join('?' * len(self._articles))})", list(self._articles)

    def _exchange_filter(
        self, post_column: str, embed_column: str | None, snapshot_column: str | None
    ) -> tuple[str, list[Any]]:
        """Rows of the selected articles' posts, embeds and the resolutions those embeds used."""
        if self._articles is None:
            return "1", []
        marks = ", ".join("?" * len(self._articles))
        ids = list(self._articles)
        clauses = [f"{post_column} IN (SELECT post_key FROM embeds WHERE article_id IN ({marks}))"]
        params: list[Any] = list(ids)
        if embed_column:
            clauses.append(
                f"{embed_column} IN (SELECT id FROM embeds WHERE article_id IN ({marks}))"
            )
            params += ids
        if snapshot_column:
            clauses.append(
                f"{snapshot_column} IN (SELECT json_extract(hop.value, '$.snapshot_id')"
                " FROM embeds e, json_each(e.resolved_chain) hop"
                f" WHERE e.article_id IN ({marks}) AND e.resolved_chain IS NOT NULL)"
            )
            params += ids
        return "(" + " OR ".join(clauses) + ")", params
