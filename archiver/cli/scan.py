"""`archiver scan`: list the posts an article embeds, as JSON Lines or a table."""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from archiver.cli.app import app
from archiver.cli.output import inert
from archiver.models import ScanResult
from archiver.scan import REPLACED, REPLACED_REASON, scan_bytes

# An article is a few MB at most; far larger input is a mistake (a disk image), not an article.
MAX_ARTICLE_BYTES = 512 * 1024 * 1024


class OutputFormat(enum.StrEnum):
    JSONL = "jsonl"
    TABLE = "table"


@app.command()
def scan(
    path: Annotated[
        str, typer.Argument(metavar="PATH", help="An article file (text or HTML), or - for stdin.")
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", help="jsonl: one JSON object per post; table: for people."),
    ] = OutputFormat.JSONL,
) -> None:
    """Find the posts an article embeds, in document order.

    \b
    Examples:
      archiver scan --format table examples/zelensky-stays-in-kyiv.txt
      archiver scan - < page.html
    """
    data, filename = _read(path)
    result = scan_bytes(data, filename=filename)
    if result.encoding == REPLACED:
        typer.echo(inert(f"archiver scan: warning: {path}: {REPLACED_REASON}"), err=True)
    if output_format is OutputFormat.JSONL:
        for embed in result.embeds:
            typer.echo(json.dumps(embed.to_dict(), ensure_ascii=False))
    else:
        _print_table(result, path)


def _read(path: str) -> tuple[bytes, str | None]:
    if path == "-":
        return _capped(sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1), path), None
    file = Path(path)
    try:
        with file.open("rb") as stream:
            return _capped(stream.read(MAX_ARTICLE_BYTES + 1), path), file.name
    except IsADirectoryError:
        _fail(f"{path} is a directory; give an article file")
    except FileNotFoundError:
        _fail(f"{path}: no such file")
    except OSError as exc:
        _fail(f"{path}: cannot read it ({exc.strerror or exc})")
    except ValueError:  # a NUL in the path: no file has that name
        _fail(f"{path!r}: no such file")


def _capped(data: bytes, path: str) -> bytes:
    if len(data) > MAX_ARTICLE_BYTES:
        _fail(f"{path} is larger than {MAX_ARTICLE_BYTES // 2**20} MiB; not scanned")
    return data


def _fail(message: str) -> typer.Exit:
    typer.echo(inert(f"archiver scan: {message}"), err=True)
    raise typer.Exit(code=2)


def _print_table(result: ScanResult, path: str) -> None:
    table = Table(
        title=Text(
            f"{len(result.embeds)} embedded posts in {path} ({result.kind}, {result.encoding})"
        ),
        show_lines=True,
    )
    table.add_column("#", justify="right")
    table.add_column("post", overflow="fold", ratio=2)
    table.add_column("text as the article shows it", overflow="fold", ratio=3)
    for number, embed in enumerate(result.embeds, start=1):
        author = " ".join(
            filter(None, [embed.display_name, f"@{embed.handle}" if embed.handle else None])
        )
        post = [
            f"{embed.platform} · {embed.form}",
            author,
            embed.date or embed.date_text or "",
            *embed.pic_links,
            embed.status_url or "",
        ]
        # Text objects, not strings: what an article says is never read as rich markup.
        table.add_row(str(number), Text("\n".join(filter(None, post))), Text(embed.text))
    Console().print(table)
