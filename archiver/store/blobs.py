"""Content-addressed bytes: each distinct body, article or media file is stored once, by sha256."""

from __future__ import annotations

import hashlib
from typing import BinaryIO

from sqlite_utils import Database

from archiver.errors import StoreError

_CHUNK = 1 << 20


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put_blob(db: Database, data: bytes, *, content_type: str | None, now: str) -> str:
    """Store ``data`` unless its hash is already there; return the hash."""
    digest = sha256_hex(data)
    db.conn.execute(
        "INSERT INTO blobs (sha256, content, bytes, content_type, first_seen)"
        " VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (sha256) DO UPDATE SET content_type = excluded.content_type"
        " WHERE content_type IS NULL AND excluded.content_type IS NOT NULL",
        (digest, data, len(data), content_type, now),
    )
    return digest


def get_blob(db: Database, sha256: str) -> bytes:
    row = db.conn.execute("SELECT content FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None:
        raise StoreError(f"no blob {sha256}")
    if not isinstance(row[0], bytes):
        raise StoreError(f"blob {sha256} holds {type(row[0]).__name__}, not bytes")
    return row[0]


def damaged_blobs(db: Database) -> dict[str, str]:
    """``{key: what is wrong}`` of the blobs whose bytes no longer match their key or size.

    Blobs are read in chunks, so a large video never has to fit in memory at once.
    """
    problems = {}
    rows = db.conn.execute("SELECT rowid, sha256, bytes, typeof(content) FROM blobs ORDER BY rowid")
    for rowid, key, size, kind in rows.fetchall():
        if kind != "blob":
            problems[key] = f"holds {kind}, not bytes"
            continue
        digest = hashlib.sha256()
        length = 0
        with db.conn.blobopen("blobs", "content", rowid, readonly=True) as blob:
            while chunk := blob.read(_CHUNK):
                digest.update(chunk)
                length += len(chunk)
        if digest.hexdigest() != key:
            problems[key] = f"its bytes hash to {digest.hexdigest()}"
        elif length != size:
            problems[key] = f"{length} bytes, recorded as {size}"
    return problems


def put_blob_file(
    db: Database, file: BinaryIO, *, sha256: str, size: int, content_type: str | None, now: str
) -> str:
    """Store a file's bytes under their already-computed hash, copying in chunks (a 200 MB video
    never sits in memory whole); the bytes are hashed again on the way in and must agree."""
    file.seek(0, 2)
    if file.tell() != size:
        raise StoreError(f"the file given as blob {sha256} has {file.tell():,} bytes, not {size:,}")
    inserted = db.conn.execute(
        "INSERT INTO blobs (sha256, content, bytes, content_type, first_seen)"
        " VALUES (?, zeroblob(?), ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
        (sha256, size, size, content_type, now),
    ).rowcount
    if not inserted:
        return sha256
    rowid = db.conn.execute("SELECT rowid FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()[0]
    digest = hashlib.sha256()
    file.seek(0)
    with db.conn.blobopen("blobs", "content", rowid) as blob:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
            blob.write(chunk)
    if digest.hexdigest() != sha256:
        raise StoreError(f"the file given as blob {sha256} hashes to {digest.hexdigest()}")
    return sha256


_CHUNK = 1024 * 1024
