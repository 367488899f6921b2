"""`archiver lookup QUERY` and `archiver show POST`: read the archive, print JSON or a table."""

from __future__ import annotations

import enum
import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from archiver.cli.app import DbOption, app
from archiver.errors import ArchiverError, InputError
from archiver.store import open_archive, resolve_db_path

_TEXT_WIDTH = 80
# C0 controls are escaped by json.dumps; C1 controls (U+0080-U+009F, e.g. CSI) are not, and some
# terminals act on them. Archived text must reach the terminal inert.
_C1_ESCAPES = {code: f"\\u{code:04x}" for code in range(0x80, 0xA0)}
_CONTROL_ESCAPES = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}


class Format(enum.StrEnum):
    JSON = "json"
    TABLE = "table"


FormatOption = Annotated[
    Format, typer.Option("--format", case_sensitive=False, help="json (default) or table.")
]


def _fail(message: object, code: int) -> typer.Exit:
    typer.echo(f"archiver: {message}", err=True)
    return typer.Exit(code)


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
    try:
        with open_archive(resolve_db_path(db), readonly=True) as archive:
            results = archive.lookup(query)
    except InputError as exc:
        raise _fail(exc, 2) from exc
    except ArchiverError as exc:
        raise _fail(exc, 1) from exc
    if not results:
        raise _fail(f"nothing archived matches {query!r}", 1)
    if format is Format.JSON:
        typer.echo(_json(results))
    else:
        Console().print(_results_table(results))


@app.command()
def show(
    post: Annotated[str, typer.Argument(help="A post: platform:id key, status URL or id.")],
    db: DbOption = "archive.db",
    format: FormatOption = Format.JSON,
) -> None:
    """Show one archived post with its snapshots, media and the articles that quote it."""
    try:
        with open_archive(resolve_db_path(db), readonly=True) as archive:
            detail = archive.find_post(post)
    except InputError as exc:
        raise _fail(exc, 2) from exc
    except ArchiverError as exc:
        raise _fail(exc, 1) from exc
    if detail is None:
        raise _fail(f"no archived post {post!r}", 1)
    if format is Format.JSON:
        typer.echo(_json(detail))
    else:
        console = Console()
        console.print(_post_table(detail))
        console.print(_snapshots_table(detail["snapshots"]))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).translate(_C1_ESCAPES)


def _cell(value: Any) -> Text:
    # Text, not a markup string: archived text is shown as it is, never read as rich markup.
    if value is None:
        return Text("")
    text = " ".join(str(value).split()).translate(_CONTROL_ESCAPES)
    return Text(text if len(text) <= _TEXT_WIDTH else text[: _TEXT_WIDTH - 1] + "…")


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
        table.add_row(*(_cell(value) for value in row))
    return table


def _post_table(detail: dict[str, Any]) -> Table:
    table = Table("field", "value", title=Text(detail["key"]))
    for name, value in detail.items():
        if not isinstance(value, list | dict):
            table.add_row(name, _cell(value))
    for article in detail["articles"]:
        table.add_row("article", _cell(article["url"]))
    for item in detail["media"]:
        table.add_row(
            "media", _cell(f"{item['kind']} {item['sha256'] or item['error']} {item['url']}")
        )
    return table


def _snapshots_table(snapshots: list[dict[str, Any]]) -> Table:
    table = Table("fetched_at", "source", "status", "sha256", "replay", title="snapshots")
    for s in snapshots:
        table.add_row(
            *(_cell(s[k]) for k in ("fetched_at", "source", "status", "sha256", "replay"))
        )
    return table
