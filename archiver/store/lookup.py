"""`archiver lookup`: one query string, read as the most specific thing it can be.

In order: a status URL (any form), a ``platform:id`` key, a pic.twitter.com / pic.x.com / t.co
link, an ``@handle``, an archived article's URL or path, a post id, and finally words for the
full-text index. Results are post details, plus ``{"embed", "article"}`` matches for embeds that
are not resolved to a post yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlite_utils import Database

from archiver.models import Platform
from archiver.store.readers import find_article, newest_post_details, post_details
from archiver.store.records import from_json, storable
from archiver.urls import parse_post_url, pic_link_code, shortlink_code

_PLATFORMS = frozenset(p.value for p in Platform)

# The queries below read tuples through db.execute, not dicts through db.query: db.query opens and
# releases a savepoint per call, which made lookups by id and pic link 37% slower
# (docs/benchmarks.md).

# Only embeds that their article shows today: older versions are history, not matches.
_CURRENT_EMBEDS = (
    "SELECT e.id, e.post_key FROM embeds e"
    " JOIN articles a ON a.current_version_id = e.article_version_id"
)


class _Matches(NamedTuple):
    """What a query found: posts already read in full, then post keys, then unresolved embeds."""

    post_keys: list[str]
    embed_ids: list[int]
    posts: Sequence[dict[str, Any]] = ()


def lookup(db: Database, query: str, *, limit: int) -> list[dict[str, Any]]:
    """Posts (as ``post_detail``) and unresolved embed matches for ``query``, best first."""
    query = storable(query.strip())  # nothing stored holds a lone surrogate
    if not query:
        return []
    matches = _find(db, query, limit=limit)
    results = list(matches.posts[:limit])
    read = {post["key"] for post in results}
    keys = [key for key in dict.fromkeys(matches.post_keys) if key not in read]
    results += post_details(db, keys[: limit - len(results)])
    for embed_id in list(dict.fromkeys(matches.embed_ids))[: limit - len(results)]:
        results.append(_embed_match(db, embed_id))
    return results


def _find(db: Database, query: str, *, limit: int) -> _Matches:
    if ref := parse_post_url(query):
        return _by_key(db, ref.platform, ref.post_id)
    platform, sep, post_id = query.partition(":")
    if sep and platform in _PLATFORMS and post_id:
        return _by_key(db, platform, post_id)
    if code := pic_link_code(query) or shortlink_code(query):
        return _by_pic_code(db, code)
    if query.startswith("@") and " " not in query:
        return _by_handle(db, query[1:], limit=limit)
    if article := find_article(db, query):
        return _Matches(
            *_split(
                db.execute(
                    "SELECT id, post_key FROM embeds WHERE article_version_id = ? ORDER BY ordinal",
                    [article["current_version_id"]],
                ).fetchall()
            )
        )
    if "://" in query:
        return _Matches([], [])
    if " " not in query:
        keys = [
            key
            for (key,) in db.execute("SELECT key FROM posts WHERE id = ? LIMIT ?", [query, limit])
        ]
        hits = db.execute(
            f"{_CURRENT_EMBEDS} WHERE e.status_id = ? LIMIT ?", [query, limit]
        ).fetchall()
        if keys or hits:
            posts, embeds = _split(hits)
            return _Matches(keys + posts, embeds)
    return _by_words(db, query, limit=limit)


def _split(embed_rows: list[tuple[int, str | None]]) -> tuple[list[str], list[int]]:
    """``(id, post_key)`` of embeds: the resolved lead to their posts; the others are matches in
    their own right."""
    posts = [post_key for _, post_key in embed_rows if post_key]
    embeds = [embed_id for embed_id, post_key in embed_rows if not post_key]
    return posts, embeds


def _by_key(db: Database, platform: str, post_id: str) -> _Matches:
    key = f"{platform}:{post_id}"
    keys = [k for (k,) in db.execute("SELECT key FROM posts WHERE key = ?", [key])]
    posts, embeds = _split(
        db.execute(
            f"{_CURRENT_EMBEDS} WHERE e.status_id = ? AND e.platform = ?", [post_id, platform]
        ).fetchall()
    )
    return _Matches(keys + posts, embeds)


def _by_pic_code(db: Database, code: str) -> _Matches:
    rows = db.execute(
        "SELECT p.post_key, e.id, e.post_key FROM pic_links p"
        " LEFT JOIN embeds e ON e.id = p.embed_id"
        " LEFT JOIN articles a ON a.current_version_id = e.article_version_id"
        " WHERE p.code = ? AND (p.post_key IS NOT NULL OR a.id IS NOT NULL) ORDER BY p.id",
        [code],
    ).fetchall()
    keys = [post_key or embed_post_key for post_key, _, embed_post_key in rows]
    keys = [key for key in keys if key]
    embeds = [embed_id for _, embed_id, embed_post_key in rows if embed_id and not embed_post_key]
    return _Matches(keys, embeds)


def _by_handle(db: Database, handle: str, *, limit: int) -> _Matches:
    """The account's newest posts, read in full at once, then posts and embeds that name it."""
    posts, embeds = _split(
        db.execute(f"{_CURRENT_EMBEDS} WHERE e.handle = ? LIMIT ?", [handle, limit]).fetchall()
    )
    return _Matches(posts, embeds, newest_post_details(db, handle, limit=limit))


def fts_query(words: str) -> str:
    """``words`` as an FTS5 query: every word must appear; quotes and operators mean nothing."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words.split())


def _by_words(db: Database, words: str, *, limit: int) -> _Matches:
    match = fts_query(words)
    keys = [
        key
        for (key,) in db.execute(
            "SELECT posts.key FROM posts_fts JOIN posts ON posts.rowid = posts_fts.rowid"
            " WHERE posts_fts MATCH ? ORDER BY posts_fts.rank LIMIT ?",
            [match, limit],
        )
    ]
    posts, embeds = _split(
        db.execute(
            f"{_CURRENT_EMBEDS} JOIN embeds_fts ON embeds_fts.rowid = e.rowid"
            " WHERE embeds_fts MATCH ? ORDER BY embeds_fts.rank LIMIT ?",
            [match, limit],
        ).fetchall()
    )
    return _Matches(keys + posts, embeds)


def _embed_match(db: Database, embed_id: int) -> dict[str, Any]:
    row = next(
        db.query(
            "SELECT e.id, e.platform, e.form, e.handle, e.display_name, e.date, e.date_text,"
            ' e.pic_links, e.links, e.status_id, e.status_url, e.lang, e.text, e."start", e."end",'
            " a.id AS article_id, a.url AS article_url, a.final_url AS article_final_url,"
            " a.title AS article_title"
            " FROM embeds e JOIN articles a ON a.id = e.article_id WHERE e.id = ?",
            [embed_id],
        )
    )
    article = {
        "id": row.pop("article_id"),
        "url": row.pop("article_url"),
        "final_url": row.pop("article_final_url"),
        "title": row.pop("article_title"),
    }
    row["pic_links"] = from_json(row["pic_links"])
    row["links"] = from_json(row["links"])
    return {"embed": row, "article": article}
