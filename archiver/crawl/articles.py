"""The articles a scan result lists, read again from their WARC records, for `archive --embeds`.

Each record a result names is read once, at its offset (a Range request for a WARC on the web),
and must carry the WARC-Record-ID the row gives: the bytes archived are the bytes scanned.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from archiver.crawl.rows import read_rows
from archiver.errors import FetchError, InputError
from archiver.fetch import HttpClient
from archiver.models import ArticleInput
from archiver.sources.files import read_article_file
from archiver.sources.warc_records import MAX_RECORD_BYTES, WarcRecord, record_at, record_from


async def listed_articles(
    listing: Path, client: HttpClient
) -> AsyncIterator[ArticleInput | InputError]:
    """Each article (WARC record or article file) that the rows of ``listing`` name, once, in
    order; one that cannot be read again is an InputError in its place."""
    seen: set[tuple[str, int | None]] = set()
    try:
        for row in read_rows(listing):
            key = (row["source"], row.get("warc_offset"))
            if key in seen:
                continue
            seen.add(key)
            try:
                yield await _article(row, client)
            except (InputError, FetchError) as exc:
                where = f" at offset {key[1]}" if key[1] is not None else ""
                yield InputError(f"{key[0]}{where}: {exc}")
    except InputError as exc:
        yield exc


async def _article(row: dict[str, Any], client: HttpClient) -> ArticleInput:
    source, offset = row["source"], row.get("warc_offset")
    if offset is None:
        return read_article_file(Path(source))
    if source.startswith(("http://", "https://")):
        record = await _remote_record(client, source, offset, row.get("warc_length"))
    else:
        record = record_at(Path(source), offset)
    if record.record_id != row.get("warc_record_id"):
        raise InputError(f"the record there is {record.record_id}, not {row.get('warc_record_id')}")
    if not record.target_uri:
        raise InputError("the record has no WARC-Target-URI")
    return ArticleInput(
        source=record.target_uri,
        content=record.content,
        content_type=record.content_type,
        final_url=record.target_uri,
        provenance={
            "warc_file": source,
            "warc_offset": record.offset,
            "warc_length": record.length,
            "warc_record_id": record.record_id,
            "warc_date": record.date,
            "warc_target_uri": record.target_uri,
            "warc_payload_digest": record.payload_digest,
            "http_status": record.http_status,
        },
    )


async def _remote_record(client: HttpClient, url: str, offset: int, length: Any) -> WarcRecord:
    if not isinstance(length, int) or length <= 0:
        raise InputError("the row gives no record length to ask for")
    exchange = await client.get(
        url, headers={"Range": f"bytes={offset}-{offset + length - 1}"}, max_bytes=MAX_RECORD_BYTES
    )
    if exchange.status != 206:
        raise InputError(f"HTTP {exchange.status} to a Range request (206 expected)")
    return record_from(io.BytesIO(exchange.body), offset=offset)
