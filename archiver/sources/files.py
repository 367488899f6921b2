"""Articles on disk: files, folders (recursive) and standard input."""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from archiver.errors import InputError
from archiver.models import ArticleInput
from archiver.sources.warc import is_warc

# What a folder walk picks up, with WARC files; anything else in a folder is counted and passed over.
ARTICLE_SUFFIXES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": None,  # Markdown may carry pasted HTML embeds: let the scanner sniff it
    ".markdown": None,
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
}
MAX_ARTICLE_BYTES = 64 * 1024 * 1024
_CHUNK_BYTES = 1024 * 1024
_END_BYTES = 4096  # the read after a file's size was read, which should find its end


def read_article_file(path: Path, *, max_bytes: int = MAX_ARTICLE_BYTES) -> ArticleInput:
    """One file as an article; InputError when it is missing, unreadable or too large."""
    content = read_article_bytes(path, max_bytes=max_bytes)
    return ArticleInput(
        source=str(path.resolve()), content=content, content_type=article_content_type(path)
    )


def read_article_bytes(path: str | Path, *, max_bytes: int = MAX_ARTICLE_BYTES) -> bytes:
    """The bytes of the article file ``path``, for a caller that knows where it lies (a crawl's
    task holds its absolute path already); InputError as ``read_article_file`` raises it."""
    try:
        # A descriptor, not a file object: a crawl reads thousands of small articles, and a file
        # object added 1.9 us to the 3.3 its reads take (docs/benchmarks.md).
        descriptor = os.open(path, os.O_RDONLY)
        try:
            size = os.fstat(descriptor).st_size
            if size > max_bytes:
                raise InputError(
                    f"{path}: {size:,} bytes is more than the {max_bytes:,}-byte limit"
                )
            read = functools.partial(os.read, descriptor)
            return _read_at_most(read, max_bytes, what=str(path), size=size)
        finally:
            os.close(descriptor)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from exc


def article_content_type(path: str | Path) -> str | None:
    """The Content-Type an article file's suffix stands for; None to let the scanner sniff it."""
    return ARTICLE_SUFFIXES.get(os.path.splitext(path)[1].lower())


def article_files(folder: Path, *, skipped: Counter[str] | None = None) -> Iterator[Path]:
    """Files under ``folder`` with an article suffix, and WARC files, in a stable order; symlinked
    folders not followed, hidden files and folders left out.

    Every other file is counted in ``skipped`` by its suffix (lowercased; "" for none), so the
    caller can say what it passed over and why.
    """
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root, name)
            if name.startswith("."):
                continue
            if path.suffix.lower() in ARTICLE_SUFFIXES or is_warc(path):
                yield path
            elif skipped is not None:
                skipped[path.suffix.lower()] += 1


def read_stdin(
    stream: BinaryIO, *, url: str | None = None, max_bytes: int = MAX_ARTICLE_BYTES
) -> ArticleInput:
    """Standard input as one article: the article at ``url`` when the caller says where it came
    from (kept as read from standard input), else recorded with the source ``-``."""
    content = _read_at_most(stream.read, max_bytes, what="standard input")
    if url is None:
        return ArticleInput(source="-", content=content)
    return ArticleInput(source=url, content=content, provenance={"read_from": "standard input"})


def _read_at_most(
    read: Callable[[int], bytes], max_bytes: int, *, what: str, size: int = 0
) -> bytes:
    """What ``read`` gives up to its end (an empty read), InputError past ``max_bytes``. Read a
    chunk at a time, because ``read(n)`` allocates n bytes up front (64 MB for a 3 kB article); a
    regular file of ``size`` bytes in one read of one byte more (32 MB in one allocation, not 32
    and a join), then a small one to see its end: a read may return fewer bytes than it was asked
    for (a file descriptor, a pipe) before the end, and a file may grow."""
    chunks: list[bytes] = []
    total = 0
    wanted = min(size, max_bytes) + 1 if size else _CHUNK_BYTES
    while total <= max_bytes and (chunk := read(min(wanted, max_bytes + 1 - total))):
        chunks.append(chunk)
        total += len(chunk)
        wanted = _END_BYTES if size and len(chunks) == 1 else _CHUNK_BYTES
    if total > max_bytes:
        raise InputError(f"{what}: more than the {max_bytes:,}-byte limit")
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
