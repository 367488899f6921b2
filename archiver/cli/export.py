"""`archiver export`: the archive as WARC or WACZ, for replay and checking with others' tools."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from archiver.cli.output import fail, inert, progress_display, run_errors
from archiver.cli.root import DbOption, app
from archiver.jobs.export_format import ExportFormat

if TYPE_CHECKING:
    from archiver.jobs.export import ExportSummary


@app.command(name="export")
def export_command(
    articles: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="ARTICLE",
            help="Archived articles (URL or path); all of them when none is given.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", metavar="FILE", help="The file to write (.wacz or .warc.gz)."),
    ] = Path("archive.wacz"),
    format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format", case_sensitive=False, help="wacz or warc (default: from --out's name)."
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Only what was fetched at or after this date or time (UTC).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = "archive.db",
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing unless something failed.")
    ] = False,
) -> None:
    """Export the archive as WACZ or WARC 1.1 with provenance in metadata records.

    Exit 0 when all was written, 1 when a stored byte no longer matched its hash (written as
    it is, and named), 2 for usage errors.

    \b
    Examples:
      archiver export --out evidence.wacz
      archiver export --out article.warc.gz https://news.example/story
      archiver export --out week.wacz --since 2024-05-01
    """
    # Imported here, not above: the exporter loads the store, warcio and the WACZ indexer.
    from archiver.jobs.export import export
    from archiver.store import open_archive, resolve_db_path

    chosen = format or _format_of(out)
    with (
        run_errors(),
        open_archive(resolve_db_path(db), readonly=True) as archive,
        progress_display(quiet) as progress,
    ):
        summary = export(
            archive,
            out=out,
            format=chosen,
            articles=tuple(articles or ()),
            since=since,
            command_line=sys.argv[1:],
            progress=progress,
        )
    _report(summary, quiet=quiet)


def _format_of(out: Path) -> ExportFormat:
    name = out.name.lower()
    if name.endswith((".warc", ".warc.gz")):
        return ExportFormat.WARC
    if name.endswith(".wacz"):
        return ExportFormat.WACZ
    raise fail(f"cannot tell the format from {out.name!r}: give --format wacz or warc", 2)


def _report(summary: ExportSummary, *, quiet: bool) -> None:
    for problem in summary.problems:
        typer.echo(inert(f"archiver: {problem}"), err=True)
    if not quiet or summary.problems:
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.records.items()))
        typer.echo(
            f"exported {summary.out} ({summary.format}): {counts};"
            f" {summary.payload_bytes:,} payload bytes; {summary.pages} pages"
        )
    raise typer.Exit(0 if summary.ok else 1)
