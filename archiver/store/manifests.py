"""Run manifests and their time-stamps in the archive; the chain walked by `archiver db check`.

What a manifest is, and every hash in it, is defined in archiver/evidence/manifest.py; this
module reads the rows a manifest covers and keeps what it says.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

from sqlite_utils import Database

from archiver.errors import StoreError
from archiver.evidence.manifest import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    Manifest,
    ManifestError,
    build_manifest,
    manifest_problems,
    read_manifest,
    row_hash,
)
from archiver.evidence.tsa import (
    REPLY_TYPE,
    TrustRoots,
    signature_problem,
    untrusted_only,
    verify_reply,
)
from archiver.store.blobs import put_blob
from archiver.store.records import inserted_id

MANIFEST_TYPE = "application/json"
_UPTO = {table: f"{table}_upto" for table in COLUMNS}


def _last_manifest(db: Database) -> dict[str, Any] | None:
    return next(db.query("SELECT * FROM run_manifests ORDER BY run_id DESC LIMIT 1"), None)


def _rows(
    db: Database, table: str, first: int, last: int | None = None
) -> Iterator[dict[str, Any]]:
    """A covered table's rows from id ``first`` (to ``last``), streamed: the first manifest of
    an archive made before manifests existed covers every row it holds."""
    columns = COLUMNS[table] + OPTIONAL_COLUMNS.get(table, ())
    names = ", ".join(f'"{c}"' for c in columns)
    bound = "" if last is None else " AND id <= ?"
    params = [first] if last is None else [first, last]
    yield from db.query(f"SELECT {names} FROM {table} WHERE id >= ?{bound} ORDER BY id", params)


def seal_run(db: Database, run_id: int, *, now: str) -> Manifest:
    """Write the manifest of a finished run: every covered row added since the last manifest."""
    run = _run(db, run_id)
    if run is None:
        raise StoreError(f"no run {run_id}")
    last = _last_manifest(db)
    after = {table: last[column] if last else 0 for table, column in _UPTO.items()}
    manifest = build_manifest(
        run,
        previous=last["sha256"] if last else None,
        rows={table: _rows(db, table, after[table] + 1) for table in COLUMNS},
        after=after,
    )
    put_blob(db, manifest.data, content_type=MANIFEST_TYPE, now=now)
    db.table("run_manifests").insert(
        {
            "run_id": run_id,
            "sha256": manifest.sha256,
            "previous_sha256": manifest.previous,
            "merkle_root": manifest.merkle_root,
            "leaves": manifest.leaves,
            **{_UPTO[table]: manifest.upto[table] for table in COLUMNS},
            "created_at": now,
        }
    )
    return manifest


def manifests_to_stamp(db: Database, tsa_url: str, *, limit: int) -> list[dict[str, Any]]:
    """``{run_id, sha256}`` of the manifests no reply from ``tsa_url`` granted, newest first."""
    return list(
        db.query(
            "SELECT m.run_id, m.sha256 FROM run_manifests m WHERE NOT EXISTS ("
            " SELECT 1 FROM run_timestamps t"
            " WHERE t.run_id = m.run_id AND t.tsa_url = ? AND t.status = 'granted'"
            ") ORDER BY m.run_id DESC LIMIT ?",
            [tsa_url, limit],
        )
    )


def add_timestamp(
    db: Database,
    *,
    run_id: int,
    tsa_url: str,
    attempted_by: int | None,
    reply: bytes | None,
    time: str | None,
    reason: str | None,
    now: str,
) -> int:
    """Append one time-stamp attempt: granted (``reply`` and ``time``) or failed (``reason``)."""
    manifest = db.execute("SELECT sha256 FROM run_manifests WHERE run_id = ?", [run_id]).fetchone()
    if manifest is None:
        raise StoreError(f"run {run_id} has no manifest")
    granted = reply is not None and time is not None
    stamps = db.table("run_timestamps").insert(
        {
            "run_id": run_id,
            "manifest_sha256": manifest[0],
            "tsa_url": tsa_url,
            "attempted_by_run_id": attempted_by,
            "requested_at": now,
            "status": "granted" if granted else "failed",
            "reply_sha256": put_blob(db, reply, content_type=REPLY_TYPE, now=now)
            if granted and reply is not None
            else None,
            "time": time if granted else None,
            "reason": None if granted else reason,
        }
    )
    return inserted_id(stamps.last_rowid)


def manifests(db: Database) -> list[dict[str, Any]]:
    """Every manifest, oldest first: run_id, sha256, previous_sha256, merkle_root, leaves, the
    last row id covered per table, created_at."""
    return list(db.query("SELECT * FROM run_manifests ORDER BY run_id"))


def timestamps(db: Database, *, run_id: int | None = None) -> list[dict[str, Any]]:
    """Every time-stamp attempt (of one run's manifest if given), oldest first, with
    ``manifest_sha256``, ``previous_sha256``, ``merkle_root``, ``reply_sha256`` (the token's
    blob), ``tsa_url``, ``time``, ``status`` and ``reason``."""
    where = "" if run_id is None else " WHERE t.run_id = ?"
    return list(
        db.query(
            "SELECT t.id, t.run_id, t.manifest_sha256, m.previous_sha256, m.merkle_root,"
            " t.reply_sha256, t.tsa_url, t.time, t.status, t.reason, t.requested_at,"
            " t.attempted_by_run_id FROM run_timestamps t JOIN run_manifests m ON m.run_id = t.run_id"
            f"{where} ORDER BY t.id",
            [] if run_id is None else [run_id],
        )
    )


def covering_manifest(db: Database, table: str, row_id: int) -> dict[str, Any] | None:
    """The manifest that covers row ``row_id`` of ``table``, or None while none does yet."""
    return next(
        db.query(
            f"SELECT * FROM run_manifests WHERE {_UPTO[table]} >= ? ORDER BY run_id LIMIT 1",
            [row_id],
        ),
        None,
    )


def covered_row_hash(db: Database, table: str, row_id: int) -> str | None:
    """The hash of a covered table's row as it is stored now (None: no such row)."""
    row = next(_rows(db, table, row_id, row_id), None)
    return row_hash(table, row) if row else None


def chain_problems(db: Database, *, bad_blobs: Mapping[str, str], roots: TrustRoots) -> list[str]:
    """Each manifest re-checked in order; every problem names the run whose manifest it breaks.

    Its bytes against its hash, its link to the previous manifest, its run's times, its Merkle
    root, every row it covers re-hashed (none missing, none added), its blobs present and
    intact (``bad_blobs``: the archive's damaged blobs, by key), and each granted time-stamp
    re-verified over its hash: in full against ``roots``, else (no root vouches for its signer,
    which is not a problem here) its signature with the certificate it carries.
    """
    problems: list[str] = []
    previous: dict[str, Any] | None = None
    for row in manifests(db):
        run = f"run {row['run_id']}"
        problems += [f"{run}: {p}" for p in _manifest_problems(db, row, previous, bad_blobs)]
        problems += [f"{run}: {p}" for p in _timestamp_problems(db, row, roots)]
        previous = row
    return problems


def _manifest_problems(
    db: Database,
    row: dict[str, Any],
    previous: dict[str, Any] | None,
    bad_blobs: Mapping[str, str],
) -> list[str]:
    expected_previous = previous["sha256"] if previous else None
    problems = []
    if row["previous_sha256"] != expected_previous:
        problems.append(
            f"its manifest links to {row['previous_sha256']}, but the manifest before it is "
            f"{expected_previous}"
        )
    blob = _blob_content(db, row["sha256"])
    if blob is None:
        return [*problems, f"its manifest {row['sha256']} is missing"]
    data = bytes(blob)
    if hashlib.sha256(data).hexdigest() != row["sha256"]:
        return [*problems, f"its manifest's bytes no longer hash to {row['sha256']}"]
    try:
        document = read_manifest(data)
    except ManifestError as exc:
        return [*problems, f"its manifest is unreadable: {exc}"]
    if document["previous"] != expected_previous:
        problems.append(f"its manifest names {document['previous']} as the one before it")
    run = _run(db, row["run_id"])
    if run != document["run"]:
        problems.append(f"its run row {run} differs from its manifest's {document['run']}")
    problems += manifest_problems(document)
    if document["merkle_root"] != row["merkle_root"] or document["leaves"] != row["leaves"]:
        problems.append("its Merkle root or leaf count differs from its manifest's")
    after = {t: previous[c] if previous else 0 for t, c in _UPTO.items()}
    for table in COLUMNS:
        problems += _table_problems(db, table, document["tables"][table], after[table], row)
    problems += [
        f"blob {sha256} of its manifest: {bad_blobs.get(sha256, 'missing')}"
        for sha256 in document["blobs"]
        if sha256 in bad_blobs or not _blob_exists(db, sha256)
    ]
    return problems


def _table_problems(
    db: Database, table: str, part: dict[str, Any], after: int, row: dict[str, Any]
) -> list[str]:
    upto = row[_UPTO[table]]
    if part["from"] != after + 1 or part["upto"] != upto:
        return [
            f"its manifest covers {table} {part['from']}-{part['upto']}, not {after + 1}-{upto}"
        ]
    listed = {int(i): h for i, h in part["rows"]}
    stored = {r["id"]: row_hash(table, r) for r in _rows(db, table, after + 1, upto)}
    problems = [f"{table} row {i} is gone" for i in sorted(listed.keys() - stored.keys())]
    problems += [f"{table} row {i} was added after" for i in sorted(stored.keys() - listed.keys())]
    problems += [
        f"{table} row {i} changed since its manifest"
        for i in sorted(listed.keys() & stored.keys())
        if listed[i] != stored[i]
    ]
    return problems


def _run(db: Database, run_id: int) -> dict[str, Any] | None:
    """The run row a manifest records (the same columns, whoever reads it)."""
    return next(
        db.query("SELECT id, command, started_at, finished_at FROM runs WHERE id = ?", [run_id]),
        None,
    )


def _blob_content(db: Database, sha256: str) -> Any:
    row = db.execute("SELECT content FROM blobs WHERE sha256 = ?", [sha256]).fetchone()
    return None if row is None else row[0]


def _blob_exists(db: Database, sha256: str) -> bool:
    return db.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (sha256,)).fetchone() is not None


def _timestamp_problems(db: Database, row: dict[str, Any], roots: TrustRoots) -> list[str]:
    problems = []
    for stamp in timestamps(db, run_id=row["run_id"]):
        if stamp["status"] != "granted":
            continue
        where = f"its time-stamp from {stamp['tsa_url']}"
        if stamp["manifest_sha256"] != row["sha256"]:
            problems.append(f"{where} is over {stamp['manifest_sha256']}, not its manifest")
            continue
        reply = _blob_content(db, stamp["reply_sha256"])
        if reply is None:
            problems.append(f"{where}: its reply {stamp['reply_sha256']} is missing")
            continue
        token = bytes(reply)
        verdict = verify_reply(token, sha256=row["sha256"], roots=roots)
        if not verdict.verified and not untrusted_only(verdict):
            problems.append(f"{where}: {verdict.reason}")
        elif not verdict.verified and (problem := signature_problem(token)):
            problems.append(f"{where}: {problem}")
        elif verdict.time != stamp["time"]:
            problems.append(f"{where}: its token says {verdict.time}, its row {stamp['time']}")
    return problems
