"""`archiver lookup QUERY` and `archiver show POST`: read the archive, print JSON or a table."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from archiver.cli.output import cell, fail, inert, json_text, run_errors, whole
from archiver.cli.root import DbOption, app

if TYPE_CHECKING:
    from rich.table import Table


class Format(enum.StrEnum):
    JSON = "json"
    TABLE = "table"


DEFAULT_LIMIT = 50
FormatOption = Annotated[
    Format, typer.Option("--format", case_sensitive=False, help="json (default) or table.")
]


@app.command()
def lookup(
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            help="A status URL, an id, a platform:id key, a pic.twitter.com link, @handle, "
            "an article URL or path, or words.",
        ),
    ],
    db: DbOption = "archive.db",
    format: FormatOption = Format.JSON,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", metavar="N", min=1, help="At most N results; stderr says when more match."
        ),
    ] = DEFAULT_LIMIT,
) -> None:
    """Find archived posts, and embeds not yet resolved to a post. Exit 1 when nothing is found.

    \b
    Examples:
      archiver lookup pic.twitter.com/bgHyrsbVFs
      archiver lookup --format table @BNONews
    """
    from rich.console import Console

    from archiver.jobs.lookup import lookup as find_posts
    from archiver.store import open_archive, resolve_db_path

    with run_errors(), open_archive(resolve_db_path(db), readonly=True) as archive:
        results = find_posts(archive, query, limit=limit + 1)  # one more: are there more?
    more = len(results) > limit
    results = results[:limit]
    if format is Format.JSON:
        typer.echo(json_text(results))
    elif results:
        Console().print(_results_table(results))
    if not results:
        raise fail(f"nothing archived matches {query!r}", 1)
    if more:
        typer.echo(f"archiver: the first {limit} results; more match (give --limit N)", err=True)


@app.command()
def show(
    post: Annotated[
        str, typer.Argument(metavar="POST", help="A post: platform:id key, status URL or id.")
    ],
    db: DbOption = "archive.db",
    format: FormatOption = Format.JSON,
) -> None:
    """Show one archived post with its snapshots, media and the articles that quote it.

    \b
    Examples:
      archiver show twitter:1497424309257414584
      archiver show --format table https://x.com/YVindman/status/1497424309257414584
    """
    from rich.console import Console

    from archiver.store import open_archive, resolve_db_path

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
    # At 80 columns a post key (27 characters for X) stays whole on its line, the handle below
    # it; the text, cut, takes what is left. An article's URL or path may be longer: it folds.
    from rich.table import Table
    from rich.text import Text

    wheres = [r["key"] if "key" in r else r["article"]["url"] for r in results]
    table = Table()
    table.add_column("post (or article)", overflow="fold", width=min(max(map(len, wheres)), 40))
    table.add_column("state, date", no_wrap=True)
    table.add_column("text")
    for where, result in zip(wheres, results, strict=True):
        if "embed" in result:
            embed = result["embed"]
            handle, state, date, text = embed["handle"], "unresolved", embed["date"], embed["text"]
        else:
            handle, state = result["handle"], result["state"]
            date = (result["created_at"] or result["created_at_from_id"] or "")[:10]
            text = result["text"]
        who = whole(where)
        if handle:
            who.append(f"\n@{inert(handle)}")
        table.add_row(who, Text(f"{state}\n{date or ''}"), cell(text))
    return table


def _post_table(detail: dict[str, Any]) -> Table:
    # Nothing cut: on a wide terminal a post's text is shown whole, on a narrow one wrapped.
    from rich.table import Table
    from rich.text import Text

    table = Table("field", title=Text(detail["key"]))
    table.add_column("value", overflow="fold")
    for name, value in detail.items():
        if not isinstance(value, list | dict):
            table.add_row(name, whole(value))
    for article in detail["articles"]:
        table.add_row("article", whole(article["url"]))
    for item in detail["media"]:
        table.add_row(
            "media", whole(f"{item['kind']} {item['sha256'] or item['error']} {item['url']}")
        )
    return table


def _snapshots_table(snapshots: list[dict[str, Any]]) -> Table:
    from rich.table import Table

    table = Table(title="snapshots")
    for name in ("fetched_at", "source", "status", "sha256", "from"):
        table.add_column(name, overflow="fold")
    for s in snapshots:
        # A recording served by archiver's replay server is never shown as the platform's answer.
        origin = "replay (a recording)" if s["replay"] else "the platform"
        table.add_row(*(whole(s[k]) for k in ("fetched_at", "source", "status", "sha256")), origin)
    return table
