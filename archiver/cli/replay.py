"""``archiver replay [--port N] [--latency-ms N] [--demo-tsa PEM] DIR``: serve recordings until
interrupted."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from archiver.cli.output import inert, run_errors
from archiver.cli.root import app
from archiver.evidence import demo_tsa_names


@app.command("replay")
def replay(
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="FOLDER", help="A folder of recordings (*.json), as tests and `make demo` use."
        ),
    ],
    port: Annotated[
        int,
        typer.Option(
            "--port", metavar="N", min=0, max=65535, help="Port on 127.0.0.1 (0: a free one)."
        ),
    ] = 0,
    latency_ms: Annotated[
        float,
        typer.Option(
            "--latency-ms", metavar="MS", min=0, help="Delay added to every recorded answer."
        ),
    ] = 0,
    demo_root: Annotated[
        Path | None,
        typer.Option(
            "--demo-tsa",
            metavar="PEM",
            help=f"Also act as a {demo_tsa_names.LABEL} at {demo_tsa_names.URL}, with a key "
            "made now; its "
            "root certificate is written to PEM (for `archiver verify --tsa-roots`).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve recorded responses on 127.0.0.1 in the reroute layout; prints the URL to use as
    ARCHIVER_REROUTE, then serves until interrupted (Ctrl-C) or terminated.

    \b
    Example:
      archiver replay --port 8765 examples/replay
    """
    # Imported here, not above: the demo TSA signs with cryptography.
    from archiver.evidence import demo_tsa
    from archiver.replay import ReplayServer

    with run_errors(OSError):  # an unwritable --demo-tsa file is a usage error too
        server = ReplayServer(directory, port=port, latency_ms=latency_ms)
        if demo_root is not None:
            tsa = demo_tsa.DemoTsa()
            demo_root.write_bytes(tsa.root_pem)
            demo_root.with_name(demo_root.stem + "-signer.pem").write_bytes(tsa.certificate_pem)
            server.respond(demo_tsa.HOST, tsa.respond)
        server.start()
    # An interrupt from here on, even while the URL is printed, stops the server cleanly.
    with _stopped_by(signal.SIGINT, signal.SIGTERM):
        try:
            typer.echo(server.url)
            typer.echo(
                inert(f"serving {directory} at {server.url}; set ARCHIVER_REROUTE={server.url}"),
                err=True,
            )
            if demo_root is not None:
                typer.echo(
                    inert(f"{demo_tsa.LABEL}: {demo_tsa.URL} (its root: {demo_root})"), err=True
                )
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()


@contextmanager
def _stopped_by(*signals: signal.Signals) -> Iterator[None]:
    """Let ``signals`` raise KeyboardInterrupt, then put the previous handlers back. Explicitly:
    a process a script starts in the background inherits SIGINT ignored (Python then installs no
    handler of its own), and SIGTERM is how scripts stop a server."""
    previous = {signum: signal.signal(signum, _interrupt) for signum in signals}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
