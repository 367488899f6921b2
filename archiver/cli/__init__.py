"""The command line: a thin layer that parses options, calls the library and prints."""

from __future__ import annotations

from archiver.cli import (  # noqa: F401  (each registers its commands)
    archive,
    db,
    export,
    lookup,
    recheck,
    replay,
    scan,
    serve,
    verify,
)
from archiver.cli.app import app


def main() -> None:
    """Entry point of the `archiver` console script."""
    app()


__all__ = ["app", "main"]
