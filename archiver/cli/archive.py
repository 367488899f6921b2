"""`archiver archive INPUT...`: scan, resolve, fetch and store; quiet enough for cron."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from archiver.cli.output import (
    RateOption,
    SummaryFormat,
    SummaryFormatOption,
    TsaOption,
    WaitOption,
    client_config,
    progress_display,
    report_run,
    run_errors,
    tsa_option,
)
from archiver.cli.root import DbOption, app

if TYPE_CHECKING:
    from archiver.jobs.record import RunSummary


@app.command()
def archive(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="INPUT",
            help="Files, folders (recursive), WARC files, article URLs, or - for standard input.",
            show_default=False,
        ),
    ] = None,
    embeds: Annotated[
        list[str] | None,
        typer.Option(
            "--embeds",
            metavar="PATH",
            help="A result of `archiver scan` (JSONL, or a Parquet folder): archive the WARC "
            "records it lists (repeatable).",
        ),
    ] = None,
    feed: Annotated[
        list[str] | None,
        typer.Option("--feed", metavar="URL", help="An RSS or Atom feed URL (repeatable)."),
    ] = None,
    sitemap: Annotated[
        list[str] | None,
        typer.Option("--sitemap", metavar="URL", help="A sitemap URL (repeatable)."),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            metavar="URL",
            help="Where standard input (-) came from: archived as that article's URL.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = "archive.db",
    no_fetch: Annotated[
        bool, typer.Option("--no-fetch", help="Scan and store only; touch no network.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Re-read unchanged articles and re-fetch known article URLs."),
    ] = False,
    wait: WaitOption = 0.0,
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency",
            metavar="N",
            min=1,
            max=256,
            help="Resolutions, posts and media downloads in flight at most, in each stage.",
        ),
    ] = 16,
    rate: RateOption = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing unless something failed.")
    ] = False,
    format: SummaryFormatOption = SummaryFormat.TEXT,
    tsa: TsaOption = None,
) -> None:
    """Archive the posts that articles embed. Exit 0 when all was archived, 1 when some item failed.

    Each run ends with a manifest of what it added, chained to the previous run's; with --tsa,
    its hash is time-stamped (not with --no-fetch: the next run that fetches asks again).

    \b
    Examples:
      archiver archive story.html drafts/ https://news.example/story
      archiver archive --quiet --wait 300 --feed https://news.example/feed.xml
      archiver archive --tsa http://timestamp.digicert.com --tsa http://time.certum.pl story.html
      curl -s https://news.example/story | archiver archive - --url https://news.example/story
    """
    # Imported here, not above: the job loads the HTTP client, the store and the witnesses.
    from archiver.jobs import archive as archive_job
    from archiver.jobs.lock import run_lock
    from archiver.store import open_archive, resolve_db_path

    if not (inputs or embeds or feed or sitemap):
        raise typer.BadParameter("give at least one INPUT, --embeds, --feed or --sitemap")
    if url is not None and "-" not in (inputs or ()):
        raise typer.BadParameter("--url names standard input's article: give - as an INPUT")
    if url is not None and not url.startswith(("http://", "https://")):
        raise typer.BadParameter("an http(s) URL", param_hint="--url")
    tsas = tsa_option(tsa)
    config = client_config(rate)
    request = archive_job.ArchiveRequest(
        inputs=tuple(inputs or ()),
        embeds=tuple(embeds or ()),
        feeds=tuple(feed or ()),
        sitemaps=tuple(sitemap or ()),
        fetch=not no_fetch,
        force=force,
        concurrency=concurrency,
        tsas=tsas,
        stdin_url=url,
    )
    path = resolve_db_path(db)
    with run_errors():
        archive_job.check_inputs(request)
    with (
        run_errors(),
        run_lock(path, wait_seconds=wait),
        open_archive(path) as archive_db,
        progress_display(quiet) as progress,
    ):
        summary = archive_job.archive(
            archive_db,
            request,
            command_line=sys.argv[1:],
            config=config,
            stdin=sys.stdin.buffer if "-" in request.inputs else None,
            progress=progress,
        )
    report_run(summary, format=format, quiet=quiet, line=_summary_line(summary))


def _summary_line(summary: RunSummary) -> str:
    c = summary.counts
    parts = [
        f"{c['articles_seen']} articles ({c['articles_new']} new, {c['articles_changed']} changed, "
        f"{c['articles_unchanged']} unchanged)",
        f"{c['embeds_found']} embeds found",
        f"{c['embeds_resolved']} resolved",
        f"{c['posts_fetched']} posts fetched",
        f"{c['snapshots']} snapshots",
        f"{c['media']} media" + (f" ({c['media_reused']} reused)" if c["media_reused"] else ""),
    ]
    if c["timestamps"]:
        parts.append(f"{c['timestamps']} manifest time-stamp(s)")
    if c["articles_known"]:
        parts.insert(1, f"{c['articles_known']} known URLs skipped")
    if c["files_skipped"]:
        kinds = ", ".join(
            f"{n} {name.removeprefix('files_skipped:')}"
            for name, n in sorted(c.items())
            if name.startswith("files_skipped:")
        )
        parts.insert(1, f"{c['files_skipped']} files skipped, not articles by extension ({kinds})")
    failures = len(summary.failures)
    return f"run {summary.run_id}: " + ", ".join(parts) + f"; {failures} failed"
