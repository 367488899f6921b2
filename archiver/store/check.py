"""`archiver db check`: does the archive still agree with itself?"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlite_utils import Database

from archiver.evidence.tsa import TrustRoots
from archiver.store.blobs import damaged_blobs
from archiver.store.manifests import chain_problems
from archiver.store.schema import fts_tables


def check(db: Database, *, tsa_roots: TrustRoots) -> list[str]:
    """Every problem found, as one sentence each; an empty list means the archive is sound.

    Runs SQLite's integrity_check and foreign_key_check, re-hashes every blob against its key,
    checks each full-text index against its table, each article against its current version,
    and walks the chain of run manifests (archiver/store/manifests.py), re-verifying their
    time-stamps against ``tsa_roots`` where a root vouches for the signer. A step that damage
    keeps from finishing is itself reported, and the others still run.
    """
    damaged: dict[str, str] = {}

    def blob_hashes(db: Database) -> list[str]:
        damaged.update(damaged_blobs(db))
        return [f"blob {key}: {problem}" for key, problem in damaged.items()]

    def run_manifests(db: Database) -> list[str]:
        return chain_problems(db, bad_blobs=damaged, roots=tsa_roots)

    steps: list[tuple[str, Callable[[Database], list[str]]]] = [
        ("integrity_check", _integrity),
        ("foreign_key_check", _foreign_keys),
        ("blob hashes", blob_hashes),
        ("full-text indexes", _fts_problems),
        ("article versions", _article_versions),
        ("run manifests", run_manifests),
    ]
    problems = []
    for name, step in steps:
        try:
            problems += step(db)
        except sqlite3.DatabaseError as exc:
            problems.append(f"{name}: could not finish: {exc}")
    return problems


def _integrity(db: Database) -> list[str]:
    return [
        f"integrity_check: {message}"
        for (message,) in db.conn.execute("PRAGMA integrity_check")
        if message != "ok"
    ]


def _foreign_keys(db: Database) -> list[str]:
    return [
        f"foreign key: {table} row {rowid} points to a missing row of {parent}"
        for table, rowid, parent, _ in db.conn.execute("PRAGMA foreign_key_check")
    ]


def _article_versions(db: Database) -> list[str]:
    return [
        f"articles row {article_id}: its sha256 differs from its current version's"
        for (article_id,) in db.conn.execute(
            "SELECT a.id FROM articles a"
            " LEFT JOIN article_versions v ON v.id = a.current_version_id"
            " WHERE v.id IS NULL OR v.sha256 != a.sha256 OR v.article_id != a.id"
        )
    ]


def _fts_problems(db: Database) -> list[str]:
    problems = []
    for table in fts_tables():
        fts = f"{table}_fts"
        try:
            # rank = 1 also compares the index with the content table (external content).
            db.conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_READONLY:
                continue  # the check is an INSERT: a read-only archive cannot run it (db check says so)
            problems.append(f"full-text index {fts} not checked: {exc}")
        except sqlite3.DatabaseError as exc:
            problems.append(f"full-text index {fts} does not match {table}: {exc}")
        finally:
            if db.conn.in_transaction:
                db.conn.rollback()
    return problems
