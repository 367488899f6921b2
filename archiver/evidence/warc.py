"""WARC 1.1 records of what the archive holds, written with warcio, one gzip member per record.

The writer knows nothing of the database: it is handed URLs, times, recorded headers and a
readable stream of the stored bytes, and returns each record's id so that metadata records can
refer to it. Digests are sha256 in hexadecimal (``sha256:<hex>``), so a response's
``WARC-Payload-Digest`` is the very key under which the archive stores its bytes; warcio's
checker reads that form as well as its own base32 SHA-1. Record ids are derived from a name the
caller gives (``snapshot:12``), so exporting the same database twice gives the same records.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from io import BytesIO
from typing import IO, Any, Protocol

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WARC_VERSION = "WARC/1.1"
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
# Named fields of our own, beside the standard ones (WARC 1.1 allows extension fields).
VIA_FIELD = "WARC-Archiver-Via"  # "replay": the answer came from a recording, not the platform
HEADERS_FIELD = "WARC-Archiver-Headers"  # "reconstructed": the HTTP headers were not recorded
# Headers that describe the bytes on the wire, not the decoded bytes the archive keeps: kept under
# the prefix pywb uses for original headers it rewrites, so no reader decodes the payload twice.
_WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
ORIGINAL_HEADER_PREFIX = "X-Archive-Orig-"
METADATA_URI_PREFIX = "urn:provenance:"


class _Sha256Digester:
    """warcio's digester interface, as ``sha256:<hex>``."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def __str__(self) -> str:
        return f"sha256:{self._hash.hexdigest()}"


# warcio ships no types, so its WARCWriter is Any to mypy and subclassing it is flagged.
class _Sha256WarcWriter(WARCWriter):  # type: ignore[misc]
    @staticmethod
    def _create_digester() -> _Sha256Digester:
        return _Sha256Digester()


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    """An HTTP answer as recorded: its status, its headers (``None``: not recorded)."""

    status: int
    headers: list[tuple[str, str]] | None
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class Payload:
    """Stored bytes to copy into a record: a readable, seekable stream of ``length`` bytes."""

    stream: SeekableStream
    length: int
    sha256: str  # the key the archive stores them under

    @classmethod
    def of(cls, data: bytes) -> Payload:
        """A payload held in memory (small records: metadata, manifests)."""
        return cls(BytesIO(data), len(data), hashlib.sha256(data).hexdigest())


def payload_digest(sha256_hex: str) -> str:
    """The ``WARC-Payload-Digest`` value of bytes whose sha256 is ``sha256_hex``."""
    return f"sha256:{sha256_hex}"


class SeekableStream(Protocol):
    """What warcio reads a payload from: a file, ``BytesIO`` or a ``sqlite3.Blob``."""

    def read(self, length: int = -1, /) -> bytes: ...
    def seek(self, offset: int, origin: int = 0, /) -> object: ...
    def tell(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Written:
    """A record as written: its ``WARC-Record-ID`` and the payload digest warcio computed."""

    id: str
    kind: str  # the WARC-Type
    payload_digest: str | None


class WarcRecords:
    """Writes WARC records to ``out``; every method returns the record as ``Written``."""

    def __init__(self, out: IO[bytes], *, namespace: str) -> None:
        self._out = out
        self._writer = _Sha256WarcWriter(out, gzip=True, warc_version=WARC_VERSION)
        self._namespace = uuid.uuid5(uuid.NAMESPACE_URL, namespace)

    def record_id(self, name: str) -> str:
        """The id of the record named ``name`` (stable for a given namespace)."""
        return f"<urn:uuid:{uuid.uuid5(self._namespace, name)}>"

    def warcinfo(self, name: str, *, date: str, fields: Mapping[str, str]) -> Written:
        """The file's first record: who wrote it, from what, when and how.

        Its gzip member is stored, not deflated, so its size depends on its length alone: an
        export made at another time has every later record at the same offset, and so the same
        index.
        """
        body = "".join(f"{key}: {value}\r\n" for key, value in fields.items() if value)
        plain = BytesIO()
        writer, self._writer = (
            self._writer,
            _Sha256WarcWriter(plain, gzip=False, warc_version=WARC_VERSION),
        )
        try:
            written = self._write(
                name,
                "warcinfo",
                uri="",
                date=date,
                payload=Payload.of(body.encode("utf-8")),
                content_type="application/warc-fields",
            )
        finally:
            self._writer = writer
        self._out.write(gzip.compress(plain.getvalue(), compresslevel=0, mtime=0))
        return written

    def response(
        self,
        name: str,
        *,
        uri: str,
        date: str,
        answer: HttpAnswer,
        payload: Payload,
        replay: bool,
        truncated: bool = False,
    ) -> Written:
        """An HTTP response as recorded, its payload the exact stored bytes."""
        extra = _provenance_fields(replay=replay, reconstructed=answer.headers is None)
        if truncated:
            extra["WARC-Truncated"] = "length"
        return self._write(
            name,
            "response",
            uri=uri,
            date=date,
            payload=payload,
            http_headers=_http_headers(answer, payload.length),
            extra=extra,
        )

    def revisit(
        self,
        name: str,
        *,
        uri: str,
        date: str,
        answer: HttpAnswer,
        payload_sha256: str,
        length: int,
        refers_to: tuple[str, str, str],
        replay: bool,
    ) -> Written:
        """The same bytes answered again: headers only, pointing at the record that holds them.

        ``refers_to`` is the earlier record's ``(record id, target URI, date)``.
        """
        record_id, refers_uri, refers_date = refers_to
        extra = _provenance_fields(replay=replay, reconstructed=answer.headers is None)
        extra |= {
            "WARC-Profile": REVISIT_PROFILE,
            "WARC-Refers-To": record_id,
            "WARC-Refers-To-Target-URI": refers_uri,
            "WARC-Refers-To-Date": refers_date,
            "WARC-Payload-Digest": payload_digest(payload_sha256),
        }
        return self._write(
            name,
            "revisit",
            uri=uri,
            date=date,
            payload=Payload.of(b""),
            http_headers=_http_headers(answer, length),
            extra=extra,
        )

    def resource(
        self, name: str, *, uri: str, date: str, content_type: str, payload: Payload
    ) -> Written:
        """Bytes that came with no HTTP exchange: a file, standard input, a manifest, a token."""
        return self._write(
            name, "resource", uri=uri, date=date, payload=payload, content_type=content_type
        )

    def metadata(
        self, name: str, *, uri: str, date: str, refers_to: str | None, about: Any
    ) -> Written:
        """A JSON description of the record ``refers_to`` (or of ``uri`` when it has none)."""
        body = json.dumps(about, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        extra = {"WARC-Refers-To": refers_to} if refers_to else {}
        return self._write(
            name,
            "metadata",
            uri=METADATA_URI_PREFIX + uri,
            date=date,
            payload=Payload.of(body.encode("utf-8")),
            content_type="application/json",
            extra=extra,
        )

    def _write(
        self,
        name: str,
        kind: str,
        *,
        uri: str,
        date: str,
        payload: Payload,
        content_type: str | None = None,
        http_headers: StatusAndHeaders | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> Written:
        record_id = self.record_id(name)
        fields = {"WARC-Record-ID": record_id, "WARC-Date": date, **(extra or {})}
        if content_type:
            fields["Content-Type"] = content_type
        record = self._writer.create_warc_record(
            uri,
            kind,
            payload=payload.stream,
            length=payload.length,
            warc_content_type=content_type or "",
            warc_headers_dict=fields,
            http_headers=http_headers,
        )
        self._writer.write_record(record)
        return Written(record_id, kind, record.rec_headers.get_header("WARC-Payload-Digest"))


def _provenance_fields(*, replay: bool, reconstructed: bool) -> dict[str, str]:
    fields = {}
    if replay:
        fields[VIA_FIELD] = "replay"
    if reconstructed:
        fields[HEADERS_FIELD] = "reconstructed"
    return fields


def _http_headers(answer: HttpAnswer, length: int) -> StatusAndHeaders:
    """The recorded status line and headers, made true of the stored (decoded) bytes."""
    if answer.headers is None:
        headers = [("Content-Type", answer.content_type)] if answer.content_type else []
    else:
        headers = list(_stored_form(answer.headers, length))
    headers.append(("Content-Length", str(length)))
    return StatusAndHeaders(_status_line(answer.status), headers, protocol="HTTP/1.1")


def _stored_form(headers: Iterable[tuple[str, str]], length: int) -> Iterable[tuple[str, str]]:
    for name, value in headers:
        if name.lower() == "content-length" and value.strip() == str(length):
            continue  # true of the stored bytes too: written once, after the others
        if name.lower() in _WIRE_HEADERS:
            yield ORIGINAL_HEADER_PREFIX + name, value
        else:
            yield name, value


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"
