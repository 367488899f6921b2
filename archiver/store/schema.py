"""The schema of archive.db, kept as a history of sqlite-utils migrations.

Entities (articles, embeds, posts, blobs) are upserted; events (article_versions, snapshots,
checks, runs, failures) are appended. Foreign-key columns are named after what they point to
(``article_id``, ``post_key``, ``snapshot_id``); virtual ``title`` (articles: ``name``) columns
are the labels Datasette shows beside a foreign key. Every timestamp is UTC ISO 8601.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from archiver.models import PostState

MIGRATIONS = Migrations("archiver")

_STATES = ", ".join(f"'{state.value}'" for state in PostState)

_TABLES = f"""
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    arguments TEXT NOT NULL,
    replay INTEGER NOT NULL,
    version TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    duration_s REAL,
    counts TEXT,
    error_count INTEGER,
    title TEXT GENERATED ALWAYS AS (command || ' at ' || started_at) VIRTUAL
);

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    content BLOB NOT NULL,
    bytes INTEGER NOT NULL,
    content_type TEXT,
    first_seen TEXT NOT NULL
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    name TEXT GENERATED ALWAYS AS (coalesce(title, final_url, url)) VIRTUAL,
    final_url TEXT,
    title TEXT,
    kind TEXT,
    encoding TEXT,
    content_type TEXT,
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    current_version_id INTEGER REFERENCES article_versions(id),
    embed_count INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_changed TEXT NOT NULL,
    last_scanned TEXT NOT NULL
);
CREATE INDEX articles_final_url ON articles(final_url) WHERE final_url IS NOT NULL;

CREATE TABLE article_versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    bytes INTEGER NOT NULL,
    content_type TEXT,
    kind TEXT NOT NULL,
    encoding TEXT NOT NULL,
    title TEXT,
    final_url TEXT,
    provenance TEXT NOT NULL,
    fetched_at TEXT,
    status INTEGER,
    headers TEXT,
    redirect_chain TEXT,
    replay INTEGER NOT NULL,
    embed_count INTEGER NOT NULL,
    run_id INTEGER REFERENCES runs(id),
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    UNIQUE (article_id, sha256)
);

CREATE TABLE posts (
    key TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    id TEXT NOT NULL,
    url TEXT,
    handle TEXT COLLATE NOCASE,
    author_name TEXT,
    author_id TEXT,
    text TEXT,
    lang TEXT,
    created_at TEXT,
    created_at_from_id TEXT,
    parent_post_key TEXT REFERENCES posts(key),
    quoted_post_key TEXT REFERENCES posts(key),
    counts TEXT,
    card TEXT,
    edit_ids TEXT,
    state TEXT NOT NULL CHECK (state IN ({_STATES})),
    state_reason TEXT,
    state_since TEXT,
    last_seen_live TEXT,
    first_seen_gone TEXT,
    first_seen TEXT NOT NULL,
    first_archived TEXT,
    last_checked TEXT,
    title TEXT GENERATED ALWAYS AS (
        coalesce('@' || handle || ': ', '') || coalesce(substr(text, 1, 80), key)
    ) VIRTUAL
);
CREATE INDEX posts_id ON posts(id);
CREATE INDEX posts_handle ON posts(handle, created_at_from_id);
CREATE INDEX posts_parent_post_key ON posts(parent_post_key) WHERE parent_post_key IS NOT NULL;
CREATE INDEX posts_quoted_post_key ON posts(quoted_post_key) WHERE quoted_post_key IS NOT NULL;
CREATE INDEX posts_state ON posts(state, state_since);

CREATE TABLE embeds (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    article_version_id INTEGER NOT NULL REFERENCES article_versions(id),
    ordinal INTEGER NOT NULL,
    platform TEXT NOT NULL,
    form TEXT NOT NULL,
    handle TEXT COLLATE NOCASE,
    display_name TEXT,
    date TEXT,
    date_text TEXT,
    pic_links TEXT NOT NULL,
    links TEXT NOT NULL,
    status_id TEXT,
    status_url TEXT,
    lang TEXT,
    text TEXT NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    post_key TEXT REFERENCES posts(key),
    resolved_how TEXT,
    resolved_url TEXT,
    resolved_chain TEXT,
    resolved_at TEXT,
    resolved_by_embed_id INTEGER REFERENCES embeds(id),
    title TEXT GENERATED ALWAYS AS (
        coalesce('@' || handle, display_name, status_url, platform) || ': ' || substr(text, 1, 60)
    ) VIRTUAL,
    UNIQUE (article_version_id, ordinal)
);
CREATE INDEX embeds_article_id ON embeds(article_id);
CREATE INDEX embeds_post_key ON embeds(post_key) WHERE post_key IS NOT NULL;
CREATE INDEX embeds_handle ON embeds(handle) WHERE handle IS NOT NULL;
CREATE INDEX embeds_status_id ON embeds(status_id) WHERE status_id IS NOT NULL;

CREATE TABLE pic_links (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    embed_id INTEGER REFERENCES embeds(id),
    post_key TEXT REFERENCES posts(key),
    link TEXT GENERATED ALWAYS AS ('pic.twitter.com/' || code) VIRTUAL,
    CHECK ((embed_id IS NULL) <> (post_key IS NULL))
);
CREATE INDEX pic_links_code ON pic_links(code);
CREATE UNIQUE INDEX pic_links_embed ON pic_links(embed_id, code) WHERE embed_id IS NOT NULL;
CREATE UNIQUE INDEX pic_links_post ON pic_links(post_key, code) WHERE post_key IS NOT NULL;

CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY,
    post_key TEXT REFERENCES posts(key),
    embed_id INTEGER REFERENCES embeds(id),
    run_id INTEGER REFERENCES runs(id),
    source TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    url TEXT NOT NULL,
    final_url TEXT,
    redirect_chain TEXT NOT NULL,
    status INTEGER,
    headers TEXT NOT NULL,
    body_sha256 TEXT REFERENCES blobs(sha256),
    bytes INTEGER,
    content_type TEXT,
    truncated INTEGER NOT NULL,
    error TEXT,
    parsed TEXT,
    elapsed_ms REAL,
    attempts INTEGER NOT NULL,
    replay INTEGER NOT NULL,
    tool_version TEXT NOT NULL,
    title TEXT GENERATED ALWAYS AS (source || ' at ' || fetched_at) VIRTUAL
);
CREATE INDEX snapshots_post_key ON snapshots(post_key, fetched_at) WHERE post_key IS NOT NULL;
CREATE INDEX snapshots_embed_id ON snapshots(embed_id) WHERE embed_id IS NOT NULL;
CREATE INDEX snapshots_body_sha256 ON snapshots(body_sha256) WHERE body_sha256 IS NOT NULL;

CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    post_key TEXT NOT NULL REFERENCES posts(key),
    snapshot_id INTEGER REFERENCES snapshots(id),
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    stream_url TEXT,
    alt TEXT,
    width INTEGER,
    height INTEGER,
    bitrate INTEGER,
    fetched_at TEXT NOT NULL,
    final_url TEXT,
    redirect_chain TEXT NOT NULL,
    status INTEGER,
    sha256 TEXT REFERENCES blobs(sha256),
    bytes INTEGER,
    content_type TEXT,
    truncated INTEGER NOT NULL,
    error TEXT,
    replay INTEGER NOT NULL
);
CREATE INDEX media_post_key ON media(post_key);
CREATE UNIQUE INDEX media_post_url_sha256 ON media(post_key, url, sha256) WHERE sha256 IS NOT NULL;

CREATE TABLE checks (
    id INTEGER PRIMARY KEY,
    post_key TEXT NOT NULL REFERENCES posts(key),
    snapshot_id INTEGER REFERENCES snapshots(id),
    run_id INTEGER REFERENCES runs(id),
    checked_at TEXT NOT NULL,
    source TEXT NOT NULL,
    status INTEGER,
    outcome TEXT NOT NULL CHECK (outcome IN ({_STATES})),
    reason TEXT
);
CREATE INDEX checks_post_key ON checks(post_key, checked_at);

CREATE TABLE failures (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs(id),
    failed_at TEXT NOT NULL,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    article_id INTEGER REFERENCES articles(id),
    embed_id INTEGER REFERENCES embeds(id),
    post_key TEXT REFERENCES posts(key),
    url TEXT
);
CREATE INDEX failures_run_id ON failures(run_id);
"""

# Full-text search over external content: the text lives once, in posts and embeds; triggers keep
# the index in step. Datasette finds these tables by their content= option (`?_search=`).
_FTS = {
    "posts": ("text", "handle", "author_name"),
    "embeds": ("text", "handle", "display_name"),
}
FTS_TOKENIZER = "unicode61 remove_diacritics 2"


def _fts_sql(table: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
    fts = f"{table}_fts"
    return f"""
CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content="{table}", tokenize="{FTS_TOKENIZER}");
CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN
    INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
END;
CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN
    INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});
END;
CREATE TRIGGER {table}_fts_update AFTER UPDATE OF {cols} ON {table} WHEN {changed} BEGIN
    INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});
    INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
END;
"""


def fts_tables() -> dict[str, tuple[str, ...]]:
    """The full-text tables, ``{content_table: indexed columns}``."""
    return dict(_FTS)


@MIGRATIONS(name="0001_initial")
def _initial(db: Database) -> None:
    db.executescript(_TABLES + "".join(_fts_sql(t, c) for t, c in _FTS.items()))


@MIGRATIONS(name="0002_failure_evidence")
def _failure_evidence(db: Database) -> None:
    # A refused redirect or a broken answer leaves an exchange behind: keep it beside the reason.
    db.execute("ALTER TABLE failures ADD COLUMN snapshot_id INTEGER REFERENCES snapshots(id)")


@MIGRATIONS(name="0003_media_queue")
def _media_queue(db: Database) -> None:
    # The snapshot whose media are still to download: set with the snapshot, cleared once every
    # item is stored, so a run killed between the two is finished by the next one.
    db.execute("ALTER TABLE posts ADD COLUMN media_snapshot_id INTEGER REFERENCES snapshots(id)")
    db.execute(
        "CREATE INDEX posts_media_snapshot_id ON posts(media_snapshot_id)"
        " WHERE media_snapshot_id IS NOT NULL"
    )


# The joins people make most when reading the archive, as views Datasette lists beside the tables.
_VIEWS = (
    """
CREATE VIEW embeds_with_posts AS
SELECT
    e.id AS embed_id,
    e.article_id,
    a.name AS article,
    a.url AS article_url,
    e.article_version_id = a.current_version_id AS current,
    e.ordinal,
    e.platform,
    e.form,
    e.handle,
    e.display_name,
    e.date,
    e.text AS quoted_text,
    e.post_key,
    p.state,
    p.text AS archived_text,
    p.created_at,
    p.last_seen_live,
    p.first_seen_gone,
    e.resolved_how,
    e.status_url
FROM embeds e
JOIN articles a ON a.id = e.article_id
LEFT JOIN posts p ON p.key = e.post_key
""",
    """
CREATE VIEW snapshots_with_outcomes AS
SELECT
    s.id AS snapshot_id,
    s.post_key,
    p.handle,
    s.embed_id,
    s.fetched_at,
    s.source,
    s.status,
    c.outcome,
    c.reason,
    s.url,
    s.final_url,
    s.body_sha256,
    s.bytes,
    s.content_type,
    s.truncated,
    s.error,
    s.replay,
    s.run_id
FROM snapshots s
LEFT JOIN checks c ON c.snapshot_id = s.id
LEFT JOIN posts p ON p.key = s.post_key
""",
)


@MIGRATIONS(name="0004_views")
def _views(db: Database) -> None:
    # One statement at a time: executescript would commit the migration's transaction first.
    for sql in _VIEWS:
        db.execute(sql)


# Two reads Datasette makes often. Which accounts articles quote most is counted from
# embeds_account alone, without reading the embeds' text (on 200,000 embeds, 0.1 s instead of
# 2.4 s); a snapshot's outcome is found by checks_snapshot_id instead of a temporary index built
# for every query (`python -m benchmarks datasette`).
@MIGRATIONS(name="0005_indexes_for_exploring")
def _indexes_for_exploring(db: Database) -> None:
    db.execute(
        "CREATE INDEX embeds_account ON embeds(platform, handle, article_id, post_key)"
        " WHERE handle IS NOT NULL"
    )
    db.execute(
        "CREATE INDEX checks_snapshot_id ON checks(snapshot_id) WHERE snapshot_id IS NOT NULL"
    )


@MIGRATIONS(name="0006_recheck_schedule")
def _recheck_schedule(db: Database) -> None:
    # When a post is next due for a check: a quarter of its age at its last answered check,
    # clamped to [1 day, 30 days] (a post made yesterday is checked daily, a year-old one
    # monthly), and never sooner than a day after its last attempt, so a post whose witnesses
    # fail is retried daily rather than every run. Age counts from the post's creation time, else
    # from when it was first archived. The numbers are the schedule archiver/jobs/recheck.py documents.
    # One statement at a time: executescript would commit the migration's transaction first.
    for sql in _RECHECK_SCHEDULE:
        db.execute(sql)


_RECHECK_SCHEDULE = (
    "ALTER TABLE posts ADD COLUMN last_answered TEXT",
    """UPDATE posts SET last_answered = (
    SELECT max(c.checked_at) FROM checks c
    WHERE c.post_key = posts.key AND c.outcome != 'unknown' AND c.snapshot_id IS NOT NULL
)""",
    """ALTER TABLE posts ADD COLUMN next_check_at TEXT GENERATED ALWAYS AS (
    strftime('%Y-%m-%dT%H:%M:%fZ', max(
        julianday(last_answered) + min(max(
            (julianday(last_answered) - coalesce(
                julianday(created_at), julianday(created_at_from_id), julianday(first_archived)
            )) / 4.0, 1.0), 30.0),
        julianday(last_checked) + 1.0
    ))
) VIRTUAL""",
    "CREATE INDEX posts_next_check_at ON posts(next_check_at, key) WHERE next_check_at IS NOT NULL",
    "CREATE INDEX failures_embed_id ON failures(embed_id) WHERE embed_id IS NOT NULL",
    "CREATE INDEX failures_post_key ON failures(post_key) WHERE post_key IS NOT NULL",
)


@MIGRATIONS(name="0007_run_manifests")
def _run_manifests(db: Database) -> None:
    # Each run's manifest (archiver/evidence/manifest.py): its bytes are a blob, this row says
    # which rows it covers (ids up to *_upto, after the previous manifest's) and what it chains to.
    # Time-stamp attempts are appended, granted or failed, the reply (DER) a blob. Neither table
    # is ever updated or deleted from: the triggers refuse it.
    # One statement at a time: executescript would commit the migration's transaction first.
    for sql in _RUN_MANIFESTS:
        db.execute(sql)


_RUN_MANIFESTS = (
    """CREATE TABLE run_manifests (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id),
    sha256 TEXT NOT NULL UNIQUE REFERENCES blobs(sha256),
    previous_sha256 TEXT REFERENCES run_manifests(sha256),
    merkle_root TEXT NOT NULL,
    leaves INTEGER NOT NULL,
    article_versions_upto INTEGER NOT NULL,
    snapshots_upto INTEGER NOT NULL,
    checks_upto INTEGER NOT NULL,
    media_upto INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    title TEXT GENERATED ALWAYS AS ('manifest of run ' || run_id) VIRTUAL
)""",
    "CREATE INDEX run_manifests_snapshots_upto ON run_manifests(snapshots_upto)",
    """CREATE TABLE run_timestamps (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES run_manifests(run_id),
    manifest_sha256 TEXT NOT NULL REFERENCES run_manifests(sha256),
    tsa_url TEXT NOT NULL,
    attempted_by_run_id INTEGER REFERENCES runs(id),
    requested_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('granted', 'failed')),
    reply_sha256 TEXT REFERENCES blobs(sha256),
    time TEXT,
    reason TEXT,
    CHECK ((status = 'granted') = (reply_sha256 IS NOT NULL AND time IS NOT NULL))
)""",
    "CREATE INDEX run_timestamps_run_id ON run_timestamps(run_id, tsa_url)",
    *(
        f"""CREATE TRIGGER {table}_never_{verb.lower()} BEFORE {verb} ON {table}
BEGIN SELECT RAISE(ABORT, '{table} rows are never changed'); END"""
        for table in ("run_manifests", "run_timestamps")
        for verb in ("UPDATE", "DELETE")
    ),
)


@MIGRATIONS(name="0008_media_reuse")
def _media_reuse(db: Database) -> None:
    # A media URL already downloaded (an account's avatar, shared by all its posts) is linked to
    # the next post that shows it rather than downloaded again (archiver/jobs/media.py): the new row
    # names the download it reuses. Found by URL, newest first.
    db.execute("ALTER TABLE media ADD COLUMN reused_from_media_id INTEGER REFERENCES media(id)")
    db.execute(
        "CREATE INDEX media_url ON media(url, fetched_at)"
        " WHERE sha256 IS NOT NULL AND reused_from_media_id IS NULL"
    )
