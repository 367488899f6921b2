"""Scan rows as Parquet: one part file per task, written where the task ran, read back as rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from archiver.crawl.rows import COLUMNS
from archiver.errors import InputError

_TYPES = {"string": pa.string(), "int64": pa.int64(), "list<string>": pa.list_(pa.string())}
SCHEMA = pa.schema([pa.field(name, _TYPES[kind]) for name, kind in COLUMNS.items()])


def write_part(rows: list[dict[str, Any]], path: Path) -> None:
    """Write ``rows`` to the Parquet file ``path`` (its folder made if need be), schema and all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    # Written under a temporary name and renamed: a part is whole or absent, never half written.
    partial = path.with_name(f".{path.name}.partial")
    pq.write_table(table, partial)
    partial.replace(path)


def read_parquet(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a Parquet file, or of every part file in a folder in the order of their names."""
    parts = sorted(path.glob("part-*.parquet")) if path.is_dir() else [path]
    for part in parts:
        try:
            table = pq.read_table(part, schema=SCHEMA)
        except (OSError, pa.ArrowException) as exc:
            raise InputError(f"{part}: not a Parquet file of scan rows ({exc})") from exc
        yield from table.to_pylist()
