"""`archiver db check`: look after the archive database."""

from __future__ import annotations

import typer

from archiver.cli.output import inert, run_errors
from archiver.cli.root import DbOption, app
from archiver.cli.verify import TsaRootsOption, tsa_roots_option
from archiver.errors import ArchiverError, InputError

db_app = typer.Typer(help="Look after the archive database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command()
def check(db: DbOption = "archive.db", tsa_roots: TsaRootsOption = None) -> None:
    """Integrity, foreign keys, every blob re-hashed, full-text indexes, and the chain of run
    manifests: each one's rows re-hashed, its link to the one before, its time-stamps
    re-verified. Exit 1 on any problem; each names the run whose manifest it breaks.

    
    Examples:
      archiver db check --db /srv/archive/archive.db
      archiver db check --tsa-roots tsa-roots.pem
    """
    from archiver.store import is_writable, open_archive, resolve_db_path

    path = resolve_db_path(db)
    roots = tsa_roots_option(tsa_roots)
    # Only a writable archive can run the full-text indexes' check, an INSERT that changes nothing.
    readonly = path.exists() and not is_writable(path)
    with run_errors():  # bad input exits 2; any other failure is one of the problems
        try:
            with open_archive(path, create=False, readonly=readonly) as archive:
                problems = archive.check(tsa_roots=roots)
        except InputError:
            raise
        except ArchiverError as exc:
            problems = [str(exc)]
    if readonly:
        typer.echo(inert(f"{path}: read-only here, so its full-text indexes were not checked"))
    for problem in problems:
        typer.echo(inert(problem))
    if problems:
        typer.echo(inert(f"{path}: {len(problems)} problem(s)"), err=True)
        raise typer.Exit(1)
    typer.echo(inert(f"{path}: no problems found"))
