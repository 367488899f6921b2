"""`archiver scan`: list the posts an article embeds, as JSON Lines or a table; or the posts the
pages of WARC files embed, with provenance, on one process or a Dask cluster (docs/crawl.md)."""

from __future__ import annotations

import contextlib
import enum
import gc
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO, NoReturn

import typer

from archiver.cli.output import (
    echo_lines,
    embed_lines_utf8,
    fail,
    inert,
    inert_lines,
    record_lines_utf8,
)
from archiver.cli.root import app
from archiver.errors import ArchiverError, InputError
from archiver.sources.warc import is_warc

# The scanner, the crawl (Dask, Parquet) and rich are imported where they are used: one article
# needs only the first, and `archiver --help` none of them.
if TYPE_CHECKING:
    from archiver import crawl
    from archiver.models import ScanResult


class OutputFormat(enum.StrEnum):
    JSONL = "jsonl"
    TABLE = "table"


@app.command()
def scan(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Articles (text or HTML, - for stdin), WARC files (.warc, .warc.gz, or their "
            "URLs) and @manifests (one path or URL a line, as Common Crawl lists them).",
            metavar="PATH",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", help="jsonl: one JSON object per post; table: for people."),
    ] = OutputFormat.JSONL,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", metavar="N", min=1, help="Scan on a local Dask cluster of N processes."
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="URL",
            envvar="DASK_SCHEDULER_ADDRESS",
            help="Scan on the Dask cluster whose scheduler is at tcp://HOST:PORT.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="PATH",
            help="Write the rows here: PATH.parquet (a folder of part files) or JSON Lines; "
            "else to standard output.",
        ),
    ] = None,
) -> None:
    """Find the posts that articles, or the pages of WARC files, embed, in document order.

    One article prints its embeds as before; WARC files, manifests and several paths print one
    row per embed with its record's provenance (docs/crawl.md).

    \b
    Examples:
      archiver scan --format table examples/zelensky-stays-in-kyiv.txt
      archiver scan - < page.html
      archiver scan crawl/*.warc.gz --workers 2 --out embeds.parquet
    """
    with _rare_collections():
        if len(paths) == 1 and out is None and not _is_crawl(paths[0]):
            _scan_article(paths[0], output_format)
            return
        if output_format is OutputFormat.TABLE:
            _fail("--format table is for one article; WARC files give JSON Lines or Parquet")
        if workers and scheduler:
            _fail("give --workers or --scheduler, not both")
        if "-" in paths:
            _fail("standard input is one article: scan it alone")
        _scan_crawl(paths, workers=workers, scheduler=scheduler, out=out)


@contextlib.contextmanager
def _rare_collections() -> Iterator[None]:
    """The collector run every 100,000 new objects, not 700, until the scan ends. A scan makes
    records by the ten thousand and no cycles: at the default the collector walked them 125 times
    in one 32 MB article (docs/benchmarks.md)."""
    threshold = gc.get_threshold()
    gc.set_threshold(100_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _is_crawl(path: str) -> bool:
    return path.startswith(("@", "http://", "https://")) or is_warc(Path(path))


def _scan_article(path: str, output_format: OutputFormat) -> None:
    from archiver.scan import REPLACED, REPLACED_REASON, scan_bytes

    data, filename = _read(path)
    result = scan_bytes(data, filename=filename)
    if result.encoding == REPLACED:
        typer.echo(inert(f"archiver scan: warning: {path}: {REPLACED_REASON}"), err=True)
    if output_format is OutputFormat.JSONL:
        if result.embeds:  # one write: an echo per embed cost as much as finding it
            echo_lines(embed_lines_utf8(result.embeds))
    else:
        _print_table(result, path)


def _scan_crawl(
    paths: list[str], *, workers: int | None, scheduler: str | None, out: Path | None
) -> None:
    """Scan ``paths`` as a crawl, rows to ``out`` or stdout, failures to stderr; exit 1 on any."""
    from archiver import crawl

    parquet = out is not None and out.suffix.lower() == ".parquet"
    if parquet and out is not None and out.exists() and (not out.is_dir() or any(out.iterdir())):
        _fail(f"{out} exists; give a new folder for the Parquet parts")
    terminal = sys.stderr.isatty()  # someone reads it: the dashboard's link and a summary for them
    failures = records = rows = 0
    with contextlib.ExitStack() as stack:
        sink: BinaryIO | None = None  # Parquet: each worker writes its part
        flushed = out is None  # standard output: each task's rows as it ends
        if out is None:
            sink = typer.get_binary_stream("stdout")
        elif not parquet:
            sink = stack.enter_context(_opened_for_rows(out))
        results = crawl.scan_crawl(
            paths,
            workers=workers,
            scheduler=scheduler,
            parquet_dir=out if parquet else None,
            on_dashboard=_print_dashboard if terminal else None,
        )
        for result in _or_fail(results):
            if result.found and sink is not None:
                lines = b"\n".join([record_lines_utf8(*found) for found in result.found])
                sink.writelines((lines, b"\n"))  # not lines + b"\n", a copy of them
                if flushed:
                    sink.flush()
            for failure in result.failures:
                where = f" at offset {failure.offset}" if failure.offset is not None else ""
                typer.echo(
                    inert(f"archiver scan: {failure.source}{where}: {failure.reason}"), err=True
                )
            failures += len(result.failures)
            records += result.records
            rows += result.row_count
    if terminal:
        typer.echo(
            f"archiver scan: {records} records scanned, {rows} embeds, {failures} failed", err=True
        )
    raise typer.Exit(1 if failures else 0)


def _opened_for_rows(out: Path) -> BinaryIO:
    """``out`` opened for the rows' JSON Lines, which are written in UTF-8 as they are made."""
    try:
        return out.open("wb")
    except OSError as exc:
        _fail(f"{out}: cannot write it ({exc.strerror or exc})")


def _or_fail(results: Iterator[crawl.TaskResult]) -> Iterator[crawl.TaskResult]:
    """The results, a scan that cannot start at all (no scheduler) ending the command with 2."""
    try:
        yield from results
    except ArchiverError as exc:
        _fail(str(exc))


def _print_dashboard(link: str) -> None:
    typer.echo(inert(f"archiver scan: Dask dashboard at {link}"), err=True)


def _read(path: str) -> tuple[bytes, str | None]:
    """The article's bytes and its file name, read as `archive` reads them (one size cap)."""
    from archiver.sources.files import read_article_bytes, read_stdin

    try:
        if path == "-":
            return read_stdin(sys.stdin.buffer).content, None
        file = Path(path)
        if file.is_dir():
            _fail(f"{path} is a directory; give an article file")
        file.stat()
        return read_article_bytes(file), file.name
    except FileNotFoundError:
        _fail(f"{path}: no such file")
    except ValueError:  # a NUL in the path: no file has that name
        _fail(f"{path!r}: no such file")
    except (InputError, OSError) as exc:
        _fail(str(exc))


def _fail(message: str) -> NoReturn:
    raise fail(message, 2, command="scan")


def _print_table(result: ScanResult, path: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text(
            f"{len(result.embeds)} embedded posts in {path} ({result.kind}, {result.encoding})"
        ),
        show_lines=True,
    )
    table.add_column("#", justify="right")
    table.add_column("post", overflow="fold", ratio=2)
    table.add_column("text as the article shows it", overflow="fold", ratio=3)
    for number, embed in enumerate(result.embeds, start=1):
        author = " ".join(
            filter(None, [embed.display_name, f"@{embed.handle}" if embed.handle else None])
        )
        post = [
            f"{embed.platform} · {embed.form}",
            author,
            embed.date or embed.date_text or "",
            *embed.pic_links,
            embed.status_url or "",
        ]
        # Text objects, not strings: what an article says is never read as rich markup, and its
        # controls are escaped, never acted on by the terminal.
        shown = (inert_lines("\n".join(filter(None, post))), inert_lines(embed.text))
        table.add_row(str(number), *map(Text, shown))
    Console().print(table)
