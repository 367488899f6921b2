"""Articles, their versions and their embeds; how an embed was resolved to its post.

An article is keyed by where it came from (URL or absolute path). Each distinct content hash
is one ``article_versions`` row, and each version owns the embeds it showed, so the archive can
always say that version V of the article showed embed E, with E's text and span in V. When a
changed article still shows an embed that was resolved in an earlier version, the new embed row
takes over that resolution (``resolved_by_embed_id`` names the embed whose hops proved it).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from archiver.errors import StoreError
from archiver.models import ArticleInput, Embed, Exchange, Resolution, ScanResult
from archiver.store.blobs import put_blob, sha256_hex
from archiver.store.exchanges import chain_json, insert_snapshot
from archiver.store.posts import ensure_post
from archiver.store.records import (
    EmbedRow,
    SavedArticle,
    from_json,
    inserted_id,
    storable,
    to_json,
)
from archiver.urls import parse_post_url, pic_link_code

RESOLUTION_SOURCE = "resolution"


def article_key(source: str, sha256: str) -> str:
    """What identifies an article: its URL or path; stdin, having neither, by its content."""
    return f"stdin:{sha256}" if source == "-" else storable(source)


def article_is_unchanged(db: Database, source: str, sha256: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM articles WHERE url = ? AND sha256 = ?",
        (article_key(source, sha256), sha256),
    ).fetchone()
    return row is not None


def has_article(db: Database, source: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM articles WHERE url = ? UNION ALL SELECT 1 FROM articles WHERE final_url = ?"
        " LIMIT 1",
        (storable(source), storable(source)),
    ).fetchone()
    return row is not None


def save_article(
    db: Database, article: ArticleInput, scan: ScanResult, *, run_id: int | None, now: str
) -> SavedArticle:
    """Store the article, its version and its embeds (the caller holds the transaction)."""
    _check_spans(scan)
    sha256 = sha256_hex(article.content)
    url = article_key(article.source, sha256)
    existing = next(
        db.query("SELECT id, sha256, current_version_id FROM articles WHERE url = ?", [url]), None
    )
    if existing and existing["sha256"] == sha256:
        db.execute("UPDATE articles SET last_scanned = ? WHERE id = ?", (now, existing["id"]))
        db.execute(
            "UPDATE article_versions SET last_seen = ? WHERE id = ?",
            (now, existing["current_version_id"]),
        )
        return SavedArticle(
            existing["id"], "unchanged", _embed_ids(db, existing["current_version_id"])
        )

    put_blob(db, article.content, content_type=article.content_type, now=now)
    title = article.title or scan.title
    if existing:
        article_id = existing["id"]
    else:  # raw SQL, as for its version (_INSERT_VERSION)
        article_id = inserted_id(
            db.execute(
                "INSERT INTO articles (url, sha256, embed_count, first_seen, last_changed,"
                " last_scanned) VALUES (?, ?, ?, ?, ?, ?)",
                (url, sha256, len(scan.embeds), now, now, now),
            ).lastrowid
        )
    version = db.execute(
        "SELECT id FROM article_versions WHERE article_id = ? AND sha256 = ?",
        [article_id, sha256],
    ).fetchone()
    if version:
        version_id = version[0]
        db.execute("UPDATE article_versions SET last_seen = ? WHERE id = ?", (now, version_id))
    else:
        version_id = _insert_version(db, article, scan, article_id, sha256, run_id, now)
        _insert_embeds(db, scan.embeds, article_id=article_id, version_id=version_id)
    _carry_over_resolutions(db, article_id, version_id)
    db.execute(
        "UPDATE articles SET sha256 = ?, current_version_id = ?, final_url = ?, title = ?,"
        " kind = ?, encoding = ?, content_type = ?, embed_count = ?, last_changed = ?,"
        " last_scanned = ? WHERE id = ?",
        (
            sha256,
            version_id,
            article.final_url,
            title,
            scan.kind,
            scan.encoding,
            article.content_type,
            len(scan.embeds),
            now,
            now,
            article_id,
        ),
    )
    return SavedArticle(article_id, "changed" if existing else "new", _embed_ids(db, version_id))


def _check_spans(scan: ScanResult) -> None:
    size = len(scan.document)
    for ordinal, embed in enumerate(scan.embeds):
        if not (0 <= embed.start <= embed.end <= size):
            raise StoreError(
                f"embed {ordinal}: span {embed.start}..{embed.end} lies outside the document "
                f"({size} characters)"
            )


_VERSION_COLUMNS = (
    "article_id", "sha256", "bytes", "content_type", "kind", "encoding", "title", "final_url",
    "provenance", "fetched_at", "status", "headers", "redirect_chain", "replay", "embed_count",
    "run_id", "first_seen", "last_seen",
)  # fmt: skip
# Raw SQL for an article's rows, not table.insert/insert_all: their schema reads and savepoint
# per call made save_article 13% (the article and its version) to 45% (3 embeds) slower; only past
# about a dozen embeds does insert_all's one multi-row INSERT win it back (docs/benchmarks.md).
_INSERT_VERSION = (
    f"INSERT INTO article_versions ({', '.join(_VERSION_COLUMNS)})"
    f" VALUES ({', '.join(':' + name for name in _VERSION_COLUMNS)})"
)


def _insert_version(
    db: Database,
    article: ArticleInput,
    scan: ScanResult,
    article_id: int,
    sha256: str,
    run_id: int | None,
    now: str,
) -> int:
    exchange: Exchange | None = article.exchange
    row = {
        "article_id": article_id,
        "sha256": sha256,
        "bytes": len(article.content),
        "content_type": article.content_type,
        "kind": scan.kind,
        "encoding": scan.encoding,
        "title": article.title or scan.title,
        "final_url": article.final_url,
        "provenance": to_json(article.provenance),
        "fetched_at": exchange.fetched_at if exchange else None,
        "status": exchange.status if exchange else None,
        "headers": to_json([list(p) for p in exchange.headers]) if exchange else None,
        "redirect_chain": chain_json(exchange) if exchange else None,
        "replay": int(exchange.replay) if exchange else 0,
        "embed_count": len(scan.embeds),
        "run_id": run_id,
        "first_seen": now,
        "last_seen": now,
    }
    return inserted_id(db.execute(_INSERT_VERSION, row).lastrowid)


_EMBED_COLUMNS = (
    "article_id", "article_version_id", "ordinal", "platform", "form", "handle", "display_name",
    "date", "date_text", "pic_links", "links", "status_id", "status_url", "lang", "text", "start",
    "end",
)  # fmt: skip
_INSERT_EMBED = (
    "INSERT INTO embeds (" + ", ".join(f'"{name}"' for name in _EMBED_COLUMNS) + ")"
    f" VALUES ({', '.join(':' + name for name in _EMBED_COLUMNS)})"
)


def _insert_embeds(
    db: Database, embeds: tuple[Embed, ...], *, article_id: int, version_id: int
) -> None:
    """A new version's embeds in document order, then the pic links each shows."""
    db.conn.executemany(
        _INSERT_EMBED,
        (
            {
                "article_id": article_id,
                "article_version_id": version_id,
                "ordinal": ordinal,
                "platform": embed.platform,
                "form": embed.form,
                "handle": embed.handle,
                "display_name": embed.display_name,
                "date": embed.date,
                "date_text": embed.date_text,
                "pic_links": to_json(list(embed.pic_links)),
                "links": to_json(list(embed.links)),
                "status_id": embed.status_id,
                "status_url": embed.status_url,
                "lang": embed.lang,
                "text": embed.text,
                "start": embed.start,
                "end": embed.end,
            }
            for ordinal, embed in enumerate(embeds)
        ),
    )
    db.conn.executemany(
        "INSERT INTO pic_links (code, embed_id) VALUES (?, ?)",
        (
            (code, embed_id)
            for embed_id, embed in zip(_embed_ids(db, version_id), embeds, strict=True)
            for code in _pic_codes(embed)
        ),
    )


def _pic_codes(embed: Embed) -> list[str]:
    return list(dict.fromkeys(code for link in embed.pic_links if (code := pic_link_code(link))))


def _embed_ids(db: Database, version_id: int) -> list[int]:
    cursor = db.execute(
        "SELECT id FROM embeds WHERE article_version_id = ? ORDER BY ordinal", (version_id,)
    )
    return [row[0] for row in cursor]


def _identity(row: dict[str, Any]) -> tuple[str, ...]:
    """What makes two embeds of an article the same post: its id, else its pictures, else words."""
    if row["status_id"]:
        return (row["platform"], "id", row["status_id"])
    pic_links = from_json(row["pic_links"])
    if pic_links:
        return (row["platform"], "pictures", *pic_links)
    words = " ".join(row["text"].split()).casefold()
    return (row["platform"], "words", (row["handle"] or "").casefold(), row["date"] or "", words)


_EMBED_IDENTITY = "id, platform, status_id, pic_links, handle, date, text"


def _carry_over_resolutions(db: Database, article_id: int, version_id: int) -> None:
    resolved: dict[tuple[str, ...], dict[str, Any]] = {}
    for row in db.query(
        f"SELECT {_EMBED_IDENTITY}, {_RESOLUTION} FROM embeds"
        " WHERE article_id = ? AND post_key IS NOT NULL ORDER BY id",
        [article_id],
    ):
        resolved[_identity(row)] = row
    if not resolved:
        return
    # Read in full before the first copy writes to the table being read.
    for row in list(
        db.query(
            f"SELECT {_EMBED_IDENTITY} FROM embeds"
            " WHERE article_version_id = ? AND post_key IS NULL",
            [version_id],
        )
    ):
        source = resolved.get(_identity(row))
        if source is not None:
            _copy_resolution(db, source, row["id"])


_RESOLUTION = (
    "post_key, resolved_how, resolved_url, resolved_chain, resolved_at, resolved_by_embed_id"
)


def _copy_resolution(db: Database, source: dict[str, Any], embed_id: int) -> None:
    db.execute(
        "UPDATE embeds SET post_key = ?, resolved_how = ?, resolved_url = ?,"
        " resolved_chain = ?, resolved_at = ?, resolved_by_embed_id = ? WHERE id = ?",
        (
            source["post_key"],
            source["resolved_how"],
            source["resolved_url"],
            source["resolved_chain"],
            source["resolved_at"],
            source["resolved_by_embed_id"] or source["id"],
            embed_id,
        ),
    )


def adopt_resolution(db: Database, embed_id: int) -> bool:
    """Give an embed the resolution of an equal embed (same post id, pictures, or handle, date and
    words) that another article or version already resolved; False when there is none."""
    row = next(db.query(f"SELECT {_EMBED_IDENTITY} FROM embeds WHERE id = ?", [embed_id]), None)
    if row is None:
        raise StoreError(f"no embed {embed_id}")
    identity = _identity(row)
    columns = f"e.{_EMBED_IDENTITY.replace(', ', ', e.')}, " + ", ".join(
        f"e.{c}" for c in _RESOLUTION.split(", ")
    )
    if identity[1] == "id":
        where, params = "e.status_id = ?", [row["status_id"]]
    elif identity[1] == "pictures":
        where = "e.id IN (SELECT embed_id FROM pic_links WHERE code = ? AND embed_id IS NOT NULL)"
        params = [from_json(row["pic_links"])[0].rpartition("/")[2]]
    else:
        where, params = "e.handle = ? AND e.date IS ?", [row["handle"], row["date"]]
    for candidate in list(
        db.query(
            f"SELECT {columns} FROM embeds e WHERE {where} AND e.post_key IS NOT NULL"
            " AND e.id != ? ORDER BY e.id",
            [*params, embed_id],
        )
    ):
        if _identity(candidate) == identity:
            _copy_resolution(db, candidate, embed_id)
            return True
    return False


def embeds_to_resolve(db: Database, *, article_id: int | None) -> list[EmbedRow]:
    """Embeds shown by the current version of their article that point at no post yet."""
    sql = (
        "SELECT e.id, e.article_id, e.platform, e.form, e.handle, e.display_name, e.date,"
        " e.pic_links, e.links, e.status_id, e.status_url, e.text FROM embeds e"
        " JOIN articles a ON a.current_version_id = e.article_version_id"
        " WHERE e.post_key IS NULL"
    )
    params: list[Any] = []
    if article_id is not None:
        sql += " AND e.article_id = ?"
        params.append(article_id)
    return [
        EmbedRow(
            **{
                **row,
                "pic_links": tuple(from_json(row["pic_links"])),
                "links": tuple(from_json(row["links"])),
            }
        )
        for row in db.query(sql + " ORDER BY e.id", params)
    ]


def save_resolution(
    db: Database, embed_id: int, resolution: Resolution, *, run_id: int | None, now: str
) -> None:
    """Point the embed at its post and keep the hops that proved it (caller's transaction)."""
    if db.execute("SELECT 1 FROM embeds WHERE id = ?", [embed_id]).fetchone() is None:
        raise StoreError(f"no embed {embed_id}")
    ref = parse_post_url(resolution.status_url)
    ensure_post(
        db,
        resolution.key,
        url=resolution.status_url,
        handle=ref.handle if ref and ref.key == resolution.key else None,
        now=now,
    )
    chain = []
    for exchange in resolution.exchanges:
        snapshot_id = insert_snapshot(
            db,
            exchange,
            source=RESOLUTION_SOURCE,
            post_key=None,
            embed_id=embed_id,
            run_id=run_id,
            parsed=None,
            now=now,
        )
        chain.append(
            {
                "snapshot_id": snapshot_id,
                "url": exchange.url,
                "status": exchange.status,
                "final_url": exchange.final_url,
                "hops": from_json(chain_json(exchange)),
            }
        )
    db.execute(
        "UPDATE embeds SET post_key = ?, resolved_how = ?, resolved_url = ?, resolved_chain = ?,"
        " resolved_at = ?, resolved_by_embed_id = NULL WHERE id = ?",
        (resolution.key, resolution.how, resolution.status_url, to_json(chain), now, embed_id),
    )
