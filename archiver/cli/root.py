"""The typer application that every command module registers on."""

from __future__ import annotations

from typing import Annotated

import typer

from archiver import __version__

app = typer.Typer(
    name="archiver",
    help="Archive the social posts that articles embed, with provenance, in one SQLite file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        metavar="PATH",
        envvar="ARCHIVER_DB",
        help="The archive database (else $ARCHIVER_DB, else ./archive.db).",
    ),
]


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"archiver {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Archive the social posts that articles embed, with provenance, in one SQLite file."""
