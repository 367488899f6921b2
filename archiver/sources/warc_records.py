"""The scannable records of a WARC file, streamed, each with its offset, length and WARC headers.

``scannable_records`` reads a stream record by record (warcio never holds more than one record's
capped content), from the start or from a byte range of a gzipped WARC, and reports what goes
wrong with one record as a ``RecordFailure`` at its offset: a body shorter than its
Content-Length, a file that ends inside a record, bytes that are not a WARC record. The records
before a break are kept. ``record_at`` reads the one record at a known offset again.
"""

from __future__ import annotations

import dataclasses
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from archiver.errors import InputError

if TYPE_CHECKING:
    from warcio.recordloader import ArcWarcRecord

SCANNED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
MAX_RECORD_BYTES = 64 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b\x08"
_SYNC_CHUNK = 1024 * 1024
_MEMBER_HEAD = 4096  # compressed bytes enough to inflate a record's first line
# An uncompressed WARC ends each record with two CRLFs that warcio leaves out of its length.
_RECORD_TRAILER = 4


@dataclass(frozen=True, slots=True)
class WarcRecord:
    """One HTML or text response record: where it lies in its file, its WARC headers, its payload."""

    offset: int
    length: int
    record_id: str | None
    target_uri: str | None
    date: str | None
    payload_digest: str | None
    content_type: str
    http_status: str | None
    content: bytes  # the HTTP payload, transfer and content encodings undone


@dataclass(frozen=True, slots=True)
class RecordFailure:
    """A record that could not be read, or where the file stopped being a WARC."""

    offset: int
    reason: str


def scannable_records(
    stream: BinaryIO,
    *,
    start: int = 0,
    end: int | None = None,
    max_bytes: int = MAX_RECORD_BYTES,
) -> Iterator[WarcRecord | RecordFailure]:
    """The response records of ``stream`` whose HTTP Content-Type is HTML or text.

    With ``start``/``end`` (gzipped WARCs only): the records that begin in ``[start, end)``, the
    first found at the next gzip member that holds a WARC record, so that ranges cut anywhere
    share the records out exactly once. Raises InputError when the stream is not a WARC at all.
    """
    # warcio on the first record read, not at import: a crawl of article files never needs it
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    base = 0
    if start:
        synced = _sync(stream, start)
        if synced is None:
            return
        stream.seek(synced)
        base = synced
    counted = _Counting(stream)
    head = counted.peek(5)
    if not base and not head.startswith((b"WARC/", _GZIP_MAGIC[:2])):
        raise InputError("not a WARC file (no WARC header)")
    gzipped = head.startswith(_GZIP_MAGIC[:2])
    records = ArchiveIterator(counted)
    last_end = base
    try:
        for record in records:
            offset = base + records.offset  # where this record begins (before it is read)
            if end is not None and offset >= end:
                return
            if record.format != "warc":  # warcio reads ARC too, and takes any line for one
                raise ArchiveLoadFailed(f"{record.format} format")
            item = _scannable(record, offset, max_bytes)
            records.read_to_end(record)
            length = records.get_record_length()
            last_end = offset + length
            if record.raw_stream.limit:
                yield RecordFailure(offset, f"truncated: {record.raw_stream.limit:,} bytes missing")
            elif item is not None and len(item.content) > max_bytes:
                yield RecordFailure(offset, f"more than the {max_bytes:,}-byte limit")
            elif item is not None:
                yield dataclasses.replace(item, length=length)
    except ArchiveLoadFailed as exc:
        if last_end == base == 0:
            raise InputError(f"not a WARC file ({_first_line(exc)})") from exc
        yield RecordFailure(last_end, f"not a WARC record ({_first_line(exc)})")
        return
    except (OSError, EOFError, zlib.error) as exc:
        yield RecordFailure(last_end, f"unreadable ({exc})")
        return
    if end is None:
        counted.read()  # to the end, so that the bytes no record took are counted
        extra = counted.total - (last_end - base) - (0 if gzipped else _RECORD_TRAILER)
        if extra > 0 and last_end == base == 0:
            raise InputError(f"not a WARC file, or cut short in its first record ({extra:,} bytes)")
        if extra > 0:
            yield RecordFailure(
                last_end, f"the file ends inside a record ({extra:,} bytes left over)"
            )


def record_at(path: Path, offset: int, *, max_bytes: int = MAX_RECORD_BYTES) -> WarcRecord:
    """The scannable record at ``offset`` of the WARC file ``path``; InputError when there is none."""
    try:
        with path.open("rb") as handle:
            handle.seek(offset)
            return record_from(handle, offset=offset, max_bytes=max_bytes)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from exc


def record_from(stream: BinaryIO, *, offset: int, max_bytes: int = MAX_RECORD_BYTES) -> WarcRecord:
    """The first record read from ``stream``, which lies at ``offset`` of its WARC file (the
    stream may be the file positioned there, or the bytes a Range request returned)."""
    for item in scannable_records(stream, end=1, max_bytes=max_bytes):  # the first record only
        if isinstance(item, RecordFailure):
            raise InputError(f"the record at offset {offset}: {item.reason}")
        return dataclasses.replace(item, offset=offset)
    raise InputError(f"no HTML or text response record at offset {offset}")


def _scannable(record: ArcWarcRecord, offset: int, max_bytes: int) -> WarcRecord | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = (record.http_headers.get_header("Content-Type") or "").strip()
    if not content_type.lower().startswith(SCANNED_TYPES):
        return None
    headers = record.rec_headers
    return WarcRecord(
        offset=offset,
        length=0,  # known once the record is read to its end
        record_id=headers.get_header("WARC-Record-ID"),
        target_uri=headers.get_header("WARC-Target-URI"),
        date=headers.get_header("WARC-Date"),
        payload_digest=headers.get_header("WARC-Payload-Digest"),
        content_type=content_type,
        http_status=record.http_headers.get_statuscode(),
        content=record.content_stream().read(max_bytes + 1),
    )


def _sync(stream: BinaryIO, start: int) -> int | None:
    """The offset of the first gzip member at or after ``start`` that opens with a WARC header."""
    position = start
    while True:
        stream.seek(position)
        chunk = stream.read(_SYNC_CHUNK)
        if not chunk:
            return None
        found = chunk.find(_GZIP_MAGIC)
        while found != -1:
            stream.seek(position + found)
            if _opens_warc_record(stream.read(_MEMBER_HEAD)):
                return position + found
            found = chunk.find(_GZIP_MAGIC, found + 1)
        # the next chunk overlaps this one, so that a magic number cut in two is still found
        position += max(len(chunk) - len(_GZIP_MAGIC) + 1, 1)


def _opens_warc_record(data: bytes) -> bool:
    try:
        head = zlib.decompressobj(wbits=31).decompress(data, 16)
    except zlib.error:
        return False
    return head.startswith((b"WARC/1.0\r\n", b"WARC/1.1\r\n"))


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:60] if str(exc) else type(exc).__name__


class _Counting(io.RawIOBase):
    """A read-only view of a stream that counts the bytes read through it."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._peeked = b""
        self.total = 0

    def readable(self) -> bool:
        return True

    def peek(self, size: int) -> bytes:
        self._peeked += self._stream.read(size - len(self._peeked))
        return self._peeked

    def readinto(self, buffer: Any) -> int:  # any writable buffer, as io.RawIOBase has it
        size = len(buffer)
        data = self._peeked[:size]
        self._peeked = self._peeked[size:]
        if len(data) < size:
            data += self._stream.read(size - len(data))
        buffer[: len(data)] = data
        self.total += len(data)
        return len(data)
