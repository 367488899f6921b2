"""`archiver recheck`: check archived posts again, for cron; say which ones vanished."""

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
    fail,
    progress_display,
    report_run,
    run_errors,
    tsa_option,
)
from archiver.cli.root import DbOption, app
from archiver.errors import InputError

if TYPE_CHECKING:
    from archiver.jobs.record import RunSummary


@app.command(name="recheck")
def recheck_command(
    db: DbOption = "archive.db",
    due: Annotated[
        bool,
        typer.Option(
            "--due",
            help="Only posts whose next check is due: a quarter of the post's age after its "
            "last check, between 1 and 30 days.",
        ),
    ] = False,
    older_than: Annotated[
        str | None,
        typer.Option(
            "--older-than",
            metavar="D",
            help="Only posts not checked for D or longer: 90m, 12h, 7d, 2w.",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", metavar="N", min=1, help="At most N posts, most overdue first."),
    ] = None,
    wait: WaitOption = 0.0,
    rate: RateOption = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Print nothing unless something failed or a post changed state."
        ),
    ] = False,
    format: SummaryFormatOption = SummaryFormat.TEXT,
    tsa: TsaOption = None,
) -> None:
    """Fetch archived posts again; record which are still there. Exit 1 when some check failed.

    Without --due or --older-than, every archived post is checked. Snapshots are only added.
    The run's manifest is time-stamped by each --tsa.

    \b
    Examples:
      archiver recheck --due --limit 500 --quiet
      archiver recheck --older-than 7d
      archiver recheck --due --tsa http://timestamp.digicert.com
    """
    # Imported here, not above: the job loads the HTTP client, the store and the witnesses.
    from archiver.jobs.lock import run_lock
    from archiver.jobs.recheck import parse_duration, recheck
    from archiver.store import open_archive, resolve_db_path

    tsas = tsa_option(tsa)
    config = client_config(rate)
    try:
        age = parse_duration(older_than) if older_than is not None else None
    except InputError as exc:
        raise typer.BadParameter(str(exc), param_hint="--older-than") from exc
    path = resolve_db_path(db)
    if not path.is_file():
        raise fail(f"no archive database at {path} (give --db PATH or set ARCHIVER_DB)", 2)
    with (
        run_errors(),
        run_lock(path, wait_seconds=wait),
        open_archive(path, create=False) as archive,
        progress_display(quiet) as progress,
    ):
        summary = recheck(
            archive,
            due=due,
            older_than=age,
            limit=limit,
            command_line=sys.argv[1:],
            config=config,
            progress=progress,
            tsas=tsas,
        )
    report_run(summary, format=format, quiet=quiet, line=_summary_line(summary))


def _summary_line(summary: RunSummary) -> str:
    c = summary.counts
    parts = [
        f"{c['posts_selected']} posts checked",
        f"{c['posts_fetched']} answered",
        f"{c['posts_gone']} gone",
        f"{c['posts_back']} back",
        f"{c['snapshots']} snapshots",
        f"{c['media']} media" + (f" ({c['media_reused']} reused)" if c["media_reused"] else ""),
    ]
    if c["timestamps"]:
        parts.append(f"{c['timestamps']} manifest time-stamp(s)")
    return f"run {summary.run_id}: " + ", ".join(parts) + f"; {len(summary.failures)} failed"
