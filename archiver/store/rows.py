"""Two small helpers over the connection: insert a record, read rows as dicts.

Table and column names come from this package's code, never from input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database


def insert_row(db: Database, table: str, record: dict[str, Any]) -> int:
    """Insert ``record`` into ``table`` and return its rowid."""
    columns = ", ".join(f'"{name}"' for name in record)
    marks = ", ".join("?" for _ in record)
    cursor = db.conn.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(record.values())
    )
    return int(cursor.lastrowid or 0)


def fetch_rows(db: Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Run a SELECT and return its rows as dicts."""
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def fetch_one(db: Database, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
    found = fetch_rows(db, sql, params)
    return found[0] if found else None
