"""Reading the archive back as JSON-ready dicts: a post with its evidence, an article's embeds."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archiver.errors import InputError
from archiver.models import Platform
from archiver.store.records import from_json, storable
from archiver.urls import parse_post_url

_JSON_COLUMNS = ("counts", "card", "edit_ids", "pic_links", "links", "resolved_chain", "arguments")
_BOOLEAN_COLUMNS = ("replay", "truncated", "current")


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    for name in _JSON_COLUMNS:
        if name in row:
            row[name] = from_json(row[name])
    for name in _BOOLEAN_COLUMNS:
        if name in row and row[name] is not None:
            row[name] = bool(row[name])
    return row


_POST_COLUMNS = (
    "platform, id, key, url, handle, author_name, author_id, text, lang, created_at,"
    " created_at_from_id, parent_post_key, quoted_post_key, counts, card, edit_ids, state,"
    " state_reason, state_since, last_seen_live, first_seen_gone, first_seen, first_archived,"
    " last_checked"
)

# A post's row with its pic links in one query, as "ID CODE ID CODE ..." (codes are letters and
# digits): each post's links come from the same index probe a second query would make, and
# their stored order is restored from the ids (group_concat promises no order).
_POST_SELECT = (
    f"{_POST_COLUMNS}, (SELECT coalesce(group_concat(id || ' ' || code, ' '), '')"
    " FROM pic_links WHERE post_key = posts.key) AS pic_links FROM posts"
)

_EMBED_COLUMNS = (
    "e.id, e.platform, e.form, e.handle, e.display_name, e.date, e.date_text, e.pic_links,"
    ' e.links, e.status_id, e.status_url, e.lang, e.text, e."start", e."end"'
)


def post_detail(db: Database, post_key: str) -> dict[str, Any] | None:
    """A post with its pic links, snapshots, media, the articles that show it and their embeds."""
    found = post_details(db, [post_key])
    return found[0] if found else None


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    """A cursor's rows as dicts, for Archive.lookup's path (post_details, find_article): there
    db.query's savepoint per call made lookups by id and pic link 37% slower (docs/benchmarks.md)."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def post_details(db: Database, post_keys: list[str]) -> list[dict[str, Any]]:
    """``post_detail`` of several posts at once (one query per kind of evidence), in key order."""
    if not post_keys:
        return []
    keys = list(dict.fromkeys(post_keys))
    marks = ", ".join("?" for _ in keys)
    found = {
        row["key"]: row
        for row in _dicts(db.execute(f"SELECT {_POST_SELECT} WHERE key IN ({marks})", keys))
    }
    return _with_evidence(db, [found[key] for key in keys if key in found])


def newest_post_details(db: Database, handle: str, *, limit: int) -> list[dict[str, Any]]:
    """``post_detail`` of an account's newest posts, newest first (by the time their ids give)."""
    return _with_evidence(
        db,
        _dicts(
            db.execute(
                f"SELECT {_POST_SELECT} WHERE handle = ? ORDER BY created_at_from_id DESC LIMIT ?",
                [handle, limit],
            )
        ),
    )


def _with_evidence(db: Database, posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Post rows completed in place: JSON decoded, snapshots, media, articles and embeds added."""
    if not posts:
        return []
    keys = [post["key"] for post in posts]
    marks = ", ".join("?" for _ in keys)
    snapshots = _grouped(
        db,
        "SELECT post_key, id, fetched_at, source, body_sha256 AS sha256, bytes, replay, status,"
        f" url, final_url, truncated, error FROM snapshots WHERE post_key IN ({marks})"
        " ORDER BY fetched_at, id",
        keys,
    )
    media = _grouped(
        db,
        "SELECT post_key, id, kind, url, sha256, bytes, content_type, width, height, fetched_at,"
        f" truncated, error FROM media WHERE post_key IN ({marks}) ORDER BY id",
        keys,
    )
    # The article's URL, final URL and title ride along with each embed: one query for both lists.
    embeds = _grouped(
        db,
        f"SELECT e.post_key, a.url AS article, e.article_id, {_EMBED_COLUMNS}, e.resolved_how,"
        " e.article_version_id = a.current_version_id AS current,"
        " a.final_url AS article_final_url, a.title AS article_title"
        " FROM embeds e JOIN articles a ON a.id = e.article_id"
        f" WHERE e.post_key IN ({marks}) ORDER BY e.article_id, e.article_version_id, e.ordinal",
        keys,
    )
    for post in posts:
        key = post["key"]
        for name in _POST_JSON_COLUMNS:
            if (text := post[name]) is not None:
                post[name] = _json(text)
        post["pic_links"] = _pic_links(post["pic_links"])
        post["snapshots"] = snapshots.get(key, [])
        post["media"] = media.get(key, [])
        post_embeds = embeds.get(key, [])
        post["articles"] = _articles_of(post_embeds)
        post["embeds"] = post_embeds
    return posts


_POST_JSON_COLUMNS = ("counts", "card", "edit_ids")
_json = json.JSONDecoder().decode  # json.loads without its checks of the argument: 30% faster


def _pic_links(pairs: str) -> list[str]:
    words = pairs.split()
    ordered = sorted(zip(map(int, words[::2]), words[1::2], strict=True))
    return [f"pic.twitter.com/{code}" for _id, code in ordered]


def _grouped(db: Database, sql: str, keys: list[str]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in _dicts(db.execute(sql, keys)):
        groups.setdefault(row.pop("post_key"), []).append(_decoded(row))
    return groups


def _articles_of(embeds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The articles that show a post, in order, each ``current`` if its current version does."""
    articles: dict[int, dict[str, Any]] = {}
    for embed in embeds:
        final_url, title = embed.pop("article_final_url"), embed.pop("article_title")
        article = articles.get(embed["article_id"])
        if article is None:
            articles[embed["article_id"]] = {
                "id": embed["article_id"],
                "url": embed["article"],
                "final_url": final_url,
                "title": title,
                "current": embed["current"],
            }
        else:
            article["current"] = article["current"] or embed["current"]
    return list(articles.values())


def snapshot_history(db: Database, post_key: str) -> list[dict[str, Any]]:
    """Every snapshot of a post, oldest first, with what its witness concluded."""
    return [
        _decoded(row)
        for row in db.query(
            "SELECT s.id, s.fetched_at, s.source, s.url, s.final_url, s.status,"
            " s.body_sha256 AS sha256, s.bytes, s.content_type, s.truncated, s.error, s.replay,"
            " s.tool_version, s.run_id, c.outcome, c.reason"
            " FROM snapshots s LEFT JOIN checks c ON c.snapshot_id = s.id"
            " WHERE s.post_key = ? ORDER BY s.fetched_at, s.id",
            [post_key],
        )
    ]


def find_article(db: Database, article: str | int) -> dict[str, Any] | None:
    """An article by id, URL (as given or after redirects) or file path."""
    columns = "id, url, final_url, title, sha256, last_scanned, current_version_id"
    if isinstance(article, int):
        return _first(db.execute(f"SELECT {columns} FROM articles WHERE id = ?", [article]))
    candidates = [article]
    if "://" not in article:
        with contextlib.suppress(OSError, RuntimeError, ValueError):
            candidates.append(str(Path(article).expanduser().resolve()))
    for candidate in map(storable, candidates):
        row = _first(db.execute(f"SELECT {columns} FROM articles WHERE url = ?", [candidate]))
        if row is None:
            row = _first(
                db.execute(
                    f"SELECT {columns} FROM articles WHERE final_url = ? LIMIT 1", [candidate]
                )
            )
        if row is not None:
            return row
    return None


def _first(cursor: sqlite3.Cursor) -> dict[str, Any] | None:
    found = _dicts(cursor)
    return found[0] if found else None


def article_embeds(db: Database, article: str | int) -> list[dict[str, Any]]:
    """The embeds that the article's current version shows, each with its post (or None)."""
    found = find_article(db, article)
    if found is None:
        raise InputError(f"no archived article {article!r}")
    embeds = [
        _decoded(row)
        for row in db.query(
            f"SELECT {_EMBED_COLUMNS}, e.ordinal, e.post_key, e.resolved_how, e.resolved_url,"
            " e.resolved_at FROM embeds e WHERE e.article_version_id = ? ORDER BY e.ordinal",
            [found["current_version_id"]],
        )
    ]
    for embed in embeds:
        post = None
        if embed["post_key"]:
            post = next(
                db.query(
                    "SELECT key, platform, id, url, handle, author_name, author_id, text,"
                    " created_at, edit_ids, state, state_since, last_seen_live, first_seen_gone"
                    " FROM posts WHERE key = ?",
                    [embed["post_key"]],
                ),
                None,
            )
            post = _decoded(post) if post else None
        embed["article"] = found["url"]
        embed["post"] = post
    return embeds


def failures_of(
    db: Database, *, embed_id: int | None = None, post_key: str | None = None
) -> list[dict[str, Any]]:
    """The failures recorded against an embed or a post, oldest first."""
    column, value = ("embed_id", embed_id) if embed_id is not None else ("post_key", post_key)
    return list(
        db.query(
            f"SELECT id, run_id, failed_at, stage, reason, url FROM failures WHERE {column} = ?"
            " ORDER BY failed_at, id",
            [value],
        )
    )


def find_post_key(db: Database, ref: str) -> str | None:
    """The key of the post that ``ref`` names: a ``platform:id`` key, a status URL or a bare id."""
    ref = storable(ref.strip())
    if parsed := parse_post_url(ref):
        return parsed.key
    platform, sep, _ = ref.partition(":")
    if sep and platform in set(Platform):
        return ref
    row = db.execute("SELECT key FROM posts WHERE id = ? ORDER BY key LIMIT 1", [ref]).fetchone()
    return row[0] if row else None
