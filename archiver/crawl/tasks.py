"""The units of a crawl scan: one task per article, WARC file or byte range of a large gzipped WARC.

``plan`` turns the command line's paths (articles, WARC files, URLs of WARC files, ``@manifests``)
into tasks; ``scan_task`` runs one, in this process or on a Dask worker, and returns its rows and
failures. Nothing here imports Dask or pyarrow: a scan on one process stays light.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from archiver.crawl.rows import record_columns, record_rows
from archiver.errors import ArchiverError, InputError
from archiver.models import Embed
from archiver.scan import scan_bytes
from archiver.sources.files import article_content_type, read_article_bytes
from archiver.sources.warc import is_gzip_warc, is_warc_name

# Common Crawl's path lists (warc.paths.gz) name files relative to its bucket, served at this URL.
COMMON_CRAWL = "https://data.commoncrawl.org/"
# A gzipped WARC larger than this is cut into ranges of this size, one task each (CC-NEWS files
# are about 1 GB: four tasks apiece).
SPLIT_BYTES = 256 * 1024 * 1024
MAX_WARC_BYTES = 64 * 1024**3


@dataclass(frozen=True, slots=True)
class Task:
    """A file (path or URL) to scan, whole or the records that begin in ``[start, end)``."""

    source: str
    start: int = 0
    end: int | None = None

    @property
    def is_warc(self) -> bool:
        return is_warc_name(_file_name(self.source.split("?")[0]))


@dataclass(frozen=True, slots=True)
class Failure:
    """A file, or one record of it, that could not be scanned, and why."""

    source: str
    reason: str
    offset: int | None = None


# A record (or article) that embeds posts: its columns (rows.record_columns), and its embeds.
Found = tuple[dict[str, Any], tuple[Embed, ...]]


@dataclass(slots=True)
class TaskResult:
    """What one task found: the records that embed posts (unless a worker wrote their rows to a
    Parquet part) and failures."""

    task: Task
    found: list[Found] = field(default_factory=list)
    row_count: int = 0
    failures: list[Failure] = field(default_factory=list)
    records: int = 0  # the HTML and text records (or articles) scanned
    bytes: int = 0  # the bytes read: the file, or the task's range

    @property
    def rows(self) -> list[dict[str, Any]]:
        """One row per embed found, in order (rows.record_rows)."""
        return [row for record, embeds in self.found for row in record_rows(record, embeds)]


def plan(paths: Sequence[str], *, split_bytes: int = SPLIT_BYTES) -> list[Task | Failure]:
    """The tasks for ``paths`` in order; a manifest that cannot be read is a Failure in its place."""
    planned: list[Task | Failure] = []
    folders: dict[str, str] = {}  # each folder's real path, resolved once for all its files
    for path in paths:
        if path.startswith("@"):
            try:
                sources = list(manifest_sources(Path(path[1:])))
            except InputError as exc:
                planned.append(Failure(path, str(exc)))
                continue
        else:
            sources = [path]
        for source in sources:
            planned.extend(_split(source, split_bytes, folders))
    return planned


def manifest_sources(manifest: Path) -> Iterator[str]:
    """The files a manifest lists, one a line (gzipped or not), as Common Crawl publishes them:
    URLs as they are, paths relative to the manifest's folder, or else to Common Crawl's bucket."""
    import gzip  # a manifest's: a crawl of local files need not load it

    try:
        with manifest.open("rb") as raw:
            data = gzip.decompress(raw.read()) if manifest.suffix == ".gz" else raw.read()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"{manifest}: cannot read the manifest ({exc})") from exc
    for line in data.decode("utf-8", "replace").splitlines():
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if entry.startswith(("http://", "https://")) or Path(entry).is_absolute():
            yield entry
        elif (manifest.parent / entry).exists() or not entry.startswith("crawl-data/"):
            yield str((manifest.parent / entry).resolve())
        else:
            yield COMMON_CRAWL + entry


def _split(source: str, split_bytes: int, folders: dict[str, str]) -> list[Task]:
    if source.startswith(("http://", "https://")):
        return [Task(source)]
    absolute = _real_path(source, folders)
    if not is_gzip_warc(_file_name(source)):
        return [Task(absolute)]
    try:
        size = os.stat(source).st_size
    except OSError:
        return [Task(absolute)]  # scan_task reports why
    if size <= split_bytes:
        return [Task(absolute)]
    # The last range runs to the end of the file, so that a file cut short is noticed.
    return [
        Task(absolute, start, start + split_bytes if start + split_bytes < size else None)
        for start in range(0, size, split_bytes)
    ]


def _file_name(source: str) -> str:
    """The name a path (or URL) ends with, as pathlib's ``name`` reads it: its trailing slashes
    and "." parts left out. On str, not Path: a Path costs more than reading a small article."""
    name = source.rpartition("/")[2]
    if name in ("", "."):
        parts = [part for part in source.split("/") if part not in ("", ".")]
        name = parts[-1] if parts else ""
    return name


def _real_path(source: str, folders: dict[str, str]) -> str:
    """``os.path.realpath(source)`` (as ``str(Path(source).resolve())``) when the file exists, else
    ``source`` as given. A file that is no symbolic link lies in its folder's real path, so each
    folder is resolved once, in ``folders`` (its real path and a slash), not once for every file
    a crawl lists in it."""
    head, slash, name = source.rpartition("/")
    if name not in ("", ".", ".."):
        try:
            is_link = stat.S_ISLNK(os.lstat(source).st_mode)
        except (OSError, ValueError):  # missing, or a NUL in the name: no file has it
            return source
        if not is_link:
            folder = head or slash  # "/a.txt" lies in "/", "a.txt" in the working folder
            if folder not in folders:
                folders[folder] = os.path.join(os.path.realpath(folder or os.curdir), "")
            return folders[folder] + name
    path = Path(source)
    return os.path.realpath(path) if path.exists() else source


def scan_task(task: Task, parquet_dir: str | None = None, part: int = 0) -> TaskResult:
    """Scan one task's records (or article) and return its rows; a failure is in the result.

    With ``parquet_dir``, the rows are written there as ``part-NNNNN.parquet`` (``part`` numbers
    it) and only counted in the result: a worker of a cluster writes its own part.
    """
    result = TaskResult(task)
    try:
        if task.is_warc:
            _scan_warc(task, result)
        else:
            _scan_article(task, result)
    except ArchiverError as exc:
        result.failures.append(Failure(task.source, str(exc)))
    result.row_count = sum([len(embeds) for _, embeds in result.found])
    if parquet_dir is not None:
        from archiver.crawl.parquet import write_part  # pyarrow only when Parquet is asked for

        write_part(result.rows, Path(parquet_dir) / f"part-{part:05d}.parquet")
        result.found = []
    return result


def _scan_warc(task: Task, result: TaskResult) -> None:
    # The WARC reader (and warcio with it) is loaded by the first WARC file: a crawl of article
    # files does without it (docs/benchmarks.md).
    from archiver.sources.warc_records import RecordFailure, scannable_records

    with _opened(task.source) as (handle, size):
        end = size if task.end is None else task.end
        result.bytes = end - task.start
        for record in scannable_records(handle, start=task.start, end=task.end):
            if isinstance(record, RecordFailure):
                result.failures.append(Failure(task.source, record.reason, record.offset))
                continue
            result.records += 1
            provenance = {
                "source": task.source,
                "warc_offset": record.offset,
                "warc_length": record.length,
                "warc_record_id": record.record_id,
                "warc_target_uri": record.target_uri,
                "warc_date": record.date,
                "warc_payload_digest": record.payload_digest,
                "content_type": record.content_type,
            }
            embeds = scan_bytes(record.content, content_type=record.content_type).embeds
            if embeds:
                result.found.append((record_columns(provenance), embeds))


def _scan_article(task: Task, result: TaskResult) -> None:
    if task.source.startswith(("http://", "https://")):
        raise InputError("only WARC files (.warc, .warc.gz) are read from URLs")
    source = task.source  # a str: Path objects cost more than reading a small article
    try:
        content = read_article_bytes(source)
    except InputError as exc:
        if os.path.isdir(source):  # asked only when the read fails: one stat less an article
            raise InputError("a folder; give article or WARC files") from None
        # The failure names the file already: its reason need not name it again.
        raise InputError(str(exc).removeprefix(f"{source}: ")) from None
    content_type = article_content_type(source)
    result.records, result.bytes = 1, len(content)
    embeds = scan_bytes(content, content_type=content_type, filename=_file_name(source)).embeds
    if embeds:
        result.found.append(
            (record_columns({"source": source, "content_type": content_type}), embeds)
        )


@contextmanager
def _opened(source: str) -> Iterator[tuple[BinaryIO, int]]:
    """The WARC file open for reading, and its size; a URL is streamed to a temporary file first,
    so that records are read from disk and never the whole file from memory."""
    if not source.startswith(("http://", "https://")):
        try:
            with open(source, "rb") as handle:
                yield handle, Path(source).stat().st_size
        except OSError as exc:
            raise InputError(exc.strerror or str(exc)) from exc
        return
    import asyncio  # for a WARC on the web only: a crawl of local files never loads it
    import tempfile

    with tempfile.TemporaryFile() as copy:
        size = asyncio.run(_download(source, copy))
        copy.seek(0)
        yield copy, size


async def _download(url: str, sink: BinaryIO) -> int:
    from archiver.fetch import ClientConfig, HttpClient  # a worker of a local crawl needs no HTTP

    config = ClientConfig.from_env(max_media_bytes=MAX_WARC_BYTES, deadline=None)
    async with HttpClient(config) as client:
        return (await client.stream_to(url, sink, max_bytes=MAX_WARC_BYTES)).size
