"""`archiver lookup QUERY` and `archiver show POST`: read the archive, print JSON or a table."""

from __future__ import annotations

import enum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from archiver.cli.app import DbOption, app
from archiver.cli.output import cell, fail, json_text, run_errors
from archiver.store import open_archive, resolve_db_path


class Format(enum.StrEnum):
    JSON = "json"
    TABLE = "table"


FormatOption = Annotated[
    Format, typer.Option("--format", case_sensitive=False, help="json (default) or table.")
]


@app.command()
def lookup(
    query: Annotated[
        str,
        typer.Argument(
            help="A status URL, an id, a platform:id key, a pic.twitter.com link, @handle, "
            "an article URL or path, or words."
        ),
    ],
    db: DbOption = "archive.db",
    format: FormatOption = Format.JSON,
) -> None:
    """Find archived posts, and embeds not yet resolved to a post. Exit 1 when nothing is found."""
    with run_errors(), open_archive(resolve_db_path(db), readonly=True) as archive:
        results = archive.lookup(query)
    if not results:
        raise fail(f"nothing archived matches {query!r}", 1)
    if format is Format.JSON:
        typer.echo(json_text(results))
    else:
        Console().print(_results_table(results))


@app.command()
def show(
    post: Annotated[str, typer.Argument(help="A post: platform:id key, status URL or id.")],
    db: DbOption = "archive.db",
    format: FormatOption = Format.JSON,
) -> None:
    """Show one archived post with its snapshots, media and the articles that quote it."""
    with run_errors(), open_archive(resolve_db_path(db), readonly=True) as archive:
        detail = archive.find_post(post)
    if detail is None:
        raise fail(f"no archived post {post!r}", 1)
    if format is Format.JSON:
        typer.echo(json_text(detail))
    else:
        console = Console()
        console.print(_post_table(detail))
        console.print(_snapshots_table(detail["snapshots"]))


def _results_table(results: list[dict[str, Any]]) -> Table:
    table = Table("match", "post or article", "handle", "state", "date", "text")
    for result in results:
        if "embed" in result:
            embed = result["embed"]
            row = (
                "embed",
                result["article"]["url"],
                embed["handle"],
                "unresolved",
                embed["date"],
                embed["text"],
            )
        else:
            row = (
                "post",
                result["key"],
                result["handle"],
                result["state"],
                (result["created_at"] or result["created_at_from_id"] or "")[:10],
                result["text"],
            )
        table.add_row(*(cell(value) for value in row))
    return table


def _post_table(detail: dict[str, Any]) -> Table:
    table = Table("field", "value", title=Text(detail["key"]))
    for name, value in detail.items():
        if not isinstance(value, list | dict):
            table.add_row(name, cell(value))
    for article in detail["articles"]:
        table.add_row("article", cell(article["url"]))
    for item in detail["media"]:
        table.add_row(
            "media", cell(f"{item['kind']} {item['sha256'] or item['error']} {item['url']}")
        )
    return table


def _snapshots_table(snapshots: list[dict[str, Any]]) -> Table:
    table = Table("fetched_at", "source", "status", "sha256", "replay", title="snapshots")
    for s in snapshots:
        table.add_row(*(cell(s[k]) for k in ("fetched_at", "source", "status", "sha256", "replay")))
    return table
