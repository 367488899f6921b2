"""One row per embed found in a crawl: where its record lies, then the embed as `archiver scan`
prints it. The same columns in JSON Lines and Parquet (docs/crawl.md describes each)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from archiver.errors import InputError
from archiver.models import Embed

# Column -> Parquet type: "string", "int64" or "list<string>"; nullable, every one of them.
COLUMNS: dict[str, str] = {
    "source": "string",  # the WARC file (absolute path or URL), or the article file
    "warc_offset": "int64",  # where the record starts in the file (its gzip member, when gzipped)
    "warc_length": "int64",  # the record's bytes in the file, from that offset
    "warc_record_id": "string",
    "warc_target_uri": "string",
    "warc_date": "string",
    "warc_payload_digest": "string",
    "content_type": "string",  # the HTTP Content-Type of the record's response
    "ordinal": "int64",  # the embed's place among the record's embeds, from 0
    "platform": "string",
    "form": "string",
    "handle": "string",
    "display_name": "string",
    "date": "string",
    "date_text": "string",
    "pic_links": "list<string>",
    "links": "list<string>",
    "status_id": "string",
    "status_url": "string",
    "lang": "string",
    "text": "string",
    "start": "int64",
    "end": "int64",
}


# The columns before "ordinal": where an embed was found, the same for each embed of a record.
RECORD_COLUMNS = tuple(COLUMNS)[: tuple(COLUMNS).index("ordinal")]
_NO_RECORD = dict.fromkeys(RECORD_COLUMNS)
_NO_ROW = dict.fromkeys(COLUMNS)


def record_columns(provenance: dict[str, Any]) -> dict[str, Any]:
    """A record's columns (RECORD_COLUMNS) in order: ``provenance``'s values (it names only these
    columns), None where it gives none."""
    return _NO_RECORD | provenance


def record_rows(record: dict[str, Any], embeds: Sequence[Embed]) -> list[dict[str, Any]]:
    """The rows of a record's ``embeds``, in order: each row's columns in COLUMNS' order, the
    ``record``'s (``record_columns``), the embed's ordinal, then the embed as `archiver scan`
    prints it."""
    return [
        {**_NO_ROW, **record, "ordinal": ordinal, **embed.to_dict()}
        for ordinal, embed in enumerate(embeds)
    ]


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a scan result: a JSON Lines file, or a Parquet file or folder of part files."""
    if path.is_dir() or path.suffix.lower() == ".parquet":
        from archiver.crawl.parquet import read_parquet  # pyarrow only for Parquet

        yield from read_parquet(path)
        return
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    yield _checked(_json(line, path, number), path, number)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from exc


def _json(line: str, path: Path, number: int) -> Any:
    try:
        return json.loads(line)
    except ValueError as exc:
        raise InputError(f"{path}, line {number}: not JSON ({exc})") from exc


def _checked(row: Any, path: Path, number: int) -> dict[str, Any]:
    if not isinstance(row, dict) or not isinstance(row.get("source"), str):
        raise InputError(f"{path}, line {number}: not a row of `archiver scan` (no source)")
    return row
