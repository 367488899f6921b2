"""`archiver verify ARTICLE`: can every embed of an archived article still be checked?"""

from __future__ import annotations

import enum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from archiver.cli.app import DbOption, app
from archiver.cli.output import cell, fail, json_text
from archiver.errors import ArchiverError, InputError
from archiver.store import open_archive, resolve_db_path
from archiver.verify import ArticleVerification, EmbedVerification, verify_article


class VerifyFormat(enum.StrEnum):
    JSON = "json"
    TABLE = "table"


@app.command(name="verify")
def verify_command(
    article: Annotated[str, typer.Argument(help="An archived article: its URL or path.")],
    db: DbOption = "archive.db",
    format: Annotated[
        VerifyFormat,
        typer.Option("--format", case_sensitive=False, help="json (default) or table."),
    ] = VerifyFormat.JSON,
) -> None:
    """Prove an article's embeds from the archive: posts, re-hashed snapshots, states, quotes.

    Exit 0 when every embed is verifiable, 1 when one is not, 2 for an article not archived.
    """
    try:
        with open_archive(resolve_db_path(db), readonly=True) as archive:
            verification = verify_article(archive, article)
    except InputError as exc:
        raise fail(exc, 2) from exc
    except ArchiverError as exc:
        raise fail(exc, 1) from exc
    if format is VerifyFormat.JSON:
        typer.echo(json_text(verification.to_dict()))
    else:
        console = Console()
        console.print(_table(verification))
        console.print(_verdict(verification))
    raise typer.Exit(0 if verification.verifiable else 1)


def _table(verification: ArticleVerification) -> Table:
    article = verification.article
    table = Table(
        "#",
        "post",
        "state",
        "last seen live",
        "first seen gone",
        "snapshots",
        "quote",
        "verifiable",
        title=cell(article["title"] or article["url"]),
        caption=cell(article["url"]) if article["title"] else None,
    )
    for embed in verification.embeds:
        post = embed.post
        table.add_row(
            str(embed.ordinal),
            cell(f"{_who(embed)} {post.key}" if post else _who(embed), width=120),
            cell(post.state if post else "unresolved"),
            cell(post.last_seen_live if post else None),
            cell(post.first_seen_gone if post else None),
            cell(_snapshots(embed)),
            cell(_quote(embed)),
            Text("yes", style="green") if embed.verifiable else Text("no", style="bold red"),
        )
    return table


def _who(embed: EmbedVerification) -> str:
    return f"@{embed.handle}" if embed.handle else embed.platform


def _snapshots(embed: EmbedVerification) -> str:
    live = [s for s in embed.snapshots if s.outcome == "live"]
    damaged = sum(1 for s in embed.snapshots if s.hash_ok is False)
    text = f"{len(embed.snapshots)} ({len(live)} live)"
    if embed.only_third_party:
        copies = sorted({f"{s.source} {s.captured_at or ''}".strip() for s in live})
        text += f", only a third party's copy: {'; '.join(copies)}"
    return text + (f", {damaged} damaged" if damaged else "")


def _quote(embed: EmbedVerification) -> str:
    if embed.similarity is None:
        return "edited" if embed.edited else ""
    return f"{embed.similarity:.0%}" + (" edited" if embed.edited else "")


def _verdict(verification: ArticleVerification) -> Text:
    failing = [e for e in verification.embeds if not e.verifiable]
    if not failing:
        return Text(f"verifiable: all {len(verification.embeds)} embeds", style="green")
    verdict = Text(
        f"not verifiable: {len(failing)} of {len(verification.embeds)} embeds", style="bold red"
    )
    for embed in failing:
        verdict.append("\n")
        verdict.append(cell(f"#{embed.ordinal} {_who(embed)}: {embed.reason}", width=200))
    return verdict
