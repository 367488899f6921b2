"""Runs of the archiver and the failures met on the way: every failure is a row with its reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlite_utils import Database

from archiver import __version__
from archiver.errors import StoreError
from archiver.models import Exchange
from archiver.store.exchanges import insert_snapshot
from archiver.store.posts import ensure_post
from archiver.store.records import inserted_id, storable, to_json


def start_run(db: Database, command: str, arguments: list[str], *, replay: bool, now: str) -> int:
    runs = db.table("runs").insert(
        {
            "command": command,
            "arguments": to_json(list(arguments)),
            "replay": int(replay),
            "version": __version__,
            "started_at": now,
        }
    )
    return inserted_id(runs.last_rowid)


def finish_run(
    db: Database, run_id: int, *, counts: dict[str, int], error_count: int, now: str
) -> None:
    row = db.execute("SELECT started_at FROM runs WHERE id = ?", [run_id]).fetchone()
    if row is None:
        raise StoreError(f"no run {run_id}")
    db.execute(
        "UPDATE runs SET finished_at = ?, duration_s = ?, counts = ?, error_count = ? WHERE id = ?",
        (
            now,
            round(_seconds_between(row[0], now), 3),
            to_json(dict(counts)),
            error_count,
            run_id,
        ),
    )


def _seconds_between(start: str, end: str) -> float:
    parse = dt.datetime.fromisoformat
    return (parse(end) - parse(start)).total_seconds()


def record_failure(
    db: Database,
    *,
    run_id: int | None,
    stage: str,
    reason: str,
    article_id: int | None,
    embed_id: int | None,
    post_key: str | None,
    url: str | None,
    exchange: Exchange | None,
    now: str,
) -> int:
    if post_key is not None:
        ensure_post(db, post_key, now=now)
    snapshot_id = None
    if exchange is not None:
        snapshot_id = insert_snapshot(
            db,
            exchange,
            source=stage,
            post_key=post_key,
            embed_id=embed_id,
            run_id=run_id,
            parsed=None,
            now=now,
        )
    failures = db.table("failures").insert(
        {
            "run_id": run_id,
            "failed_at": now,
            "stage": stage,
            "reason": storable(reason),
            "article_id": article_id,
            "embed_id": embed_id,
            "post_key": post_key,
            "url": storable(url) if url is not None else None,
            "snapshot_id": snapshot_id,
        }
    )
    return inserted_id(failures.last_rowid)


def failure_history(
    db: Database, *, stage: str, column: str, values: list[Any]
) -> dict[Any, tuple[int, str]]:
    """``{value: (failures, last failed_at)}`` of a stage's failures, by embed_id or post_key."""
    if column not in ("embed_id", "post_key"):
        raise StoreError(f"no failure history by {column!r}")
    history: dict[Any, tuple[int, str]] = {}
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for value, count, last in db.execute(
            f"SELECT {column}, count(*), max(failed_at) FROM failures"
            f" WHERE stage = ? AND {column} IN ({marks}) GROUP BY {column}",
            [stage, *chunk],
        ):
            history[value] = (count, last)
    return history


def count_run_errors(db: Database, run_id: int, error_count: int) -> None:
    db.execute("UPDATE runs SET error_count = ? WHERE id = ?", (error_count, run_id))
