"""The command line: a thin layer that parses options, calls the library and prints."""

from __future__ import annotations

from archiver.cli import replay as _replay  # noqa: F401  (registers `archiver replay`)
from archiver.cli import scan as _scan  # noqa: F401  (registers `archiver scan`)
from archiver.cli.app import app


def main() -> None:
    """Entry point of the `archiver` console script."""
    app()


__all__ = ["app", "main"]
