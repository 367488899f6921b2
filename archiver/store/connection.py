"""Where the archive lives and how a connection to it is opened."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from archiver.errors import InputError, StoreError
from archiver.logs import logger
from archiver.store.schema import MIGRATIONS

log = logger(__name__)

DEFAULT_DB = "archive.db"
ENV_DB = "ARCHIVER_DB"

# Chosen with `python -m benchmarks store` against 8, 16 and 32 KB. Larger pages store a post row
# in 3% fewer bytes and write big media blobs faster, but every small transaction (a post and its
# witnesses, as the pipeline writes them) writes whole pages: at 16 KB those ran 30% slower and the
# raw answers took 12% more room. 4 KB, SQLite's default, made the smallest archive per fetched post.
PAGE_SIZE = 4096
# Datasette or a second run may hold the write lock for a moment; wait rather than fail.
BUSY_TIMEOUT_MS = 30_000
# SQLite's default 2 MB page cache thrashes once the full-text index outgrows it; 64 MB doubled
# the insert rate in `python -m benchmarks store`. Pages are allocated only as they are used.
CACHE_SIZE_KIB = 65_536


def resolve_db_path(explicit: str | None) -> Path:
    """The archive: ``explicit`` (``--db``), else ``$ARCHIVER_DB``, else ``./archive.db``."""
    return Path(explicit or os.environ.get(ENV_DB) or DEFAULT_DB)


def connect(path: str | Path, *, readonly: bool = False, create: bool = True) -> Database:
    """Open the archive at ``path`` as a sqlite-utils Database, ready to use.

    A new file gets the measured page size before its first table, WAL, and the schema;
    an existing one gets any pending migrations. ``readonly`` opens without writing anything
    (no creation, no migration). A missing file raises InputError unless ``create``.
    """
    path = Path(path)
    if "\x00" in str(path):
        raise InputError(f"{str(path)!r} is not a path a file can have (it holds a NUL)")
    exists = path.exists()
    if path.is_dir():
        raise InputError(f"{path} is a directory, not an archive database")
    if not exists and (readonly or not create):
        raise InputError(f"no archive database at {path} (give --db PATH or set {ENV_DB})")
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True) if readonly else sqlite3.connect(path)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute(f"PRAGMA cache_size = -{CACHE_SIZE_KIB}")
        db = Database(conn, execute_plugins=False)
        _configure(db, path, new=not exists, readonly=readonly, create=create)
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{path} is not a readable archive database: {exc}") from exc
    return db


def readonly_uri(path: Path) -> str:
    """The URI that reads the archive at ``path`` without writing to it (see needs_immutable)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return f"{uri}&immutable=1" if needs_immutable(path) else uri


def needs_immutable(path: Path) -> bool:
    """Whether SQLite can read the archive at ``path`` only with ``immutable=1``, not ``mode=ro``.

    So it is when the archive is in WAL mode and this user cannot write its folder: a WAL reader
    needs the ``-shm`` file beside the database, and nobody can create it there. No run can
    write there either, so the file cannot change under an immutable reader.
    """
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_READONLY:
            return True
        raise
    finally:
        conn.close()
    return False


def is_writable(path: Path) -> bool:
    """Whether this user may write the archive at ``path`` and create its -wal and -shm beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _configure(db: Database, path: Path, *, new: bool, readonly: bool, create: bool) -> None:
    db.execute("PRAGMA foreign_keys = ON")
    applied = MIGRATIONS.applied(db)
    # A run killed while creating the archive can leave the migrations' own table and nothing
    # else: that file is an archive still to be built, not someone else's database. Only a
    # command that may create the archive (``create``) builds it; the others refuse the file.
    others = [name for name in db.table_names() if name != MIGRATIONS.migrations_table]
    if not applied and (readonly or others or not create):
        raise InputError(f"{path} is not an archiver database (it lacks the archive's schema)")
    if readonly:
        if MIGRATIONS.pending(db):
            raise StoreError(
                "the archive was written by an older archiver; "
                "run a writing command (archiver archive) once to upgrade it"
            )
        return
    if new:
        # The page size is fixed once the first page is written, and WAL fixes it for good.
        db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    db.enable_wal()
    # NORMAL in WAL mode survives a crashed process without corruption; only the last
    # transactions before a power cut can be lost.
    db.execute("PRAGMA synchronous = NORMAL")
    pending = [m.name for m in MIGRATIONS.pending(db)]
    if pending:
        log.info("applying migrations %s", pending)
        MIGRATIONS.apply(db)
