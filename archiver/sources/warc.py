"""Articles inside WARC files: each HTML response record is one article, with its provenance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from archiver.errors import InputError
from archiver.models import ArticleInput

if TYPE_CHECKING:
    from warcio.recordloader import ArcWarcRecord

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_RECORD_BYTES = 64 * 1024 * 1024


def is_warc(path: Path) -> bool:
    """True for .warc and .warc.gz files."""
    return is_warc_name(path.name)


def is_warc_name(name: str) -> bool:
    """True for the names of .warc and .warc.gz files."""
    return name.lower().endswith((".warc", ".warc.gz"))


def is_gzip_warc(name: str) -> bool:
    """True for ``.warc.gz`` names, whose records are separate gzip members (byte ranges work)."""
    return name.lower().endswith(".warc.gz")


def read_warc(
    path: Path, *, max_bytes: int = MAX_RECORD_BYTES
) -> Iterator[ArticleInput | InputError]:
    """Every HTML response record in ``path`` as an article; a bad record yields an InputError.

    A file that cannot be opened or is not a WARC at all raises InputError.
    """
    # Imported here: `is_warc` is all that scanning or archiving a plain article needs.
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.recordloader import ArcWarcRecordLoader
    from warcio.statusandheaders import StatusAndHeadersParserException

    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from exc
    with handle:
        if not handle.read(5).startswith((b"WARC/", b"\x1f\x8b")):
            raise InputError(f"{path}: not a readable WARC file (no WARC header)")
        handle.seek(0)
        # HTTP headers are parsed here, not by the iterator: warcio's own parse assumes every
        # response record has a WARC-Target-URI and fails with an AttributeError on one without.
        loader = ArcWarcRecordLoader()
        try:
            for number, record in enumerate(ArchiveIterator(handle, no_record_parse=True), 1):
                if record.rec_type != "response":
                    continue
                target = record.rec_headers.get_header("WARC-Target-URI") or ""
                if not target:
                    yield InputError(
                        f"{path}: response record {number} "
                        f"({record.rec_headers.get_header('WARC-Record-ID')}) has no WARC-Target-URI"
                    )
                    continue
                try:
                    record.http_headers = loader.load_http_headers(
                        "response", target, record.raw_stream, record.length
                    )
                except (StatusAndHeadersParserException, EOFError, ValueError) as exc:
                    yield InputError(f"{path}: record {target}: unreadable HTTP headers ({exc})")
                    continue
                if record.http_headers is None:
                    continue
                content_type = (record.http_headers.get_header("Content-Type") or "").lower()
                if not content_type.startswith(HTML_TYPES):
                    continue
                yield _article_from_record(path, record, target, content_type, max_bytes)
        except (ArchiveLoadFailed, EOFError, OSError) as exc:
            raise InputError(f"{path}: not a readable WARC file ({exc})") from exc


def _article_from_record(
    path: Path, record: ArcWarcRecord, target: str, content_type: str, max_bytes: int
) -> ArticleInput | InputError:
    content = record.content_stream().read(max_bytes + 1)
    if len(content) > max_bytes:
        return InputError(f"{path}: record {target} is more than the {max_bytes:,}-byte limit")
    # What the record's Content-Length promised and the file does not hold: a cut-off download.
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        return InputError(
            f"{path}: record {target} is cut short ({missing:,} bytes of its "
            f"{record.length:,} missing); not archived"
        )
    return ArticleInput(
        source=target,
        content=content,
        content_type=content_type,
        final_url=target,
        provenance={
            "warc_file": str(path.resolve()),
            "warc_record_id": record.rec_headers.get_header("WARC-Record-ID"),
            "warc_date": record.rec_headers.get_header("WARC-Date"),
            "warc_target_uri": target,
            "http_status": record.http_headers.get_statuscode(),
        },
    )
