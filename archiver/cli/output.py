"""What the commands print, and how: quiet enough for cron, inert for terminals.

Conventions every command follows: results on stdout, failures on stderr; progress only on a
terminal; exit 0 when all went well, 1 when some item failed (each recorded), 2 for usage
errors and unreadable input; a run that finds the lock held exits 0 with one line.
"""

from __future__ import annotations

import enum
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from archiver.errors import ArchiverError, InputError, LockHeld
from archiver.models import Embed

# The library modules below load the HTTP client, the store and cryptography, and rich takes a
# moment too: each is imported inside the helper that uses it, so `archiver --help` and
# `archiver scan` never pay for what they do not use (tests/test_cli_startup.py).
if TYPE_CHECKING:
    from rich.text import Text

    from archiver.fetch import ClientConfig
    from archiver.jobs.record import RunSummary

TEXT_WIDTH = 80
# C0 controls are escaped by json.dumps; C1 controls (U+0080-U+009F, e.g. CSI) are not, and some
# terminals act on them. Archived text must reach the terminal inert. (A pattern, not
# str.translate: translating a line of JSON cost 22 us, more than json.dumps; the search, 1.)
# What JSON text is given as \uXXXX beyond json's own escapes: C1 controls, and lone surrogates,
# which UTF-8 cannot hold (a file name's bytes that are not UTF-8, as Python reads them), so that
# every line is valid UTF-8 and JSON reads each back as the same str.
_ESCAPED = re.compile("[\x80-\x9f\ud800-\udfff]")
_CONTROL_ESCAPES = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}


class SummaryFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"


WaitOption = Annotated[
    float,
    typer.Option(
        "--wait",
        metavar="SECONDS",
        min=0,
        help="Seconds to wait for another run's lock before giving up.",
    ),
]
TsaOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tsa",
        metavar="URL",
        help="An RFC 3161 time-stamping authority for the run's manifest (repeatable; "
        "else $ARCHIVER_TSA, URLs separated by spaces).",
        show_default=False,
    ),
]
RateOption = Annotated[
    list[str] | None,
    typer.Option(
        "--rate",
        metavar="HOST=N",
        help="At most N requests per second to HOST (repeatable; *=N for every other host; "
        "on top of $ARCHIVER_RATES, 'host=N host=N'). Defaults: 8/s a host, "
        "web.archive.org 0.4/s (docs/rates.md).",
        show_default=False,
    ),
]
SummaryFormatOption = Annotated[
    SummaryFormat,
    typer.Option("--format", case_sensitive=False, help="The summary: text or json."),
]


_ONE_LINE = json.JSONEncoder(ensure_ascii=False)  # json.dumps(value, ensure_ascii=False)'s


def json_text(value: Any, *, indent: int | None = 2) -> str:
    """JSON with non-ASCII text readable and every control character and lone surrogate
    escaped."""
    return _ESCAPED.sub(_json_escape, json.dumps(value, ensure_ascii=False, indent=indent))


def json_lines(values: Iterable[Any]) -> str:
    """JSON Lines, each line ``json_text(value, indent=None)``, without the last newline.

    One encoder for all (json.dumps makes one a call when given options) and one search for C1
    controls and lone surrogates over all lines, which only strings can hold: 1.35x as fast as a
    ``json_text`` a line.
    """
    return _ESCAPED.sub(_json_escape, "\n".join(map(_ONE_LINE.encode, values)))


def _json_escape(control: re.Match[str]) -> str:
    return f"\\u{ord(control[0]):04x}"


def reference_embed_lines(embeds: Sequence[Embed]) -> str:
    """`archiver scan`'s JSON Lines for an article's embeds: ``json_lines`` of their ``to_dict()``."""
    return json_lines(embed.to_dict() for embed in embeds)


def _embed_shape() -> tuple[tuple[str, bool], ...] | None:
    """``Embed.to_dict``'s keys in order, each with whether it lists its field (a tuple): what the
    compiled twin writes; None when some key is not simply the field of that name."""
    probe = Embed(
        "platform", "form", "text", 1, 2, "handle", "display_name", "date", "date_text",
        ("pic_links",), ("links",), "status_id", "status_url", "lang",
    )  # fmt: skip
    shape = []
    for key, value in probe.to_dict().items():
        field = getattr(probe, key, None)
        listed = isinstance(value, list)
        if value != (list(field) if listed and isinstance(field, tuple) else field):
            return None
        shape.append((key, listed))
    return tuple(shape)


_EMBED_SHAPE = _embed_shape()


def _reference_embed_lines_utf8(embeds: Sequence[Embed]) -> bytes:
    """``reference_embed_lines(embeds)`` in UTF-8."""
    return reference_embed_lines(embeds).encode("utf-8")


try:
    from archiver._json_lines import embed_lines_utf8 as _compiled_embed_lines
except ImportError:
    embed_lines_utf8 = _reference_embed_lines_utf8
else:

    def embed_lines_utf8(embeds: Sequence[Embed]) -> bytes:
        """``reference_embed_lines(embeds)`` in UTF-8, compiled (archiver/_json_lines.c). Embeds
        holding a value the twin does not write get the reference's text encoded (json's
        TypeError for one it refuses too); all embeds if to_dict stops being its fields."""
        embeds = tuple(embeds)
        if _EMBED_SHAPE is not None:
            try:
                return _compiled_embed_lines(embeds, _EMBED_SHAPE)
            except TypeError:
                pass
        return _reference_embed_lines_utf8(embeds)


def reference_row_lines(rows: Iterable[dict[str, Any]]) -> str:
    """`archiver scan`'s JSON Lines for a crawl's rows (archiver/crawl/rows.py): ``json_lines``."""
    return json_lines(rows)


def reference_record_lines(record: dict[str, Any], embeds: Sequence[Embed]) -> str:
    """`archiver scan`'s JSON Lines for the rows of one record's embeds (a crawl's; the record's
    columns from archiver/crawl/rows.py's ``record_columns``): ``reference_row_lines`` of them."""
    from archiver.crawl.rows import record_rows

    return reference_row_lines(record_rows(record, embeds))


def _reference_record_lines_utf8(record: dict[str, Any], embeds: Sequence[Embed]) -> bytes:
    """``reference_record_lines(record, embeds)`` in UTF-8."""
    return reference_record_lines(record, embeds).encode("utf-8")


try:
    from archiver._json_lines import record_lines_utf8 as _compiled_record_lines
except ImportError:
    record_lines_utf8 = _reference_record_lines_utf8
else:

    def record_lines_utf8(record: dict[str, Any], embeds: Sequence[Embed]) -> bytes:
        """``reference_record_lines(record, embeds)`` in UTF-8, compiled (archiver/_json_lines.c)
        for a record of the crawl's columns (RECORD_COLUMNS, in order) whose values it writes;
        else the reference's text encoded (json's TypeError for a value it refuses too)."""
        shape = _record_shape()
        if shape is not None and tuple(record) == shape[0]:
            try:
                return _compiled_record_lines(record, tuple(embeds), shape[1])
            except TypeError:
                pass
        return _reference_record_lines_utf8(record, embeds)


@functools.cache
def _record_shape() -> tuple[tuple[str, ...], tuple[tuple[str, bool], ...]] | None:
    """A record's columns, and what a row holds after them: its ordinal, then the embed's fields
    as ``embed_lines_utf8`` writes them; None when a row's columns (COLUMNS) are not those, in
    that order. Read at the first record: a scan of one article needs no crawl's columns."""
    from archiver.crawl.rows import COLUMNS, RECORD_COLUMNS

    if _EMBED_SHAPE is None:
        return None
    after = (("ordinal", False), *_EMBED_SHAPE)
    if (*RECORD_COLUMNS, *(key for key, _ in after)) != tuple(COLUMNS):
        return None
    return RECORD_COLUMNS, after


def echo_lines(lines: bytes) -> None:
    """Print JSON Lines in UTF-8 (``embed_lines_utf8``) and a newline on standard output, whatever
    the locale, as JSON Lines are; after what was printed as text before them, flushed once. As
    bytes, as they are: they hold no terminal controls (each is escaped), so neither click's sweep
    for ANSI codes nor its copy to add the newline is needed."""
    sys.stdout.flush()
    stdout = typer.get_binary_stream("stdout")
    stdout.write(lines)
    stdout.write(b"\n")
    stdout.flush()


def cell(value: Any, *, width: int = TEXT_WIDTH) -> Text:
    """A table cell for any value: one line, controls escaped, cut to ``width``.

    Text, not a markup string: archived text is shown as it is, never read as rich markup.
    """
    from rich.text import Text

    if value is None:
        return Text("")
    text = " ".join(str(value).split()).translate(_CONTROL_ESCAPES)
    return Text(text if len(text) <= width else text[: width - 1] + "…")


def whole(value: Any) -> Text:
    """A table cell for a value a user copies (a post key, a URL, a hash): never cut.

    Its column should be ``overflow="fold"``, so a narrow terminal breaks it across lines
    rather than ending it with an ellipsis.
    """
    from rich.text import Text

    return Text("" if value is None else inert(str(value)))


def inert(text: str) -> str:
    """``text`` with every control character escaped (``\\x1b``): shown, never acted on."""
    return text.translate(_CONTROL_ESCAPES)


def inert_lines(text: str) -> str:
    """``text`` with every control character but its line breaks escaped."""
    return "\n".join(inert(line) for line in text.split("\n"))


def fail(message: object, code: int, *, command: str | None = None) -> typer.Exit:
    """Print ``archiver: message`` (``archiver COMMAND: message`` when given) on stderr, inert;
    the Exit to raise with ``code``."""
    prefix = f"archiver {command}" if command else "archiver"
    typer.echo(inert(f"{prefix}: {message}"), err=True)
    return typer.Exit(code)


def tsa_option(given: list[str] | None) -> tuple[str, ...]:
    """The TSAs of a run: ``--tsa`` values, else ``$ARCHIVER_TSA``; a bad URL is a usage error."""
    from archiver.evidence.tsa import tsa_urls

    try:
        return tsa_urls(given, os.environ)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--tsa") from exc


def client_config(rates: list[str] | None) -> ClientConfig:
    """The run's client settings: the defaults, the environment's, then ``--rate``; a bad rate
    given either way is a usage error."""
    from archiver.fetch import ClientConfig
    from archiver.fetch.rates import parse_rates

    try:
        return ClientConfig.from_env().with_rates(parse_rates(rates or ()))
    except InputError as exc:
        raise typer.BadParameter(str(exc), param_hint="--rate") from exc


@contextmanager
def run_errors(*usage: type[Exception]) -> Iterator[None]:
    """Map a command's errors to exits, the one way every command does: bad input (InputError
    and the ``usage`` types) 2, other archiver errors 1, each one inert line on stderr; a run
    that finds the lock held exits 0 with one line."""
    usage_errors: tuple[type[Exception], ...] = (InputError, *usage)
    try:
        yield
    except LockHeld as exc:
        typer.echo(inert(f"archiver: {exc}; not running this time"))
        raise typer.Exit(0) from exc
    except usage_errors as exc:
        raise fail(exc, 2) from exc
    except ArchiverError as exc:
        raise fail(exc, 1) from exc


@contextmanager
def progress_display(quiet: bool) -> Iterator[Callable[[str, int], None] | None]:
    """A live progress display on a terminal; nothing at all for cron and pipes."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}: {task.completed}"),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(stage: str, n: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=None)
            bar.advance(tasks[stage], n)

        yield advance


def summary_json(summary: RunSummary) -> dict[str, Any]:
    """A run's summary as JSON: its id, ok, counts, failures, state changes, and any warnings."""
    result: dict[str, Any] = {
        "run_id": summary.run_id,
        "ok": summary.ok,
        "counts": dict(sorted(summary.counts.items())),
        "failures": [
            {"stage": f.stage, "item": f.item, "reason": f.reason} for f in summary.failures
        ],
        "changes": [
            {"post": c.post_key, "before": c.before, "after": c.after} for c in summary.changes
        ],
    }
    if summary.warnings:
        result["warnings"] = [
            {"stage": w.stage, "item": w.item, "reason": w.reason} for w in summary.warnings
        ]
    return result


def report_run(summary: RunSummary, *, format: SummaryFormat, quiet: bool, line: str) -> NoReturn:
    """Print a run's warnings and failures (stderr), state changes and summary, then exit 0 or 1.

    ``quiet`` keeps stdout empty unless something failed or a post changed state.
    """
    for warning in summary.warnings:
        typer.echo(
            inert(f"archiver: warning: {warning.stage} of {warning.item}: {warning.reason}"),
            err=True,
        )
    for failure in summary.failures:
        typer.echo(
            inert(f"archiver: {failure.stage} failed for {failure.item}: {failure.reason}"),
            err=True,
        )
    if format is SummaryFormat.JSON:
        typer.echo(json_text(summary_json(summary), indent=None))
    else:
        for change in summary.changes:
            typer.echo(f"archiver: {change.post_key} was {change.before}, now {change.after}")
        if not quiet or summary.failures:
            typer.echo(line)
    raise typer.Exit(0 if summary.ok else 1)
