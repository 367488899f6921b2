"""The archive: one SQLite file, written one transaction per unit of work, read by anyone."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlite_utils import Database

from archiver.errors import StoreError
from archiver.evidence.manifest import Manifest
from archiver.evidence.tsa import TrustRoots, load_roots
from archiver.models import ArticleInput, Exchange, MediaItem, Resolution, ScanResult, Witness
from archiver.store import (
    articles,
    blobs,
    exchanges,
    lookup,
    manifests,
    media,
    posts,
    readers,
    runs,
)
from archiver.store.check import check
from archiver.store.connection import connect
from archiver.store.media import StreamedBody
from archiver.store.records import Clock, EmbedRow, SavedArticle, utc_now


@contextmanager
def _sql_errors() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(f"archive database: {exc}") from exc


class Archive:
    """An open archive database. Writers are each one transaction; use as a context manager.

    Nested calls share the outer transaction through savepoints::

        with open_archive("archive.db") as archive, archive.transaction():
            saved = archive.save_article(article, scan)
            archive.record_failure(run_id=None, stage="resolve", reason="...")
    """

    def __init__(self, db: Database, *, clock: Clock = utc_now) -> None:
        self.db = db
        self._clock = clock

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def now(self) -> str:
        """The archive clock's current time (UTC ISO 8601): what every row it writes is dated by."""
        return self._clock()

    def close(self) -> None:
        """Close the connection (a transaction still open is rolled back)."""
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[Archive]:
        """One transaction; inside another, a savepoint (``db.atomic()``).

        The outermost one is ``BEGIN IMMEDIATE``: it takes the write lock up front, waiting up to
        the busy timeout, so a read-then-write never fails half-way against a concurrent writer.
        """
        with _sql_errors():
            if self.db.conn.in_transaction:
                with self.db.atomic():
                    yield self
                return
            self.db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
                self.db.conn.execute("COMMIT")
            except BaseException:
                self.db.rollback()
                raise

    # -- writers ---------------------------------------------------------------------------

    def put_blob(self, data: bytes, *, content_type: str | None = None) -> str:
        """Store bytes once by their sha256 and return the hash (hex)."""
        with self.transaction():
            return blobs.put_blob(self.db, data, content_type=content_type, now=self._clock())

    def save_article(
        self, article: ArticleInput, scan: ScanResult, *, run_id: int | None = None
    ) -> SavedArticle:
        """Store an article's bytes, its version and its embeds, all or nothing.

        Unchanged bytes add no rows. Changed bytes add a version with its own embeds; an embed
        that was resolved in an earlier version keeps its post.
        """
        with self.transaction():
            return articles.save_article(self.db, article, scan, run_id=run_id, now=self._clock())

    def save_resolution(
        self, embed_id: int, resolution: Resolution, *, run_id: int | None = None
    ) -> None:
        """Link an embed to its post, recording how and every hop exchange as a snapshot."""
        with self.transaction():
            articles.save_resolution(
                self.db, embed_id, resolution, run_id=run_id, now=self._clock()
            )

    def adopt_resolution(self, embed_id: int) -> bool:
        """Resolve an embed as an equal embed elsewhere was resolved, if any (no network needed)."""
        with self.transaction():
            return articles.adopt_resolution(self.db, embed_id)

    def save_witnesses(
        self, post_key: str, witnesses: list[Witness], *, run_id: int | None = None
    ) -> list[int]:
        """Append one snapshot and one check per witness; upsert the post and its state.

        Returns the snapshot ids in witness order.
        """
        with self.transaction():
            return posts.save_witnesses(
                self.db, post_key, witnesses, run_id=run_id, now=self._clock()
            )

    def save_media(
        self,
        post_key: str,
        item: MediaItem,
        exchange: Exchange,
        *,
        snapshot_id: int | None = None,
        body: StreamedBody | None = None,
    ) -> int:
        """Store a post's media download (its bytes as a blob) and return the media row id.

        ``body`` is a download streamed to a file; without it the bytes are ``exchange.body``.
        """
        with self.transaction():
            return media.save_media(
                self.db,
                post_key,
                item,
                exchange,
                snapshot_id=snapshot_id,
                now=self._clock(),
                body=body,
            )

    def set_media_snapshot(self, post_key: str, snapshot_id: int | None) -> None:
        """Name the snapshot whose media are still to download; None once all are stored."""
        with self.transaction():
            posts.set_media_snapshot(self.db, post_key, snapshot_id)

    def media_done(self, post_key: str, snapshot_id: int) -> None:
        """Empty the post's media queue unless a newer snapshot was queued meanwhile."""
        with self.transaction():
            posts.media_done(self.db, post_key, snapshot_id)

    def link_media(
        self, post_key: str, item: MediaItem, *, reused_from: int, snapshot_id: int | None = None
    ) -> int:
        """Link the blob of an earlier download (media row ``reused_from``) to a post's media."""
        with self.transaction():
            return media.link_media(
                self.db,
                post_key,
                item,
                reused_from=reused_from,
                snapshot_id=snapshot_id,
                now=self._clock(),
            )

    def record_failure(
        self,
        *,
        run_id: int | None,
        stage: str,
        reason: str,
        article_id: int | None = None,
        embed_id: int | None = None,
        post_key: str | None = None,
        url: str | None = None,
        exchange: Exchange | None = None,
    ) -> int:
        """Record one failure with its reason, and the exchange it left if any; returns its id."""
        with self.transaction():
            return runs.record_failure(
                self.db,
                run_id=run_id,
                stage=stage,
                reason=reason,
                article_id=article_id,
                embed_id=embed_id,
                post_key=post_key,
                url=url,
                exchange=exchange,
                now=self._clock(),
            )

    def start_run(self, command: str, arguments: list[str], *, replay: bool) -> int:
        """Record the start of a run and return its id."""
        with self.transaction():
            return runs.start_run(self.db, command, arguments, replay=replay, now=self._clock())

    def finish_run(self, run_id: int, *, counts: dict[str, int], error_count: int) -> None:
        """Record the end of a run with its counts."""
        with self.transaction():
            runs.finish_run(
                self.db, run_id, counts=counts, error_count=error_count, now=self._clock()
            )

    def count_run_errors(self, run_id: int, error_count: int) -> None:
        """Set a finished run's error count again (failures met after it was closed)."""
        with self.transaction():
            runs.count_run_errors(self.db, run_id, error_count)

    def seal_run(self, run_id: int) -> Manifest:
        """Write a finished run's manifest: the rows added since the last one, chained to it."""
        with self.transaction():
            return manifests.seal_run(self.db, run_id, now=self._clock())

    def add_timestamp(
        self,
        *,
        run_id: int,
        tsa_url: str,
        attempted_by: int | None,
        reply: bytes | None = None,
        time: str | None = None,
        reason: str | None = None,
    ) -> int:
        """Append a time-stamp attempt on a run's manifest: granted (the reply, DER, kept as a
        blob, and its time) or failed (``reason``); returns its id."""
        with self.transaction():
            return manifests.add_timestamp(
                self.db,
                run_id=run_id,
                tsa_url=tsa_url,
                attempted_by=attempted_by,
                reply=reply,
                time=time,
                reason=reason,
                now=self._clock(),
            )

    # -- readers ---------------------------------------------------------------------------

    def manifests_to_stamp(self, tsa_url: str, *, limit: int) -> list[dict[str, Any]]:
        """``{run_id, sha256}`` of the manifests ``tsa_url`` has not time-stamped, newest first."""
        with _sql_errors():
            return manifests.manifests_to_stamp(self.db, tsa_url, limit=limit)

    def manifests(self) -> list[dict[str, Any]]:
        """Every run manifest, oldest first: ``run_id``, ``sha256`` (its bytes are the blob of
        that hash, application/json), ``previous_sha256``, ``merkle_root``, ``leaves``,
        ``created_at`` and the last id it covers per table (``snapshots_upto``, ...)."""
        with _sql_errors():
            return manifests.manifests(self.db)

    def timestamps(self, *, run_id: int | None = None) -> list[dict[str, Any]]:
        """Every time-stamp attempt, oldest first: ``run_id``, ``manifest_sha256``,
        ``previous_sha256``, ``merkle_root``, ``reply_sha256`` (the reply's blob,
        application/timestamp-reply; None when it failed), ``tsa_url``, ``time``, ``status``
        (granted or failed) and ``reason``."""
        with _sql_errors():
            return manifests.timestamps(self.db, run_id=run_id)

    def covering_manifest(self, table: str, row_id: int) -> dict[str, Any] | None:
        """The manifest covering a row of snapshots, checks, article_versions or media."""
        with _sql_errors():
            return manifests.covering_manifest(self.db, table, row_id)

    def covered_row_hash(self, table: str, row_id: int) -> str | None:
        """A covered row's hash as stored now (archiver/evidence/manifest.py), None if absent."""
        with _sql_errors():
            return manifests.covered_row_hash(self.db, table, row_id)

    def get_blob(self, sha256: str) -> bytes:
        """The bytes stored under ``sha256``; StoreError when there are none."""
        with _sql_errors():
            return blobs.get_blob(self.db, sha256)

    def article_is_unchanged(self, source: str, sha256: str) -> bool:
        """True when the article from ``source`` is archived with exactly these bytes."""
        with _sql_errors():
            return articles.article_is_unchanged(self.db, source, sha256)

    def has_article(self, source: str) -> bool:
        """True when an article from ``source`` (URL, path, or where it redirected) is archived."""
        with _sql_errors():
            return articles.has_article(self.db, source)

    def embeds_to_resolve(self, *, article_id: int | None = None) -> list[EmbedRow]:
        """Embeds shown by their article's current version that point at no post yet."""
        with _sql_errors():
            return articles.embeds_to_resolve(self.db, article_id=article_id)

    def post_has_snapshot(self, post_key: str) -> bool:
        """True once some witness answered for the post (failed attempts do not count)."""
        with _sql_errors():
            return posts.post_has_snapshot(self.db, post_key)

    def posts_to_fetch(self, *, force: bool = False) -> list[tuple[str, str | None]]:
        """``(post_key, handle)`` of embedded posts no witness answered for yet (all if force)."""
        with _sql_errors():
            return posts.posts_to_fetch(self.db, force=force)

    def wayback_due(self, post_key: str) -> bool:
        """True when the post was never seen live and the Wayback CDX never answered for it."""
        with _sql_errors():
            return posts.wayback_due(self.db, post_key)

    def posts_awaiting_wayback(self, platforms: Iterable[str]) -> list[tuple[str, str | None]]:
        """``(post_key, handle)`` of posts never seen live, asked of their own witnesses and
        never of the Wayback CDX."""
        with _sql_errors():
            return posts.posts_awaiting_wayback(self.db, platforms)

    def embedded_handle(self, post_key: str) -> str | None:
        """The handle the newest embed of the post shows, or None."""
        with _sql_errors():
            return posts.embedded_handle(self.db, post_key)

    def posts_awaiting_media(self) -> list[tuple[str, int]]:
        """``(post_key, snapshot_id)`` of posts whose media are not all stored yet."""
        with _sql_errors():
            return posts.posts_awaiting_media(self.db)

    def posts_to_recheck(
        self,
        now: str,
        *,
        due: bool = False,
        not_checked_since: str | None = None,
        limit: int | None = None,
    ) -> list[tuple[str, str | None]]:
        """``(post_key, handle)`` of archived posts to check again, most overdue first.

        ``due``: only posts whose next check (``posts.next_check_at``) is at or before ``now``;
        ``not_checked_since``: only posts no witness has answered for since that time; ``limit``: at
        most that many. Archived posts are those some witness answered for.

        >>> archive.posts_to_recheck(archive.now(), due=True, limit=100)  # doctest: +SKIP
        [('twitter:1497424309257414584', 'YVindman')]
        """
        with _sql_errors():
            return posts.posts_to_recheck(
                self.db, now, due=due, not_checked_since=not_checked_since, limit=limit
            )

    def media_snapshot(self, post_key: str) -> int | None:
        """The snapshot whose media the post still awaits, if any."""
        with _sql_errors():
            return posts.media_snapshot(self.db, post_key)

    def post_to_fetch(self, embed_id: int) -> tuple[str, str | None] | None:
        """``(post_key, handle)`` of an embed's post while no witness has answered for it."""
        with _sql_errors():
            return posts.post_to_fetch(self.db, embed_id)

    def reusable_media(self, url: str, *, fetched_since: str | None) -> int | None:
        """The media row of the newest download of ``url`` (since ``fetched_since``), if any."""
        with _sql_errors():
            return media.reusable_media(self.db, url, fetched_since=fetched_since)

    def stored_media_urls(self, post_key: str) -> set[str]:
        """The media URLs of a post whose bytes are stored."""
        with _sql_errors():
            return media.stored_media_urls(self.db, post_key)

    def snapshot_exchange(self, snapshot_id: int) -> tuple[str, Exchange]:
        """``(source, exchange)`` of a snapshot, rebuilt from its row and body bytes."""
        with _sql_errors():
            return exchanges.snapshot_exchange(self.db, snapshot_id)

    def post_states(self, post_keys: list[str]) -> dict[str, str]:
        """``{post_key: state}`` for the posts among ``post_keys`` that exist."""
        with _sql_errors():
            return posts.post_states(self.db, post_keys)

    def lookup(self, query: str, *, limit: int = 50) -> list[dict[str, Any]]:
        """Posts and unresolved embeds by status URL, id, key, pic link, @handle, article or words.

        >>> archive.lookup("pic.twitter.com/bgHyrsbVFs")[0]["handle"]  # doctest: +SKIP
        'ChristopherJM'
        """
        with _sql_errors():
            return lookup.lookup(self.db, query, limit=limit)

    def find_post(self, ref: str) -> dict[str, Any] | None:
        """``post_detail`` of the post named by a key, a status URL or an id."""
        with _sql_errors():
            key = readers.find_post_key(self.db, ref)
            return readers.post_detail(self.db, key) if key else None

    def post_detail(self, post_key: str) -> dict[str, Any] | None:
        """A post with its snapshots, media, articles and embeds, or None."""
        with _sql_errors():
            return readers.post_detail(self.db, post_key)

    def find_article(self, article: str | int) -> dict[str, Any] | None:
        """An article (id, url, final_url, title, sha256, last_scanned, current_version_id) by
        id, URL (as given or after redirects) or file path; None when it is not archived."""
        with _sql_errors():
            return readers.find_article(self.db, article)

    def failure_history(
        self, *, stage: str, embed_ids: list[int] | None = None, post_keys: list[str] | None = None
    ) -> dict[Any, tuple[int, str]]:
        """``{embed id or post key: (failures, last failed_at)}`` of a stage's failures."""
        column, values = (
            ("embed_id", embed_ids) if embed_ids is not None else ("post_key", post_keys)
        )
        with _sql_errors():
            return runs.failure_history(
                self.db, stage=stage, column=column, values=list(values or [])
            )

    def failures_of(
        self, *, embed_id: int | None = None, post_key: str | None = None
    ) -> list[dict[str, Any]]:
        """The failures recorded against an embed (or else a post), oldest first."""
        with _sql_errors():
            return readers.failures_of(self.db, embed_id=embed_id, post_key=post_key)

    def article_embeds(self, article: str | int) -> list[dict[str, Any]]:
        """The embeds of an article's current version with their posts (InputError if unknown)."""
        with _sql_errors():
            return readers.article_embeds(self.db, article)

    def snapshot_history(self, post_key: str) -> list[dict[str, Any]]:
        """A post's snapshots, oldest first, each with its witness's outcome."""
        with _sql_errors():
            return readers.snapshot_history(self.db, post_key)

    def check(self, *, tsa_roots: TrustRoots | None = None) -> list[str]:
        """Integrity, foreign keys, blob hashes, full-text indexes and the chain of run manifests
        with their time-stamps (trust roots: ``tsa_roots``, else certifi's); the problems found."""
        with _sql_errors():
            return check(self.db, tsa_roots=load_roots() if tsa_roots is None else tsa_roots)


def open_archive(
    path: str | Path, *, readonly: bool = False, create: bool = True, clock: Clock = utc_now
) -> Archive:
    """Open (or create) the archive database at ``path``, migrated and ready.

    ``readonly`` never creates or changes the file; ``create=False`` refuses a missing file.
    Both raise InputError for a missing file or one that is not an archive.
    """
    return Archive(connect(path, readonly=readonly, create=create), clock=clock)
