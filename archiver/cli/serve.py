"""`archiver serve [--db PATH] [--port N] [--host H]`: explore the archive in Datasette."""

from __future__ import annotations

import contextlib
from typing import Annotated

import typer

from archiver.cli.output import inert, run_errors
from archiver.cli.root import DbOption, app


@app.command()
def serve(
    db: DbOption = "archive.db",
    port: Annotated[
        int,
        typer.Option(
            "--port", metavar="N", min=0, max=65535, help="Port to listen on (0: a free one)."
        ),
    ] = 8001,
    host: Annotated[
        str,
        typer.Option(
            "--host", metavar="HOST", help="Address to listen on; 0.0.0.0 opens it to the network."
        ),
    ] = "127.0.0.1",
    print_metadata_path: Annotated[
        bool,
        typer.Option(
            "--print-metadata-path",
            help="Print where the packaged metadata.yaml is (for datasette -m) and exit.",
        ),
    ] = False,
) -> None:
    """Explore the archive in Datasette, with archiver's metadata, views and canned queries.

    Prints the URL, then serves until Ctrl-C; the archive stays writable while people read.
    Whatever the file is called, its pages are under /archive/.

    \b
    Examples:
      archiver serve
      archiver serve --db news.db --port 0
    """
    # Imported here: Datasette takes a moment to load, and only this command needs it.
    from archiver.datasette import metadata_path
    from archiver.datasette import serve as serve_archive
    from archiver.store import resolve_db_path

    if print_metadata_path:
        typer.echo(metadata_path())
        return
    path = resolve_db_path(db)
    with run_errors(), contextlib.suppress(KeyboardInterrupt):
        serve_archive(
            path,
            host=host,
            port=port,
            ready=lambda url: typer.echo(inert(f"serving {path} at {url} (Ctrl-C to stop)")),
        )
