"""`archiver archive INPUT...`: scan, resolve, fetch and store; quiet enough for cron."""

from __future__ import annotations

import enum
import json
import sys
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from archiver import pipeline
from archiver.cli.app import DbOption, app
from archiver.errors import ArchiverError, InputError, LockHeld
from archiver.lock import run_lock
from archiver.store import open_archive, resolve_db_path


class SummaryFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"


@app.command()
def archive(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, folders (recursive), WARC files, article URLs, or - for standard input.",
            show_default=False,
        ),
    ] = None,
    feed: Annotated[
        list[str] | None, typer.Option("--feed", help="An RSS or Atom feed URL (repeatable).")
    ] = None,
    sitemap: Annotated[
        list[str] | None, typer.Option("--sitemap", help="A sitemap URL (repeatable).")
    ] = None,
    db: DbOption = "archive.db",
    no_fetch: Annotated[
        bool, typer.Option("--no-fetch", help="Scan and store only; touch no network.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Re-read unchanged articles and re-fetch known article URLs."),
    ] = False,
    wait: Annotated[
        float,
        typer.Option(
            "--wait", min=0, help="Seconds to wait for another run's lock before giving up."
        ),
    ] = 0.0,
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, max=256, help="Requests in flight at most.")
    ] = 16,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing unless something failed.")
    ] = False,
    format: Annotated[
        SummaryFormat,
        typer.Option("--format", case_sensitive=False, help="The summary: text or json."),
    ] = SummaryFormat.TEXT,
) -> None:
    """Archive the posts that articles embed. Exit 0 when all was archived, 1 when some item failed."""
    if not (inputs or feed or sitemap):
        raise typer.BadParameter("give at least one INPUT, --feed or --sitemap")
    request = pipeline.ArchiveRequest(
        inputs=tuple(inputs or ()),
        feeds=tuple(feed or ()),
        sitemaps=tuple(sitemap or ()),
        fetch=not no_fetch,
        force=force,
        concurrency=concurrency,
    )
    path = resolve_db_path(db)
    try:
        with (
            run_lock(path, wait_seconds=wait),
            open_archive(path) as archive_db,
            _progress(quiet) as progress,
        ):
            summary = pipeline.archive(
                archive_db,
                request,
                command_line=sys.argv[1:],
                stdin=sys.stdin.buffer if "-" in request.inputs else None,
                progress=progress,
            )
    except LockHeld as exc:
        typer.echo(f"archiver: {exc}; not running this time")
        raise typer.Exit(0) from exc
    except InputError as exc:
        typer.echo(f"archiver: {exc}", err=True)
        raise typer.Exit(2) from exc
    except ArchiverError as exc:
        typer.echo(f"archiver: {exc}", err=True)
        raise typer.Exit(1) from exc
    for failure in summary.failures:
        typer.echo(
            f"archiver: {failure.stage} failed for {failure.item}: {failure.reason}", err=True
        )
    if format is SummaryFormat.JSON:
        typer.echo(json.dumps(_summary_json(summary), ensure_ascii=False))
    elif not quiet or summary.failures:
        typer.echo(_summary_line(summary))
    raise typer.Exit(0 if summary.ok else 1)


@contextmanager
def _progress(quiet: bool):
    """A live progress display on a terminal; nothing at all for cron and pipes."""
    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}: {task.completed}"),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, int] = {}

        def advance(stage: str, n: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=None)
            bar.advance(tasks[stage], n)

        yield advance


def _summary_json(summary: pipeline.RunSummary) -> dict:
    return {
        "run_id": summary.run_id,
        "ok": summary.ok,
        "counts": dict(sorted(summary.counts.items())),
        "failures": [
            {"stage": f.stage, "item": f.item, "reason": f.reason} for f in summary.failures
        ],
    }


def _summary_line(summary: pipeline.RunSummary) -> str:
    c = summary.counts
    parts = [
        f"{c['articles_seen']} articles ({c['articles_new']} new, {c['articles_changed']} changed, "
        f"{c['articles_unchanged']} unchanged)",
        f"{c['embeds_found']} embeds found",
        f"{c['embeds_resolved']} resolved",
        f"{c['posts_fetched']} posts fetched",
        f"{c['snapshots']} snapshots",
        f"{c['media']} media",
    ]
    if c["articles_known"]:
        parts.insert(1, f"{c['articles_known']} known URLs skipped")
    failures = len(summary.failures)
    return f"run {summary.run_id}: " + ", ".join(parts) + f"; {failures} failed"
