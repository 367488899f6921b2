"""`archiver verify ARTICLE`: can every embed of an archived article still be checked?"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from archiver.cli.output import cell, fail, inert, json_text, whole
from archiver.cli.root import DbOption, app
from archiver.errors import ArchiverError, InputError

# The store, the verifier, cryptography and rich are imported where they are used.
if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from archiver.evidence.tsa import TrustRoots
    from archiver.jobs.ondisk import DiskChange
    from archiver.jobs.verify import ArticleVerification, EmbedVerification

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
    from archiver.evidence.tsa import load_roots

    try:
        return load_roots(path)
    except (OSError, ValueError) as exc:
        raise typer.BadParameter(str(exc), param_hint="--tsa-roots") from exc


class VerifyFormat(enum.StrEnum):
    JSON = "json"
    TABLE = "table"


@app.command(name="verify")
def verify_command(
    article: Annotated[
        str,
        typer.Argument(
            metavar="ARTICLE",
            help="An archived article: its URL or path, or - for a copy on standard input.",
        ),
    ],
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            metavar="URL",
            help="With -: the archived article's URL (else it is found by its bytes).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = "archive.db",
    format: Annotated[
        VerifyFormat,
        typer.Option("--format", case_sensitive=False, help="json (default) or table."),
    ] = VerifyFormat.JSON,
    tsa_roots: TsaRootsOption = None,
) -> None:
    """Prove an article's embeds from the archive: posts, re-hashed snapshots, states, quotes,
    the time-stamps of the runs that took them and Bluesky posts' signatures, verified offline.

    Exit 0 when every embed is verifiable, 1 when one is not or the article (its file, or the
    copy on standard input) has changed since it was archived (the report says which quotes
    differ), 2 for an article not archived.

    \b
    Examples:
      archiver verify --format table examples/zelensky-stays-in-kyiv.txt
      archiver verify --tsa-roots tsa-roots.pem story.html
      curl -s https://news.example/story | archiver verify - --url https://news.example/story
    """
    import hashlib

    from rich.console import Console

    from archiver.jobs.ondisk import changed_content, changed_on_disk
    from archiver.jobs.verify import verify_article
    from archiver.sources.files import read_stdin
    from archiver.store import open_archive, resolve_db_path

    if url is not None and article != "-":
        raise typer.BadParameter("--url names standard input's article: give - as ARTICLE")
    roots = tsa_roots_option(tsa_roots)
    stdin = None
    try:
        stdin = read_stdin(sys.stdin.buffer) if article == "-" else None
        target = url or (f"stdin:{hashlib.sha256(stdin.content).hexdigest()}" if stdin else article)
        with open_archive(resolve_db_path(db), readonly=True) as archive:
            verification = verify_article(archive, target, tsa_roots=roots)
            posted = {  # the archived text of each post the article misquotes, for the table
                e.post.key: detail["text"]
                for e in verification.embeds
                if e.post
                and e.similarity is not None
                and e.similarity < 1.0
                and (detail := archive.post_detail(e.post.key)) is not None
            }
    except InputError as exc:
        if stdin is not None and url is None:
            message = "no article archived from standard input has these bytes (give --url URL)"
            raise fail(message, 2) from exc
        raise fail(exc, 2) from exc
    except ArchiverError as exc:
        raise fail(exc, 1) from exc
    report = verification.to_dict()
    if stdin is None:
        change = changed_on_disk(report["article"], report["embeds"])
    else:
        change = changed_content(
            report["article"], report["embeds"], stdin.content, source="standard input"
        )
    if format is VerifyFormat.JSON:
        extra = {"changed_since_archived": change.to_dict()} if change else {}
        typer.echo(json_text(report | extra))
    else:
        console = Console()
        console.print(_table(verification))
        for line in _proofs(verification):
            console.print(line)
        console.print(_verdict(verification))
        if posted:
            console.print(_differences(verification, posted))
        if change:
            console.print(_disk_change(change))
    raise typer.Exit(0 if verification.verifiable and change is None else 1)


def _table(verification: ArticleVerification) -> Table:
    # At 80 columns the post key stays whole on its line (the handle below it); the state cell
    # carries the vanish window and the snapshots, and wraps.
    from rich.table import Table
    from rich.text import Text

    article = verification.article
    keys = [embed.post.key for embed in verification.embeds if embed.post] or [""]
    table = Table(
        title=whole(article["title"] or article["url"]),
        caption=whole(article["url"]) if article["title"] else None,
    )
    table.add_column("#", justify="right")
    table.add_column("post", overflow="fold", width=min(max(map(len, keys)), 40))
    table.add_column("state, snapshots", overflow="fold")
    table.add_column("quote", overflow="fold")
    table.add_column("ok", no_wrap=True)  # verifiable
    for embed in verification.embeds:
        post = embed.post
        who = whole(post.key if post else "")
        who.append(("\n" if post else "") + inert(_who(embed)))
        state = [post.state if post else "unresolved"]
        if post and post.last_seen_live:
            state.append(f"last seen live {post.last_seen_live}")
        if post and post.first_seen_gone:
            state.append(f"first seen gone {post.first_seen_gone}")
        state.append(f"snapshots: {_snapshots(embed)}")
        if embed.proof is not None:  # Bluesky posts: the author's signed commit
            state.append("signed" if embed.proof["verified"] else "signature not proven")
        table.add_row(
            str(embed.ordinal),
            who,
            Text("\n").join(whole(line) for line in state),
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
    text += f", {damaged} damaged" if damaged else ""
    text += ", time-stamped" if embed.time_proven else ""
    replayed = sum(1 for s in embed.snapshots if s.replay)
    # Recordings served by the replay server are never to be taken for the platform's answers.
    return text + (f", {replayed} from replay recordings" if replayed else "")


def _quote(embed: EmbedVerification) -> str:
    # The article's quote against the archived post: "edited" read as if the author had edited it.
    if embed.similarity is None:
        return "post has versions" if embed.edited else ""
    if embed.similarity < 1.0:
        return f"differs from the post ({embed.similarity:.0%} alike)"
    return "as posted" + (" (post has versions)" if embed.edited else "")


def _differences(verification: ArticleVerification, posted: dict[str, str]) -> Text:
    from rich.text import Text

    from archiver.textmatch import word_difference

    text = Text("where the article's quote differs from the post ([-post-] {+article+}):")
    for embed in verification.embeds:
        if embed.post and embed.post.key in posted:
            text.append("\n")
            difference = word_difference(embed.text, posted[embed.post.key])
            text.append(inert(f"#{embed.ordinal} {_who(embed)}: {difference}"))
    return text


def _proofs(verification: ArticleVerification) -> list[Text]:
    """One line per Bluesky proof: the commit and who signed it, or why it does not hold."""
    from rich.text import Text

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
    from rich.text import Text

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


def _disk_change(change: DiskChange) -> Text:
    from rich.text import Text

    text = Text(
        f"the article changed since it was archived: {change.source} "
        f"(sha256 {change.archived_sha256[:12]}… archived, {change.sha256[:12]}… now)",
        style="bold red",
    )
    for quote in change.quotes:
        where = f"#{quote.ordinal}" if quote.ordinal is not None else "new"
        who = f"@{quote.handle}" if quote.handle else "embed"
        if quote.now is None:
            line = f"{where} {who}: no longer in the article (archived: {quote.archived})"
        elif quote.archived is None:
            line = f"{where} {who}: not archived (now: {quote.now})"
        else:
            line = f"{where} {who}: quote differs (archived: {quote.archived} | now: {quote.now})"
        text.append("\n")
        text.append(cell(line, width=200))
    if not change.quotes:
        text.append("\nevery embed's quote is as archived")
    return text
