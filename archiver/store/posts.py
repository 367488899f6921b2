"""Posts, what the witnesses said about them, their state over time, and their media queue.

Merging rule for post fields: within one call the first witness that knows a field wins
(the fetcher lists its most authoritative witness first: syndication before oEmbed); against
the stored row a known value replaces the old one, and None never erases anything, so a later
tombstone cannot wipe the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from archiver.errors import StoreError
from archiver.models import THIRD_PARTY_SOURCES, WAYBACK_CDX, Post, PostState, Witness
from archiver.store.exchanges import insert_snapshot
from archiver.store.records import to_json

# Which witness decides the state when they disagree: a post that any witness saw is live;
# a specific reason for absence beats a vague one; UNKNOWN decides nothing.
_STATE_WEIGHT = {
    PostState.LIVE: 7,
    PostState.SUSPENDED: 6,
    PostState.DELETED: 5,
    PostState.PROTECTED: 4,
    PostState.RESTRICTED: 3,
    PostState.UNAVAILABLE: 2,
    PostState.NOT_FOUND: 1,
    PostState.UNKNOWN: 0,
}

_PIC_LINK_IN_TEXT = re.compile(r"\bpic\.(?:twitter|x)\.com/([A-Za-z0-9]{1,32})", re.IGNORECASE)

_MERGED_FIELDS = (
    "url",
    "handle",
    "author_name",
    "author_id",
    "text",
    "lang",
    "created_at",
    "created_at_from_id",
    "parent_post_key",
    "quoted_post_key",
    "counts",
    "card",
    "edit_ids",
)


def split_post_key(post_key: str) -> tuple[str, str]:
    platform, sep, post_id = post_key.partition(":")
    if not (sep and platform and post_id):
        raise StoreError(f"not a post key (platform:id): {post_key!r}")
    return platform, post_id


def ensure_post(
    db: Database, post_key: str, *, url: str | None = None, handle: str | None = None, now: str
) -> None:
    """Make sure a row exists for ``post_key`` (a placeholder in state unknown if it is new)."""
    platform, post_id = split_post_key(post_key)
    # Raw SQL: only NULL url and handle are filled in; upsert() would overwrite known ones.
    db.execute(
        "INSERT INTO posts (key, platform, id, url, handle, state, first_seen)"
        " VALUES (?, ?, ?, ?, ?, 'unknown', ?)"
        " ON CONFLICT (key) DO UPDATE SET url = coalesce(url, excluded.url),"
        " handle = coalesce(handle, excluded.handle)"
        " WHERE (url IS NULL AND excluded.url IS NOT NULL)"
        " OR (handle IS NULL AND excluded.handle IS NOT NULL)",
        (post_key, platform, post_id, url, handle, now),
    )


def post_has_snapshot(db: Database, post_key: str) -> bool:
    """True once some witness answered for the post (failed attempts do not count)."""
    row = db.execute(
        "SELECT 1 FROM checks WHERE post_key = ? AND outcome != 'unknown'"
        " AND snapshot_id IS NOT NULL LIMIT 1",
        (post_key,),
    ).fetchone()
    return row is not None


def posts_to_fetch(db: Database, *, force: bool) -> list[tuple[str, str | None]]:
    """``(post_key, handle)`` of every embedded post none of its own witnesses has answered for
    (all if force); a third party's copy does not count: the platform is asked again."""
    third_party = ", ".join(f"'{source}'" for source in sorted(THIRD_PARTY_SOURCES))
    cursor = db.execute(
        "SELECT p.key, p.handle FROM posts p"
        " WHERE EXISTS (SELECT 1 FROM embeds e WHERE e.post_key = p.key)"
        " AND (? OR NOT EXISTS (SELECT 1 FROM checks c WHERE c.post_key = p.key"
        " AND c.outcome != 'unknown' AND c.snapshot_id IS NOT NULL"
        f" AND c.source NOT IN ({third_party})))"
        " ORDER BY p.key",
        (int(force),),
    )
    return [(key, handle) for key, handle in cursor]


def wayback_due(db: Database, post_key: str) -> bool:
    """True when the post was never seen live and the Wayback CDX never answered for it: only
    then is the Wayback asked, so a re-run asks it nothing new (issue 13). An answer is any
    status but a transient one (429, 5xx): a refusal is an answer too."""
    row = db.execute("SELECT last_seen_live FROM posts WHERE key = ?", (post_key,)).fetchone()
    if row is not None and row[0] is not None:
        return False
    asked = db.execute(
        "SELECT 1 FROM snapshots WHERE post_key = ? AND source = ? AND status < 500"
        " AND status != 429 LIMIT 1",
        (post_key, WAYBACK_CDX),
    ).fetchone()
    return asked is None


def posts_awaiting_wayback(db: Database, platforms: Iterable[str]) -> list[tuple[str, str | None]]:
    """``(post_key, handle)`` of the posts of ``platforms`` never seen live whose own witnesses
    were asked and the Wayback CDX never was: a run stopped between the two, or a post archived
    before the Wayback was a witness."""
    wanted = list(platforms)
    marks = ", ".join("?" * len(wanted))
    return [
        (key, handle)
        for key, handle in db.conn.execute(
            f"SELECT p.key, p.handle FROM posts p WHERE p.platform IN ({marks})"
            " AND p.last_seen_live IS NULL"
            " AND EXISTS (SELECT 1 FROM snapshots s WHERE s.post_key = p.key)"
            " AND NOT EXISTS (SELECT 1 FROM snapshots s WHERE s.post_key = p.key AND s.source = ?)"
            " ORDER BY p.key",
            (*wanted, WAYBACK_CDX),
        )
    ]


def embedded_handle(db: Database, post_key: str) -> str | None:
    """The handle the newest embed of the post shows (a Bluesky embed names its post by DID and
    its author by handle), or None."""
    row = db.execute(
        "SELECT handle FROM embeds WHERE post_key = ? AND handle IS NOT NULL"
        " ORDER BY id DESC LIMIT 1",
        (post_key,),
    ).fetchone()
    return row[0] if row else None


# Raw SQL, as for snapshots (exchanges.py): a check per witness is on save_witnesses' hot path.
_INSERT_CHECK = (
    "INSERT INTO checks (post_key, snapshot_id, run_id, checked_at, source, status, outcome,"
    " reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def save_witnesses(
    db: Database, post_key: str, witnesses: list[Witness], *, run_id: int | None, now: str
) -> list[int]:
    """Append a snapshot and a check per witness, then upsert the post and its state."""
    ensure_post(db, post_key, now=now)
    snapshot_ids = []
    about_this_post = []
    for witness in witnesses:
        snapshot_id = insert_snapshot(
            db,
            witness.exchange,
            source=witness.source,
            post_key=post_key,
            embed_id=None,
            run_id=run_id,
            parsed=witness.parsed,
            now=now,
        )
        snapshot_ids.append(snapshot_id)
        db.execute(
            _INSERT_CHECK,
            (
                post_key,
                snapshot_id,
                run_id,
                witness.exchange.fetched_at or now,
                witness.source,
                witness.exchange.status,
                PostState(witness.state).value,
                witness.reason,
            ),
        )
        for related in witness.related:
            _upsert_post(db, [related], now=now)
            _add_pic_links(db, related.key, _pic_codes(related.text))
        if witness.post is not None:
            if witness.post.key == post_key:
                about_this_post.append(witness)
            else:
                _upsert_post(db, [witness.post], now=now)
    if about_this_post:
        _upsert_post(db, [w.post for w in about_this_post if w.post is not None], now=now)
        codes = [
            code
            for w in about_this_post
            for code in _pic_codes(w.post.text if w.post else None) + _payload_pic_codes(w.parsed)
        ]
        _add_pic_links(db, post_key, codes)
    # A third party's copy shows the post as it was when captured, so it never moves its state.
    own = [w for w in witnesses if w.source not in THIRD_PARTY_SOURCES]
    if own:
        _update_state(db, post_key, own, now=now)
    with_media = next(
        (
            snapshot_id
            for witness, snapshot_id in zip(witnesses, snapshot_ids, strict=True)
            if witness.state is PostState.LIVE and witness.post is not None and witness.post.media
        ),
        None,
    )
    if with_media is not None:
        set_media_snapshot(db, post_key, with_media)
    return snapshot_ids


def set_media_snapshot(db: Database, post_key: str, snapshot_id: int | None) -> None:
    """Name the snapshot whose media are still to download (None: all are stored)."""
    db.execute("UPDATE posts SET media_snapshot_id = ? WHERE key = ?", (snapshot_id, post_key))


def media_done(db: Database, post_key: str, snapshot_id: int) -> None:
    """Empty the post's media queue if it still names ``snapshot_id``: a capture that queued a
    newer snapshot meanwhile keeps its own media queued."""
    db.execute(
        "UPDATE posts SET media_snapshot_id = NULL WHERE key = ? AND media_snapshot_id = ?",
        (post_key, snapshot_id),
    )


def media_snapshot(db: Database, post_key: str) -> int | None:
    """The snapshot whose media the post still awaits, if any."""
    row = db.execute("SELECT media_snapshot_id FROM posts WHERE key = ?", (post_key,)).fetchone()
    return row[0] if row else None


def post_to_fetch(db: Database, embed_id: int) -> tuple[str, str | None] | None:
    """``(post_key, handle)`` of the post an embed points at, while none of its own witnesses has
    answered for it (as ``posts_to_fetch``)."""
    third_party = ", ".join(f"'{source}'" for source in sorted(THIRD_PARTY_SOURCES))
    row = db.execute(
        "SELECT p.key, p.handle FROM embeds e JOIN posts p ON p.key = e.post_key WHERE e.id = ?"
        " AND NOT EXISTS (SELECT 1 FROM checks c WHERE c.post_key = p.key"
        " AND c.outcome != 'unknown' AND c.snapshot_id IS NOT NULL"
        f" AND c.source NOT IN ({third_party}))",
        (embed_id,),
    ).fetchone()
    return (row[0], row[1]) if row else None


def posts_awaiting_media(db: Database) -> list[tuple[str, int]]:
    """``(post_key, snapshot_id)`` of posts whose media are not all stored yet."""
    cursor = db.execute(
        "SELECT key, media_snapshot_id FROM posts WHERE media_snapshot_id IS NOT NULL ORDER BY key"
    )
    return [(key, snapshot_id) for key, snapshot_id in cursor]


def _upsert_post(db: Database, posts: list[Post], *, now: str) -> None:
    """Upsert one post from one or more accounts of it (same key), first known value winning."""
    first = posts[0]
    values: dict[str, Any] = dict.fromkeys(_MERGED_FIELDS)
    for post in posts:
        for name, value in _post_fields(post).items():
            if values[name] is None:
                values[name] = value
    for linked in (values["parent_post_key"], values["quoted_post_key"]):
        if linked:
            ensure_post(db, linked, now=now)
    # Raw SQL: None never erases a stored value (coalesce); upsert() sets every column it is
    # given, and reads the schema on every call of this hot path.
    assignments = ", ".join(f"{name} = coalesce(excluded.{name}, {name})" for name in values)
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    db.execute(
        f"INSERT INTO posts (key, platform, id, state, first_seen, {columns})"
        f" VALUES (?, ?, ?, 'unknown', ?, {marks})"
        f" ON CONFLICT (key) DO UPDATE SET {assignments}",
        (first.key, first.platform, first.id, now, *values.values()),
    )


def _post_fields(post: Post) -> dict[str, Any]:
    return {
        "url": post.url or None,
        "handle": post.handle,
        "author_name": post.author_name,
        "author_id": post.author_id,
        "text": post.text,
        "lang": post.lang,
        "created_at": post.created_at,
        "created_at_from_id": post.created_at_from_id,
        "parent_post_key": post.reply_to,
        "quoted_post_key": post.quote_of,
        "counts": to_json(post.counts) if post.counts else None,
        "card": to_json(post.card) if post.card else None,
        "edit_ids": to_json(post.edit_ids) if post.edit_ids else None,
    }


def _pic_codes(text: str | None) -> list[str]:
    return _PIC_LINK_IN_TEXT.findall(text) if text else []


def _payload_pic_codes(parsed: Any) -> list[str]:
    """The pic links of a post's own media in an X syndication payload.

    They sit in ``entities.media[].display_url`` and ``mediaDetails[].display_url`` at the top
    level (docs/endpoints.md §2.3); the quoted tweet's and the parent's media are their own.
    """
    if not isinstance(parsed, dict):
        return []
    items: list[Any] = []
    entities = parsed.get("entities")
    if isinstance(entities, dict) and isinstance(entities.get("media"), list):
        items += entities["media"]
    if isinstance(parsed.get("mediaDetails"), list):
        items += parsed["mediaDetails"]
    links = [d.get("display_url") for d in items if isinstance(d, dict)]
    return [code for link in links if isinstance(link, str) for code in _pic_codes(link)]


def _add_pic_links(db: Database, post_key: str, codes: list[str]) -> None:
    # Raw SQL: the conflict is on a partial unique index; insert_all(ignore=True), INSERT OR
    # IGNORE, would also drop a row that breaks the NOT NULL or CHECK constraints.
    db.conn.executemany(
        "INSERT INTO pic_links (code, post_key) VALUES (?, ?)"
        " ON CONFLICT (post_key, code) WHERE post_key IS NOT NULL DO NOTHING",
        [(code, post_key) for code in dict.fromkeys(codes)],
    )


def _update_state(db: Database, post_key: str, witnesses: list[Witness], *, now: str) -> None:
    """Decide the post's state from this call's witnesses and move its vanish window.

    The window is the last time a witness saw the post live and the first time one saw it gone
    after that; a post seen live again closes it. UNKNOWN witnesses (failed requests) only move
    ``last_checked``.
    """
    row = next(
        db.query(
            "SELECT state, last_seen_live, first_archived, last_checked, last_answered"
            " FROM posts WHERE key = ?",
            [post_key],
        ),
        None,
    )
    assert row is not None
    seen = [(PostState(w.state), w.exchange.fetched_at or now, w) for w in witnesses]
    answered = [at for state, at, _ in seen if state is not PostState.UNKNOWN]
    state, _, best = max(seen, key=lambda s: _STATE_WEIGHT[s[0]])
    current = PostState(row["state"])
    updates: dict[str, Any] = {
        "last_checked": max(filter(None, [row["last_checked"], *(at for _, at, _ in seen)])),
        "first_archived": row["first_archived"] or min(answered, default=None),
        "last_answered": max(filter(None, [row["last_answered"], *answered]), default=None),
    }
    if state is PostState.LIVE:
        live = [at for s, at, _ in seen if s is PostState.LIVE]
        updates["last_seen_live"] = max(filter(None, [row["last_seen_live"], *live]))
        updates["first_seen_gone"] = None
    elif state.gone and not current.gone:
        updates["first_seen_gone"] = min(at for s, at, _ in seen if s.gone)
    if state is not PostState.UNKNOWN:
        if state is not current:
            updates["state"] = state.value
            updates["state_since"] = min(at for s, at, _ in seen if s is state)
        if best.reason is not None or state is not current:
            updates["state_reason"] = best.reason
    assignments = ", ".join(f"{name} = ?" for name in updates)
    db.execute(f"UPDATE posts SET {assignments} WHERE key = ?", (*updates.values(), post_key))


def posts_to_recheck(
    db: Database, now: str, *, due: bool, not_checked_since: str | None, limit: int | None
) -> list[tuple[str, str | None]]:
    """``(post_key, handle)`` of archived posts, most overdue first (see schema: next_check_at).

    ``due``: only those whose next check is at or before ``now``; ``not_checked_since``: only those
    last answered for at or before that time; ``limit``: at most that many.
    """
    conditions = ["next_check_at IS NOT NULL"]
    params: list[Any] = []
    if due:
        conditions.append("next_check_at <= strftime('%Y-%m-%dT%H:%M:%fZ', ?)")
        params.append(now)
    if not_checked_since is not None:
        conditions.append("julianday(last_answered) <= julianday(?)")
        params.append(not_checked_since)
    params.append(-1 if limit is None else limit)
    cursor = db.execute(
        f"SELECT key, handle FROM posts WHERE {' AND '.join(conditions)}"
        " ORDER BY next_check_at, key LIMIT ?",
        params,
    )
    return [(key, handle) for key, handle in cursor]


def post_states(db: Database, post_keys: list[str]) -> dict[str, str]:
    """``{post_key: state}`` of the posts that exist among ``post_keys``."""
    states: dict[str, str] = {}
    for start in range(0, len(post_keys), 500):
        chunk = post_keys[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        states.update(db.execute(f"SELECT key, state FROM posts WHERE key IN ({marks})", chunk))
    return states
