"""Run manifests: each run's new rows and blobs hashed, their Merkle root, chained to the last run.

Definitions, made once here and used by the run that writes a manifest, by `archiver db check` and
by `archiver verify`:

- **Canonical JSON** (``canonical_json``): UTF-8 JSON with keys sorted, no whitespace, non-ASCII
  characters as themselves; integers, floats (Python's shortest round-trip form), strings, null.
  A bytes value, which the covered tables do not hold, would be ``{"base64": "..."}``.
- **A row's hash** (``row_hash``): sha256 of the canonical JSON of ``{"table": T, "row": R}``,
  where R maps each column of ``COLUMNS[T]`` (and only those: a column added later does not change
  old hashes) to its stored value, plus each column of ``OPTIONAL_COLUMNS[T]`` whose value is not
  null (a media row's ``reused_from_media_id``: rows without it hash as before it existed). ``article_versions.last_seen`` is left out: the store moves it
  each time an article is seen unchanged.
- **A blob's leaf** is its sha256, the hash of its bytes.
- **The Merkle root** (``merkle_root``) is RFC 6962's Merkle tree hash over the leaves sorted bytewise:
  a leaf node is sha256(0x00 || leaf), an inner node sha256(0x01 || left || right), the left
  subtree holding the largest power of two below n leaves; no leaves: sha256 of nothing.
- **A manifest** covers every row of ``COLUMNS``' tables added since the previous manifest (ids
  after the previous manifest's ``upto``, up to this one's) and every blob those rows name. A run
  killed before its manifest leaves its rows to the next run's, so no row is ever left out.
  Its bytes are the canonical JSON of::

      {"format": "archiver-manifest/1",
       "run": {"id", "command", "started_at", "finished_at"},
       "previous": sha256 of the previous manifest's bytes, or null for the first,
       "tables": {T: {"from": first id, "upto": last id covered, "rows": [[id, row hash], ...]}},
       "blobs": [sha256, ...] (sorted), "leaves": n, "merkle_root": hex}

  and the manifest's hash, the one sent to time-stamping authorities, is sha256 of those bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

FORMAT = "archiver-manifest/1"

# The columns each covered table contributes to its rows' hashes, in the schema's order
# (archiver/store/schema.py). Append-only tables only: their rows are never updated.
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "article_versions": (
        "id", "article_id", "sha256", "bytes", "content_type", "kind", "encoding", "title",
        "final_url", "provenance", "fetched_at", "status", "headers", "redirect_chain", "replay",
        "embed_count", "run_id", "first_seen",
    ),
    "snapshots": (
        "id", "post_key", "embed_id", "run_id", "source", "fetched_at", "url", "final_url",
        "redirect_chain", "status", "headers", "body_sha256", "bytes", "content_type",
        "truncated", "error", "parsed", "elapsed_ms", "attempts", "replay", "tool_version",
    ),
    "checks": (
        "id", "post_key", "snapshot_id", "run_id", "checked_at", "source", "status", "outcome",
        "reason",
    ),
    "media": (
        "id", "post_key", "snapshot_id", "kind", "url", "stream_url", "alt", "width", "height",
        "bitrate", "fetched_at", "final_url", "redirect_chain", "status", "sha256", "bytes",
        "content_type", "truncated", "error", "replay",
    ),
}  # fmt: skip
# Columns added later, hashed only where set, so every row stored before them keeps its hash.
OPTIONAL_COLUMNS: Mapping[str, tuple[str, ...]] = {"media": ("reused_from_media_id",)}
# The column of each table that names a blob.
BLOB_COLUMNS: Mapping[str, str] = {
    "article_versions": "sha256",
    "snapshots": "body_sha256",
    "media": "sha256",
}

_LEAF, _NODE = b"\x00", b"\x01"


class ManifestError(ValueError):
    """Bytes that are not a manifest of this format."""


def _bytes(value: Any) -> Any:
    # json calls this only for what it cannot encode itself, so plain values cost nothing extra
    if isinstance(value, bytes | bytearray | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"{type(value).__name__} has no canonical JSON form")


# One encoder for every call: building its options anew per row cost 15% of a manifest's time.
_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_bytes
)


def canonical_json(value: Any) -> bytes:
    """The one serialisation every hash here is taken over (see the module docstring)."""
    return _ENCODER.encode(value).encode("utf-8")


def row_hash(table: str, row: Mapping[str, Any]) -> str:
    """The sha256 (hex) of a covered row: its ``COLUMNS[table]`` values, canonically."""
    record = {column: row[column] for column in COLUMNS[table]}
    record.update(
        (column, row[column])
        for column in OPTIONAL_COLUMNS.get(table, ())
        if row.get(column) is not None
    )
    return hashlib.sha256(canonical_json({"table": table, "row": record})).hexdigest()


def merkle_root(leaves: Iterable[bytes]) -> bytes:
    """RFC 6962 Merkle tree hash of the leaves, sorted bytewise first."""
    level = [hashlib.sha256(_LEAF + leaf).digest() for leaf in sorted(leaves)]
    if not level:
        return hashlib.sha256(b"").digest()
    return _subtree(level)


def _subtree(nodes: Sequence[bytes]) -> bytes:
    # Iterative over the RFC's recursion: a split at the largest power of two below n is the
    # same as pairing neighbours level by level and carrying an odd last node up unchanged.
    while len(nodes) > 1:
        paired = [
            hashlib.sha256(_NODE + nodes[i] + nodes[i + 1]).digest()
            for i in range(0, len(nodes) - 1, 2)
        ]
        if len(nodes) % 2:
            paired.append(nodes[-1])
        nodes = paired
    return nodes[0]


@dataclass(frozen=True, slots=True)
class Manifest:
    """A manifest's canonical bytes and what the store keeps beside them."""

    data: bytes
    sha256: str
    run_id: int
    previous: str | None
    merkle_root: str
    leaves: int
    upto: dict[str, int]  # per table, the last id covered

    @property
    def document(self) -> dict[str, Any]:
        return read_manifest(self.data)


def build_manifest(
    run: Mapping[str, Any],
    *,
    previous: str | None,
    rows: Mapping[str, Iterable[Mapping[str, Any]]],
    after: Mapping[str, int],
) -> Manifest:
    """The manifest of a run: ``rows`` per table (id order, ids after ``after[table]``), each
    read once, so they may stream from a cursor.

    ``run`` holds the run's ``id``, ``command``, ``started_at``, ``finished_at``.
    """
    tables: dict[str, Any] = {}
    blobs: set[str] = set()
    leaves: list[bytes] = []
    upto: dict[str, int] = {}
    for table in COLUMNS:
        blob_column = BLOB_COLUMNS.get(table)
        hashed = []
        for row in rows.get(table, ()):
            hashed.append([row["id"], row_hash(table, row)])
            if blob_column and row[blob_column]:
                blobs.add(row[blob_column])
        leaves += [bytes.fromhex(h) for _, h in hashed]
        upto[table] = hashed[-1][0] if hashed else after.get(table, 0)
        tables[table] = {"from": after.get(table, 0) + 1, "upto": upto[table], "rows": hashed}
    leaves += [bytes.fromhex(b) for b in blobs]
    root = merkle_root(leaves).hex()
    document = {
        "format": FORMAT,
        "run": {key: run[key] for key in ("id", "command", "started_at", "finished_at")},
        "previous": previous,
        "tables": tables,
        "blobs": sorted(blobs),
        "leaves": len(leaves),
        "merkle_root": root,
    }
    data = canonical_json(document)
    return Manifest(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        run_id=int(run["id"]),
        previous=previous,
        merkle_root=root,
        leaves=len(leaves),
        upto=upto,
    )


def read_manifest(data: bytes) -> dict[str, Any]:
    """A manifest's document; ManifestError unless it is canonical and of this format."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"not JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ManifestError(f"not an {FORMAT} document")
    if canonical_json(document) != data:
        raise ManifestError("not in canonical form")
    return document


def manifest_problems(document: Mapping[str, Any]) -> list[str]:
    """What in a manifest's own content does not add up: its leaf count and Merkle root."""
    leaves = [
        bytes.fromhex(h) for table in document["tables"].values() for _, h in table["rows"]
    ] + [bytes.fromhex(b) for b in document["blobs"]]
    problems = []
    if len(leaves) != document["leaves"]:
        problems.append(f"it counts {document['leaves']} leaves and lists {len(leaves)}")
    root = merkle_root(leaves).hex()
    if root != document["merkle_root"]:
        problems.append(f"its Merkle root is {document['merkle_root']}, its leaves give {root}")
    return problems
