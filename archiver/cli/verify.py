"""`archiver verify ARTICLE`: can every embed of an archived article still be checked?"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from archiver.cli.app import DbOption, app
from archiver.cli.output import cell, json_text, run_errors
from archiver.evidence.tsa import TrustRoots, load_roots
from archiver.store import open_archive, resolve_db_path
from archiver.verify import ArticleVerification, EmbedVerification, verify_article

TsaRootsOption = Annotated[
    Path | None,
    typer.Option(
        "--tsa-roots",
        metavar="PEM",
        help="Trust roots for time-stamping authorities (a PEM file; else the certifi bundle).",
        show_default=False,
    ),
]


def tsa_roots_option(path: Path | None) -> TrustRoots:
    """The trust roots of ``--tsa-roots`` (else certifi's); an unreadable file is a usage error."""
    try:
        return load_roots(path)
    except (OSError, ValueError) as exc:
        raise typer.BadParameter(str(exc), param_hint="--tsa-roots") from exc


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
    tsa_roots: TsaRootsOption = None,
) -> None:
    """Prove an article's embeds from the archive: posts, re-hashed snapshots, states, quotes,
    and the time-stamps of the runs that took them, verified offline.

    Exit 0 when every embed is verifiable, 1 when one is not, 2 for an article not archived.
    """
    roots = tsa_roots_option(tsa_roots)
    with run_errors(), open_archive(resolve_db_path(db), readonly=True) as archive:
        verification = verify_article(archive, article, tsa_roots=roots)
    if format is VerifyFormat.JSON:
        typer.echo(json_text(verification.to_dict()))
    else:
        console = Console()
        console.print(_table(verification))
        for line in _proofs(verification):
            console.print(line)
        console.print(_verdict(verification))
    raise typer.Exit(0 if verification.verifiable else 1)


def _table(verification: ArticleVerification) -> Table:
    article = verification.article
    proofs = any(embed.proof is not None for embed in verification.embeds)
    table = Table(
        "#",
        "post",
        "state",
        "last seen live",
        "first seen gone",
        "snapshots",
        "quote",
        *(["proof"] if proofs else []),  # only Bluesky posts have one
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
            *([_proof_cell(embed)] if proofs else []),
            Text("yes", style="green") if embed.verifiable else Text("no", style="bold red"),
        )
    return table


def _who(embed: EmbedVerification) -> str:
    return f"@{embed.handle}" if embed.handle else embed.platform


def _snapshots(embed: EmbedVerification) -> str:
    live = [s for s in embed.snapshots if s.outcome == "live"]
    damaged = sum(1 for s in embed.snapshots if s.hash_ok is False)
    text = f"{len(embed.snapshots)} ({len(live)} live)"
    text += f", {damaged} damaged" if damaged else ""
    return text + (", time-stamped" if embed.time_proven else "")


def _quote(embed: EmbedVerification) -> str:
    if embed.similarity is None:
        return "edited" if embed.edited else ""
    return f"{embed.similarity:.0%}" + (" edited" if embed.edited else "")


def _proof_cell(embed: EmbedVerification) -> Text:
    if embed.proof is None:
        return Text("")
    if embed.proof["verified"]:
        return Text("signed", style="green")
    return Text("not proven", style="red")


def _proofs(verification: ArticleVerification) -> list[Text]:
    """One line per Bluesky proof: the commit and who signed it, or why it does not hold."""
    lines = []
    for embed in verification.embeds:
        proof = embed.proof
        if proof is None:
            continue
        if proof["verified"]:
            line = Text(f"#{embed.ordinal} {_who(embed)}: proof verified", style="green")
            line.append(cell(f", commit {proof['commit']} signed by {proof['did']}", width=200))
        else:
            line = Text(f"#{embed.ordinal} {_who(embed)}: proof not verified", style="red")
            line.append(cell(f": {proof['reason']}", width=200))
        lines.append(line)
    return lines


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
