"""What the Datasette plugin reads, over the connection Datasette lends it.

Each function takes the bare ``sqlite3.Connection`` that Datasette's ``Database.execute_fn``
passes, so the plugin (archiver/datasette/) holds no SQL of its own.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlite_utils import Database

from archiver.store.readers import post_detail
from archiver.store.schema import MIGRATIONS


def _on(conn: sqlite3.Connection) -> Database:
    # Datasette's connection, read as it is: no plugins, no PRAGMA recursive_triggers.
    return Database(conn, execute_plugins=False, recursive_triggers=False)


def is_archive_on(conn: sqlite3.Connection) -> bool:
    """Whether archiver wrote this database: its migrations include archiver's set."""
    return bool(MIGRATIONS.applied(_on(conn)))


def post_detail_on(conn: sqlite3.Connection, post_key: str) -> dict[str, Any] | None:
    """``post_detail`` of one post, for the post page."""
    return post_detail(_on(conn), post_key)


def blob_head_on(conn: sqlite3.Connection, sha256: str, length: int) -> tuple[Any, int] | None:
    """``(first bytes, size)`` of a stored blob (``length`` bytes at most), or None."""
    row = next(
        _on(conn).query(
            "SELECT substr(content, 1, ?) AS head, bytes FROM blobs WHERE sha256 = ?",
            [length, sha256],
        ),
        None,
    )
    return None if row is None else (row["head"], row["bytes"])


def blob_content_on(conn: sqlite3.Connection, sha256: str) -> Any:
    """The stored bytes of a blob, or None."""
    row = next(_on(conn).query("SELECT content FROM blobs WHERE sha256 = ?", [sha256]), None)
    return None if row is None else row["content"]
